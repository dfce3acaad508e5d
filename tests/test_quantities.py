"""Quantities: values, ranges, qualifiers, what is counted, troop counts (table-driven)."""
from __future__ import annotations

import datetime as dt

import pytest

from graph.model import Entity, Mention
from ingest.quantities import find_quantities

PUBLISHED = dt.date(2024, 10, 18)



# sentence -> [(text, value, low, high, qualifier, counted, is_troop_count)]
CASES = [
    ("Kirby said at least 3,000 North Korean soldiers had gone to eastern Russia.",
     [("at least 3,000", 3000, None, None, "at least", "North Korean soldiers", True)]),
    ("Zelensky said up to 10,000 troops were being prepared.",
     [("up to 10,000", 10000, None, None, "up to", "troops", True)]),
    ("As many as three thousand troops were sent.",
     [("As many as three thousand", 3000, None, None, "as many as", "troops", True)]),
    ("Officials said some 1,500 special forces had arrived.",
     [("some 1,500", 1500, None, None, "about", "special forces", True)]),
    ("They estimated between 1,500 and 2,000 marines were there.",
     [("between 1,500 and 2,000", None, 1500, 2000, "exact", "marines", True)]),
    ("Reports put the number at 1,500 to 2,000 soldiers.",
     [("1,500 to 2,000", None, 1500, 2000, "exact", "soldiers", True)]),
    ("A further 10,000-12,000 troops could follow.",
     [("10,000-12,000", None, 10000, 12000, "exact", "troops", True)]),
    ("Nearly 12,000 military personnel took part in total.",
     [("Nearly 12,000", 12000, None, None, "about", "military personnel", True)]),
    ("More than 500 medical personnel were flown in.",
     [("More than 500", 500, None, None, "more than", "medical personnel", False)]),
    ("The troops are training at three sites and two countries sent observers.",
     [("three", 3, None, None, "exact", "sites", False), ("two", 2, None, None, "exact", "countries", False)]),
    ("A 10,000-strong force crossed the border.",
     [("10,000", 10000, None, None, "exact", "force", True)]),
    ("The army sent a total of 300 officers.",
     [("a total of 300", 300, None, None, "total", "officers", True)]),
    ("Police said 300 officers were on duty.",
     [("300", 300, None, None, "exact", "officers", False)]),
    ("About 1.5 million people fled and 3,000 of its troops stayed.",
     [("About 1.5 million", 1_500_000, None, None, "about", "people", False),
      ("3,000", 3000, None, None, "exact", "troops", True)]),
    ("Between 1.5 and 2 million people voted.",
     [("Between 1.5 and 2 million", None, 1_500_000, 2_000_000, "exact", "people", False)]),
    ("Over 200 fighters and fewer than 50 civilians were hurt.",
     [("Over 200", 200, None, None, "more than", "fighters", False),
      ("fewer than 50", 50, None, None, "fewer than", "civilians", False)]),
    ("Prices rose 20% and wages 3 per cent.",
     [("20%", 20, None, None, "exact", "percent", False), ("3 per cent", 3, None, None, "exact", "percent", False)]),
    ("The deal is worth $1.5bn, or £1.2 billion.",
     [("$1.5bn", 1.5e9, None, None, "exact", "dollars", False), ("£1.2 billion", 1.2e9, None, None, "exact", "pounds", False)]),
    ("A dozen countries and two dozen envoys met; one hundred and fifty soldiers waited.",
     [("A dozen", 12, None, None, "exact", "countries", False), ("two dozen", 24, None, None, "exact", "envoys", False),
      ("one hundred and fifty", 150, None, None, "exact", "soldiers", True)]),
    ("Russia sent 2000 troops in 2000.",
     [("2000", 2000, None, None, "exact", "troops", True)]),
    ("They sailed aboard four Russian navy landing ships.",
     [("four", 4, None, None, "exact", "Russian navy landing ships", False)]),
    ("Troops of the 32 members of the alliance took part.",
     [("32", 32, None, None, "exact", "members", False)]),
    # members, countries, allies, sites: quantities, never troop numbers, even among troops
    ("NATO, which has 32 members, has 40,000 troops on its eastern flank.",
     [("32", 32, None, None, "exact", "members", False), ("40,000", 40000, None, None, "exact", "troops", True)]),
    ("Troops from 32 countries took part in the exercise.",
     [("32", 32, None, None, "exact", "countries", False)]),
    ("All 32 NATO allies agreed to deploy troops.",
     [("32", 32, None, None, "exact", "NATO allies", False)]),
    ("The troops trained at three military bases and two airfields.",
     [("three", 3, None, None, "exact", "military bases", False), ("two", 2, None, None, "exact", "airfields", False)]),
    # people already introduced: war words in the sentence do not make them troops
    ("They will fight the election amid open warfare between the two men.",
     [("two", 2, None, None, "exact", "men", False)]),
    ("The 300 military personnel left the war zone.",
     [("300", 300, None, None, "exact", "military personnel", True)]),
    ("The army offered a company of around 120 personnel and two helicopters.",
     [("around 120", 120, None, None, "about", "personnel", True), ("two", 2, None, None, "exact", "helicopters", False)]),
    ("The deployment, 5,000 or so soldiers, was announced.",
     [("5,000", 5000, None, None, "about", "soldiers", True)]),
]

