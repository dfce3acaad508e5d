"""Time expressions: find them in text and normalise them against the publication date.

``normalise_time`` turns one phrase ("the first half of October", "last week", "by December")
into a :class:`~graph.model.TimeExpression` whose ``start``/``end`` are the first and last day
of the interval the phrase denotes. ``find_times`` finds such phrases in a ``Doc`` or ``Span``
(our own patterns, plus spaCy's DATE entities as extra candidates) with character offsets.

Conventions (news usage; the table-driven tests pin each one):

- Weeks run Monday to Sunday. "this week" is the publication week, "last week" the one before.
- A month or weekday without a year is the most recent one not after publication ("in
  October", "on Tuesday"), unless the phrase or its clause points ahead ("by December",
  "next Tuesday", a verb with "will"): then the first one not ending before publication.
- Parts of a month: early 1-10, mid 11-20, late 21-end, first half 1-15, second half 16-end,
  beginning/start 1-10, end 21-end. Parts of a year: early Jan-Apr, mid May-Aug, late/end
  Sep-Dec, first half Jan-Jun, second half Jul-Dec, quarters, seasons (northern hemisphere).
- "earlier this month" runs from the period's first day to publication; "later this year"
  from publication to the period's last day.
- Vague recency: "in recent days" is the 7 days up to publication, "recent weeks" 28 days,
  "recent months" 6 months, "recent years" 5 years; "the coming days/weeks/..." likewise ahead.
- Modifiers keep their meaning: "since X" runs from X's start to publication; "by X" from
  publication (when known and earlier) to X's end; "until X" ends at X's end; "before X" ends
  the day before X; "after X" starts the day after X. Open ends are ``None``.
- Without a publication date only phrases that carry their own year get dates; relative
  phrases are still recognised and kept with ``start``/``end`` = ``None``.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from graph.model import TimeExpression

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a few": 3,
    "few": 3, "several": 3, "a couple of": 2, "couple of": 2,
}
# Span of "recent <unit>" / "the coming <unit>" in days.
VAGUE_SPAN_DAYS = {"day": 7, "week": 28, "month": 182, "year": 5 * 365}
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
MONTH_PARTS = {
    "early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20),
    "middle": (11, 20), "late": (21, 31), "end": (21, 31), "first half": (1, 15),
    "second half": (16, 31), "first week": (1, 7), "second week": (8, 14),
    "third week": (15, 21), "fourth week": (22, 28), "last week": (-7, 31),
}
YEAR_PARTS = {
    "early": (1, 4), "beginning": (1, 3), "start": (1, 3), "mid": (5, 8), "middle": (5, 8),
    "late": (9, 12), "end": (10, 12), "first half": (1, 6), "second half": (7, 12),
    "first quarter": (1, 3), "second quarter": (4, 6), "third quarter": (7, 9),
    "fourth quarter": (10, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12),
}

# --- pattern pieces (named groups; the finder strips the names) -------------------------
_MONTH = (
    r"(?P<month>(?-i:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|"
    r"Oct\.?|Nov\.?|Dec\.?))"
)
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = r"(?P<weekday>(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
_PART = (
    r"(?P<part>early|beginning|start|mid|middle|late|end|first half|second half|first week|"
    r"second week|third week|fourth week|last week|first quarter|second quarter|"
    r"third quarter|fourth quarter)"
)
_REL = r"(?P<rel>this|last|next|the past|the previous|the coming|the current|the following|the)"
_UNIT = r"(?P<unit>day|week|month|year)s?"
_COUNT = (
    r"(?P<count>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|a few|few|several|a couple of)"
)
_TIME_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"

Handler = Callable[[dict[str, Any], dt.date | None, bool], tuple[dt.date | None, dt.date | None]]
_RULES: list[tuple[str, str, Handler]] = []


def _rule(pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _RULES.append((handler.__name__, pattern, handler))
        return handler

    return register


# --- calendar helpers -------------------------------------------------------------------
def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def _period(unit: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar week/month/year holding ``day``."""
    if unit == "week":
        return _week_of(day)
    if unit == "month":
        return day.replace(day=1), _month_end(day.year, day.month)
    if unit == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def _shift(unit: str, day: dt.date, steps: int) -> dt.date:
    if unit == "week":
        return day + dt.timedelta(weeks=steps)
    if unit == "month":
        return _add_months(day, steps)
    if unit == "year":
        return _add_months(day, 12 * steps)
    return day + dt.timedelta(days=steps)


