"""Quantities in text: "at least 3,000 North Korean soldiers", "up to 10,000 troops by December",
"between 1,500 and 2,000 special forces", "three training sites", "20%", "$1.5bn".

``find_quantities(span, published, entities=None)`` is a pure function over a spaCy ``Doc`` or
``Span``. For each number phrase it gives the value (or a ``low``/``high`` range), the
qualifier, what is counted, whether that is a troop count, the Unit entity the counted noun
belongs to, and a target time ("by December").

Decisions (each pinned by a test):

- Qualifiers map onto ``graph.model.Qualifier``. Approximations ("about", "around",
  "approximately", "roughly", "some", "an estimated", "nearly", "almost", "close to", trailing
  "or so") are all ``about``: "nearly 3,000" is an estimate near 3,000, not a ceiling. "over",
  "more than", "upwards of", "in excess of", "-plus" are ``more than``; "under", "less than",
  "fewer than" are ``fewer than``; "up to", "at most", "no more than", "a maximum of" are
  ``up to``; "at least", "no fewer than", "a minimum of", trailing "or more" are ``at least``;
  "as many as" stays ``as many as``; "a total of", "in total", "in all", "altogether" are
  ``total``. Anything else is ``exact``.
- ``text``/``start``/``end`` cover the qualifier and the number (and a currency sign or
  percent sign), not the counted noun, which is reported in ``counted`` without its
  determiners.
- Not quantities: years ("in 2023", unless a plural noun is counted: "2000 troops"), dates,
  times of day, ages ("aged 20", "a 20-year-old", "Smith, 45,"), durations ("three years"),
  ordinals ("11th Corps"), numbers inside names ("F-16", "Resolution 2231", "G7"), scores
  ("won 2-1"), vague plurals ("thousands of troops": no number is stated).
- Percentages are quantities with ``counted='percent'``; money has the currency name
  ("dollars", "pounds", ...) as ``counted``.
- ``is_troop_count`` is true only when military personnel are counted: core nouns (troops,
  soldiers, servicemen, special forces, marines, paratroopers, ...) always; personnel,
  officers, fighters, men, sailors, ... only with a military modifier or, without a
  civilian one, in a sentence about the military; "-strong" formations ("a 10,000-strong
  force"). Training sites, countries, people and dollars are never troop counts.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from graph.model import Entity, Quantity, TimeExpression
from ingest.timex import find_times

WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}
SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
    "k": 1_000, "tn": 1_000_000_000_000,
}
_DIGITS = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_DIGITS_WITH_SCALE = re.compile(r"(?P<number>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<scale>m|mn|bn|k|tn)")
_SHORT_SCALES = {"m", "mn", "bn", "k", "tn"}
_YEAR = re.compile(r"1[89]\d\d|20\d\d|2100")

# (words before the number, lower-case) -> qualifier; the longest match wins.
QUALIFIERS_BEFORE: dict[tuple[str, ...], str] = {
    ("at", "least"): "at least", ("no", "fewer", "than"): "at least",
    ("no", "less", "than"): "at least", ("not", "less", "than"): "at least",
    ("a", "minimum", "of"): "at least", ("minimum", "of"): "at least",
    ("up", "to"): "up to", ("at", "most"): "up to", ("no", "more", "than"): "up to",
    ("not", "more", "than"): "up to", ("a", "maximum", "of"): "up to", ("maximum", "of"): "up to",
    ("as", "many", "as"): "as many as", ("as", "much", "as"): "as many as",
    ("more", "than"): "more than", ("over",): "more than", ("above",): "more than",
    ("upwards", "of"): "more than", ("in", "excess", "of"): "more than",
    ("exceeding",): "more than",
    ("fewer", "than"): "fewer than", ("less", "than"): "fewer than", ("under",): "fewer than",
    ("below",): "fewer than",
    ("about",): "about", ("around",): "about", ("approximately",): "about",
    ("approx",): "about", ("approx.",): "about", ("roughly",): "about", ("some",): "about",
    ("an", "estimated"): "about", ("nearly",): "about",
    ("almost",): "about", ("close", "to"): "about", ("circa",): "about", ("c.",): "about",
    ("a", "total", "of"): "total", ("total", "of"): "total", ("totalling",): "total",
    ("totaling",): "total", ("total",): "total",
}
QUALIFIERS_AFTER: dict[tuple[str, ...], str] = {
    ("in", "total"): "total", ("in", "all"): "total", ("altogether",): "total",
    ("all", "told"): "total", ("or", "so"): "about", ("or", "more"): "at least",
    ("or", "fewer"): "up to", ("or", "less"): "up to",
}
_LONGEST_BEFORE = max(len(words) for words in QUALIFIERS_BEFORE)

CURRENCY_SIGNS = {"$": "dollars", "us$": "dollars", "£": "pounds", "€": "euros", "¥": "yen", "₩": "won", "₽": "roubles"}
PERCENT_WORDS = {"%", "percent", "pc"}
TIME_UNITS = {
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "decade", "decades", "century", "centuries",
    "year-old", "year-olds", "years-old", "night", "nights", "weekend", "weekends",
}
# Words before a number that make it an identifier: "Article 5", "No 10", "Resolution 2231".
IDENTIFIER_WORDS = {
    "no", "no.", "number", "article", "chapter", "section", "page", "resolution", "room",
    "flight", "route", "level", "phase", "category", "grade", "stage", "platform", "line",
    "channel", "version", "episode", "season", "series", "round", "game", "match", "act",
    "clause", "paragraph", "size", "figure", "table", "gate", "terminal", "division",
    "corps", "brigade", "battalion", "regiment", "fleet", "army",
}
NON_COUNT_ENTS = {
    "TIME", "ORDINAL", "PERSON", "ORG", "PRODUCT", "LAW", "FAC", "WORK_OF_ART", "EVENT", "GPE",
    "LOC", "NORP", "LANGUAGE",
}
TIME_PREPOSITIONS = {
    "in", "since", "by", "until", "till", "before", "after", "during", "through", "throughout",
    "early", "late", "mid", "mid-", "summer", "spring", "autumn", "winter",
}
MONTH_NAMES = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
}

# Military personnel: always troops when counted.
TROOP_NOUNS = {
    "troop", "troops", "soldier", "soldiers", "serviceman", "servicemen", "servicewoman",
    "servicewomen", "servicemember", "servicemembers", "paratrooper", "paratroopers",
    "commando", "commandos", "infantryman", "infantrymen", "marine", "marines", "reservist",
    "reservists", "conscript", "conscripts", "mercenary", "mercenaries", "sniper", "snipers",
    "forces", "force", "guardsmen", "legionnaires", "draftees", "combatants",
}
# Troops only when the counted phrase or its sentence is military ("military personnel",
# "1,000 officers and soldiers"), and no civilian modifier says otherwise.
CONTEXT_TROOP_NOUNS = {
    "personnel", "officer", "officers", "fighter", "fighters", "men", "sailor", "sailors",
    "airman", "airmen", "recruit", "recruits", "specialist", "specialists", "engineers",
    "instructors", "advisers", "advisors", "cadets", "operators",
    "gunners", "pilots", "crew", "crews",
}
# "a 10,000-strong force": counted formations that mean people.
FORMATION_NOUNS = {
    "force", "forces", "contingent", "army", "unit", "units", "brigade", "battalion",
    "division", "corps", "regiment", "garrison", "detachment", "group", "militia", "team",
}
MILITARY_MODIFIERS = {
    "military", "army", "naval", "navy", "combat", "armed", "infantry", "artillery",
    "special", "elite", "frontline", "front-line", "defence", "defense", "troop", "airborne",
    "assault", "technical", "security", "operations", "commando", "ground", "enemy",
}
CIVILIAN_MODIFIERS = {
    "medical", "embassy", "diplomatic", "hospital", "civilian", "humanitarian", "aid", "un",
    "police", "health", "nhs", "school", "office", "company", "club", "staff", "cabin",
    "fire", "customs", "prison", "election", "polling", "rescue", "emergency", "ambulance",
    "freedom", "fighter", "jet", "jets", "campaign", "party", "union", "council", "bank",
}
MILITARY_CONTEXT = re.compile(
    r"\b(?:troops?|soldiers?|military|army|armed|war|warfare|front ?line|battlefield|combat|"
    r"deploy\w*|invasion|corps|brigades?|battalions?|regiments?|divisions?|defen[cs]e ministry|"
    r"special forces|mercenar\w+|conscript\w*)\b",
    re.IGNORECASE,
)
TARGET_TIME = re.compile(r"(?i)^(?:by|until|till|before)\s")
TARGET_WORD = re.compile(r"(?i)\b(?:by|until|till|before)\b")


def _number_kind(token: Any) -> str | None:
    """'digits', 'digits+scale', 'word' or 'scale' for a token that can be part of a number."""
    lower = token.lower_
    if _DIGITS.fullmatch(token.text):
        return "digits"
    if _DIGITS_WITH_SCALE.fullmatch(lower):
        return "digits+scale"
    if lower in SCALES and lower not in _SHORT_SCALES:
        return "scale"
    if lower in WORD_NUMBERS or all(part in WORD_NUMBERS for part in lower.split("-")):
        return "word"
    return None


def _number_value(tokens: list[Any]) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    for token in tokens:
        lower = token.lower_
        if lower in ("and", "-", "a", "an"):
            if lower in ("a", "an"):
                current, seen = 1.0, True
            continue
        scaled = _DIGITS_WITH_SCALE.fullmatch(lower)
        if scaled:
            current += float(scaled["number"].replace(",", "")) * SCALES[scaled["scale"]]
            seen = True
        elif _DIGITS.fullmatch(lower):
            current += float(lower.replace(",", ""))
            seen = True
        elif lower == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif lower in SCALES:
            scale = SCALES[lower]
            if scale == 100:
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * scale
                current = 0.0
            seen = True
        else:
            for part in lower.split("-"):
                current += WORD_NUMBERS[part]
            seen = True
    return total + current if seen else None


def _number_phrase(tokens: list[Any], i: int) -> int | None:
    """End index (exclusive) of the number phrase starting at tokens[i], or None."""
    first = tokens[i]
    kind = _number_kind(first)
    lower = first.lower_
    j = i + 1
    if kind is None:
        # "a thousand troops", "a dozen countries"
        if lower in ("a", "an") and i + 1 < len(tokens) and (
            _number_kind(tokens[i + 1]) == "scale" or tokens[i + 1].lower_ == "dozen"
        ):
            j = i + 2
        else:
            return None
    elif kind == "scale":
        return None
    while j < len(tokens):
        nxt = tokens[j]
        nxt_kind = _number_kind(nxt)
        if nxt_kind == "scale" or (nxt.lower_ in _SHORT_SCALES and tokens[j - 1].whitespace_ == ""):
            j += 1  # "1.5 million", "1.5m" (split by the tokenizer)
        elif nxt_kind == "word" and _number_kind(tokens[j - 1]) in ("word", "scale"):
            j += 1
        elif (
            nxt.text in ("-", "and")
            and j + 1 < len(tokens)
            and _number_kind(tokens[j + 1]) == "word"
            and _number_kind(tokens[j - 1]) in ("word", "scale")
            and (nxt.text == "-" or _number_kind(tokens[j - 1]) == "scale")
        ):
            j += 2
        else:
            break
    if tokens[j - 1].lower_ in ("a", "an"):
        return None
    return j


def _has_scale(tokens: list[Any]) -> float | None:
    for token in reversed(tokens):
        lower = token.lower_
        if lower in SCALES:
            return SCALES[lower]
        scaled = _DIGITS_WITH_SCALE.fullmatch(lower)
        if scaled:
            return SCALES[scaled["scale"]]
    return None


def _qualifier_before(tokens: list[Any], start: int) -> tuple[str, int]:
    """(qualifier, index where it starts) from the words right before tokens[start]."""
    words = [t.lower_ for t in tokens[max(0, start - _LONGEST_BEFORE):start]]
    for size in range(min(_LONGEST_BEFORE, len(words)), 0, -1):
        qualifier = QUALIFIERS_BEFORE.get(tuple(words[-size:]))
        if qualifier:
            return qualifier, start - size
    return "exact", start


def _qualifier_after(tokens: list[Any], end: int) -> tuple[str | None, int]:
    for size in (2, 1):
        words = tuple(t.lower_ for t in tokens[end:end + size])
        if len(words) == size and words in QUALIFIERS_AFTER:
            return QUALIFIERS_AFTER[words], end + size
    return None, end


def _counted_phrase(tokens: list[Any], start: int) -> tuple[int, int] | None:
    """Token range [a, b) of the noun phrase counted by a number that ends at ``start``."""
    i = start
    if i < len(tokens) and tokens[i].lower_ == "of" and i + 1 < len(tokens) and tokens[i + 1].pos_ in ("DET", "PRON"):
        i += 2  # "3,000 of its troops"
    while i < len(tokens) and tokens[i].pos_ == "DET" and tokens[i].lower_ in ("the", "these", "those"):
        i += 1
    first = i
    last_noun = None
    while i < len(tokens):
        token = tokens[i]
        if token.pos_ in ("ADJ", "PROPN") or (token.pos_ == "VERB" and token.dep_ in ("amod", "compound")) or token.text == "-" and last_noun is None and i > first:
            i += 1
        elif token.pos_ == "NOUN":
            last_noun = i
            i += 1
            following = tokens[i] if i < len(tokens) else None
            if (following is not None and following.tag_ == "VBG" and i + 1 < len(tokens)
                    and tokens[i + 1].pos_ == "NOUN"):
                i += 1  # "Russian navy landing ships": a gerund inside the compound
                continue
            if following is None or following.pos_ != "NOUN" or token.dep_ not in ("compound", "amod", "nmod"):
                break
        else:
            break
    if last_noun is None:
        # a plural demonym as the head: "3,000 North Koreans"
        if i > first and tokens[i - 1].pos_ == "PROPN" and tokens[i - 1].tag_ == "NNPS":
            return first, i
        return None
    return first, last_noun + 1


def is_troop_phrase(head: str, modifiers: list[str], sentence_text: str, strong: bool = False,
                    unit_found: bool = False, definite: bool = False) -> bool:
    """Whether a noun phrase (head noun, its modifiers, its sentence) names military personnel.

    ``definite``: the count has a determiner ("the two men", "its 40 officers"): people already
    introduced, so the sentence's war words ("open warfare between the two men") do not make
    them troops; a military modifier still does ("the 300 military personnel")."""
    head = head.lower()
    modifiers = [m.lower() for m in modifiers]
    if any(m in CIVILIAN_MODIFIERS for m in modifiers):
        return False
    if head in TROOP_NOUNS:
        return True
    if strong and head in FORMATION_NOUNS:
        return True
    if head in CONTEXT_TROOP_NOUNS:
        if unit_found or any(m in MILITARY_MODIFIERS for m in modifiers):
            return True
        return not definite and bool(MILITARY_CONTEXT.search(sentence_text))
    return False


def _overlapping_unit(entities: list[Entity] | None, start: int, end: int) -> str | None:
    for entity in entities or ():
        if entity.type != "Unit":
            continue
        for mention in entity.mentions:
            if mention.start < end and start < mention.end:
                return entity.id
    return None


def _is_age(tokens: list[Any], start: int, end: int) -> bool:
    before = [t.lower_ for t in tokens[max(0, start - 2):start]]
    after = [t.lower_ for t in tokens[end:end + 3]]
    if before[-1:] in (["aged"], ["age"], ["ages"]) or before == ["age", "of"]:
        return True
    if after[:2] in (["-", "year"], ["-", "years"]) or after[:1] in (["year-old"], ["years-old"]):
        return True
    if after[:2] == ["years", "old"]:
        return True
    # "John Smith, 45, said"
    if start >= 2 and tokens[start - 1].text == "," and tokens[start - 2].ent_type_ == "PERSON":
        return after[:1] in ([","], ["."], [")"], [])
    return False


def _is_identifier(tokens: list[Any], start: int, sentence_start: int, has_counted: bool) -> bool:
    if start == 0:
        return False
    previous = tokens[start - 1]
    if previous.lower_ in IDENTIFIER_WORDS and not has_counted:
        return True
    # "Apollo 11", "Windows 10": a capitalised name right before a bare number
    return (
        previous.pos_ == "PROPN"
        and not has_counted
        and previous.is_title
        and previous.lower_ not in MONTH_NAMES
        and previous.i > sentence_start
    )


def _counts_plural(tokens: list[Any], start: int, after: int) -> bool:
    """A number-like year counts only a plural with no determiner before it: "sent 2000
    troops", not "the 1978 film" or "its 1960 levels"."""
    head = tokens[after - 1]
    previous = tokens[start - 1] if start else None
    determined = previous is not None and (previous.pos_ in ("DET", "PRON") or previous.tag_ == "PRP$" or previous.dep_ == "poss")
    return head.tag_ == "NNS" and not determined


