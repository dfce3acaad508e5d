"""link_claims on hand-made claims: one row per rule, and the cases that must not link."""
from __future__ import annotations

import datetime as dt

import pytest

from graph.model import Claim, Cue, Quantity, Span, SpeakerRef
from ingest.stance import WINDOW_DAYS, link_claims

NK_TROOPS = "unit:north-korea:troops"
NK_SPECIAL = "unit:north-korea:special-forces"
OCT_23 = dt.date(2024, 10, 23)


def claim(
    cid, speaker, kind="STATED", number=None, qualifier="exact", about=(NK_TROOPS,),
    article="a1", negated=False, low=None, high=None, unit=NK_TROOPS, published=OCT_23,
):
    quantities = []
    if number is not None or low is not None:
        quantities.append(
            Quantity(
                text="n", value=number, low=low, high=high, qualifier=qualifier,
                counted="troops", is_troop_count=True, unit_entity_id=unit, start=0, end=1,
            )
        )
    entity_id = speaker if ":" in speaker else None
    return Claim(
        id=cid, kind=kind,
        speaker=SpeakerRef(text=speaker, name=speaker, start=0, end=len(speaker), entity_id=entity_id),
        cue=Cue(text="said", lemma="say", start=0, end=4, negated=negated),
        content=Span(text="c", start=0, end=1), direct=False, quantities=quantities,
        about=list(about), sentence=0, confidence=0.8, article_id=article, published=published,
        extractor="t", extractor_version="0",
    )


def days(n):
    return OCT_23 + dt.timedelta(days=n)


KIRBY = claim("kirby", "person:john-kirby", number=3000, qualifier="at least")
ZELENSKY = claim("zelensky", "person:volodymyr-zelensky", number=10000, qualifier="up to")
NIS = claim("nis", "organization:nis", kind="ASSESSED", number=10000)
MOSCOW = claim("moscow", "state:russia", kind="DENIED", about=("state:north-korea", NK_TROOPS))

# new, known, expected (source, type, target) triples
CASES = [
    ("different numbers conflict", [ZELENSKY], [KIRBY], {("zelensky", "CONFLICTS_WITH", "kirby")}),
    ("same number corroborates", [NIS], [ZELENSKY], {("nis", "CORROBORATES", "zelensky")}),
    ("a denial denies the claims on its subject", [MOSCOW], [KIRBY, NIS],
     {("moscow", "DENIES", "kirby"), ("moscow", "DENIES", "nis")}),
    ("new claims link among themselves", [KIRBY, ZELENSKY], [],
     {("zelensky", "CONFLICTS_WITH", "kirby")}),
    ("same range corroborates",
     [claim("b", "person:b", low=1500, high=2000)], [claim("a", "person:a", low=1500, high=2000)],
     {("b", "CORROBORATES", "a")}),
    ("a count without unit matches one in the same article",
     [claim("b", "person:b", number=10000, about=(), unit=None)], [KIRBY],
     {("b", "CONFLICTS_WITH", "kirby")}),
    # no link
    ("same speaker: an update, not a conflict",
     [claim("k2", "person:john-kirby", number=12000)], [KIRBY], set()),
    ("unresolved pronoun speaker is never 'another source'",
     [claim("he", "he", number=10000)], [KIRBY], set()),
    ("different subjects", [claim("x", "person:x", number=500, about=("unit:russia:troops",),
                                  unit="unit:russia:troops")], [KIRBY], set()),
    ("a count without unit in another article",
     [claim("b", "person:b", number=10000, about=(), unit=None, article="a2")], [KIRBY], set()),
    ("no troop number, no conflict", [claim("c", "person:c", number=None)], [KIRBY], set()),
    ("a negated cue asserts no number", [claim("n", "person:n", number=5000, negated=True)],
     [KIRBY], set()),
    ("an already stored claim is not linked again", [KIRBY], [KIRBY, ZELENSKY], set()),
    # same subject: same unit, place and time
    ("another article within the time window",
     [claim("b", "person:b", number=10000, article="a2", published=days(WINDOW_DAYS))], [KIRBY],
     {("b", "CONFLICTS_WITH", "kirby")}),
    ("another article outside the time window",
     [claim("b", "person:b", number=10000, article="a2", published=days(WINDOW_DAYS + 1))], [KIRBY], set()),
    ("another article of unknown date",
     [claim("b", "person:b", number=10000, article="a2", published=None)], [KIRBY], set()),
    ("same unit, different places",
     [claim("b", "person:b", number=10000, about=(NK_TROOPS, "place:kursk-region"))],
     [claim("a", "person:a", number=3000, about=(NK_TROOPS, "place:donetsk"))], set()),
    ("same unit, one claim names no place",
     [claim("b", "person:b", number=10000, about=(NK_TROOPS, "place:kursk-region"))], [KIRBY],
     {("b", "CONFLICTS_WITH", "kirby")}),
    ("the unit's own state is not a place",
     [claim("b", "person:b", number=10000, about=(NK_TROOPS, "state:north-korea", "state:russia"))],
     [claim("a", "person:a", number=3000, about=(NK_TROOPS, "state:north-korea", "place:eastern-russia", "state:russia"))],
     {("b", "CONFLICTS_WITH", "a")}),
    ("special forces are not the same count as all troops",
     [claim("sf", "person:b", number=1500, unit=NK_SPECIAL, about=(NK_SPECIAL,))], [KIRBY], set()),
    ("a count without unit does not match a unit's count in another article",
     [claim("b", "person:b", number=10000, about=(), unit=None, article="a2", published=OCT_23)], [KIRBY], set()),
    # denials
    ("a denial naming no unit denies nothing",
     [claim("d", "person:d", kind="DENIED", about=("state:germany", "organization:eu"))],
     [claim("s", "person:s", about=("state:germany", "organization:eu"))], set()),
    ("denying a state's troops denies a count of its special forces",
     [MOSCOW], [claim("sf", "person:b", number=1500, unit=NK_SPECIAL, about=(NK_SPECIAL,))],
     {("moscow", "DENIES", "sf")}),
    ("a denial does not deny a later article's claim",
     [claim("late", "person:b", number=3000, article="a2", published=days(2))],
     [claim("moscow", "state:russia", kind="DENIED", about=(NK_TROOPS,))], set()),
    ("a denial in a later article denies the earlier claim",
     [claim("moscow", "state:russia", kind="DENIED", about=(NK_TROOPS,), article="a2", published=days(2))],
     [KIRBY], {("moscow", "DENIES", "kirby")}),
    ("a claim stored before its denial arrives is denied by it (link from the denial)",
     [KIRBY], [MOSCOW], {("moscow", "DENIES", "kirby")}),
    ("'did not deny' denies nothing",
     [claim("d", "state:russia", kind="DENIED", negated=True)], [KIRBY], set()),
    ("a negated claim is not what a denial denies",
     [MOSCOW], [claim("n", "person:n", kind="CONFIRMED", negated=True)], set()),
]


@pytest.mark.parametrize("name,new,known,expected", CASES, ids=[c[0] for c in CASES])
def test_link_claims(name, new, known, expected):
    links = link_claims(new, known)
    assert {(s, t, o) for s, t, o, _ in links} == expected
    assert all(reason for *_, reason in links)


def test_reason_names_numbers_and_speakers():
    ((_, _, _, reason),) = link_claims([ZELENSKY], [KIRBY])
    assert "up to 10,000" in reason and "at least 3,000" in reason
    assert "person:john-kirby" in reason