def _month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _infer_year(month: int, day: int | None, published: dt.date, future: bool) -> int:
    """Most recent occurrence not after publication, or (future) first not ending before it."""
    year = published.year
    if future:
        last = dt.date(year, month, day) if day else _month_end(year, month)
        return year + 1 if last < published else year
    first = dt.date(year, month, day or 1)
    return year - 1 if first > published else year


def _count(text: str) -> int:
    return int(text) if text.isdigit() else SMALL_NUMBERS[text]


def _month_part(part: str, year: int, month: int) -> tuple[dt.date, dt.date]:
    if part not in MONTH_PARTS:
        raise ValueError(f"{part!r} is not a part of a month")
    first, last = MONTH_PARTS[part]
    end_day = calendar.monthrange(year, month)[1]
    start = end_day + first + 1 if first < 0 else first
    return dt.date(year, month, start), dt.date(year, month, min(last, end_day))


def _year_part(part: str, year: int) -> tuple[dt.date, dt.date]:
    if part not in YEAR_PARTS:
        raise ValueError(f"{part!r} is not a part of a year")
    first, last = YEAR_PARTS[part]
    return dt.date(year, first, 1), _month_end(year, last)


def _part_of(part: str | None, start: dt.date, end: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    if part is None:
        return start, end
    if unit == "month":
        return _month_part(part, start.year, start.month)
    if unit == "year":
        return _year_part(part, start.year)
    # A week: its start is Monday-Tuesday, middle Wednesday-Thursday, end Friday-Sunday.
    offsets = {"early": (0, 1), "beginning": (0, 1), "start": (0, 1), "mid": (2, 3),
               "middle": (2, 3), "late": (4, 6), "end": (4, 6)}
    if part not in offsets:
        raise ValueError(part)
    first, last = offsets[part]
    return start + dt.timedelta(days=first), start + dt.timedelta(days=last)


# --- rules (first full match wins; order matters) -----------------------------------------
@_rule(r"(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)")
def iso_date(g, published, future):
    day = dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
    return day, day


@_rule(rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:\s*(?:-|–|to)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?(?:,?\s+{_YEAR})?")
def month_day(g, published, future):
    return _day_in_month(g, published, future)


@_rule(rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_DAY}(?:\s*(?:-|–|to)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?(?:\s+of)?\s+{_MONTH}(?:,?\s+{_YEAR})?")
def day_month(g, published, future):
    return _day_in_month(g, published, future)


def _day_in_month(g, published, future):
    month = _month_number(g["month"])
    day = int(g["day"])
    if g["year"]:
        year = int(g["year"])
    elif published is None:
        return None, None
    else:
        year = _infer_year(month, min(day, 28) if month == 2 else day, published, future)
    start = dt.date(year, month, day)
    end = dt.date(year, month, int(g["day2"])) if g.get("day2") else start
    if end < start:
        raise ValueError("day range runs backwards")
    return start, end


@_rule(rf"(?:the\s+)?{_PART}(?:-|\s+of\s+|\s+){_MONTH}(?:,?\s+{_YEAR})?")
def part_of_month(g, published, future):
    start, end = _named_month(g, published, future)
    if start is None:
        return None, None
    return _month_part(g["part"], start.year, start.month)


@_rule(rf"{_MONTH}(?:\s+{_YEAR})?")
def month(g, published, future):
    return _named_month(g, published, future)


def _named_month(g, published, future):
    month = _month_number(g["month"])
    if g["year"]:
        year = int(g["year"])
    elif published is None:
        return None, None
    else:
        year = _infer_year(month, None, published, future)
    return dt.date(year, month, 1), _month_end(year, month)


@_rule(rf"(?P<from_month>{_MONTH.replace('?P<month>', '?:')})\s*(?:-|–|to|through)\s*{_MONTH}(?:,?\s+{_YEAR})?")
def month_range(g, published, future):
    first = _month_number(g["from_month"])
    last_start, last_end = _named_month(g, published, future)
    if last_start is None:
        return None, None
    year = last_start.year if first <= last_start.month else last_start.year - 1
    return dt.date(year, first, 1), last_end


@_rule(rf"(?:the\s+)?(?:{_PART}(?:-|\s+of\s+|\s+)|(?P<quarter>q[1-4])\s+){_YEAR}")
def part_of_year(g, published, future):
    return _year_part(g["part"] or g["quarter"], int(g["year"]))


@_rule(rf"(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?\s+{_YEAR}")
def season_of_year(g, published, future):
    return _season(g["season"], int(g["year"]))


@_rule(r"(?P<rel>this|last|next|this past|this coming)\s+(?P<season>spring|summer|autumn|fall|winter)")
def relative_season(g, published, future):
    if published is None:
        return None, None
    first, last = SEASONS[g["season"]]
    year = published.year
    start, end = _season(g["season"], year)
    if first > last and published.month <= last:  # January-February belong to last winter
        start, end = _season(g["season"], year - 1)
    rel = g["rel"]
    if rel in ("last", "this past"):
        while end >= published:
            start, end = _season(g["season"], start.year - 1)
    elif rel in ("next", "this coming"):
        while start <= published:
            start, end = _season(g["season"], start.year + 1)
    return start, end


def _season(name: str, year: int) -> tuple[dt.date, dt.date]:
    first, last = SEASONS[name]
    end_year = year + 1 if last < first else year
    return dt.date(year, first, 1), _month_end(end_year, last)


@_rule(r"(?:the\s+)?(?P<decade>(?:19|20)\d0)s")
def decade(g, published, future):
    year = int(g["decade"])
    return dt.date(year, 1, 1), dt.date(year + 9, 12, 31)


@_rule(_YEAR)
def year(g, published, future):
    value = int(g["year"])
    return dt.date(value, 1, 1), dt.date(value, 12, 31)


@_rule(r"today|tonight|this\s+(?:morning|afternoon|evening)")
def today(g, published, future):
    return published, published


@_rule(r"(?P<which>yesterday|tomorrow)" + _TIME_OF_DAY + r"|(?P<night>last night)|(?P<before>the day before yesterday)")
def adjacent_day(g, published, future):
    if published is None:
        return None, None
    offset = {"yesterday": -1, "tomorrow": 1}.get(g["which"] or "", -1)
    if g["before"]:
        offset = -2
    day = published + dt.timedelta(days=offset)
    return day, day


@_rule(rf"(?:(?P<rel>last|next|this|this past|this coming)\s+)?{_WEEKDAY}{_TIME_OF_DAY}")
def weekday(g, published, future):
    if published is None:
        return None, None
    target = WEEKDAYS[g["weekday"].lower()]
    rel = g["rel"]
    ahead = (target - published.weekday()) % 7
    if rel in ("next", "this coming") or (rel is None and future):
        day = published + dt.timedelta(days=ahead or (7 if rel else 0))
    elif rel == "this":
        day = _week_of(published)[0] + dt.timedelta(days=target)
    else:  # past: the most recent such day, strictly before publication for "last"
        back = (published.weekday() - target) % 7
        if rel in ("last", "this past") and back == 0:
            back = 7
        day = published - dt.timedelta(days=back)
    return day, day


@_rule(r"(?:the\s+)?(?P<rel>this|last|next|the past|the previous|the coming|the current|the following|the)?\s*weekend")
def weekend(g, published, future):
    if published is None:
        return None, None
    monday = _week_of(published)[0]
    saturday = monday + dt.timedelta(days=5)
    rel = (g["rel"] or "the").replace("the ", "")
    if rel in ("last", "past", "previous") or (rel in ("the", "this") and not future and published.weekday() <= 1):
        saturday -= dt.timedelta(days=7)
    elif rel in ("next", "coming", "following"):
        saturday += dt.timedelta(days=7)
    return saturday, saturday + dt.timedelta(days=1)


@_rule(rf"(?:the\s+)?(?:{_PART}(?:-|\s+of\s+|\s+))?{_REL}\s+(?P<unit>week|month|year)")
def relative_period(g, published, future):
    if published is None:
        return None, None
    unit, rel = g["unit"], g["rel"]
    if rel in ("the past", "the previous") and g["part"] is None:
        # "the past week": the stretch up to publication, not the calendar period
        return published - dt.timedelta(days=UNIT_DAYS[unit]), published
    if rel == "the coming" and g["part"] is None:
        return published, published + dt.timedelta(days=UNIT_DAYS[unit])
    if rel == "the" and g["part"] is None:
        raise ValueError("'the week' alone names no particular week")
    steps = {"this": 0, "the current": 0, "the": 0, "last": -1, "the previous": -1,
             "the past": -1, "next": 1, "the coming": 1, "the following": 1}[rel]
    start, end = _period(unit, _shift(unit, published, steps))
    return _part_of(g["part"], start, end, unit)


@_rule(r"(?P<side>earlier|later)(?:\s+(?:in|on))?\s+(?:(?P<rel>this|last|next|the)\s+)?(?P<unit>week|month|year)")
def earlier_later(g, published, future):
    if published is None:
        return None, None
    unit, rel = g["unit"], g["rel"] or "this"
    steps = {"this": 0, "the": 0, "last": -1, "next": 1}[rel]
    start, end = _period(unit, _shift(unit, published, steps))
    if steps == 0:
        return (start, published) if g["side"] == "earlier" else (published, end)
    middle = start + (end - start) / 2
    return (start, middle) if g["side"] == "earlier" else (middle, end)


@_rule(rf"(?:(?:in\s+)?recent|the\s+(?:past|last)\s+few)\s+{_UNIT}")
def recent(g, published, future):
    if published is None:
        return None, None
    return published - dt.timedelta(days=VAGUE_SPAN_DAYS[g["unit"]]), published


@_rule(rf"(?:in\s+)?the\s+(?:coming|next\s+few)\s+{_UNIT}")
def coming(g, published, future):
    if published is None:
        return None, None
    return published, published + dt.timedelta(days=VAGUE_SPAN_DAYS[g["unit"]])


@_rule(rf"(?:the\s+)?(?P<rel>past|last|previous|next|coming)\s+{_COUNT}\s+{_UNIT}")
def counted_stretch(g, published, future):
    if published is None:
        return None, None
    days = _count(g["count"]) * UNIT_DAYS[g["unit"]]
    if g["rel"] in ("next", "coming"):
        return published, published + dt.timedelta(days=days)
    return published - dt.timedelta(days=days), published


@_rule(rf"{_COUNT}\s+{_UNIT}\s+(?P<dir>ago|earlier|before|later)")
def ago(g, published, future):
    if published is None or g["dir"] in ("earlier", "before", "later"):
        # "three days earlier" is relative to a narrated event, not to publication
        return None, None
    unit = g["unit"]
    day = _shift(unit, published, -_count(g["count"]))
    return _period(unit, day) if unit != "day" else (day, day)


# A leading modifier that changes the interval ("by", "since", ...) is kept; a preposition that
# only locates in time ("in", "on", "during", ...) is dropped.
_MODIFIER_RE = re.compile(
    r"^(?:(?P<mod>by|since|until|till|before|after|as of|from|between)|"
    r"(?:in|on|during|throughout|over|within|at|of|for))\s+(?=\S)",
    re.IGNORECASE,
)
_RANGE_RE = re.compile(r"^(?P<first>.+?)\s+(?:to|until|till|through|and|-|–)\s+(?P<second>.+)$", re.IGNORECASE)
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE), handler) for name, pattern, handler in _RULES]
_FUTURE_WORDS = re.compile(r"\b(?:next|coming|later|tomorrow|following)\b", re.IGNORECASE)