def _is_year(tokens: list[Any], start: int, end: int, has_counted: bool) -> bool:
    if end - start != 1 or not _YEAR.fullmatch(tokens[start].text):
        return False
    previous = tokens[start - 1].lower_ if start else ""
    if previous in TIME_PREPOSITIONS or previous.rstrip(".") in MONTH_NAMES:
        return True
    # "of 2000 troops" counts; "in 2023 elections were held" is a year
    return not has_counted


class _Text:
    """The text of a span, sliced with the doc's character offsets."""

    def __init__(self, text: str, base: int):
        self.text, self.base = text, base

    def slice(self, start: int, end: int) -> str:
        return self.text[start - self.base:end - self.base]


def find_quantities(span: Any, published: dt.date | None, entities: list[Entity] | None = None) -> list[Quantity]:
    """Quantities in a spaCy ``Doc`` or ``Span``; offsets are into the doc's text."""
    tokens = list(span)
    text = _Text(span.text, getattr(span, "start_char", 0))  # .text joins every token: read it once
    found: list[Quantity] = []
    span_start, span_end = text.base, text.base + len(text.text)  # target times come from the span only
    by_sentence: dict[int, list[Quantity]] = {}
    sentences: dict[int, Any] = {}
    i = 0
    while i < len(tokens):
        end = _number_phrase(tokens, i)
        if end is None:
            i += 1
            continue
        sentence = tokens[i].sent
        quantity, i = _quantity_at(tokens, i, end, text, sentence, entities)
        if quantity is not None:
            found.append(quantity)
            by_sentence.setdefault(sentence.start, []).append(quantity)
            sentences[sentence.start] = sentence
    for start, quantities in by_sentence.items():
        if any(q.counted and q.counted != "percent" for q in quantities) and TARGET_WORD.search(sentences[start].text):
            times = [t for t in find_times(sentences[start], published)
                     if TARGET_TIME.match(t.text) and span_start <= t.char_start and t.char_end <= span_end]
            _attach_target_times(quantities, times)
    return found


