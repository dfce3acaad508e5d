"""Stance across sources: which claims conflict with, corroborate or deny which.

``link_claims(new, known)`` compares each new claim with the known ones (and with the other
new ones) and returns ``(source claim id, link type, target claim id, reason)`` tuples, the
source being the newer claim.  Pure: the writer calls it with the claims already stored.

Two troop numbers are about the same subject only when all of these hold:

- **the same counted thing of the same actor**: the Unit their troop counts belong to is the
  same ("North Korean troops" and "North Korean special forces" are two units: 1,500 special
  forces do not contradict 3,000 soldiers); a count with no unit ("10,000 troops would be
  sent") matches only a count of the same article;
- **the same place**: the places and states the claims are about (other than the unit's own
  state) overlap, or one of the claims names none;
- **the same time**: published within :data:`WINDOW_DAYS` of each other, or in the same
  article.  A claim of unknown date is compared only within its article: troop numbers change
  over months, and two figures of unknown date may be years apart.

- ``CONFLICTS_WITH``: both give a troop number for the same subject, the numbers differ.
- ``CORROBORATES``: both give the same troop number (value or range) for the same subject.
- ``DENIES``: a DENIED claim about a unit (its content names the unit: "reports that North
  Korea sent troops") and a claim about the same unit (denying a state's troops denies each
  of its units) in the time window, not published after the denial.  Places are not compared:
  a denial rejects the whole story, wherever it says the troops went.

A negated cue ("did not confirm", "did not deny") asserts nothing: such claims are never
linked.  Only claims of different speakers are linked: one speaker's later figure is an
update, not a conflict, and an unresolved speaker ("he" left unresolved) could be the other
one, so it is never linked as a different source.
"""
from __future__ import annotations

from graph.model import Claim, ClaimLinkType, Quantity

Link = tuple[str, ClaimLinkType, str, str]

WINDOW_DAYS = 30
"""How far apart (publication dates) two claims may be and still be about the same moment."""

_PLACE_PREFIXES = ("place:", "state:")
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
    if claim.id == other.id or claim.cue.negated or other.cue.negated:
        return None
    if not _different_speakers(claim, other) or not _same_time(claim, other):
        return None
    if (claim.kind == "DENIED") != (other.kind == "DENIED"):
        denial, denied = (claim, other) if claim.kind == "DENIED" else (other, claim)
        if not _denies_units_of(denial, denied) or _later(denied, denial):
            return None
        return (denial.id, "DENIES", denied.id, f"{_who(denial)} denies what {_who(denied)} said")
    if claim.kind == "DENIED":
        return None
    mine, theirs = _troop_number(claim), _troop_number(other)
    if mine is None or theirs is None or not _same_troops(claim, other):
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


def _same_time(a: Claim, b: Claim) -> bool:
    if a.article_id == b.article_id:
        return True
    if a.published is None or b.published is None:
        return False
    return abs((a.published - b.published).days) <= WINDOW_DAYS


def _later(a: Claim, b: Claim) -> bool:
    """``a`` was published after ``b`` (in another article): a denial cannot deny it."""
    return a.article_id != b.article_id and a.published is not None and b.published is not None and a.published > b.published


def _denies_units_of(denial: Claim, other: Claim) -> bool:
    """The denial is about a unit the other claim is about; denying a state's troops
    (``unit:north-korea:troops``) denies each of its units ("special forces")."""
    denied, units = _units(denial, in_content=True), _units(other, in_content=True)
    if denied & units:
        return True
    generic = {u.split(":")[1] for u in denied if u.count(":") == 2 and u.endswith(":troops")}
    return any(u.count(":") == 2 and u.split(":")[1] in generic for u in units)


def _units(claim: Claim, *, in_content: bool = False) -> set[str]:
    """The units whose troops the claim counts (or, ``in_content``, also those it is about)."""
    units = {q.unit_entity_id for q in claim.quantities if q.is_troop_count and q.unit_entity_id}
    if in_content:
        units |= {i for i in claim.about if i.startswith("unit:")}
    return units


def _unit_states(units: set[str]) -> set[str]:
    """unit:north-korea:troops belongs to state:north-korea (the id convention of units)."""
    return {f"state:{u.split(':')[1]}" for u in units if u.count(":") == 2}


def _places(claim: Claim, units: set[str]) -> set[str]:
    return {i for i in claim.about if i.startswith(_PLACE_PREFIXES)} - _unit_states(units)


def _same_troops(a: Claim, b: Claim) -> bool:
    """Same unit (or, within one article, a count with no unit) and an overlapping place."""
    ua, ub = _units(a), _units(b)
    if ua and ub:
        if not ua & ub:
            return False
    elif a.article_id != b.article_id:
        return False
    pa, pb = _places(a, ua | ub), _places(b, ua | ub)
    return not pa or not pb or bool(pa & pb)


def _troop_number(claim: Claim) -> Quantity | None:
    return next((q for q in claim.quantities if q.is_troop_count), None)


def _number_key(q: Quantity) -> tuple:
    return (q.value, q.low, q.high)


def _show(q: Quantity) -> str:
    number = f"{q.value:,.0f}" if q.value is not None else f"{q.low or 0:,.0f}-{q.high or 0:,.0f}"
    return number if q.qualifier == "exact" else f"{q.qualifier} {number}"


def _who(claim: Claim) -> str:
    return claim.speaker.name or "an unnamed source"
