"""The few IRIs the network views reason with: pillars, spheres, and the relations that carry them.

Pillars come in two kinds that are never mixed silently: `sb:addressesPillar` (the source states
it) and `sb:derivedPillar` (the compiler of a facts file derived it). Spheres: `sb:sphere`.
"""

from __future__ import annotations

from graph.namespaces import ID, SB

CONCEPT = ID + "begrip/"

PILLARS: tuple[str, ...] = tuple(
    CONCEPT + slug
    for slug in ("sociaaleconomische-zekerheid", "sociale-inclusie", "sociale-cohesie", "sociale-empowerment")
)
SPHERES: tuple[str, ...] = tuple(
    CONCEPT + slug for slug in ("persoonlijke-sfeer", "gemeenschappelijke-sfeer", "institutionele-sfeer")
)

STATED_PILLAR = str(SB.addressesPillar)
DERIVED_PILLAR = str(SB.derivedPillar)
SPHERE = str(SB.sphere)
PART_OF = str(SB.partOf)
MINISTRY = str(SB.Ministry)

# The kinds counted in the pillar x sphere matrix and compared between programmes.
MATRIX_KINDS: tuple[str, ...] = ("programma", "initiatief", "publicatie")


def slug_of(iri: str) -> str:
    """The last path segment of an instance IRI ('sociale-cohesie')."""
    return str(iri).rsplit("/", 1)[-1]


def concept_iri(slug_or_iri: str) -> str:
    """A pillar or sphere given as slug ('sociale-cohesie') or IRI, as IRI."""
    text = str(slug_or_iri)
    return text if text.startswith("http") else CONCEPT + text