def _quantity_at(tokens: list[Any], start: int, end: int, text: "_Text", sentence: Any,
                 entities: list[Entity] | None) -> tuple[Quantity | None, int]:
    """The quantity whose number phrase is tokens[start:end], and where scanning resumes."""
    number_tokens = tokens[start:end]
    low_tokens = number_tokens
    high_tokens: list[Any] | None = None
    phrase_start, phrase_end = start, end
    connector = tokens[end].lower_ if end < len(tokens) else ""
    previous = tokens[start - 1].lower_ if start else ""
    if previous in TIME_PREPOSITIONS and end - start == 1 and _YEAR.fullmatch(tokens[start].text):
        return None, end  # "in 2005 to 5.5 million": a year, not the low end of a range
    if connector in ("to", "-", "–", "or", "and") and end + 1 < len(tokens):
        if connector != "and" or previous == "between":
            second_end = _number_phrase(tokens, end + 1)
            if second_end is not None:
                high_tokens = tokens[end + 1:second_end]
                phrase_end = second_end
    resume = phrase_end
    if _is_part_of_a_word(tokens, start, phrase_end) or _is_clock_time(tokens, start, phrase_end):
        return None, resume
    if any(t.ent_type_ in NON_COUNT_ENTS for t in tokens[start:phrase_end]):
        return None, resume
    if any(t.like_url or t.like_email for t in tokens[start:phrase_end]):
        return None, resume

    value = _number_value(low_tokens)
    low = high = None
    if high_tokens is not None:
        low, high = value, _number_value(high_tokens)
        scale = _has_scale(high_tokens)
        if scale and not _has_scale(low_tokens) and low is not None and high is not None and low * scale <= high:
            low *= scale  # "1.5 to 2 million"
        if low is None or high is None or low >= high or (low == 0 and connector in ("-", "–")):
            return None, resume  # a score ("won 2-1") or not a range at all
        value = None
    if value is None and high_tokens is None:
        return None, resume

    # what follows the number: percent, "-strong", the counted noun phrase
    counted: str | None = None
    head_text = ""
    modifiers: list[str] = []
    after = phrase_end
    strong = False
    unit_span = None
    qualifier_next = None
    currency = _currency_before(tokens, start)
    if after < len(tokens) and tokens[after].lower_ in PERCENT_WORDS:
        counted, after = "percent", after + 1
    elif after + 1 < len(tokens) and tokens[after].lower_ == "per" and tokens[after + 1].lower_ == "cent":
        counted, after = "percent", after + 2
    else:
        qualifier_next, after = _qualifier_after(tokens, after)  # "5,000 or so soldiers"
        if after + 1 < len(tokens) and tokens[after].text == "-" and tokens[after + 1].lower_ == "strong":
            strong, after = True, after + 2
        elif after < len(tokens) and tokens[after].lower_ in ("-strong", "strong") and tokens[after - 1].whitespace_ == "":
            strong, after = True, after + 1
        np_range = _counted_phrase(tokens, after)
        np_tokens = tokens[np_range[0]:np_range[1]] if np_range else []
        if np_tokens and np_tokens[-1].is_alpha:
            head_text = np_tokens[-1].lower_
            modifiers = [t.lower_ for t in np_tokens[:-1]]
            counted = text.slice(np_tokens[0].idx, np_tokens[-1].idx + len(np_tokens[-1]))
            # the unit named in the phrase, when the phrase counts its people or the unit itself:
            # "1,500 special forces troops", "3,000 North Korean soldiers", not "four Russian
            # navy landing ships"
            head = np_tokens[-1]
            if head.lower_ in TROOP_NOUNS or head.lower_ in CONTEXT_TROOP_NOUNS:
                unit_span = (np_tokens[0].idx, head.idx + len(head))
            else:
                unit_span = (head.idx, head.idx + len(head))
            after = np_range[1]
        if currency and (counted is None or head_text not in ("dollars", "pounds", "euros", "yen", "yuan", "roubles", "rubles")):
            counted = currency
            head_text = currency
            unit_span = None
    # not counts: durations, ages, identifiers, years
    if head_text in TIME_UNITS:
        return None, resume
    if _is_age(tokens, start, phrase_end):
        return None, resume
    if counted is None and _is_identifier(tokens, start, sentence.start, has_counted=False):
        return None, resume
    year_counts = counted is not None and counted != "percent" and _counts_plural(tokens, start, after)
    if _is_year(tokens, start, phrase_end, has_counted=year_counts):
        return None, resume
    if any(t.ent_type_ == "DATE" for t in tokens[start:phrase_end]) and (counted is None or counted == "percent"):
        return None, resume
    if value == 1 and high_tokens is None and counted is None:
        return None, resume  # "one of them", "the one"

    qualifier, qualifier_start = _qualifier_before(tokens, start if previous != "between" else start - 1)
    if previous == "between":
        qualifier_start = min(qualifier_start, start - 1)
    after_qualifier, _ = _qualifier_after(tokens, after)
    after_qualifier = qualifier_next or after_qualifier
    if after_qualifier and qualifier == "exact":
        qualifier = after_qualifier
    if phrase_end < len(tokens) and tokens[phrase_end].lower_ in ("-plus", "plus") and qualifier == "exact":
        qualifier = "more than"

    text_start_token = tokens[qualifier_start] if qualifier_start < start else tokens[start]
    text_start = text_start_token.idx
    if currency and start > 0 and qualifier_start >= start:
        text_start = tokens[start - 1].idx
    end_token = tokens[phrase_end - 1]
    text_end = end_token.idx + len(end_token)
    if counted == "percent":
        last = tokens[after - 1]
        text_end = last.idx + len(last)

    unit_id = _overlapping_unit(entities, *unit_span) if unit_span else None
    determiner = tokens[qualifier_start - 1] if qualifier_start > 0 else None
    definite = determiner is not None and (determiner.lower_ in ("the", "these", "those") or determiner.tag_ == "PRP$")
    is_troop = counted not in (None, "percent") and counted != currency and is_troop_phrase(
        head_text, modifiers, sentence.text, strong, unit_id is not None, definite
    )
    quantity = Quantity(
        text=text.slice(text_start, text_end),
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,  # type: ignore[arg-type]
        counted=counted,
        is_troop_count=is_troop,
        unit_entity_id=unit_id,
        start=text_start,
        end=text_end,
    )
    return quantity, max(resume, after if counted else resume)