def _interval(phrase: str, published: dt.date | None, future: bool) -> tuple[bool, dt.date | None, dt.date | None]:
    """(recognised, start, end) for a phrase without leading modifier."""
    for _name, pattern, handler in _COMPILED:
        match = pattern.fullmatch(phrase)
        if match:
            try:
                groups = {key: value.lower() if value else value for key, value in match.groupdict().items()}
                start, end = handler(groups, published, future)
            except ValueError:  # impossible date such as "31 February"
                return False, None, None
            return True, start, end
    return False, None, None


def normalise_time(text: str, published: dt.date | None, *, future: bool | None = None) -> TimeExpression | None:
    """Normalise one time phrase; ``None`` when it is not a time expression we understand.

    ``future`` says whether the clause points ahead (a verb with "will", ...): it decides the
    year of "in December" and the week of "on Tuesday". By default only the phrase decides
    ("by", "next", "coming" point ahead).
    """
    phrase = " ".join(text.split()).strip(" ,.;:")
    modifier = None
    match = _MODIFIER_RE.match(phrase)
    if match:
        modifier = (match["mod"] or "").lower() or None
        phrase = phrase[match.end():]
    if future is None:
        future = modifier in ("by", "until", "till") or bool(_FUTURE_WORDS.search(phrase))
    if modifier in ("from", "between"):
        parts = _RANGE_RE.match(phrase)
        if not parts:
            return None
        ok_first, first_start, _ = _interval(parts["first"], published, future)
        ok_second, _, second_end = _interval(parts["second"], published, future)
        if not (ok_first and ok_second):
            return None
        return TimeExpression(text=text.strip(), start=first_start, end=second_end)
    recognised, start, end = _interval(phrase, published, future)
    if not recognised:
        return None
    start, end = _apply_modifier(modifier, start, end, published)
    return TimeExpression(text=text.strip(), start=start, end=end)


