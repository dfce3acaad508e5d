"""Time expressions normalised against the publication date (table-driven)."""
from __future__ import annotations

import datetime as dt

import pytest

from ingest.timex import find_times, normalise_time

D = dt.date
PUBLISHED = D(2024, 10, 18)  # a Friday

NORMALISED = [
    ("earlier this month", D(2024, 10, 1), D(2024, 10, 18)),
    ("last week", D(2024, 10, 7), D(2024, 10, 13)),
    ("this week", D(2024, 10, 14), D(2024, 10, 20)),
    ("yesterday", D(2024, 10, 17), D(2024, 10, 17)),
    ("last night", D(2024, 10, 17), D(2024, 10, 17)),
    ("today", PUBLISHED, PUBLISHED),
    ("on Tuesday", D(2024, 10, 15), D(2024, 10, 15)),
    ("on Friday", PUBLISHED, PUBLISHED),
    ("last Friday", D(2024, 10, 11), D(2024, 10, 11)),
    ("next Tuesday", D(2024, 10, 22), D(2024, 10, 22)),
    ("Tuesday night", D(2024, 10, 15), D(2024, 10, 15)),
    ("the first half of October", D(2024, 10, 1), D(2024, 10, 15)),
    ("the second half of September", D(2024, 9, 16), D(2024, 9, 30)),
    ("mid-October", D(2024, 10, 11), D(2024, 10, 20)),
    ("late September", D(2024, 9, 21), D(2024, 9, 30)),
    ("early February", D(2024, 2, 1), D(2024, 2, 10)),
    ("the end of February 2024", D(2024, 2, 21), D(2024, 2, 29)),
    ("in October", D(2024, 10, 1), D(2024, 10, 31)),
    ("in November", D(2023, 11, 1), D(2023, 11, 30)),  # most recent November not after publication
    ("by December", PUBLISHED, D(2024, 12, 31)),  # a target: ahead
    ("until December", None, D(2024, 12, 31)),
    ("since August", D(2024, 8, 1), PUBLISHED),
    ("before October 8", None, D(2024, 10, 7)),
    ("after the summer of 2023", D(2023, 9, 1), None),
    ("in 2023", D(2023, 1, 1), D(2023, 12, 31)),
    ("October 8", D(2024, 10, 8), D(2024, 10, 8)),
    ("Oct. 8", D(2024, 10, 8), D(2024, 10, 8)),
    ("8 October 2024", D(2024, 10, 8), D(2024, 10, 8)),
    ("the 8th of October", D(2024, 10, 8), D(2024, 10, 8)),
    ("October 8, 2023", D(2023, 10, 8), D(2023, 10, 8)),
    ("October 8-10", D(2024, 10, 8), D(2024, 10, 10)),
    ("October 2022", D(2022, 10, 1), D(2022, 10, 31)),
    ("2024-10-08", D(2024, 10, 8), D(2024, 10, 8)),
    ("next month", D(2024, 11, 1), D(2024, 11, 30)),
    ("last month", D(2024, 9, 1), D(2024, 9, 30)),
    ("last year", D(2023, 1, 1), D(2023, 12, 31)),
    ("early next year", D(2025, 1, 1), D(2025, 4, 30)),
    ("the end of the year", D(2024, 10, 1), D(2024, 12, 31)),
    ("later this year", PUBLISHED, D(2024, 12, 31)),
    ("in recent days", D(2024, 10, 11), PUBLISHED),
    ("in recent weeks", D(2024, 9, 20), PUBLISHED),
    ("the past week", D(2024, 10, 11), PUBLISHED),
    ("the past two weeks", D(2024, 10, 4), PUBLISHED),
    ("in the coming weeks", PUBLISHED, D(2024, 11, 15)),
    ("two weeks ago", D(2024, 9, 30), D(2024, 10, 6)),
    ("from August to October", D(2024, 8, 1), D(2024, 10, 31)),
    ("the third quarter of 2024", D(2024, 7, 1), D(2024, 9, 30)),
    ("this summer", D(2024, 6, 1), D(2024, 8, 31)),
    ("last winter", D(2023, 12, 1), D(2024, 2, 29)),
    ("the 1990s", D(1990, 1, 1), D(1999, 12, 31)),
    ("last weekend", D(2024, 10, 12), D(2024, 10, 13)),
]


