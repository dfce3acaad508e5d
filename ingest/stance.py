"""Stance across sources: which claims conflict with, corroborate or deny which.

``link_claims(new, known)`` compares each new claim with the known ones (and with the other
new ones) and returns ``(source claim id, link type, target claim id, reason)`` tuples, the
source being the newer claim.  Pure: the writer calls it with the claims already stored.

Two claims are about the same subject when the units and states they are about overlap
("North Korean troops", "state:north-korea"), or, for two troop counts of which one names no
unit or state at all ("10,000 troops would be sent"), when they come from the same article.

- ``CONFLICTS_WITH``: both give a troop number for the same subject, the numbers differ.
- ``CORROBORATES``: both give the same troop number (value or range) for the same subject.
- ``DENIES``: a DENIED claim and a non-denial about the same subject.

Only claims of different speakers are linked: one speaker's later figure is an update, not a
conflict, and an unresolved speaker ("he" left unresolved) could be the other one, so it is
never linked as a different source.
"""
from __future__ import annotations

from graph.model import Claim, ClaimLinkType, Quantity

Link = tuple[str, ClaimLinkType, str, str]

_SUBJECT_PREFIXES = ("unit:", "state:")
_PRONOUNS = {"he", "she", "it", "they", "i", "we", "you", "who", "which", "that", ""}


def link_claims(new: list[Claim], known: list[Claim]) -> list[Link]:
    """Links from each new claim to earlier claims (known ones, then new ones before it)."""
    links: list[Link] = []
    known_ids = {c.id for c in known}
    for index, claim in enumerate(new):
        if claim.id in known_ids:
            continue
        others = [c for c in known if c.id != claim.id] + new[:index]
        for other in others:
            link = _link(claim, other)
            if link is not None:
                links.append(link)
    return links


def _link(claim: Claim, other: Claim) -> Link | None:
    if claim.id == other.id or not _different_speakers(claim, other):
        return None
    if not _same_subject(claim, other):
        return None
    if claim.kind == "DENIED" and other.kind != "DENIED":
        return (claim.id, "DENIES", other.id, f"{_who(claim)} denies what {_who(other)} said")
    if other.kind == "DENIED" or claim.kind == "DENIED" or claim.cue.negated or other.cue.negated:
        return None
    mine, theirs = _troop_number(claim), _troop_number(other)
    if mine is None or theirs is None:
        return None
    if _number_key(mine) == _number_key(theirs):
        return (
            claim.id, "CORROBORATES", other.id,
            f"same troop number {_show(mine)} from {_who(claim)} and {_who(other)}",
        )
    return (
        claim.id, "CONFLICTS_WITH", other.id,
        f"troop numbers differ: {_show(mine)} ({_who(claim)}) vs {_show(theirs)} ({_who(other)})",
    )


def _speaker_key(claim: Claim) -> str | None:
    if claim.speaker.entity_id:
        return claim.speaker.entity_id
    name = claim.speaker.name.strip().lower()
    return None if name in _PRONOUNS else f"name:{name}"


def _different_speakers(a: Claim, b: Claim) -> bool:
    ka, kb = _speaker_key(a), _speaker_key(b)
    return ka is not None and kb is not None and ka != kb


def _subjects(claim: Claim) -> set[str]:
    ids = {i for i in claim.about if i.startswith(_SUBJECT_PREFIXES)}
    ids |= {q.unit_entity_id for q in claim.quantities if q.is_troop_count and q.unit_entity_id}
    # a unit id names its state: unit:north-korea:troops is about state:north-korea too
    ids |= {f"state:{i.split(':')[1]}" for i in ids if i.startswith("unit:") and i.count(":") == 2}
    return ids


def _same_subject(a: Claim, b: Claim) -> bool:
    sa, sb = _subjects(a), _subjects(b)
    if sa & sb:
        return True
    if (not sa or not sb) and a.article_id == b.article_id:
        return _troop_number(a) is not None and _troop_number(b) is not None
    return False


def _troop_number(claim: Claim) -> Quantity | None:
    return next((q for q in claim.quantities if q.is_troop_count), None)


def _number_key(q: Quantity) -> tuple:
    return (q.value, q.low, q.high)


def _show(q: Quantity) -> str:
    number = f"{q.value:,.0f}" if q.value is not None else f"{q.low or 0:,.0f}-{q.high or 0:,.0f}"
    return number if q.qualifier == "exact" else f"{q.qualifier} {number}"


def _who(claim: Claim) -> str:
    return claim.speaker.name or "an unnamed source"