def _apply_modifier(modifier, start, end, published):
    if start is None and end is None:
        return None, None
    if modifier == "since":
        return start, published if published and published >= start else None
    if modifier == "by":
        return (published if published and published <= end else None), end
    if modifier in ("until", "till"):
        return None, end
    if modifier == "before":
        return None, start - dt.timedelta(days=1)
    if modifier == "after":
        return end + dt.timedelta(days=1), None
    return start, end


# --- finding ---------------------------------------------------------------------------
def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_FINDER = re.compile(
    r"(?<![\w-])(?:(?:from|between)\s+(?:"
    + "|".join(_unnamed(p) for _, p, _ in _RULES)
    + r")\s+(?:to|until|till|through|and)\s+)?"
    + r"(?:(?:by|since|until|till|before|after|as of|in|on|during|throughout|over|within)\s+)?(?:"
    + "|".join(_unnamed(p) for _, p, _ in _RULES)
    + r")(?![\w-])",
    re.IGNORECASE,
)
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_FUTURE_HEADS = {"plan", "expect", "schedule", "due", "set", "intend", "aim", "prepare", "hope", "going"}
_EDGE_CHARS = frozenset(" \t\n\r,;:")
_BARE_YEAR = re.compile(r"(?:19|20)\d\d")
_TRAILING_YEAR = re.compile(r",?\s+(?:19|20)\d\d(?!\w)")