@pytest.mark.parametrize("phrase, start, end", NORMALISED)
def test_normalise_time(phrase, start, end):
    expression = normalise_time(phrase, PUBLISHED)
    assert expression is not None, phrase
    assert (expression.text, expression.start, expression.end) == (phrase, start, end)


@pytest.mark.parametrize("phrase", [
    "aged 20", "20 years", "the week", "may", "31 February", "troops", "",
    "the last week of 2004", "the third quarter of October",  # parts that do not fit the period
])
def test_not_time_expressions(phrase):
    assert normalise_time(phrase, PUBLISHED) is None


def test_year_rolls_over_at_new_year():
    january = D(2025, 1, 10)
    assert normalise_time("in December", january).start == D(2024, 12, 1)
    assert normalise_time("by December", january).end == D(2025, 12, 31)
    assert normalise_time("in December", january, future=True).start == D(2025, 12, 1)


def test_relative_phrases_need_a_publication_date():
    relative = normalise_time("last week", None)
    assert relative is not None and (relative.start, relative.end) == (None, None)
    absolute = normalise_time("8 October 2024", None)
    assert (absolute.start, absolute.end) == (D(2024, 10, 8), D(2024, 10, 8))
    assert normalise_time("in October", None).start is None


def test_narrated_offsets_are_not_anchored_to_publication():
    expression = normalise_time("three days earlier", PUBLISHED)
    assert expression is not None and expression.start is None



FOUND = [
    (
        "North Korea moved troops by sea from Wonsan to Vladivostok in the first half of October.",
        [("in the first half of October", D(2024, 10, 1), D(2024, 10, 15))],
    ),
    (
        "Kirby said on Tuesday that 3,000 arrived earlier this month and 10,000 will follow by December.",
        [
            ("on Tuesday", D(2024, 10, 15), D(2024, 10, 15)),
            ("earlier this month", D(2024, 10, 1), PUBLISHED),
            ("by December", PUBLISHED, D(2024, 12, 31)),
        ],
    ),
    # the clause points ahead: the coming Tuesday, the coming November
    ("The leaders will meet on Tuesday.", [("on Tuesday", D(2024, 10, 22), D(2024, 10, 22))]),
    ("The summit will take place in November.", [("in November", D(2024, 11, 1), D(2024, 11, 30))]),
    # a modal "may" and the verb "march" are not months; "2000 troops" is not a year
    ("They may march on the capital, and since August 2000 troops have gone.", [("since August", D(2024, 8, 1), PUBLISHED)]),
    ("In 2023 and in recent weeks they met at the weekend.", [
        ("In 2023", D(2023, 1, 1), D(2023, 12, 31)),
        ("in recent weeks", D(2024, 9, 20), PUBLISHED),
        ("the weekend", D(2024, 10, 19), D(2024, 10, 20)),
    ]),
    ("He was aged 20 and served for three years.", []),
]


@pytest.mark.parametrize("sentence, expected", FOUND)
def test_find_times(nlp, sentence, expected):
    doc = nlp(sentence)
    found = find_times(doc, PUBLISHED)
    assert [(t.text, t.start, t.end) for t in found] == expected
    for expression in found:
        assert doc.text[expression.char_start:expression.char_end] == expression.text


def test_find_times_in_a_span_keeps_doc_offsets(nlp):
    doc = nlp("Talks failed. Troops left Wonsan in mid-October.")
    second = list(doc.sents)[1]
    (found,) = find_times(second, PUBLISHED)
    assert doc.text[found.char_start:found.char_end] == "in mid-October"