def _is_part_of_a_word(tokens: list[Any], start: int, end: int) -> bool:
    """"16-inch", "two-thirds", "3G", "1500m" (metres), "5K": the number is inside a word."""
    last = tokens[end - 1]
    following = tokens[end] if end < len(tokens) else None
    if following is not None and last.whitespace_ == "":
        if following.text in ("-", "–") and not (end + 1 < len(tokens) and tokens[end + 1].lower_ == "strong"):
            return True
        if following.is_alpha and following.lower_ not in _SHORT_SCALES and following.lower_ not in PERCENT_WORDS and following.lower_ not in ("-strong", "strong", "plus"):
            return True
    # "m"/"k" after a number are millions/thousands only for money or a counted plural
    short_scale = last.lower_ in _SHORT_SCALES - {"bn", "tn"} or (
        (match := _DIGITS_WITH_SCALE.fullmatch(last.lower_)) is not None and match["scale"] in ("m", "mn", "k")
    )
    if short_scale and _currency_before(tokens, start) is None:
        return following is None or following.tag_ not in ("NNS", "NNPS")
    return False


_CLOCK_WORDS = {"gmt", "bst", "utc", "et", "est", "edt", "pst", "cet", "hrs", "hours", "am", "pm", "a.m.", "p.m.", "h", "local"}