def _points_ahead(doc: Any, start: int, end: int) -> bool:
    """Whether the clause governing the phrase at [start, end) is about the future."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            break
        token = token.head
    for candidate in (token, token.head):
        if any(child.dep_ in ("aux", "auxpass") and child.lower_ in _FUTURE_AUX for child in candidate.children):
            return True
        if candidate.i != token.i and candidate.lemma_ in _FUTURE_HEADS and token.dep_ == "xcomp":
            return True
    return False


def _counted_year(ent: Any) -> bool:
    """A 'year' that is really a count: "2000 troops"."""
    following = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return bool(_BARE_YEAR.fullmatch(ent.text)) and following is not None and following.pos_ == "NOUN"


def _without_counted_year(doc: Any, text: str, base: int, start: int, end: int) -> int:
    """Cut a trailing year that is really a count ("in August 2000 troops") off a candidate.
    ``text`` starts at character ``base`` of the doc."""
    tail = _TRAILING_YEAR.search(text, start - base, end - base)
    if tail is None or tail.end() != end - base:
        return end
    if text[end - base:end - base + 1] != " ":
        return end
    following = doc.char_span(end + 1, end + 2, alignment_mode="expand")
    if following is not None and len(following) and following[0].pos_ == "NOUN":
        return tail.start() + base
    return end


def find_times(doc_or_span: Any, published: dt.date | None) -> list[TimeExpression]:
    """Time expressions in a ``Doc`` or ``Span``, with character offsets into the doc's text.

    Candidates are our patterns and spaCy's DATE entities; overlapping candidates keep the
    longest that normalises. A bare year counts only after a time preposition or inside a DATE
    entity ("in 2023", not "2000 troops").
    """
    doc = doc_or_span.doc if hasattr(doc_or_span, "doc") else doc_or_span
    text = doc_or_span.text  # joins every token: read it once
    base = getattr(doc_or_span, "start_char", 0)
    candidates: list[tuple[int, int]] = []
    for match in _FINDER.finditer(text):
        if _BARE_YEAR.fullmatch(match.group()):
            continue
        candidates.append((base + match.start(), base + match.end()))
    for ent in doc_or_span.ents:
        if ent.label_ == "DATE" and not _counted_year(ent):
            candidates.append((ent.start_char, ent.end_char))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    found: list[TimeExpression] = []
    taken_until = -1
    for start, end in candidates:
        if start < taken_until:
            continue
        end = _without_counted_year(doc, text, base, start, end)
        while start < end and text[start - base] in _EDGE_CHARS:
            start += 1
        while end > start and text[end - base - 1] in _EDGE_CHARS:
            end -= 1
        phrase = text[start - base:end - base]
        expression = normalise_time(phrase, published, future=None)
        if expression is None:
            continue
        if published is not None and not _FUTURE_WORDS.search(phrase) and _points_ahead(doc, start, end):
            expression = normalise_time(phrase, published, future=True) or expression
        expression.char_start, expression.char_end = start, end
        found.append(expression)
        taken_until = end
    return found
