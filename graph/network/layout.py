"""A fast, deterministic layout for big networks, so the browser can draw them with physics off.

networkx's `spring_layout` is quadratic per iteration (minutes at 20,000 nodes) and vis-network's
own physics needs seconds of stabilisation beyond ~1,000 nodes. This layout takes well under a
second at 20,000 nodes (see benchmarks/bench_network.py):

1. groups: every node joins the nearest of about sqrt(n)/2 well connected seed nodes (one
   breadth-first search from all seeds at once), so hubs get their surroundings around them;
2. the communities are packed as discs (area ~ size) by a small force model on the community
   graph, so communities with many links between them lie side by side;
3. inside its disc a community is laid out on a sunflower spiral in breadth-first order from its
   best connected node, so hubs sit in the middle with their neighbours around them;
4. a few Fruchterman-Reingold iterations on all nodes, with the repulsion computed on a grid by
   FFT convolution (particle-mesh, O(n + G^2 log G) per iteration), untangle the result;
5. isolated nodes go into a tidy block below the picture.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from typing import Sequence

import numpy as np

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
MAX_FORCE_GROUPS = 400  # above this, communities are packed on a spiral instead of by forces
REFINE_STEPS = 25


def fast_layout(n: int, edges: Sequence[tuple[int, int]], *, spacing: float = 40.0, seed: int = 0) -> list[tuple[float, float]]:
    """Positions (x, y) for nodes 0..n-1 joined by `edges` (index pairs; direction ignored)."""
    if n == 0:
        return []
    pairs = {(a, b) if a < b else (b, a) for a, b in edges if a != b}
    adjacency: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs:
        adjacency[a].append(b)
        adjacency[b].append(a)
    connected = [v for v in range(n) if adjacency[v]]
    isolated = [v for v in range(n) if not adjacency[v]]
    pos = np.zeros((n, 2))
    if connected:
        groups = _cells(adjacency, connected)
        centres = _place_groups(groups, pairs, seed)
        _fill_groups(adjacency, groups, centres, pos, spacing)
        _refine(np.array(connected, dtype=np.int64), np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2), pos, spacing, seed)
    if isolated:
        _grid_below(pos, connected, isolated, spacing)
    return [(float(x), float(y)) for x, y in pos]


def _cells(adjacency: list[list[int]], connected: list[int]) -> list[list[int]]:
    """Groups of nearby nodes: graph-distance cells around well connected seed nodes.

    Seeds are the best connected nodes, about sqrt(n)/2 of them, none next to another seed; a
    breadth-first search from all seeds at once gives every node to its nearest seed. Parts of the
    graph no seed reaches get seeds of their own. One pass over the edges (no community
    detection: this only has to put related nodes near each other)."""
    degree = [len(a) for a in adjacency]
    ranked = sorted(connected, key=lambda v: (-degree[v], v))
    wanted = max(1, round(math.sqrt(len(connected)) / 2))
    owner: dict[int, int] = {}
    seeds: list[int] = []
    blocked: set[int] = set()
    for v in ranked:
        if len(seeds) >= wanted:
            break
        if v not in blocked:
            seeds.append(v)
            blocked.add(v)
            blocked.update(adjacency[v])
    pending = iter(ranked)
    while True:
        queue: deque[int] = deque()
        for seed in seeds:
            if seed not in owner:
                owner[seed] = seed
                queue.append(seed)
        while queue:
            v = queue.popleft()
            cell = owner[v]
            for w in adjacency[v]:
                if w not in owner:
                    owner[w] = cell
                    queue.append(w)
        if len(owner) == len(connected):
            break
        # A component without a seed: its best connected node becomes one.
        seeds = [next(v for v in pending if v not in owner)]
    groups: dict[int, list[int]] = defaultdict(list)
    for v in connected:
        groups[owner[v]].append(v)
    return sorted(groups.values(), key=lambda c: (-len(c), c[0]))


def _place_groups(groups: list[list[int]], pairs: set[tuple[int, int]], seed: int) -> np.ndarray:
    """Centres of the community discs, in units of one node spacing."""
    k = len(groups)
    sizes = np.array([len(c) for c in groups], dtype=float)
    radius = np.sqrt(sizes)
    if k == 1:
        return np.zeros((1, 2))
    if k > MAX_FORCE_GROUPS:
        # Many small groups (a loosely connected graph): a sunflower of discs, biggest in the middle.
        out = np.zeros((k, 2))
        area = 0.0
        for i in range(k):
            r = 1.25 * math.sqrt(area)
            out[i] = (r * math.cos(i * GOLDEN_ANGLE), r * math.sin(i * GOLDEN_ANGLE))
            area += (2 * radius[i] + 1) ** 2
        return out
    owner = {v: i for i, members in enumerate(groups) for v in members}
    links: dict[tuple[int, int], int] = defaultdict(int)
    for u, v in pairs:
        a, b = owner[u], owner[v]
        if a != b:
            links[(min(a, b), max(a, b))] += 1
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(k, 2)) * math.sqrt(sizes.sum())
    ia = np.array([a for a, _ in links], dtype=np.int64)
    ib = np.array([b for _, b in links], dtype=np.int64)
    strength = np.log1p(np.array(list(links.values()), dtype=float))
    minsep = (radius[:, None] + radius[None, :]) * 1.2 + 1.0
    step = float(radius.max()) * 2
    for _ in range(150):
        delta = x[:, None, :] - x[None, :, :]
        dist = np.sqrt((delta**2).sum(-1)) + 1e-9
        # Discs push each other away only when they (nearly) overlap; links pull them together.
        push = np.where(dist < 1.5 * minsep, minsep**2 / dist, 0.0)
        np.fill_diagonal(push, 0.0)
        force = (delta / dist[..., None] * push[..., None]).sum(1)
        if len(ia):
            d = x[ib] - x[ia]
            length = np.sqrt((d**2).sum(1)) + 1e-9
            pull = d * (length * strength / (radius[ia] + radius[ib]))[:, None] * 0.5
            np.add.at(force, ia, pull)
            np.subtract.at(force, ib, pull)
        centre = (x * sizes[:, None]).sum(0) / sizes.sum()
        force -= (x - centre) * 0.2 * radius[:, None]
        magnitude = np.sqrt((force**2).sum(1)) + 1e-9
        x += force / magnitude[:, None] * np.minimum(magnitude, step)[:, None]
        step = max(step * 0.97, 0.01)
    return x


def _fill_groups(
    adjacency: list[list[int]], groups: list[list[int]], centres: np.ndarray, pos: np.ndarray, spacing: float
) -> None:
    """Each community on a sunflower spiral around its centre, in breadth-first order from its hub."""
    degree = [len(a) for a in adjacency]
    for members, centre in zip(groups, centres, strict=True):
        inside = set(members)
        start = max(members, key=lambda v: (degree[v], -v))
        order, seen, queue = [], {start}, deque([start])
        while queue:
            v = queue.popleft()
            order.append(v)
            fresh = [w for w in adjacency[v] if w in inside and w not in seen]
            fresh.sort(key=lambda w: (-degree[w], w))
            seen.update(fresh)
            queue.extend(fresh)
        order.extend(v for v in members if v not in seen)
        cx, cy = centre * spacing
        i = np.arange(len(order))
        r = 0.9 * spacing * np.sqrt(i)
        pos[order, 0] = cx + r * np.cos(i * GOLDEN_ANGLE)
        pos[order, 1] = cy + r * np.sin(i * GOLDEN_ANGLE)


class _GridRepulsion:
    """Fruchterman-Reingold repulsion (k^2/d) for all pairs at once, on a G x G grid via FFT."""

    def __init__(self, size: int) -> None:
        self.size = size
        axis = np.arange(-size, size, dtype=float)
        gx, gy = np.meshgrid(axis, axis, indexing="ij")
        r2 = gx**2 + gy**2 + 0.25
        self.kx = np.fft.rfft2(np.fft.ifftshift(gx / r2))
        self.ky = np.fft.rfft2(np.fft.ifftshift(gy / r2))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        size = self.size
        low = x.min(axis=0)
        span = float((x.max(axis=0) - low).max()) or 1.0
        h = span / (size - 1)
        cell = np.clip(((x - low) / h).astype(np.int64), 0, size - 1)
        flat = cell[:, 0] * size + cell[:, 1]
        padded = np.zeros((2 * size, 2 * size))
        padded[:size, :size] = np.bincount(flat, minlength=size * size).reshape(size, size)
        spectrum = np.fft.rfft2(padded)
        fx = np.fft.irfft2(spectrum * self.kx, s=padded.shape)[:size, :size].ravel()
        fy = np.fft.irfft2(spectrum * self.ky, s=padded.shape)[:size, :size].ravel()
        return np.stack([fx[flat], fy[flat]], axis=1) / h


def _refine(nodes: np.ndarray, pairs: np.ndarray, pos: np.ndarray, spacing: float, seed: int) -> None:
    """A few Fruchterman-Reingold steps for the connected nodes (pairs hold node numbers)."""
    n = len(nodes)
    if n < 3 or not len(pairs):
        return
    local = np.full(int(nodes.max()) + 1, -1, dtype=np.int64)
    local[nodes] = np.arange(n)
    a, b = local[pairs[:, 0]], local[pairs[:, 1]]
    x = pos[nodes].copy()
    x += np.random.default_rng(seed).normal(scale=spacing * 0.05, size=x.shape)
    # A power-of-two grid (fast FFTs) of about one cell per node, at most 128 x 128.
    repulsion = _GridRepulsion(int(min(128, max(32, 2 ** math.ceil(math.log2(math.sqrt(n) * 1.5))))))
    k = spacing
    step = spacing * 0.7
    for _ in range(REFINE_STEPS):
        force = repulsion(x) * (k * k)
        d = x[b] - x[a]
        length = np.sqrt((d**2).sum(1)) + 1e-9
        pull = d * (length / k)[:, None]
        force[:, 0] += np.bincount(a, weights=pull[:, 0], minlength=n) - np.bincount(b, weights=pull[:, 0], minlength=n)
        force[:, 1] += np.bincount(a, weights=pull[:, 1], minlength=n) - np.bincount(b, weights=pull[:, 1], minlength=n)
        force -= (x - x.mean(0)) * 0.02
        magnitude = np.sqrt((force**2).sum(1)) + 1e-9
        x += force / magnitude[:, None] * np.minimum(magnitude, step)[:, None]
        step *= 0.9
    pos[nodes] = x


def _grid_below(pos: np.ndarray, placed: list[int], isolated: list[int], spacing: float) -> None:
    if placed:
        low = pos[placed].min(axis=0)
        high = pos[placed].max(axis=0)
        width = max(float(high[0] - low[0]), spacing * 10)
        x0, y0 = float(low[0]), float(high[1]) + spacing * 3
    else:
        width = spacing * math.sqrt(len(isolated)) * 1.2
        x0, y0 = -width / 2, -width / 2
    per_row = max(1, int(width // spacing) + 1)
    for i, v in enumerate(isolated):
        pos[v] = (x0 + (i % per_row) * spacing, y0 + (i // per_row) * spacing)