# not quantities at all
NONE = [
    "In 2023 the war entered its second year.",
    "John Smith, 45, was aged 20 when he joined; a 20-year-old recruit followed.",
    "The 11th Corps and the 3rd Assault Brigade fought near Kursk.",
    "Pilots flew F-16 jets under Resolution 2231 on 8 October 2024 at 10am.",
    "Chelsea won 2-1 at the weekend.",
    "They served for three years and stayed two weeks.",
    "Thousands of troops and dozens of tanks moved; one of them stopped.",
]


def _rows(found):
    return [(q.text, q.value, q.low, q.high, q.qualifier, q.counted, q.is_troop_count) for q in found]


@pytest.mark.parametrize("sentence, expected", CASES)
def test_find_quantities(nlp, sentence, expected):
    doc = nlp(sentence)
    found = find_quantities(doc, PUBLISHED)
    assert _rows(found) == expected
    for quantity in found:
        assert doc.text[quantity.start:quantity.end] == quantity.text


@pytest.mark.parametrize("sentence", NONE)
def test_not_quantities(nlp, sentence):
    assert _rows(find_quantities(nlp(sentence), PUBLISHED)) == []


def test_target_time_by_december(nlp):
    doc = nlp("South Korea's spy agency estimates that 10,000 troops will be sent by December.")
    (quantity,) = find_quantities(doc, PUBLISHED)
    assert quantity.target_time is not None
    assert quantity.target_time.text == "by December"
    assert quantity.target_time.end == dt.date(2024, 12, 31)


def test_target_time_stays_with_its_own_quantity(nlp):
    doc = nlp("About 3,000 troops arrived in October, and 10,000 soldiers are expected by December.")
    first, second = find_quantities(doc, PUBLISHED)
    assert first.target_time is None
    assert second.target_time.text == "by December"


def test_target_time_comes_from_the_span_only(nlp):
    doc = nlp("South Korea's spy agency estimates that 10,000 troops will be sent by December.")
    content = doc[5:9]  # "that 10,000 troops will", not "by December"
    (quantity,) = find_quantities(content, PUBLISHED)
    assert quantity.target_time is None


def test_unit_entity_linked_when_its_mention_covers_the_counted_noun(nlp):
    text = "At least 3,000 North Korean troops are in Russia, and 1,500 special forces more."
    doc = nlp(text)
    troops_at = text.index("North Korean troops")
    special_at = text.index("special forces")
    units = [
        Entity(id="unit:north-korea:troops", name="North Korean troops", type="Unit",
               mentions=[Mention(text="North Korean troops", start=troops_at, end=troops_at + 19, sentence=0)]),
        Entity(id="unit:north-korea:special-forces", name="special forces", type="Unit",
               mentions=[Mention(text="special forces", start=special_at, end=special_at + 14, sentence=0)]),
        Entity(id="place:russia", name="Russia", type="Place",
               mentions=[Mention(text="Russia", start=text.index("Russia"), end=text.index("Russia") + 6, sentence=0)]),
    ]
    first, second = find_quantities(doc, PUBLISHED, units)
    assert (first.unit_entity_id, second.unit_entity_id) == ("unit:north-korea:troops", "unit:north-korea:special-forces")
    assert find_quantities(doc, PUBLISHED)[0].unit_entity_id is None


def test_a_unit_named_in_the_phrase_is_not_what_other_things_count(nlp):
    text = "They sailed aboard four Russian navy landing ships."
    at = text.index("Russian navy")
    navy = Entity(id="unit:russia:navy", name="Russian navy", type="Unit",
                  mentions=[Mention(text="Russian navy", start=at, end=at + 12, sentence=0)])
    (ships,) = find_quantities(nlp(text), PUBLISHED, [navy])
    assert (ships.counted, ships.unit_entity_id) == ("Russian navy landing ships", None)


def test_span_offsets_are_doc_offsets(nlp):
    doc = nlp("Nothing here. Up to 10,000 troops may go.")
    second = list(doc.sents)[1]
    (quantity,) = find_quantities(second, PUBLISHED)
    assert doc.text[quantity.start:quantity.end] == "Up to 10,000"
