"""The criteria check is safe under threads: 16 threads give exactly the serial answers (issue 14)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from graph.submissions import criteria

TEXTS = [
    {"title": f"Buurtkamer {i} voor ontmoeting", "summary": "Bewoners organiseren activiteiten tegen eenzaamheid; "
     "vrijwilligers betrokken bij de wijk, mantelzorgers ondersteund, kinderen spelen samen " * (1 + i % 3)}
    for i in range(40)
]
WORDS = ("activiteiten", "betrokkenheid", "ontmoetingen", "vrijwilligers", "eenzaamheid", "buurthuizen", "gemeenten")


SYLLABLES = ("ver", "be", "ont", "moet", "ing", "heid", "lijk", "en", "te", "wijk", "buurt", "zorg", "ge", "aan", "pak")


def test_stems_from_many_threads_equal_serial_stems():
    criteria.stem.cache_clear()
    # Many distinct words, so that nearly every call really stems (the cache hides nothing).
    words = [a + b + c + w for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES for w in WORDS]
    with ThreadPoolExecutor(16) as pool:
        parallel = list(pool.map(criteria.stem, words))
    criteria.stem.cache_clear()
    serial = [criteria.stem(w) for w in words]
    assert parallel == serial


def test_assess_from_16_threads_equals_serial():
    criteria.stem.cache_clear()
    with ThreadPoolExecutor(16) as pool:
        parallel = list(pool.map(criteria.assess, TEXTS * 4))
    serial = [criteria.assess(t) for t in TEXTS * 4]
    assert parallel == serial