def _is_clock_time(tokens: list[Any], start: int, end: int) -> bool:
    """"0730 GMT", "1500 hours", "10 am"."""
    text = tokens[start].text
    if end - start == 1 and len(text) >= 3 and text.startswith("0") and text.isdigit():
        return True
    return end < len(tokens) and tokens[end].lower_ in _CLOCK_WORDS


def _currency_before(tokens: list[Any], start: int) -> str | None:
    if start == 0:
        return None
    return CURRENCY_SIGNS.get(tokens[start - 1].lower_)


def _attach_target_times(quantities: list[Quantity], times: list[TimeExpression]) -> None:
    """Give each counted quantity of a sentence the nearest "by ..." time of that sentence,
    looking ahead first, and never across another quantity."""
    for index, quantity in enumerate(quantities):
        if not quantity.counted or quantity.counted == "percent":
            continue
        next_start = quantities[index + 1].start if index + 1 < len(quantities) else None
        previous_end = quantities[index - 1].end if index > 0 else None
        ahead = [t for t in times if t.char_start >= quantity.end and (next_start is None or t.char_start < next_start)]
        behind = [t for t in times if t.char_end <= quantity.start and (previous_end is None or t.char_end > previous_end)]
        if ahead:
            quantity.target_time = ahead[0]
        elif behind:
            quantity.target_time = behind[-1]
