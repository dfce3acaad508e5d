"""Attribution: who says (or thinks, estimates, denies ...) what, as a spaCy component.

The ``newsgraph_attribution`` factory annotates a parsed ``Doc`` with its attributions: a
source (the speaker, optional), a cue (the reporting verb or phrase) and one or more content
parts (what is said), plus whether the content is a direct quote.  It finds them in two passes:

1. **Syntax, then a learned decision.** Every verb (but "be") with a clause complement
   (``ccomp``/``xcomp``) or, without one, an object or content preposition ("railed against
   what he calls ..."); a noun with a content clause, an owner ("the claim that ...", "Pence's
   call for ...") or a content preposition ("concerns about ..."), or one the copula gives a
   clause ("Her argument is that ..."); an adjective with a complement ("critical of ...",
   "confident that ...", "sympathetic to ..."); "according to"; an "as" clause
   ("As The Hill reported, ..."); a phrase giving someone's view ("In Seoul's view, ...",
   "By the agency's count, ..."); a stance the subject receives, its giver the source ("The
   plan drew criticism from Moscow"); a headline or transcript "Name: ..."; and a headline verb
   the parse took for a name ("Senator Praises Deal") are *candidates*.
   The source is the subject nearest the cue (or the
   ``by``-agent of a passive, or the subject a participle or conjunct shares); the complement
   is the content.  "Y, X said" and "Y, X said, Z" parse with the cue hanging off the
   reported clause: that clause is the content then; "..., says Zelensky" (headline style)
   has its speaker after the cue.  A logistic regression (:class:`CueModel`, weights in
   ``ingest/data/attribution_cues.tsv``, trained on PolNeAR train by
   ``bench/train_attribution_cues.py``) scores each candidate from :func:`cue_features` (the
   cue word, which lexicon it is in, how it is built, what kind of source and content it
   has, how often the word takes a clause and an animate subject in unlabelled news
   (``ingest/data/lemma_propensity.tsv``, from ``bench/lemma_propensity.py``), and the WordNet
   class of the cue word and of the source's head noun: ``ingest/data/wordnet_classes.tsv``,
   from ``bench/wordnet_classes.py``) and keeps those above its threshold.  The lexicons
   (:data:`CUE_LEXICON`, :data:`STANCE_VERBS`, :data:`CUE_NOUNS`, :data:`CUE_ADJECTIVES`) are
   features of the model and say what kind of claim a cue makes.
2. **Quotes.** Quote marks are paired per paragraph (curly and straight; a quote left open at a
   paragraph end continues only when the next paragraph opens with a quote mark, as news style
   has it; otherwise it is dropped, so a stray mark never swallows the article).  A quote that
   the first pass did not cover is attributed to a speech verb right after it ("..., he said"),
   any verb right after it next to its subject ("... !" beamed a delegate), or a speech verb
   right before it ("He said: ...").  A quote with no cue next to it is not attributed, and a
   quote opening the next paragraph is not joined to the last speaker's.

An attribution inside another one's content in the same sentence is either a report inside
the report ("Kirby said Moscow denied ...") or a second attribution the outer content ran into
("Critics said the plan, which the mayor defended, would fail"); a second small logistic
regression (:func:`nesting_features`, ``ingest/data/attribution_nesting.tsv``) tells them apart,
and a second one is taken out of the outer content (what is on either side of its clause stays).

Each attribution also says whether it is ``nested`` in the content of another one in the
same sentence, whether its content is ``direct`` (all quoted)
or ``mixed`` (partly quoted), whether its cue is ``negated`` ("did not confirm"), and the cue
model's ``score`` (None for quotes attributed by position).

The result is stored msgpack-friendly (plain ints and strings) in ``doc._.ng_attributions`` so
that it survives ``nlp.pipe(n_process=2)``; :func:`attributions` turns it back into spans.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

EXTENSION = "ng_attributions"
COMPONENT = "newsgraph_attribution"

# --- the cue lexicon ---------------------------------------------------------------------
# lemma -> the kind of claim it makes.  Its content is the verb's clause complement (ccomp,
# xcomp: "said that ...", "vowed to ...") or, without one, its object and the prepositions of
# _CONTENT_PREPS ("denied the report", "warned of escalation", "described it as a test").
# Every verb here may also introduce a direct quote.  Being in a lexicon is one feature of the
# cue model, which has the last word on whether a candidate is an attribution.
_STATED, _ASSESSED, _CONFIRMED = "STATED", "ASSESSED", "CONFIRMED"
_DENIED, _WARNED, _REPORTED = "DENIED", "WARNED", "REPORTED"

CUE_LEXICON: dict[str, str] = {
    # stated
    "accuse": _STATED, "add": _STATED, "agree": _STATED, "allege": _STATED,
    "announce": _STATED, "answer": _STATED, "argue": _STATED, "ask": _STATED,
    "assert": _STATED, "assure": _STATED, "blame": _STATED, "boast": _STATED,
    "call": _STATED, "charge": _STATED, "cite": _STATED, "claim": _STATED,
    "comment": _STATED, "complain": _STATED, "contend": _STATED, "counter": _STATED,
    "criticise": _STATED, "criticize": _STATED, "declare": _STATED, "decline": _STATED,
    "demand": _STATED, "describe": _STATED, "disclose": _STATED, "emphasise": _STATED,
    "emphasize": _STATED, "explain": _STATED, "hint": _STATED, "hope": _STATED,
    "indicate": _STATED, "inform": _STATED, "insist": _STATED, "joke": _STATED,
    "mention": _STATED, "note": _STATED, "observe": _STATED, "pledge": _STATED,
    "point": _STATED, "post": _STATED, "praise": _STATED, "promise": _STATED,
    "propose": _STATED, "question": _STATED, "quip": _STATED, "recall": _STATED,
    "refuse": _STATED, "reiterate": _STATED, "remark": _STATED, "remind": _STATED,
    "repeat": _STATED, "reply": _STATED, "respond": _STATED, "reveal": _STATED,
    "say": _STATED, "signal": _STATED, "state": _STATED, "stress": _STATED,
    "suggest": _STATED, "tell": _STATED, "testify": _STATED, "tweet": _STATED,
    "urge": _STATED, "vow": _STATED, "wonder": _STATED, "write": _STATED,
    # assessed
    "assess": _ASSESSED, "believe": _ASSESSED, "calculate": _ASSESSED,
    "conclude": _ASSESSED, "doubt": _ASSESSED, "estimate": _ASSESSED, "expect": _ASSESSED,
    "fear": _ASSESSED, "find": _ASSESSED, "forecast": _ASSESSED, "judge": _ASSESSED,
    "know": _ASSESSED, "predict": _ASSESSED, "project": _ASSESSED, "reckon": _ASSESSED,
    "suspect": _ASSESSED, "think": _ASSESSED, "worry": _ASSESSED,
    # confirmed
    "acknowledge": _CONFIRMED, "admit": _CONFIRMED, "concede": _CONFIRMED,
    "confirm": _CONFIRMED, "verify": _CONFIRMED,
    # denied
    "deny": _DENIED, "dismiss": _DENIED, "dispute": _DENIED, "rebut": _DENIED,
    "refute": _DENIED, "reject": _DENIED,
    # warned
    "caution": _WARNED, "threaten": _WARNED, "warn": _WARNED,
    # reported
    "learn": _REPORTED, "report": _REPORTED, "show": _REPORTED,
}
# Verbs of stance and of mental state: attributions in the wide sense that attribution corpora
# annotate (PolNeAR does), but not claims (see CLAIM_LEMMAS).
STANCE_VERBS = frozenset({
    "advocate", "aim", "allude", "anticipate", "apologise", "apologize", "appear",
    "applaud", "articulate", "assail", "assume", "attack", "attribute", "back", "bemoan",
    "blast", "brag", "brand", "cast", "challenge", "characterise", "characterize", "cheer",
    "chide", "clarify", "commend", "compare", "condemn", "congratulate", "consider",
    "contrast", "convince", "credit", "decide", "decry", "deem", "defend", "denounce",
    "detail", "disavow", "discuss", "dub", "echo", "embrace", "encourage", "endorse",
    "envision", "expose", "express", "fault", "favor", "favour", "feel", "focus",
    "guess", "hail", "highlight", "identify", "ignore", "imagine", "imply", "insinuate",
    "instruct", "intend", "invoke", "issue", "label", "lambaste", "lament", "lay",
    "like", "liken", "look", "love", "mock", "name", "offer", "oppose", "order", "outline",
    "paint", "persuade", "plan", "portray", "prefer", "present", "press", "promote",
    "publish", "push", "rail", "realise", "realize", "rebuke", "recite", "recognise",
    "recognize", "recommend", "refer", "reference", "regret", "release", "remember",
    "request", "retweet", "rule", "scold", "see", "seek", "seem", "share", "slam", "sound",
    "speak", "speculate", "support", "swear", "talk", "thank", "tout", "understand", "view",
    "voice", "vote", "vouch", "want", "weigh", "welcome",
})
# Verbs that introduce a direct quote but carry no content of their own in syntax.
_QUOTE_ONLY_VERBS = {
    "continue", "go", "conclude", "read", "shout", "yell", "add", "react", "chant",
    "exclaim", "scream", "retort", "snap", "muse", "recount", "shoot", "fire", "cry",
    "whisper", "mutter", "interject", "plead", "sing", "thank", "end", "close", "open",
    "quip", "joke", "laugh", "sigh", "reflect", "explain", "write", "tweet", "post",
}
# Lemmas whose attributions are claims (a proposition put forward), for ingest.claims.
CLAIM_LEMMAS = frozenset(
    set(CUE_LEXICON) - {
        "refuse", "decline", "hope", "ask", "urge", "demand", "wonder", "call", "describe",
        "praise", "criticize", "criticise", "blame", "cite", "propose", "question", "agree",
        "remind", "accuse", "fear", "worry", "know", "doubt",
    }
) | {"according to", "statement", "claim", "assertion", "allegation", "assessment",
     "estimate", "warning", "denial", "report", "admission", "confirmation"}
# Prepositions that carry the content of some verbs ("warned of escalation").
_CONTENT_PREPS = {"of", "about", "against", "on", "for", "to", "as", "at", "with", "over"}
# Prepositions that carry the content of a noun without an owner ("concerns about ...").
_NOUN_CONTENT_PREPS = {"of", "about", "against", "for", "over", "on"}
# Prepositions that carry what an adjective of stance is held towards.
_STANCE_PREPS = {"to", "in", "toward", "towards"}
# Verbs whose "to" phrase is what they say rather than whom they say it to.
_TO_CONTENT = {
    "refer", "point", "allude", "object", "respond", "react", "liken", "compare", "attribute",
    "credit", "vote", "opposed",
}
# Nouns that are cues when a clause spells out their content ("the claim that ...").
CUE_NOUNS: dict[str, str] = {
    "statement": _STATED, "claim": _STATED, "assertion": _STATED, "allegation": _STATED,
    "assessment": _ASSESSED, "estimate": _ASSESSED, "belief": _ASSESSED,
    "warning": _WARNED, "denial": _DENIED, "report": _REPORTED,
    "promise": _STATED, "pledge": _STATED, "suggestion": _STATED, "argument": _STATED,
    "admission": _CONFIRMED, "confirmation": _CONFIRMED, "prediction": _ASSESSED,
    "call": _STATED, "support": _STATED, "criticism": _STATED, "endorsement": _STATED, "attack": _STATED,
    "demand": _STATED, "remark": _STATED, "comment": _STATED,
    "praise": _STATED, "plea": _STATED, "vow": _STATED, "insistence": _STATED,
}
# Adjectives of stance: "critical of ...", "confident that ...", "made it clear that ...".
CUE_ADJECTIVES = frozenset({
    "clear", "sure", "aware", "concerned", "confident", "eager", "worried", "skeptical",
    "sceptical", "opposed", "critical", "certain", "determined", "hopeful", "willing",
    "supportive", "wary", "angry", "upset", "proud", "glad", "optimistic", "pessimistic",
    "disappointed", "convinced", "adamant", "unhappy", "pleased", "reluctant", "afraid",
    "fearful", "furious", "frustrated", "doubtful", "insistent", "unsure", "uncertain",
})
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_EXPLETIVES = {"it", "there"}
_DASHES = {"—", "–", "-", "--"}
_AGENT_ENTITIES = {"PERSON", "ORG", "NORP", "GPE"}
_PLACES = {"GPE", "LOC", "FAC"}
# verbs whose subject is raised out of the clause they take: the subject is no speaker
_RAISING_VERBS = {"seem", "appear"}
_PERSONAL_OBJECTS = {"me", "him", "her", "us", "them"}
# words that make a following "that" a conjunction of purpose or time, not a content clause
_CONJUNCTION_THAT = {"so", "such", "now", "given", "except", "provided", "order", "seeing"}
# verbs whose direct object is the one addressed ("..., she told reporters")
_ADDRESSEE_VERBS = {"tell", "ask", "warn", "remind", "assure", "reassure", "inform", "urge", "advise"}
_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_STRAIGHT = '"'
_MAX_QUOTE_CHARS = 3000
CUE_MODEL_TSV = Path(__file__).parent / "data" / "attribution_cues.tsv"
NESTING_MODEL_TSV = Path(__file__).parent / "data" / "attribution_nesting.tsv"
LEMMA_PROPENSITY_TSV = Path(__file__).parent / "data" / "lemma_propensity.tsv"
WORDNET_CLASSES_TSV = Path(__file__).parent / "data" / "wordnet_classes.tsv"


@dataclass(frozen=True)
class Attribution:
    """One attribution, as spans of its ``Doc``."""

    cue: Span
    lemma: str
    kind: str
    source: Span | None
    content: tuple[Span, ...]
    direct: bool
    mixed: bool
    negated: bool
    nested: bool
    rule: str
    # the cue model's probability; None for quotes attributed by position ("...," he said)
    score: float | None = None

    @property
    def content_span(self) -> Span:
        """The stretch from the first content part to the last (may include an inserted cue)."""
        doc = self.cue.doc
        return doc[self.content[0].start : self.content[-1].end]


def attributions(doc: Doc) -> list[Attribution]:
    """The attributions the component stored on ``doc``, as spans."""
    if not Doc.has_extension(EXTENSION) or doc._.get(EXTENSION) is None:
        raise ValueError(
            f"doc has no '{EXTENSION}': add the '{COMPONENT}' component to the pipeline"
        )
    out = []
    for a in doc._.get(EXTENSION):
        cs, ce = a["cue"]
        source = doc[a["source"][0] : a["source"][1]] if a["source"] else None
        out.append(
            Attribution(
                cue=doc[cs:ce],
                lemma=a["lemma"],
                kind=a["kind"],
                source=source,
                content=tuple(doc[s:e] for s, e in a["content"]),
                direct=a["direct"],
                mixed=a["mixed"],
                negated=a["negated"],
                nested=a["nested"],
                rule=a["rule"],
                score=a.get("score"),
            )
        )
    return out


# --- quotes ------------------------------------------------------------------------------
def find_quotes(text: str, max_chars: int = _MAX_QUOTE_CHARS) -> list[tuple[int, int]]:
    """Character ranges of double-quoted passages, quote marks included.

    Marks are paired within a paragraph.  A quote still open at the end of a paragraph goes on
    only if the next paragraph starts with an opening mark (the news convention for quotes of
    several paragraphs); otherwise the opening mark is treated as stray and ignored.  Quotes
    longer than ``max_chars`` are ignored too.
    """
    # '' (two apostrophes, as some wires and archives write a double quote) is one mark
    text = text.replace("''", '"\x01')
    quotes: list[tuple[int, int]] = []
    pending: int | None = None  # opening offset of a quote carried over a paragraph break
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        open_at: int | None = None
        if pending is not None:
            if _opens(text, p_start) and text[p_start] in _OPEN_DOUBLE + _STRAIGHT:
                open_at, pending = pending, None
                first = p_start + 1
            else:
                pending = None
                first = p_start
        else:
            first = p_start
        for i in range(first, p_end):
            ch = text[i]
            if ch in _OPEN_DOUBLE or (ch == _STRAIGHT and _opens(text, i)):
                # an opening mark while one is open: the earlier one was stray
                open_at = i
            elif ch in _CLOSE_DOUBLE or ch == _STRAIGHT:
                if open_at is not None:
                    quotes.append((open_at, _mark_end(text, i)))
                    open_at = None
        if open_at is not None:
            nxt = paragraphs[p_index + 1][0] if p_index + 1 < len(paragraphs) else None
            if nxt is not None and text[nxt] in _OPEN_DOUBLE + _STRAIGHT:
                pending = open_at
    return [(s, e) for s, e in quotes if e - s <= max_chars and e - s > 2]


def _mark_end(text: str, i: int) -> int:
    return i + 2 if text[i + 1 : i + 2] == "\x01" else i + 1


def _opens(text: str, i: int) -> bool:
    """Whether a straight quote mark at ``i`` opens (by what is around it)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-/" or i == 0:
        return not after.isspace()
    return False


# --- the component -----------------------------------------------------------------------
@Language.factory(
    COMPONENT,
    default_config={"max_quote_chars": _MAX_QUOTE_CHARS},
)
def make_attribution(nlp: Language, name: str, max_quote_chars: int) -> "AttributionComponent":
    return AttributionComponent(max_quote_chars)


class AttributionComponent:
    def __init__(self, max_quote_chars: int = _MAX_QUOTE_CHARS):
        self.max_quote_chars = max_quote_chars
        if not Doc.has_extension(EXTENSION):
            Doc.set_extension(EXTENSION, default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.set(EXTENSION, find_attributions(doc, self.max_quote_chars))
        return doc


def find_attributions(
    doc: Doc,
    max_quote_chars: int = _MAX_QUOTE_CHARS,
    model: "CueModel | None" = None,
    nesting: "CueModel | None" = None,
) -> list[dict]:
    """The attributions of a parsed ``doc`` as plain dicts (token offsets, end exclusive).

    ``model`` and ``nesting`` are the shipped cue and nesting models unless given (the trainer
    scores its folds' models).
    """
    quotes, in_quote = quote_index(doc, max_quote_chars)
    found: list[dict] = []
    cue_tokens: set[int] = set()
    model = cue_model() if model is None else model
    below: list[dict] = []
    for record, features in cue_candidates(doc, in_quote):
        record["score"] = round(model.score(features), 3)
        if record["score"] < model.threshold:
            below.append((record, features))
            continue
        found.append(record)
        cue_tokens.update(range(*record["cue"]))
    # A claim verb inside what another source says ("Rutte said the alliance could not confirm
    # that ...", "the estimate of the agency, which says ...") is kept whatever its score, and
    # so is any cue whose own words pass without the features of being held in another's
    # content ("Critics said the plan, which the mayor defended, would fail"): PolNeAR gives
    # each token to at most one attribution, so the model learnt held cues as negatives, but who
    # said what inside a report is what the claims need (the nesting model then decides whether
    # it is a second attribution; the benchmark leaves nested ones out).
    sentence_of = {t.i: n for n, sent in enumerate(doc.sents) for t in sent}
    for record, features in below:
        cue = record["cue"][0]
        held = any(
            sentence_of[outer["cue"][0]] == sentence_of[cue] and s <= cue < e
            for outer in list(found) for s, e in outer["content"]
        )
        # (a claim verb, not a noun of the same word: in 'said the reports were "fake news"' the
        # reports claim nothing)
        if held and (
            record["lemma"] in CLAIM_LEMMAS and doc[cue].pos_ in ("VERB", "AUX")
            or model.score([f for f in features if not f.startswith(_HELD_FEATURES)]) >= model.threshold
        ):
            found.append(record)
            cue_tokens.update(range(*record["cue"]))
    used_quotes = _merge_quotes(doc, found, quotes, in_quote)
    for q, (s, e) in enumerate(quotes):
        if q in used_quotes:
            continue
        record = _quote_attribution(doc, quotes, q, in_quote)
        if record is None:
            continue
        if record["cue"][0] in cue_tokens:
            # "He told reporters: '...'" and "'...,' she said of the plan": the verb's object
            # was taken for its content; the quote right next to it is what was said
            owner = next(r for r in found if r["cue"][0] <= record["cue"][0] < r["cue"][1])
            if owner["rule"] != "verb_object":
                continue
            if owner["content"][-1][1] <= s:
                owner["content"] = [[s, e]]
            elif record["rule"] == "quote_after" and owner["content"][0][0] >= e \
                    and _quoted_sentence(doc, s, e):
                # what the quote is about stays ("said of the plan"); whom it was told does not
                topic = doc[owner["content"][0][0]].lower_ in _TOPIC_PREPS
                owner["content"] = [[s, e]] + (owner["content"] if topic else [])
            else:
                continue
            owner["rule"] = record["rule"]
            used_quotes.add(q)
            continue
        found.append(record)
        used_quotes.add(q)
        cue_tokens.update(range(*record["cue"]))
        _merge_quotes(doc, [record], quotes, in_quote, used_quotes)
    _separate_nested(doc, found, sentence_of, nesting_model() if nesting is None else nesting)
    _yield_to_stronger_inner(doc, found, sentence_of)
    _keep_the_wider_cue(found)
    for record in found:
        first = record["content"][0]
        first[0] = _after_dateline(doc, first[0], first[1])
        record["direct"] = all(
            any(p == list(quotes[q]) for q in range(len(quotes))) for p in record["content"]
        )
        record["mixed"] = not record["direct"] and any(
            in_quote[i] >= 0 for s, e in record["content"] for i in range(s, e)
        )
    # nested: reported inside what another source says ("Kirby said Moscow denied ...")
    for record in found:
        cue = record["cue"][0]
        record["nested"] = any(
            other is not record
            and sentence_of[other["cue"][0]] == sentence_of[cue]
            and s <= cue < e
            for other in found
            for s, e in other["content"]
        )
    found.sort(key=lambda r: r["cue"][0])
    return found


def nested_pairs(doc: Doc, found: list[dict], sentence_of: dict[int, int]):
    """(outer, inner, part index) for each attribution whose cue is in another one's content
    part within the same sentence."""
    for inner in found:
        cue = inner["cue"][0]
        for outer in found:
            if outer is inner or sentence_of[outer["cue"][0]] != sentence_of[cue]:
                continue
            for n, (s, e) in enumerate(outer["content"]):
                if s <= cue < e:
                    yield outer, inner, n


def _score_bucket(score: float | None) -> str:
    return "quote" if score is None else f"{min(int(score * 5), 4)}"


def nesting_features(doc: Doc, outer: dict, inner: dict, part: int) -> list[str]:
    """What the nesting model weighs to tell a report inside a report ("Kirby said Moscow
    denied ...": one attribution inside another) from a second attribution that the outer
    content ran into ("X said ..., while Y accused ...", "..., noting that ...")."""
    cue = doc[inner["cue"][0] : inner["cue"][1]].root
    s, e = outer["content"][part]
    content_root = doc[s:e].root
    position = (cue.i - s) * 3 // max(e - s, 1)
    comma = cue.left_edge.i > 0 and doc[cue.left_edge.i - 1].text in (",", ";", "—", "–", "-")
    own_source = inner["source"] is not None and s <= inner["source"][0] < e
    relation = "root" if cue.i == content_root.i else (
        "child" if cue.head.i == content_root.i else "deeper"
    )
    # a verb without a subject of its own shares one: "She said she regretted it and promised
    # ..." / "..., noting that ..." speak for the outer source when it is a claim verb
    own_subject = any(c.dep_ in _SUBJECT_DEPS for c in cue.children)
    same_source = inner["source"] is not None and inner["source"] == outer["source"]
    lexicon = _lexicon(inner["lemma"])
    joined = doc[cue.left_edge.i - 1].lower_ if cue.left_edge.i > 0 else "^"
    joined = joined if joined in (",", ";", "and", "but", "while", "—", "-") else "other"
    shape = f"{relation}|{cue.dep_}|{cue.tag_}|{own_subject}"
    return [
        f"nest_shape={shape}", f"nest_shape|lex={shape}|{lexicon}",
        f"nest_same_source={same_source}", f"nest_same_source|dep={same_source}|{cue.dep_}",
        f"nest_own_subject|lex={own_subject}|{lexicon}", f"nest_joined|dep={joined}|{cue.dep_}",
        f"nest_lex|dep={lexicon}|{cue.dep_}", f"nest_shape|lemma={shape}|{inner['lemma']}",
        f"nest_dep={cue.dep_}", f"nest_tag={cue.tag_}", f"nest_rule={inner['rule']}",
        f"nest_lemma={inner['lemma']}", f"nest_outer={outer['lemma']}",
        f"nest_outer_rule={outer['rule']}", f"nest_relation={relation}",
        f"nest_relation|dep={relation}|{cue.dep_}", f"nest_position={position}",
        f"nest_comma={comma}", f"nest_comma|dep={comma}|{cue.dep_}",
        f"nest_source={own_source}", f"nest_source|dep={own_source}|{cue.dep_}",
        f"nest_score={_score_bucket(inner.get('score'))}",
        f"nest_outer_score={_score_bucket(outer.get('score'))}",
        f"nest_scores={_score_bucket(outer.get('score'))}|{_score_bucket(inner.get('score'))}",
    ]


def _separate_nested(doc: Doc, found: list[dict], sentence_of: dict[int, int], model: "CueModel") -> None:
    """Take an attribution out of an outer content where the nesting model says it is a second
    one, not a report inside the report ("Critics said the plan, which the mayor defended,
    would fail", "X said ..., while Y accused ..."): the outer content keeps what is on either
    side of the inner one's clause."""
    _untangle_mutual(doc, found, sentence_of)
    cuts = []
    for outer, inner, part in nested_pairs(doc, found, sentence_of):
        if model.score(nesting_features(doc, outer, inner, part)) >= model.threshold:
            cue = doc[inner["cue"][0] : inner["cue"][1]].root
            # the inner source is not cut: its own subject is in its clause already, and a
            # shared one ("She said she regretted it and promised ...", "..., noting ...")
            # stands outside it, where cutting up to it would take all of the outer content
            ranges = [inner["cue"], (cue.left_edge.i, cue.right_edge.i + 1)] + inner["content"]
            cuts.append((outer, inner, cue, min(r[0] for r in ranges), max(r[1] for r in ranges)))
    for outer, inner, cue, cut_start, cut_end in cuts:
        parts = []
        shared_subject = False
        for s, e in outer["content"]:
            if cut_end <= s or e <= cut_start:
                parts.append([s, e])
                continue
            # a verb without a subject whose source is found in the outer content took the
            # subject of the clause it hangs off ("Kirsch told the AP her group never worked
            # with him and said ..."); out of that clause, it shares the outer source
            shared_subject = shared_subject or (
                inner["source"] is not None and s <= inner["source"][0] < cut_start
                and not any(c.dep_ in _SUBJECT_DEPS for c in cue.children)
            )
            for piece in (_trim(doc, s, max(s, cut_start)), _trim(doc, min(e, cut_end), e)):
                if piece is not None and piece[1] - piece[0] >= 2:
                    parts.append(list(piece))
        if parts:
            outer["content"] = parts
            if shared_subject:
                inner["source"] = outer["source"]


# how much more the model must trust a held cue than the weak cue holding it
_YIELD_MARGIN = 0.2


def _yield_to_stronger_inner(doc: Doc, found: list[dict], sentence_of: dict[int, int]) -> None:
    """Drop a weak cue that is not a claim verb when a cue held in its content is much surer:
    in "The council started the session by denouncing the budget cuts" or "The mayor signed an
    order directing the police to report every arrest", the attribution is the inner one and the
    outer verb an action that happened to be offered as a candidate (train, cross-validated:
    such outers were mostly wrong, and their inner cues right)."""
    weak = {
        tuple(outer["cue"])
        for outer, inner, _part in nested_pairs(doc, found, sentence_of)
        if outer.get("score") is not None and inner.get("score") is not None
        and outer["lemma"] not in CLAIM_LEMMAS
        and inner["score"] > outer["score"] + _YIELD_MARGIN
    }
    found[:] = [record for record in found if tuple(record["cue"]) not in weak]


def _keep_the_wider_cue(found: list[dict]) -> None:
    """Of two attributions whose cues share a token, keep the one with the wider cue: "seemed
    certain to leave" and "made it clear that ..." are offered both as the verb with its
    complement and as the verb with its adjective, and only one of them is the attribution
    (train, cross-validated: the wider one 31 times in 34 where one of them was right)."""
    taken: list[dict] = []
    for record in sorted(found, key=lambda r: (r["cue"][0] - r["cue"][1], r["cue"][0])):
        start, end = record["cue"]
        if not any(start < other["cue"][1] and other["cue"][0] < end for other in taken):
            taken.append(record)
    found[:] = [record for record in found if any(record is kept for kept in taken)]


def _untangle_mutual(doc: Doc, found: list[dict], sentence_of: dict[int, int]) -> None:
    """Two attributions each in the other's content ("Trump said he was happy, according to
    The Times": the verb's clause ran past the comma): the wider one reports the other, whose
    content stops before the wider one's cue and source."""
    def extent(record):
        ranges = [record["cue"]] + record["content"] + ([record["source"]] if record["source"] else [])
        return min(r[0] for r in ranges), max(r[1] for r in ranges)

    def breadth(record):
        # the wider extent, and of two as wide the one saying more: "X estimated that ...,
        # according to Y" spans the same words either way; "according to" holds the estimate
        start, end = extent(record)
        return end - start, sum(e - s for s, e in record["content"])

    # each mutual pair once, by the positions of the cues (never by object identity, which
    # would make the outcome differ from run to run)
    pairs = {
        (tuple(outer["cue"]), tuple(inner["cue"])): (outer, inner)
        for outer, inner, _ in nested_pairs(doc, found, sentence_of)
    }
    for (a, b), (outer, inner) in pairs.items():
        if a > b or (b, a) not in pairs:
            continue
        wide, narrow = sorted((outer, inner), key=breadth, reverse=True)
        taken = [wide["cue"]] + ([wide["source"]] if wide["source"] else [])
        cut_start, cut_end = min(r[0] for r in taken), max(r[1] for r in taken)
        parts = []
        for s, e in narrow["content"]:
            for piece in ((s, min(e, cut_start)), (max(s, cut_end), e)) if s < cut_end and cut_start < e else ((s, e),):
                piece = _trim(doc, *piece) if piece[1] > piece[0] else None
                if piece is not None and piece[1] - piece[0] >= 2:
                    parts.append(list(piece))
        if parts:
            narrow["content"] = parts


def quote_index(doc: Doc, max_quote_chars: int = _MAX_QUOTE_CHARS):
    """The quotes of ``doc`` as token ranges, and for each token the quote it is in (or -1)."""
    quotes = _quote_token_spans(doc, max_quote_chars)
    in_quote = [-1] * len(doc)
    for q, (s, e) in enumerate(quotes):
        for i in range(s, e):
            in_quote[i] = q
    return quotes, in_quote


def _quote_token_spans(doc: Doc, max_quote_chars: int) -> list[tuple[int, int]]:
    spans = []
    for s, e in find_quotes(doc.text, max_quote_chars):
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None and len(span) > 2:
            spans.append((span.start, span.end))
    return spans


def _lemma(token: Token) -> str:
    lemma = token.lemma_.lower()
    # the model's lemmatiser maps "hopes"/"hoping" to "hop"
    hop = token.lower_ in ("hop", "hops", "hopped", "hopping")
    return "hope" if lemma == "hop" and not hop else lemma


def cue_candidates(doc: Doc, in_quote: list[int]) -> list[tuple[dict, list[str]]]:
    """Every (record, features) pair the syntax offers, before the cue model decides.

    A candidate is any verb (but "be") with something it could be saying, a noun with a
    content clause or an owner, a stance adjective, and "according to".  A cue inside a quote
    belongs to the quoted speaker's words, not to the article, and is not a candidate.
    """
    first_break = _first_break(doc)
    introduced = _paragraphs_after_colons(doc, in_quote)
    candidates = []
    for token in doc:
        if in_quote[token.i] >= 0:
            continue
        if token.text == ":":
            record = _headline_colon(token, in_quote, introduced.get(token.i))
        else:
            record = _headline_verb(token, first_break) or _syntactic(token)
            if token.i in introduced:
                record = _introducing_verb(token, record, introduced[token.i])
        if record is not None:
            if record["rule"] == "verb_object":
                _quote_after_the_object(doc, record, in_quote)
            candidates.append((record, cue_features(token, record, first_break)))
    _add_structure_features(doc, candidates)
    return candidates


def _paragraphs_after_colons(doc: Doc, in_quote: list[int]) -> dict[int, tuple[int, int]]:
    """The paragraph a colon that ends its own paragraph introduces ("Hewitt writes:", "In a
    speech last July, he said:", a transcript's "TAPPER:"), by the token that introduces it:
    the last verb before the colon, or the colon itself when the clause before it has no verb.
    The parse ends the sentence at the paragraph break, so no verb has that paragraph for its
    content otherwise (train: the verb's object or an adverbial was taken for it, or no
    candidate was offered)."""
    introduced = {}
    for colon in doc:
        if colon.text != ":" or in_quote[colon.i] >= 0 or not _ends_paragraph(colon):
            continue
        start = colon.i + 1
        while start < len(doc) and doc[start].is_space:
            start += 1
        paragraph = _trim(doc, start, _paragraph_end(doc, start))
        if paragraph is None:
            continue
        clause = colon.i
        while clause > 0 and doc[clause - 1].text not in (".", "!", "?") \
                and "\n" not in doc[clause - 1].text_with_ws and in_quote[clause - 1] < 0:
            clause -= 1
        verbs = [t for t in doc[clause : colon.i] if t.pos_ == "VERB"]
        introduced[verbs[-1].i if verbs else colon.i] = paragraph
    return introduced


def _paragraph_end(doc: Doc, start: int) -> int:
    """The end of the paragraph (or line) the token at ``start`` is in, from there on."""
    end = start
    while end < len(doc) and not doc[end].is_space:
        end += 1
        if "\n" in doc[end - 1].whitespace_:
            break
    return end


def _ends_paragraph(token: Token) -> bool:
    doc = token.doc
    return "\n" in token.whitespace_ or (
        token.i + 1 < len(doc) and doc[token.i + 1].is_space and "\n" in doc[token.i + 1].text
    )


def _introducing_verb(verb: Token, record: dict | None, paragraph: tuple[int, int]) -> dict | None:
    """The verb before a colon that ends its paragraph says the next paragraph: its object or
    adverbial ("tweeting the following:", "In a speech, he declared:") is not what it said."""
    if record is None:
        source = _source_of(verb)
        if source is None:
            return None
        return _record(verb, _lemma(verb), _kind(verb), source, [paragraph], "colon_paragraph")
    record["content"] = [list(paragraph)]
    record["rule"] = "colon_paragraph"
    return record


def _quote_after_the_object(doc: Doc, record: dict, in_quote: list[int]) -> None:
    """'told reporters, "..."', 'issued a statement: "..."', 'As she put it, "..."': the
    quote set off right after the verb's object is what was said, the object whom it was told
    or what carried it (the parse may or may not have hung the quote on the object)."""
    content_start, content_end = record["content"][0][0], record["content"][-1][1]
    for mark in range(content_start + 1, min(content_end + 1, len(doc))):
        if doc[mark].text not in (",", ":"):
            continue
        start = mark + 1
        while start < len(doc) and doc[start].is_space:
            start += 1
        if start >= len(doc) or in_quote[start] < 0 or in_quote[start - 1] == in_quote[start]:
            return
        end = start
        while end < len(doc) and in_quote[end] == in_quote[start]:
            end += 1
        if end < content_end:
            return  # a quote inside the object ("called it, "a disgrace", and left")
        record["content"] = [[start, end]]
        record["rule"] = "verb_quote"
        return


def _add_structure_features(doc: Doc, candidates: list[tuple[dict, list[str]]]) -> None:
    """How each candidate sits among the others of its sentence.

    PolNeAR gives a token to at most one attribution, and a reporting verb inside what another
    verb reports ("officials said the minister denied ...") is seldom one of its own: which
    candidates hold this one's cue in their content (or hang it below a content the parse cut
    short), which cues its own content holds, and how many compete in the sentence tell the
    model what the cue's own words cannot.
    """
    by_sentence: dict[int, list[tuple[dict, list[str]]]] = {}
    for candidate in candidates:
        by_sentence.setdefault(doc[candidate[0]["cue"][0]].sent.start, []).append(candidate)
    for group in by_sentence.values():
        for record, features in group:
            lemma, cue = record["lemma"], record["cue"][0]
            outer = [o for o, _ in group if o is not record and any(s <= cue < e for s, e in o["content"])]
            inner = [
                o for o, _ in group
                if o is not record and any(s <= o["cue"][0] < e for s, e in record["content"])
            ]
            for other in outer:
                lexicon = _lexicon(other["lemma"])
                features += [
                    f"outer_lex={lexicon}", f"outer_lemma={other['lemma']}", f"outer_rule={other['rule']}",
                    f"lemma|outer_lex={lemma}|{lexicon}", f"outer_lex|dep={lexicon}|{doc[cue].dep_}",
                    f"outer_lex|rule={lexicon}|{record['rule']}",
                ]
            # content the parse cut short: the cue hangs below another's content without lying
            # in it ("she said she had not called for it because she believed ...")
            ancestors = {a.i for a in doc[cue].ancestors}
            below = [
                o for o, _ in group
                if o is not record and o not in outer
                and any(s <= a < e for s, e in o["content"] for a in ancestors)
            ]
            features += [f"below_lex={_lexicon(o['lemma'])}" for o in below]
            features += [f"inner_lex={_lexicon(o['lemma'])}" for o in inner]
            features += [f"inner_lemma={o['lemma']}" for o in inner]
            if not outer:
                features.append("outer=none")
            if not inner:
                features.append("inner=none")
            features.append(f"in_sentence={min(len(group) - 1, 5)}")
            features.append(f"root={doc[cue].dep_ == 'ROOT'}")


# the features :func:`_add_structure_features` gives a cue held in another candidate's content
_HELD_FEATURES = ("outer_", "lemma|outer_")


def _lexicon(lemma: str) -> str:
    return (
        "claim" if lemma in CUE_LEXICON else "stance" if lemma in STANCE_VERBS
        else "noun" if lemma in CUE_NOUNS else "adjective" if lemma in CUE_ADJECTIVES else "other"
    )


_CONTENT_OPENERS = {"that", "to", "if", "whether", "how", "what", "why", "when", "who"}
_SOURCE_PRONOUNS = {"he", "she", "they", "we", "i", "you", "it", "who", "which", "that"}


def _first_break(doc: Doc) -> int:
    """The end of the first paragraph (the headline): just after the first token with a break."""
    return next((t.i + 1 for t in doc if "\n" in t.text_with_ws), len(doc))


def cue_features(token: Token, record: dict, first_break: int | None = None) -> list[str]:
    """What the cue model weighs: the cue word, how it is built, its source and its content.

    ``first_break`` is :func:`_first_break` of the doc, if the caller has it already.
    """
    doc = token.doc
    lemma, rule = record["lemma"], record["rule"]
    lexicon = _lexicon(lemma)
    if record["source"] is None:
        source, source_word = "none", "-"
    else:
        head = doc[record["source"][0] : record["source"][1]].root
        source = (
            f"pron:{head.lower_}" if head.lower_ in _SOURCE_PRONOUNS
            else head.ent_type_ or head.pos_
        )
        source_word = head.lemma_.lower() if head.pos_ == "NOUN" else head.pos_
    start, end = record["content"][0][0], record["content"][-1][1]
    first = doc[start]
    opener = "quote" if first.is_quote else first.lower_ if first.lower_ in _CONTENT_OPENERS else first.pos_
    # the word after the opener: "that he", "to be", "of the", a quote's first word
    second = doc[start + 1].lower_ if start + 1 < end else "$"
    content_root = doc[start:end].root
    length = end - start
    size = "1" if length == 1 else "2-3" if length < 4 else "4-7" if length < 8 else "8-15" if length < 16 else "16+"
    content_prep = first.lower_ if first.dep_ == "prep" else "-"
    # a headline (the first paragraph) is parsed poorly and written in its own style; not a
    # feature of "Name: ..." (its own paragraph-opening construction), or a one-paragraph text
    # opening with a dateline ("Washington: ...") would pass for a headline
    if first_break is None:
        first_break = _first_break(doc)
    headline = token.i < first_break and rule != "headline_colon"
    governor = token.head.lemma_.lower() if token.dep_ in ("xcomp", "ccomp", "advcl", "conj", "acl") else "-"
    return [
        f"lemma={lemma}", f"rule={rule}", f"lemma|rule={lemma}|{rule}",
        f"lex={lexicon}", f"lex|rule={lexicon}|{rule}", f"lex|source={lexicon}|{source}",
        f"pos={token.pos_}", f"tag={token.tag_}", f"dep={token.dep_}", f"lemma|dep={lemma}|{token.dep_}",
        f"source={source}", f"lemma|source={lemma}|{record['source'] is not None}",
        f"opener={opener}", f"lemma|opener={lemma}|{opener}", f"lex|opener={lexicon}|{opener}",
        f"content_second={second}",
        f"content_dep={content_root.dep_}", f"content_pos={content_root.pos_}",
        f"size={size}", f"lex|size={lexicon}|{size}",
        f"passive={_passive(token)}", f"negated={record['negated']}",
        f"governor={governor}", f"lemma|governor={lemma}|{governor}",
        f"quoted={any(t.is_quote for t in doc[start:end])}",
        f"lemma|source_type={lemma}|{source}", f"source_word={source_word}",
        f"lemma|passive={lemma}|{_passive(token)}", f"rule|source={rule}|{source}",
        f"content_prep={content_prep}", f"lemma|content_prep={lemma}|{content_prep}",
        f"lemma|tag={lemma}|{token.tag_}", f"lemma|size={lemma}|{size}",
        f"lemma|content_dep={lemma}|{content_root.dep_}",
        f"dep|head={token.dep_}|{token.head.lemma_.lower()}", f"head_pos={token.head.pos_}",
        f"before={_feature_word(doc[token.i - 1]) if token.i else '^'}",
        f"after={_feature_word(doc[token.i + 1]) if token.i + 1 < len(doc) else '$'}",
        f"headline={headline}", f"lex|headline={lexicon}|{headline}",
        *_propensity_features(token, lemma, lexicon),
        *_wordnet_features(token, record, lexicon),
        f"content_lemma={content_root.lemma_.lower()}",
        f"lemma|content_lemma={lemma}|{content_root.lemma_.lower()}",
        f"content_ent={content_root.ent_type_ or '-'}",
        f"lemma|content_ent={lemma}|{content_root.ent_type_ or '-'}",
    ]


_ANIMATE_PRONOUNS = {"he", "she", "they", "i", "we", "who", "his", "her", "their", "my", "our"}


def _animate(token: Token | None) -> bool:
    return token is not None and (token.ent_type_ in _AGENT_ENTITIES or token.lower_ in _ANIMATE_PRONOUNS)


def clause_and_agent(token: Token) -> tuple[str, bool, bool] | None:
    """For a verb, noun or adjective: its ``pos:lemma`` key, whether it takes a complement
    clause here, and whether a person, group or place is its subject (a noun's owner): what
    bench/lemma_propensity.py counts over unlabelled news."""
    if token.pos_ == "VERB":
        clause = any(
            c.dep_ == "ccomp" or c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in ("that", "whether") for m in c.children
            )
            for c in token.children
        )
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        return f"v:{_lemma(token)}", clause, _animate(subject)
    if token.pos_ == "NOUN":
        clause = any(
            c.dep_ in ("acl", "ccomp", "appos")
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
            for c in token.children
        )
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        return f"n:{token.lemma_.lower()}", clause, _animate(owner)
    if token.pos_ == "ADJ" and token.dep_ == "acomp":
        clause = any(c.dep_ in ("ccomp", "xcomp") for c in token.children)
        subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
        return f"a:{token.lemma_.lower()}", clause, _animate(subject)
    return None


@functools.lru_cache(maxsize=1)
def lemma_propensity() -> dict[str, tuple[float, float]]:
    """``pos:lemma`` -> (share with a clause, share with an animate subject), from the file
    bench/lemma_propensity.py writes."""
    out = {}
    for line in LEMMA_PROPENSITY_TSV.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _count, clause, agent = line.split("\t")
            out[word] = (float(clause), float(agent))
    return out


def _propensity_features(token: Token, lemma: str, lexicon: str) -> list[str]:
    """How the cue word behaves in news at large, bucketed: a word the cue model has seen too
    seldom to weigh is still known by whether it takes clauses and animate subjects."""
    pos = "v" if token.pos_ in ("VERB", "AUX") else "n" if token.pos_ == "NOUN" else "a"
    found = lemma_propensity().get(f"{pos}:{lemma}")
    if found is None:
        return ["propensity=unseen", f"lex|propensity={lexicon}|unseen"]
    clause, agent = (_rate_bucket(r) for r in found)
    return [
        f"clause_rate={clause}", f"agent_rate={agent}", f"clause|agent={clause}|{agent}",
        f"lex|clause_rate={lexicon}|{clause}", f"pos|clause|agent={pos}|{clause}|{agent}",
    ]


@functools.lru_cache(maxsize=1)
def wordnet_classes() -> dict[str, str]:
    """``pos:lemma`` (v or n) -> the WordNet class of its most frequent sense
    ("v:say" -> "communication"), from the file bench/wordnet_classes.py writes."""
    out = {}
    for line in WORDNET_CLASSES_TSV.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, lemmas = line.split("\t")
            pos, word_class = key.split(":")
            out.update((f"{pos}:{lemma}", word_class) for lemma in lemmas.split())
    return out


def _wordnet_features(token: Token, record: dict, lexicon: str) -> list[str]:
    """The kind of meaning of the cue word and of the source's head noun: a verb of
    communication or cognition is a stance where one of motion or possession is an act, and a
    person or a group speaks where an artifact does not, however seldom PolNeAR had the word."""
    classes = wordnet_classes()
    out = []
    pos = "v" if token.pos_ in ("VERB", "AUX") else "n" if token.pos_ == "NOUN" else None
    if pos is not None:
        cue_class = classes.get(f"{pos}:{record['lemma']}", "unseen")
        out += [
            f"wordnet={cue_class}", f"wordnet|rule={cue_class}|{record['rule']}",
            f"wordnet|lex={cue_class}|{lexicon}",
        ]
    if record["source"] is not None:
        head = token.doc[record["source"][0] : record["source"][1]].root
        if head.pos_ == "NOUN":
            source_class = classes.get(f"n:{head.lemma_.lower()}", "unseen")
            out += [f"source_wordnet={source_class}", f"source_wordnet|lex={source_class}|{lexicon}"]
    return out


_RATE_BUCKETS = ((0.02, "0"), (0.05, "2"), (0.15, "5"), (0.4, "15"), (2.0, "40"))


def _rate_bucket(rate: float) -> str:
    """The share as the percentage it is at least: 0, 2, 5, 15 or 40."""
    return next(name for bound, name in _RATE_BUCKETS if rate < bound)


def _feature_word(token: Token) -> str:
    # a paragraph break is one feature, and keeps the weights file one feature a line
    return "¶" if token.is_space or not token.text.strip() else token.lower_


@dataclass(frozen=True)
class CueModel:
    """A logistic regression over :func:`cue_features`: is this candidate an attribution?"""

    weights: dict[str, float]
    bias: float
    threshold: float

    def score(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def read(cls, path: Path) -> "CueModel":
        weights, header = {}, {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            name, tab, value = line.rpartition("\t")
            if not tab:
                raise ValueError(f"{path}: not a 'feature<TAB>weight' line: {line!r}")
            if name in ("@bias", "@threshold"):
                header[name] = float(value)
            else:
                weights[name] = float(value)
        if set(header) != {"@bias", "@threshold"}:
            raise ValueError(f"{path}: the cue model needs '@bias' and '@threshold' lines")
        return cls(weights, header["@bias"], header["@threshold"])


@functools.lru_cache(maxsize=1)
def cue_model() -> CueModel:
    """The trained cue model shipped in ``ingest/data`` (see bench/train_attribution_cues.py)."""
    return CueModel.read(CUE_MODEL_TSV)


@functools.lru_cache(maxsize=1)
def nesting_model() -> CueModel:
    """The trained nesting model shipped in ``ingest/data`` (see bench/train_attribution_cues.py)."""
    return CueModel.read(NESTING_MODEL_TSV)


def _syntactic(token: Token) -> dict | None:
    if token.lower_ == "according" and token.i + 1 < len(token.doc):
        return _according_to(token)
    if token.lower_ in ("in", "by", "to") and token.dep_ == "prep":
        return (token.lower_ == "in" and _in_a_poll(token)) or _viewpoint(token)
    pos = token.pos_
    if pos in ("VERB", "AUX"):
        return _verb_cue(token) if token.lemma_ != "be" else None
    if pos == "NOUN":
        return (_noun_cue(token) or _copular_noun_cue(token)) if token.n_rights or token.n_lefts else None
    if pos == "ADJ" and token.dep_ in ("acomp", "ccomp", "oprd"):
        return _adjective_cue(token)
    return None


def _headline_verb(token: Token, first_break: int) -> dict | None:
    """'Senator Praises Budget Deal', 'Farm groups slam tariff': the verb of a headline that the
    parse, misled by its title case or its missing articles, took for a name or a noun.

    A word of the headline (the first paragraph) that is an inflected cue verb, right after a
    name or noun, is the cue; the run of names and nouns before it the source, the rest of
    the headline (to a colon or the end) the content.
    """
    doc = token.doc
    if token.i >= first_break or token.i == 0 or token.pos_ not in ("PROPN", "NOUN"):
        return None
    if token.ent_iob_ == "I" and token.ent_type_ in _PLACES:
        return None  # "The United States has ...": no verb inside a place's name
    lemma = _inflected_cue(token.lower_)
    if lemma is None or doc[token.i - 1].pos_ not in ("PROPN", "NOUN"):
        return None
    start = token.i - 1
    while start > 0 and doc[start - 1].pos_ in ("PROPN", "NOUN", "ADJ", "NUM", "PART") \
            and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    end = token.i + 1
    while end < first_break and doc[end].text not in (".", ":", ";", "!", "?") and not doc[end].is_space:
        end += 1
        if "\n" in doc[end - 1].text_with_ws:
            break
    content = _trim(doc, token.i + 1, end)
    if content is None:
        return None
    return {
        "cue": [token.i, token.i + 1], "lemma": lemma, "kind": CUE_LEXICON.get(lemma, _STATED),
        "source": [start, token.i], "content": [list(content)], "negated": False,
        "rule": "headline_verb",
    }


_VERB_ENDINGS = ("s", "es", "ed", "d", "ing")


def _inflected_cue(word: str) -> str | None:
    """The cue lemma a word inflects ('praises', 'slammed', 'urging'), or None."""
    stems = [word[: -len(e)] for e in _VERB_ENDINGS if word.endswith(e) and len(word) > len(e) + 2]
    for stem in [word] + stems:
        for lemma in (stem, stem + "e"):
            if lemma in CUE_LEXICON or lemma in STANCE_VERBS:
                return lemma
    return None


def _headline_colon(
    colon: Token, in_quote: list[int], paragraph: tuple[int, int] | None = None
) -> dict | None:
    """'Zelensky: Up to 10,000 Troops Are Being Prepared' (headline style).

    A paragraph opens with a short name and a colon: the name is the source, the rest of the
    paragraph the content, or the next ``paragraph`` when the colon ends its own (a
    transcript's "TAPPER:" on a line of its own).
    """
    doc = colon.doc
    start = colon.i
    while start > 0 and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    source = _trim(doc, start, colon.i)
    content = paragraph
    if content is None and not _ends_paragraph(colon):
        content = _trim(doc, colon.i + 1, _paragraph_end(doc, colon.i + 1))
    if source is None or content is None or source[1] - source[0] > 5 or content[1] - content[0] < 3:
        return None
    name = doc[source[0] : source[1]]
    # a name in capitals (a transcript's speaker label) is often tagged as anything
    capitals = all(t.is_upper or t.is_punct for t in name)
    if any(in_quote[t.i] >= 0 for t in name) or not capitals and any(t.pos_ in ("VERB", "AUX") for t in name):
        return None
    if not capitals and not any(t.pos_ in ("PROPN", "NOUN") for t in name):
        return None
    if all(t.ent_type_ in ("GPE", "LOC") for t in name):
        return None  # a dateline ("WASHINGTON: ..."), not a speaker
    return {
        "cue": [colon.i, colon.i + 1],
        "lemma": ":",
        "kind": _STATED,
        "source": list(source),
        "content": [list(content)],
        "negated": False,
        "rule": "headline_colon",
    }


def _adjective_cue(adj: Token) -> dict | None:
    """'X has been critical of Y', 'X is confident that Y', 'X made it clear that Y'."""
    head = adj.head
    if head.pos_ not in ("VERB", "AUX") or head.i > adj.i:
        return None
    lemma = _lemma(adj)
    content = [
        c for c in list(adj.children) + [c for c in head.children if c.i > adj.i or c.dep_ == "csubj"]
        if c.dep_ in ("ccomp", "xcomp", "advcl", "csubj") or (c.dep_ == "prep" and _content_prep(c, lemma))
        # a stance is held towards its preposition's object: "sympathetic to", "confident in"
        or c.dep_ == "prep" and c.head.i == adj.i and c.lower_ in _STANCE_PREPS
        and _prep_object(c) is not None
    ]
    if not content:
        return None
    part = _within_paragraph(
        adj.doc, min(c.left_edge.i for c in content), max(c.right_edge.i for c in content) + 1, adj.i
    )
    source = _source_of(head)
    # "It is unclear who else was involved", "Whether she won them over is unknown": the
    # writer's own assessment of a clause, with nobody named
    impersonal = any(
        c.dep_ == "csubj" or c.dep_ == "nsubj" and c.lower_ == "it" for c in head.children
    ) and any(c.dep_ in ("ccomp", "csubj") for c in content)
    if part is None or source is None and not impersonal:
        return None
    record = _record(head, lemma, _STATED, source, [part], "adjective")
    record["cue"] = [record["cue"][0], adj.i + 1]
    return record


def _verb_cue(verb: Token) -> dict | None:
    lemma = _lemma(verb)
    if _discourse_said(verb, lemma):
        return None
    received = _received_stance(verb, lemma)
    if received is not None:
        return received
    kind = CUE_LEXICON.get(lemma, _STATED)
    clauses = [
        c for c in verb.children
        if c.dep_ in ("ccomp", "xcomp") and not _behind_a_break(c, verb)
        # "asked if he would run", "called for Republicans to unite": a clause the parse
        # hangs on as an adverbial by its opener
        or c.dep_ == "advcl" and c.i > verb.i and any(
            m.dep_ == "mark" and m.i > verb.i and (
                m.lower_ in ("if", "whether", "for")
                # "reassured his counterpart that ...", but not "so that", "now that"
                or m.lower_ == "that" and verb.doc[m.i - 1].lower_ not in _CONJUNCTION_THAT
            )
            for m in c.children
        )
        # "He wrote: the plan failed": a clause after a colon
        or c.dep_ == "parataxis" and c.left_edge.i == verb.i + 2 and verb.doc[verb.i + 1].text == ":"
    ]
    objects = [
        c for c in verb.children
        if c.dep_ in ("dobj", "oprd") or (c.dep_ == "prep" and _content_prep(c, lemma))
        # "most respondents said yes", "the minister would not say so": the answer is what
        # was said
        or lemma in CUE_LEXICON and c.i > verb.i and (
            c.dep_ == "intj" and c.lower_ in ("yes", "no") or c.dep_ == "advmod" and c.lower_ == "so"
        )
    ]
    # a clause is what is said; without one, the object ("said on Tuesday that" keeps the clause)
    content_tokens = clauses or objects
    if clauses and all(c.i < verb.i for c in clauses) and _object_after_is_content(verb, lemma, objects):
        # "He and I said the same thing", with the sentence before parsed as its clause: a verb
        # with an object of its own says that; "..., he told reporters" keeps the clause
        content_tokens, clauses = [o for o in objects if o.i > verb.i], []
    elif clauses and all(c.dep_ == "xcomp" and c.i > verb.i for c in clauses) and _object_after_is_content(
        verb, lemma, objects
    ):
        # "asked the candidates questions to see how they answered": the object is said too
        content_tokens = [o for o in objects if o.i > verb.i] + clauses
    fronted = _fronted_subject(verb) if lemma in CUE_LEXICON else None
    if fronted is not None:
        # "The plan, said the mayor, would fail": the parse gave the cue both subjects; the one
        # before it opens what was said
        rest = [(c.left_edge.i, c.right_edge.i + 1) for c in clauses if c.i > verb.i]
        if not rest and verb.dep_ in ("parataxis", "ccomp") and verb.head.pos_ in ("VERB", "AUX"):
            rest = _clause_without(verb.head, verb)
        spans = [(fronted.left_edge.i, fronted.right_edge.i + 1)] + rest
        parts = [p for p in (_within_paragraph(verb.doc, a, b, verb.i) for a, b in spans) if p is not None]
        if rest and parts:
            return _record(verb, lemma, kind, _source_of(verb), parts, "inverted")
    trailing = _trailing_speaker(verb) if lemma in CUE_LEXICON else None
    if trailing is not None:
        return _record(verb, lemma, kind, trailing[1], [trailing[0]], "trailing_speaker")
    if not content_tokens and lemma in CUE_LEXICON and _as_clause(verb):
        # "As The Hill reported, Trump ...", "..., as Comey noted, people ...": the clause the
        # "as" clause hangs on is what was reported
        head = verb.head
        if head.pos_ in ("VERB", "AUX"):
            parts = _clause_without(head, verb)
            if parts:
                return _record(verb, lemma, kind, _as_clause_source(verb), parts, "as_clause")
    if (
        not content_tokens
        and verb.dep_ in ("parataxis", "advcl")
        and lemma in CUE_LEXICON
        and not any(
            c.dep_ in ("mark", "aux") and c.i < verb.i
            and c.lower_ in ("to", "if", "when", "because", "while")
            for c in verb.children
        )
        and verb.tag_ in ("VBD", "VBZ", "VBP")
        and any(c.dep_ == "nsubj" for c in verb.children)
        and _set_off(verb)
    ):
        # "Troops arrived, officials said" / "The troops, he said, arrived": the reported
        # clause is the head and the cue hangs off it
        head = verb.head
        # whatever the parse made of the head's subject ("Whatever the envoy has achieved,
        # diplomats said, could be undone" has it as a clause)
        if head.pos_ in ("VERB", "AUX"):
            parts = _clause_without(head, verb)
            if parts:
                return _record(verb, lemma, kind, _source_of(verb), parts, "inverted")
    if not content_tokens and lemma in CUE_LEXICON:
        reported = _report_after_its_content(verb)
        if reported is not None:
            return _record(verb, lemma, kind, reported[1], [reported[0]], "trailing_speaker")
        content_tokens = _stray_that_clause(verb)
    passive = None if content_tokens else _passive_subject(verb, lemma, kind)
    if passive is not None:
        return passive
    if not content_tokens:
        return None
    start = min(t.left_edge.i for t in content_tokens)
    end = max(t.right_edge.i for t in content_tokens) + 1
    for t in content_tokens:
        # "Kirby said 3,000 arrived, while Zelensky said ...": the second report is not content
        for c in t.rights:
            if c.dep_ in ("advcl", "conj") and _lemma(c) in CUE_LEXICON and _has_subject(c):
                end = min(end, c.left_edge.i)
    content = _within_paragraph(verb.doc, start, end, verb.i)
    if content is None:
        return None
    rule = "verb" if clauses else "verb_object"
    return _record(verb, lemma, kind, _source_of(verb), [content], rule)


# verbs whose subject gets the stance their object names from someone else: "The plan drew
# criticism from Moscow" is Moscow criticising the plan, "She has the support of the union" the
# union supporting her, and so is "came under fire from"
_RECEIVING_VERBS = {
    "draw", "receive", "attract", "earn", "face", "win", "garner", "gain", "get", "spark",
    "provoke", "trigger", "prompt", "elicit", "invite", "have", "enjoy",
}
_RECEIVED_STANCES = {
    "criticism", "support", "praise", "condemnation", "scorn", "backing", "endorsement", "rebuke",
    "backlash", "applause", "opposition", "ire", "anger", "outrage", "approval", "disapproval",
    "acclaim", "ridicule", "derision", "complaint", "protest", "objection", "warning",
    "skepticism", "scepticism", "blessing", "censure", "pushback", "accolade",
}
_UNDER_STANCES = {"fire", "criticism", "attack", "scrutiny"}
# stances whose "of" names who gives them ("the support of the union"); the others' "of" names
# what they are about ("criticism of the plan")
_GIVEN_OF = {"support", "backing", "endorsement", "blessing", "approval"}


def _stance_received(verb: Token, lemma: str) -> Token | None:
    """The stance noun the verb's subject receives, if the verb is built so."""
    if lemma in _RECEIVING_VERBS:
        stance = next(
            (c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in _RECEIVED_STANCES), None
        )
    elif lemma == "come":
        # "The ministry came under fire from lawmakers"
        under = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "under"), None)
        stance = _prep_object(under) if under is not None else None
        if stance is not None and stance.lemma_.lower() not in _UNDER_STANCES:
            stance = None
    else:
        return None
    if stance is None or _says_a_clause(stance):
        return None  # "faced criticism from unions that it was unfair": the clause is said
    if stance.lemma_.lower() not in _GIVEN_OF \
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in stance.rights):
        return None  # "sparked criticism of the policy": the policy is criticised, by nobody named
    return stance


def _received_stance(verb: Token, lemma: str) -> dict | None:
    """'The proposal drew sharp criticism from rivals': the rivals (the stance's owner, the
    object of its or the verb's "from", or of the "of" of a support) hold the stance, the
    subject is what it is about; with none, the stance has no source ("His plan has wide
    support")."""
    stance = _stance_received(verb, lemma)
    if stance is None:
        return None
    of = [c for c in stance.rights if c.dep_ == "prep" and c.lower_ == "of"]
    preps = [c for c in stance.rights if c.dep_ == "prep" and c.lower_ == "from"] + of
    preps += [c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "from" and c.i > stance.i]
    owner = next((c for c in stance.children if c.dep_ == "poss"), None)
    holder = owner or next((o for o in map(_prep_object, preps) if o is not None), None)
    # the whole subject is what the stance is about ("His plan to cut taxes has wide support");
    # a participle's is the one it shares ("The minister, drawing praise from ..., resigned")
    own = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    subject = (own.left_edge.i, own.right_edge.i + 1) if own is not None else _source_of(verb)
    if subject is None:
        return None
    content = _within_paragraph(verb.doc, subject[0], subject[1], verb.i)
    if content is None:
        return None
    noun = stance.lemma_.lower()
    source = None if holder is None else (
        holder.left_edge.i, holder.i + 1 if holder is owner else holder.right_edge.i + 1
    )
    record = _record(verb, noun, CUE_NOUNS.get(noun, _STATED), source, [content], "received_stance")
    record["cue"][1] = max(record["cue"][1], stance.i + 1)
    return record


def _fronted_subject(verb: Token) -> Token | None:
    """The subject before a cue that has another one right after it, set off by a comma."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    after = [c for c in subjects if c.i > verb.i]
    before = [c for c in subjects if c.i < verb.i and c.right_edge.i == verb.i - 2]
    if after and before and verb.doc[verb.i - 1].text == ",":
        return before[0]
    return None


def _object_after_is_content(verb: Token, lemma: str, objects: list[Token]) -> bool:
    """Is the direct object after the verb what it says, not whom it tells?"""
    return any(
        o.dep_ == "dobj" and o.i > verb.i and lemma not in _ADDRESSEE_VERBS
        and o.ent_type_ not in _AGENT_ENTITIES and o.lower_ not in _PERSONAL_OBJECTS
        for o in objects
    )


def _discourse_said(verb: Token, lemma: str) -> bool:
    """'That said, ...', 'That being said, ...', 'Having said that, ...': a connective, not
    a report of what anyone said."""
    if lemma != "say":
        return False
    doc = verb.doc
    before = [t.lower_ for t in doc[max(verb.sent.start, verb.i - 2) : verb.i]]
    after = [t.lower_ for t in doc[verb.i + 1 : verb.i + 3]]
    if after[:1] == [","]:
        return before[-1:] == ["that"] or before[-2:] == ["that", "being"]
    return before[-1:] == ["having"] and after == ["that", ","]


def _stray_that_clause(verb: Token) -> list[Token]:
    """'She said after the vote that the deal was dead': a "that" clause the parse hung on a
    noun of the adjunct between the verb and the clause; the first one after the verb, in its
    own sentence."""
    sentence_end = verb.sent.end
    for token in verb.subtree:
        if token.i <= verb.i or token.i >= sentence_end:
            continue
        if token.dep_ == "mark" and token.lower_ == "that" \
                and token.head.dep_ in ("acl", "ccomp", "relcl") and token.head.head.pos_ in ("NOUN", "PROPN"):
            return [token.head]
    return []


def _behind_a_break(clause: Token, verb: Token) -> bool:
    """A clause before a colon or a dash the cue's own clause follows ("The plan drew fire:
    critics called it a gamble"): the parse hung it on the cue, but it is not what was said."""
    doc = verb.doc
    if clause.i > verb.i:
        return False
    # up to the cue's own subject: a hyphen inside it ("Rep. Jane Roe (D-Wis.) said") is no break
    subject = next((c for c in verb.lefts if c.dep_ in _SUBJECT_DEPS and c.i > clause.i), None)
    end = subject.left_edge.i if subject is not None else verb.i
    return any(t.text in (":", "-", "–", "—") for t in doc[clause.right_edge.i : end])


def _passive_subject(verb: Token, lemma: str, kind: str) -> dict | None:
    """'The new tariff was criticized by farm groups', 'The closure was confirmed by the firm':
    a passive verb with nothing else to say says its subject, and its by-agent is the source
    (a pronoun subject is left out: what it stands for is in another sentence)."""
    if not _passive(verb):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is None or subject.pos_ == "PRON" or subject.lower_ in _EXPLETIVES:
        return None
    part = _within_paragraph(verb.doc, subject.left_edge.i, subject.right_edge.i + 1, verb.i)
    if part is None:
        return None
    return _record(verb, lemma, kind, _by_agent(verb), [part], "passive_subject")


def _as_clause(verb: Token) -> bool:
    """'As The Hill reported, ...' / '..., as reported by the paper': a reporting clause
    opened by "as" that hangs on another clause."""
    return verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i for c in verb.children
    )


def _as_clause_source(verb: Token) -> tuple[int, int] | None:
    """The subject of an "as" clause, or the by-agent of a passive one ("as reported by X");
    never the subject of the clause it hangs on."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return _subject_extent(subject) if subject is not None else _by_agent(verb)


def _by_agent(verb: Token) -> tuple[int, int] | None:
    """The object of a passive verb's by-phrase ('was confirmed by the company'), if any."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    return (pobj.left_edge.i, pobj.right_edge.i + 1) if pobj is not None else None


def _content_prep(prep: Token, lemma: str) -> bool:
    """'warned of escalation' is content; 'said on Tuesday', 'spoke to reporters' are not."""
    if prep.lower_ not in _CONTENT_PREPS:
        return False
    if prep.lower_ == "to" and lemma not in _TO_CONTENT:
        return False  # mostly the addressee
    pobj = _prep_object(prep)
    return pobj is not None and not (prep.lower_ == "on" and pobj.pos_ == "PROPN")


def _prep_object(prep: Token) -> Token | None:
    """The object of the preposition, or a clause ("railed against what he calls ..."); not a
    date or a time."""
    pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
    return None if pobj is None or pobj.ent_type_ in ("DATE", "TIME") else pobj


# the most words a trailing speaker and its description after a comma may have
_MAX_DESCRIBED_SPEAKER = 24


def _trailing_speaker(verb: Token):
    """'10,000 troops in Russia, says Zelensky' (headline style) / 'Troops arrived, said Kirby.'

    The cue follows a comma and only a short verbless name follows it to the end of the
    sentence or paragraph: the name is the source, what precedes the comma the content.
    """
    doc = verb.doc
    if verb.i == 0 or doc[verb.i - 1].text != "," or verb.tag_ not in ("VBZ", "VBD"):
        return None
    end = verb.i + 1
    while end < len(doc) and "\n" not in doc[end].text and doc[end].text not in (".", "!", "?", ";"):
        if "\n" in doc[end].text_with_ws:
            end += 1
            break
        end += 1
    speaker = _trim(doc, verb.i + 1, end)
    if speaker is None:
        return None
    if speaker[1] - speaker[0] > 8:
        # 'said Geert Wilders, founder of the right-wing Dutch Party for Freedom.': a short name
        # and what describes it after a comma
        comma = next((t.i for t in doc[speaker[0] : speaker[1]] if t.text == ","), None)
        if comma is None or comma - speaker[0] > 8 or speaker[1] - speaker[0] > _MAX_DESCRIBED_SPEAKER:
            return None
    if any(t.pos_ in ("VERB", "AUX") or t.is_quote for t in doc[speaker[0] : speaker[1]]):
        return None
    if all(t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in doc[speaker[0] : speaker[1]]):
        return None  # '..., Kutaragi said last year': when, not who
    if not any(t.pos_ in ("PROPN", "NOUN", "PRON") for t in doc[speaker[0] : speaker[1]]):
        return None
    start = _opening_before(doc, verb.i - 1)
    subject = next((c for c in reversed(list(verb.lefts)) if c.dep_ in _SUBJECT_DEPS), None)
    if subject is not None:
        # '"...," Jeff Weaver, Sanders' campaign manager, said in a statement': with its
        # subject after the content, what follows the verb is an object or an adjunct; the
        # subject is the speaker and what precedes it the content (a "subject" that opens the
        # sentence is the content of a headline: '10,000 troops in Russia, says Zelensky')
        speaker_start, speaker_end = _subject_extent(subject)
        while speaker_start < speaker_end and doc[speaker_start].is_quote:
            speaker_start += 1  # the parse can hang the quote's closing mark on the subject
        content = _trim(doc, start, speaker_start)
        # the content is set off from the subject ('"...," Weaver said', not 'when Weaver called')
        set_off = speaker_start > 0 and doc[speaker_start - 1].is_punct
        if content is not None and content[1] - content[0] >= 3 and speaker_start < speaker_end \
                and set_off:
            return content, (speaker_start, speaker_end)
        if speaker_start <= start and verb.i >= _first_break(doc):
            # outside a headline, a subject opening the sentence is the speaker ("Kirby, in
            # Seoul, said Tuesday"), not what was said
            return None
    content = _trim(doc, start, verb.i - 1)
    if content is None or content[1] - content[0] < 3 or doc[content[1] - 1].is_quote:
        return None
    if doc[speaker[0]].pos_ in ("ADP", "ADV", "SCONJ"):
        return None  # a speaker is named, not a prepositional phrase ("..., called with an offer")
    return content, speaker


def _report_after_its_content(verb: Token):
    """'..., the Chicago Tribune reports.', '...,\'\' The Post reported in 1991.': a speech verb
    with its subject after a comma or a quote and nothing but adjuncts after it, which the
    parse hung somewhere inside what precedes (as a clause of its own, a conjunct, a modifier):
    what precedes the comma, back to the sentence's start, is what was reported."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    subject = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    if subject is None or subject.right_edge.i >= verb.i or any(
        c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis") for c in verb.children
    ):
        return None
    speaker_start, _end = _subject_extent(subject)
    while speaker_start < verb.i and doc[speaker_start].is_quote:
        speaker_start += 1
    # the subject is set off from what precedes it by a comma (and maybe a closing quote)
    before = speaker_start - 1
    while before >= 0 and doc[before].is_quote:
        before -= 1
    if before < 0 or doc[before].text != ",":
        return None
    # nothing but adjuncts after the verb, to the end of the sentence
    end = verb.i + 1
    while end < len(doc) and doc[end].text not in (".", "!", "?", ";") and "\n" not in doc[end].text:
        if doc[end].pos_ in ("VERB", "AUX") or doc[end].is_quote or end - verb.i > 8:
            return None
        if "\n" in doc[end].text_with_ws:
            break
        end += 1
    content = _trim(doc, _opening_before(doc, before), before)
    if content is None or content[1] - content[0] < 3:
        return None
    return content, (speaker_start, verb.i)


def _opening_before(doc: Doc, i: int) -> int:
    """Where the sentence (or paragraph) holding token ``i`` opens, by its punctuation: what a
    cue after it reports runs from there ("Troops arrived, Kirby said.")."""
    while i > 0 and "\n" not in doc[i - 1].text_with_ws and doc[i - 1].text not in (".", "!", "?"):
        i -= 1
    return i


def _set_off(verb: Token) -> bool:
    """A parenthetical cue stands between commas, or ends its sentence: ', he said.'"""
    doc = verb.doc
    first, last = verb.left_edge.i, verb.right_edge.i
    opened = doc[first].is_punct or (first > 0 and doc[first - 1].is_punct)
    closed = doc[last].is_punct or last + 1 >= len(doc) or doc[last + 1].is_punct or doc[last + 1].is_space
    return opened and closed


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in _SUBJECT_DEPS or c.dep_ == "expl" for c in verb.children)


def _clause_without(head: Token, cue: Token) -> list[tuple[int, int]]:
    """The head clause without the cue's own subtree: one or two parts around it."""
    doc = head.doc
    parts = [
        _within_paragraph(doc, head.left_edge.i, cue.left_edge.i, cue.i),
        _within_paragraph(doc, cue.right_edge.i + 1, head.right_edge.i + 1, cue.i),
    ]
    return [p for p in parts if p is not None and p[1] - p[0] >= 2]


def _according_to(token: Token) -> dict | None:
    to = token.doc[token.i + 1]
    if to.lower_ != "to":
        return None
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    kind = _REPORTED if pobj.lemma_.lower() in ("report", "media", "account") else _STATED
    return _prepositional(token, to.i + 1, pobj, "according to", kind, "according_to")


# what a poll found is reported by the poll: "Trump leads by 57 percent to 33 percent in the
# 50-state poll", "In a recent survey, 71 percent approved"
_POLL_NOUNS = {"poll", "survey"}


def _in_a_poll(token: Token) -> dict | None:
    pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.lemma_.lower() not in _POLL_NOUNS:
        return None
    return _prepositional(token, token.i + 1, pobj, "in", _REPORTED, "in_poll")


# whose view a phrase gives: "In Seoul's view, ...", "in the words of the minister", "By the
# agency's count, ...", and a fronted "To many economists, the plan ..."
_VIEW_NOUNS = {
    "in": {"view", "opinion", "judgment", "judgement", "estimation", "assessment", "word", "eye", "mind"},
    "by": {"count", "tally", "estimate", "reckoning", "calculation", "account", "measure"},
}


def _viewpoint(token: Token) -> dict | None:
    """A phrase that gives the clause it opens or interrupts as someone's view; its owner (or
    the object of its "of") is the source."""
    doc = token.doc
    pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if pobj is None or pobj.right_edge.i + 1 >= len(doc) or doc[pobj.right_edge.i + 1].text != ",":
        return None
    if token.lower_ == "to":
        # only fronted, and only a person or a group: "To the north, ..." is no one's view
        starts = token.i == token.sent.start or doc[token.i - 1].lower_ in ("but", "and", "yet")
        if not starts or not _holder(pobj):
            return None
        return _prepositional(token, token.i + 1, pobj, "to", _ASSESSED, "viewpoint")
    lemma = pobj.lemma_.lower()
    if lemma not in _VIEW_NOUNS[token.lower_]:
        return None
    owner = next((c for c in pobj.children if c.dep_ == "poss"), None)
    if owner is not None:
        source = [owner.left_edge.i, owner.i + 1]
    else:
        # "in the view of the ministry"; not "in view of the risks", "by any measure"
        of = next((c for c in pobj.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
        holder = _prep_object(of) if of is not None else None
        if holder is None or not _holder(holder) or not any(c.lower_ == "the" for c in pobj.lefts):
            return None
        source = [holder.left_edge.i, holder.right_edge.i + 1]
    record = _prepositional(token, pobj.right_edge.i + 1, pobj, lemma, _ASSESSED, "viewpoint")
    if record is not None:
        record["cue"], record["source"] = [pobj.i, pobj.i + 1], source
    return record


def _holder(token: Token) -> bool:
    """A person or a group, by its entity type, pronoun or the WordNet class of its noun."""
    return _animate(token) or token.lower_ in _PERSONAL_OBJECTS or token.pos_ == "NOUN" and (
        wordnet_classes().get(f"n:{token.lemma_.lower()}") in ("person", "group")
    )


def _prepositional(token: Token, cue_end: int, pobj: Token, lemma: str, kind: str, rule: str):
    """A cue phrase whose object is the source; the clause it modifies is the content."""
    doc = token.doc
    source = (pobj.left_edge.i, pobj.right_edge.i + 1)
    head = token.head
    while head.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "relcl") and head.head.i != head.i:
        head = head.head
    if head.i == token.i or head.i in range(token.i, source[1]):
        return None
    clause_start, clause_end = head.left_edge.i, head.right_edge.i + 1
    phrase_end = max(source[1], cue_end)
    before = _within_paragraph(doc, clause_start, token.i, token.i)
    after = _within_paragraph(doc, phrase_end, clause_end, token.i)
    candidates = [p for p in (before, after) if p is not None]
    set_off = _set_off_phrase(token, phrase_end)
    if set_off is not None:
        parts = set_off
    elif candidates:
        parts = [max(candidates, key=lambda p: p[1] - p[0])]
    else:
        return None
    if sum(e - s for s, e in parts) < 3:
        return None
    return {
        "cue": [token.i, cue_end],
        "lemma": lemma,
        "kind": kind,
        "source": list(source),
        "content": [list(p) for p in parts],
        "negated": False,
        "rule": rule,
    }


def _set_off_phrase(token: Token, phrase_end: int) -> list[tuple[int, int]] | None:
    """The content of a cue phrase set off by commas, whatever the parse hangs it on.

    "X, according to Y." reports the whole sentence before it; "X, according to Y, Z" the
    sentence around it.  A phrase opening its sentence (no comma before) is left to the parse.
    """
    doc = token.doc
    if token.i == 0 or doc[token.i - 1].text != ",":
        return None
    sent = token.sent
    start = sent.start
    # inside a parenthesis, the parenthesis is the sentence: "Iowa (93 percent were white,
    # according to exit polls)"
    for i in range(token.i - 1, sent.start - 1, -1):
        if doc[i].text == ")":
            break
        if doc[i].text == "(":
            start = i + 1
            break
    after = phrase_end
    while after < sent.end and doc[after].is_space:
        after += 1
    # the parse may run the source on ("sources who spoke to Fox but were not authorized"): a
    # phrase with no comma after it ends the sentence
    ends = not any(doc[i].text == "," for i in range(after, sent.end))
    if ends or after >= sent.end or doc[after].text in (".", "!", "?", ")", ";", ":"):
        parts = [_within_paragraph(doc, start, token.i - 1, token.i)]
    elif doc[after].text == ",":
        end = after + 1
        while end < sent.end and doc[end].text not in (";", ")") and "\n" not in doc[end].text:
            end += 1
        parts = [
            _within_paragraph(doc, start, token.i - 1, token.i),
            _within_paragraph(doc, after + 1, end, token.i),
        ]
    else:
        return None
    parts = [p for p in parts if p is not None]
    return parts or None


# prepositions through which a verb's subject holds a stance noun ("voted in favor of")
_MANNER_PREPS = {"in", "with"}

# verbs whose subject puts forward or holds what their object says ("raised concerns", "holds
# the belief")
_LIGHT_VERBS = {
    "make", "raise", "voice", "express", "issue", "offer", "give", "deliver", "repeat", "renew",
    "lodge", "file", "level", "send", "share", "publish", "release", "post", "air", "reiterate",
    "register", "signal", "extend", "pledge", "have", "hold",
}


def _noun_cue(noun: Token) -> dict | None:
    """'the claim that ...'; with an owner, also 'Pence's call for a special prosecutor'."""
    if noun.dep_ == "dobj" and _stance_received(noun.head, _lemma(noun.head)) == noun:
        return None  # the verb's candidate: "drew criticism from rivals" (_received_stance)
    supported = _supported_owner(noun)
    if supported is not None:
        return supported
    source = next((c for c in noun.children if c.dep_ == "poss"), None)
    by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    by_object = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    from_prep = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    from_object = _prep_object(from_prep) if from_prep is not None else None
    if from_object is not None and (from_object.pos_ == "PRON" or from_object.dep_ == "pcomp"):
        from_object = None
    content_token, rule = None, "noun"
    for c in noun.children:
        if _that_clause(c):
            content_token, rule = c, "noun"
            break
        if source is not None and (
            (c.dep_ == "prep" and c.lower_ in ("for", "of", "to", "against", "on", "about"))
            or (c.dep_ == "acl" and c.i > noun.i)
        ):
            content_token, rule = c, "noun"
            break
        if c.dep_ == "prep" and c.lower_ in _NOUN_CONTENT_PREPS and content_token is None:
            # "concerns about ...", "calls for ...": owner-less, the cue model weighs the noun
            content_token, rule = c, "noun_prep"
    if content_token is None:
        return None
    content = _within_paragraph(
        noun.doc, content_token.left_edge.i, content_token.right_edge.i + 1, noun.i
    )
    if content is None or content[1] - content[0] < 2:
        return None
    lemma = noun.lemma_.lower()
    if source is not None:
        source = (source.left_edge.i, source.i + 1)
    elif by_object is not None:
        source = (by_object.left_edge.i, by_object.right_edge.i + 1)
    elif from_object is not None:
        # "criticism from rivals", "calls from lawmakers": where it comes from
        source = (from_object.left_edge.i, from_object.right_edge.i + 1)
    elif noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX") and _lemma(noun.head) in _LIGHT_VERBS:
        # "the union raised concerns that ...": whoever raises it holds it
        source = _source_of(noun.head)
    elif noun.dep_ == "pobj" and noun.head.lower_ in _MANNER_PREPS \
            and noun.head.head.pos_ in ("VERB", "AUX"):
        # "senators voted in favor of the bill", "she roused the crowd with criticism of him":
        # the stance is the one of whoever does it
        source = _source_of(noun.head.head)
    return {
        "cue": [noun.i, noun.i + 1],
        "lemma": lemma,
        "kind": CUE_NOUNS.get(lemma, _STATED),
        "source": list(source) if source else None,
        "content": [list(content)],
        "negated": any(c.dep_ == "neg" for c in noun.children),
        "rule": rule,
    }


# nouns of a backing someone gets: "Trump's support among evangelicals" is the evangelicals'
# support of Trump, not Trump's
_SUPPORT_NOUNS = {"support", "backing", "popularity"}


def _supported_owner(noun: Token) -> dict | None:
    """'Trump's support among evangelicals', 'her backing from unions': the group after
    "among" or "from" holds the stance, the owner is what it is about."""
    if noun.lemma_.lower() not in _SUPPORT_NOUNS:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    among = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ in ("among", "from")), None)
    giver = _prep_object(among) if among is not None else None
    if owner is None or giver is None or giver.pos_ == "PRON":
        return None
    return {
        "cue": [noun.i, noun.i + 1],
        "lemma": noun.lemma_.lower(),
        "kind": CUE_NOUNS.get(noun.lemma_.lower(), _STATED),
        "source": [giver.left_edge.i, giver.right_edge.i + 1],
        "content": [[owner.left_edge.i, owner.i + 1]],
        "negated": any(c.dep_ == "neg" for c in noun.children),
        "rule": "noun_support",
    }


def _that_clause(child: Token) -> bool:
    """A noun's content clause: "the claim that ...", "criticism from unions that ..."."""
    return child.dep_ in ("acl", "ccomp", "appos") and any(
        m.dep_ == "mark" and m.lower_ == "that" for m in child.children
    )


def _says_a_clause(noun: Token) -> bool:
    return any(_that_clause(c) for c in noun.children)


def _copular_noun_cue(noun: Token) -> dict | None:
    """'Her argument is that ...', 'The senator's answer was: ...': the noun is the cue, its
    owner the source, and the clause the copula takes its content."""
    if noun.dep_ != "nsubj" or noun.head.lemma_ != "be":
        return None
    clause = next((c for c in noun.head.rights if c.dep_ == "ccomp"), None)
    if clause is None:
        return None
    content = _within_paragraph(noun.doc, clause.left_edge.i, clause.right_edge.i + 1, noun.i)
    if content is None or content[1] - content[0] < 2:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    lemma = noun.lemma_.lower()
    return {
        "cue": [noun.i, noun.i + 1],
        "lemma": lemma,
        "kind": CUE_NOUNS.get(lemma, _STATED),
        "source": [owner.left_edge.i, owner.i + 1] if owner is not None else None,
        "content": [list(content)],
        "negated": any(c.dep_ == "neg" for c in noun.head.children),
        "rule": "noun_copula",
    }


def _record(verb: Token, lemma: str, kind: str, source, content, rule: str) -> dict:
    cue_start, cue_end = _cue_extent(verb)
    negated = any(c.dep_ == "neg" or c.lower_ in ("never",) and c.dep_ == "advmod" for c in verb.children)
    if lemma == "point" and not any(
        (c.dep_ == "prt" and c.lower_ == "out") or (c.dep_ == "prep" and c.lower_ == "to")
        for c in verb.children
    ):
        return None  # "point" is a cue only as "point out" or "point to"
    return {
        "cue": [cue_start, cue_end],
        "lemma": lemma,
        "kind": kind,
        "source": list(source) if source else None,
        "content": [list(c) for c in content],
        "negated": negated,
        "rule": rule,
    }


def _cue_extent(verb: Token) -> tuple[int, int]:
    """The verb with its auxiliaries, negation and particle: 'did not confirm', 'pointed out'."""
    start = verb.i
    for c in verb.lefts:
        if c.dep_ in ("aux", "auxpass", "neg") and c.i >= verb.i - 3 and not _name_as_modal(c, verb):
            start = min(start, c.i)
    end = verb.i + 1
    for c in verb.rights:
        if c.dep_ == "prt" and c.i == end:
            end = c.i + 1
    return start, end


def _source_of(verb: Token) -> tuple[int, int] | None:
    """The speaker: the verb's subject, a passive's by-agent, or a shared subject; else a name
    the parse did not make the subject."""
    source = _governed_source(verb)
    if source is None and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
        source = _modal_taken_for_a_name(verb) or _speaker_after_inverted(verb)
    return source


def _modal_taken_for_a_name(verb: Token) -> tuple[int, int] | None:
    """'..., Will wrote', 'May said': a capitalised modal before a finite verb is a name (a
    modal takes a bare infinitive)."""
    for c in verb.lefts:
        if _name_as_modal(c, verb):
            start = c.i
            while start > 0 and verb.doc[start - 1].pos_ == "PROPN":
                start -= 1
            return start, c.i + 1
    return None


def _name_as_modal(aux: Token, verb: Token) -> bool:
    return aux.dep_ == "aux" and aux.tag_ == "MD" and aux.text[:1].isupper() and verb.tag_ in ("VBD", "VBZ")


# what ends a speaker named after its verb
_SPEAKER_STOPS = {",", ".", ";", ":", "(", "!", "?"} | _DASHES


def _speaker_after_inverted(verb: Token) -> tuple[int, int] | None:
    """'"...," said Jared Bernstein, a senior fellow': the parse made the name after an
    inverted speech verb part of another clause; the noun phrase right after the verb is the
    speaker."""
    doc = verb.doc
    if _lemma(verb) not in CUE_LEXICON or verb.tag_ not in ("VBD", "VBZ") or verb.i == 0 \
            or not (doc[verb.i - 1].is_punct or doc[verb.i - 1].is_quote):
        return None
    start = verb.i + 1
    if start >= len(doc) or doc[start].pos_ not in ("PROPN", "DET", "NOUN", "ADJ"):
        return None
    end = start
    while end < len(doc) and end - start < 12 and doc[end].text not in _SPEAKER_STOPS \
            and not doc[end].is_quote and not doc[end].is_space:
        if end > start and doc[end].pos_ in ("VERB", "AUX"):
            break
        end += 1
        if "\n" in doc[end - 1].text_with_ws:
            break
    if not any(t.pos_ in ("PROPN", "NOUN") for t in doc[start:end]):
        return None
    return start, end


def _governed_source(verb: Token) -> tuple[int, int] | None:
    if _lemma(verb) in _RAISING_VERBS and not any(
        c.pos_ == "ADJ" and c.dep_ in ("acomp", "ccomp", "oprd") for c in verb.children
    ):
        # "The senator appeared to have gained momentum": the writer's impression, the
        # subject says nothing ("He seemed confident that ..." still holds a view); "To
        # many economists, the plan seemed ...": theirs
        to = next(
            (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" and c.i < verb.i), None
        )
        beholder = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
        return (beholder.left_edge.i, beholder.right_edge.i + 1) if beholder is not None else None
    if verb.tag_ == "VBN" and verb.dep_ == "advcl" and not any(
        c.dep_ in ("aux", "auxpass", "agent") or c.dep_ in _SUBJECT_DEPS for c in verb.children
    ):
        # "Asked about the plan, the senator said ...": the one asked answers; who asked is
        # not named
        return None
    if _passive(verb) and verb.dep_ == "conj" and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
        # "They are staying at bases and are expected to be sent to the front": the subject
        # the passive shares is what is expected, not who expects it
        return _by_agent(verb)
    current = verb
    for _ in range(3):
        # the subject nearest the verb ("MOSCOW — Russia's foreign ministry has dismissed")
        subjects = [c for c in current.children if c.dep_ in _SUBJECT_DEPS]
        if current is verb and _fronted_subject(verb) is not None:
            subjects = [c for c in subjects if c.i > verb.i]  # "The plan, said the mayor, ..."
        subject = min(subjects, key=lambda c: abs(current.i - c.i)) if subjects else None
        if subject is not None:
            if subject.dep_ == "nsubjpass" and current is not verb and verb.tag_ != "VBN" and not _passive(verb):
                # "Mr. Trump was forced into damage control and said ...": an active verb
                # shares the passive one's subject, not its agent
                return _subject_extent(subject)
            if subject.dep_ == "nsubjpass" or subject.lower_ in _EXPLETIVES and _passive(current):
                return _by_agent(current)
            if subject.lower_ in _EXPLETIVES and subject.dep_ == "nsubj" and current.lemma_ == "be":
                return None
            return _subject_extent(subject)
        # "after being warned by Moscow", "Pushed by host Chuck Todd, ...": a passive participle
        # without a subject speaks for its by-agent, not for the clause it hangs on
        if current.tag_ == "VBN" and any(c.dep_ == "agent" for c in current.children):
            return _by_agent(current)
        # "was unable to confirm", "is quick to point out": the subject of the copula
        if current.dep_ == "xcomp" and current.head.pos_ == "ADJ" and current.head.dep_ == "acomp":
            current = current.head.head
            continue
        # "ended the meeting by announcing ...", "after saying ...": the gerund of a
        # preposition speaks for the verb the preposition hangs on
        if current.dep_ == "pcomp" and current.head.dep_ == "prep" and current.head.head.pos_ in ("VERB", "AUX"):
            prep = current.head
            current = prep.head
            # "Yonhap quoted an official as saying ...": the one quoted says it
            quoted = next((c for c in current.children if c.dep_ == "dobj"), None)
            if prep.lower_ == "as" and _lemma(current) in ("quote", "cite") and quoted is not None:
                return _subject_extent(quoted)
            # "said that the deployment would be lawful, without confirming ...": set off after
            # what was said, it speaks for the one who said it
            if prep.i > 0 and prep.doc[prep.i - 1].text == "," and current.dep_ == "ccomp" \
                    and _lemma(current.head) in CUE_LEXICON:
                current = current.head
            continue
        # "Trump's failure to denounce ...": the infinitive of a noun is its owner's; "held a
        # briefing to brag that ...": of a noun someone has or holds, that someone's
        if current.dep_ in ("acl", "relcl") and any(c.tag_ == "TO" for c in current.children):
            noun = current.head
            owner = next((c for c in noun.children if c.dep_ == "poss"), None)
            if owner is not None:
                return owner.left_edge.i, owner.i + 1
            if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
                current = noun.head
                continue
            return None
        # "polls showing ...", "Democrats supporting Mrs. Clinton": an active participle right
        # after a noun speaks for the noun; set off by a comma, or after the clause's object
        # ("drew crowds describing ..."), it as often speaks for the clause's subject
        if current.dep_ == "acl" and current.tag_ == "VBG":
            noun = current.head
            before = current.left_edge.i - 1
            set_off = before >= 0 and current.doc[before].is_punct
            # "endorsed the plan on Saturday, saying ...": a speech verb set off after the
            # clause's object speaks for the clause's subject
            clause = noun.head.head if noun.dep_ == "pobj" else noun.head
            if set_off and current is verb and _lemma(verb) in CUE_LEXICON \
                    and noun.dep_ in ("dobj", "pobj") and clause.pos_ in ("VERB", "AUX"):
                current = clause
                continue
            if noun.pos_ not in ("NOUN", "PROPN", "PRON") or noun.dep_ == "dobj" or set_off:
                return None
            return _subject_extent(noun)
        # "led Schultz to announce", "urged him to say": a person as object controls the
        # infinitive ("used the speech to refute" is the subject's purpose)
        if current.dep_ == "xcomp" and current.tag_ == "VB":
            obj = next((c for c in current.head.children if c.dep_ == "dobj" and c.i < current.i), None)
            if obj is not None and (obj.ent_type_ in _AGENT_ENTITIES or obj.lower_ in _PERSONAL_OBJECTS):
                return _subject_extent(obj)
        # "In a statement to the paper, her adviser, Jane Roe, said": the parse hung the
        # speaker on the noun before it as an apposition; the names set off right before the
        # verb are its subject
        if current is verb and verb.dep_ == "ROOT" and verb.i > 1 and verb.doc[verb.i - 1].text == ",":
            name = verb.doc[verb.i - 2]
            # (not what describes a place: "Ohio, a swing state, said" has lost its subject)
            if name.dep_ == "appos" and name.pos_ in ("PROPN", "NOUN") \
                    and name.head.ent_type_ not in _PLACES:
                top = name
                while top.head.dep_ == "appos" and top.head.pos_ in ("PROPN", "NOUN"):
                    top = top.head
                return (top.left_edge.i, name.i + 1)
        # "He stood up and said ...", "..., adding that ...": the subject of the governing verb
        if current.dep_ in ("conj", "advcl", "xcomp") and current.head.pos_ in ("VERB", "AUX"):
            doc = current.doc
            if current.tag_ == "VBG" and current.i > 0 and doc[current.i - 1].text == ",":
                # a participle after a comma speaks for a speech verb it hangs under ("he
                # said, adding", parsed under a verb of what was said), not for the sentence's
                # root; never for a verb inside a noun's clause ("dismissed reports that ...,
                # calling")
                current = _clause_above_nouns(current)
            else:
                current = current.head
            continue
        return None
    return None


def _clause_above_nouns(token: Token) -> Token:
    """The verb a participle speaks for: among its verbal ancestors above any noun on the way,
    the nearest speech verb, else the nearest verb (else its head)."""
    ancestors = list(token.ancestors)
    nouns = [n for n, a in enumerate(ancestors) if a.pos_ in ("NOUN", "PROPN", "PRON")]
    above = ancestors[nouns[-1] + 1 :] if nouns else ancestors
    verbs = [a for a in above if a.pos_ in ("VERB", "AUX")]
    return next((a for a in verbs if _lemma(a) in CUE_LEXICON), verbs[0] if verbs else token.head)


def _subject_extent(subject: Token) -> tuple[int, int]:
    """The subject phrase without a trailing relative clause ("Smith, who ..., said")."""
    start, end = subject.left_edge.i, subject.right_edge.i + 1
    for c in subject.rights:
        if c.dep_ in ("relcl", "acl") and c.left_edge.i > subject.i:
            end = min(end, c.left_edge.i)
    if subject.i < subject.head.i:
        # a subject ends before its verb, whatever the parse hung on it ("Farmers stopped ...,
        # the newspaper reports" with the newspaper as the farmers' apposition)
        end = min(end, subject.head.i)
    return _trim(subject.doc, start, end) or (subject.i, subject.i + 1)


def _passive(verb: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Drop punctuation (but not quote marks) and conjunctions at both ends of a range."""
    while start < end and (
        (doc[start].is_punct and not doc[start].is_quote) or doc[start].dep_ == "cc"
        or doc[start].is_space
    ):
        start += 1
    while end > start and (
        (doc[end - 1].is_punct and not doc[end - 1].is_quote and not _closes_bracket(doc, start, end))
        or doc[end - 1].is_space or doc[end - 1].dep_ == "cc"
    ):
        end -= 1
    if end <= start:
        return None
    return start, end


def _closes_bracket(doc: Doc, start: int, end: int) -> bool:
    """The range ends on the bracket it opened: "Rep. Jane Roe (D-Wis.)" keeps its ")"."""
    return doc[end - 1].text == ")" and "(" in doc[start : end - 1].text


def _within_paragraph(doc: Doc, start: int, end: int, anchor: int) -> tuple[int, int] | None:
    """The range cut at paragraph breaks to the side of ``anchor`` (a parse can cross them)."""
    for i in range(start, end):
        if "\n" in doc[i].text:
            if i < anchor:
                start = i + 1
            else:
                end = i
                break
    return _trim(doc, start, end)


def _after_dateline(doc: Doc, start: int, end: int) -> int:
    """Where a content opening its paragraph starts after a dateline ("WASHINGTON — The United
    States has evidence that ...", "SEOUL, Oct. 18 (Reuters) - ..."): the place in capitals up
    to the first dash, a few words at most, no verb among them."""
    opens = start == 0 or "\n" in doc[start - 1].text_with_ws
    if not opens or not (doc[start].is_alpha and doc[start].is_upper and len(doc[start]) > 1):
        return start
    for i in range(start + 1, min(start + 10, end - 1)):
        if doc[i].text in _DASHES:
            after = _trim(doc, i + 1, end)
            return after[0] if after else start
        if doc[i].pos_ in ("VERB", "AUX") or "\n" in doc[i].text_with_ws:
            return start
    return start


def _merge_quotes(doc, found, quotes, in_quote, used: set[int] | None = None) -> set[int]:
    """Widen contents to the quotes they touch; add the second half of a split quote."""
    used = set() if used is None else used
    for record in found:
        parts = []
        for s, e in record["content"]:
            touched = sorted({in_quote[i] for i in range(s, e) if in_quote[i] >= 0})
            for q in touched:
                qs, qe = quotes[q]
                if qs < s or qe > e:
                    # the content is the quote when the quote covers most of it
                    if (min(e, qe) - max(s, qs)) * 2 >= (e - s):
                        s, e = min(s, qs), max(e, qe)
                used.add(q)
            parts.append([s, e])
        # "“A,” he said, “B.”": the quote right after the cue (and source) continues the first
        cue_end = max(record["cue"][1], record["source"][1] if record["source"] else 0)
        if parts and parts[-1][1] <= record["cue"][0]:
            nxt = cue_end
            while nxt < len(doc) and doc[nxt].is_punct and not doc[nxt].is_quote:
                nxt += 1
            # a quote after a paragraph break is most often someone else's
            while nxt < len(doc) and doc[nxt].is_space and "\n" not in doc[nxt].text:
                nxt += 1
            if nxt < len(doc) and in_quote[nxt] >= 0 and quotes[in_quote[nxt]][0] == nxt \
                    and "\n" not in doc[nxt - 1].text_with_ws:
                q = in_quote[nxt]
                if q not in used and any(in_quote[i] >= 0 for i in range(*parts[-1])):
                    parts.append(list(quotes[q]))
                    used.add(q)
        record["content"] = parts
    return used


_TOPIC_PREPS = {"of", "about", "on"}


def _quoted_sentence(doc: Doc, start: int, end: int) -> bool:
    """A quote opening its sentence, three words or more closing on punctuation: said words,
    not a quoted title."""
    before = start - 1
    while before >= 0 and doc[before].is_space and "\n" not in doc[before].text:
        before -= 1
    opens = before < 0 or doc[start].is_sent_start or doc[before].text in (".", "!", "?", ":") \
        or "\n" in doc[before].text_with_ws
    inner = [t for t in doc[start:end] if not t.is_quote]
    return opens and len([t for t in inner if not t.is_punct]) >= 3 and inner[-1].is_punct


def _quote_attribution(doc: Doc, quotes, q: int, in_quote) -> dict | None:
    """A cue for a quote nobody claimed yet: right after it, or right before it."""
    qs, qe = quotes[q]
    if qe - qs < 4:
        return None  # a quoted word or two is a term, not a quotation
    after = _cue_after(doc, qs, qe, in_quote)
    if after is not None:
        verb, source = after
        return _record(verb, verb.lemma_.lower(), _kind(verb), source, [(qs, qe)], "quote_after")
    before = _cue_before(doc, qs, in_quote)
    if before is not None:
        verb, source = before
        return _record(verb, verb.lemma_.lower(), _kind(verb), source, [(qs, qe)], "quote_before")
    return _colon_before(doc, qs, qe, in_quote)


def _colon_before(doc: Doc, qs: int, qe: int, in_quote) -> dict | None:
    """'Cruz called them on it: "..."': a colon introduces the quote.

    The cue is the last verb of the clause before the colon, whatever verb it is, and its
    subject the source.
    """
    colon = qs - 1
    while colon >= 0 and doc[colon].is_space:
        colon -= 1
    if colon < 1 or doc[colon].text != ":":
        return None
    start = colon
    while start > 0 and in_quote[start - 1] < 0 and doc[start - 1].text not in (".", "!", "?") \
            and "\n" not in doc[start - 1].text_with_ws:
        start -= 1
    clause = doc[start:colon]
    verbs = [t for t in clause if t.pos_ == "VERB"]
    if not verbs:
        return None
    verb = verbs[-1]
    source = _source_of(verb)
    if source is None:
        return None
    return _record(verb, _lemma(verb), _kind(verb), source, [(qs, qe)], "quote_colon")


def _kind(verb: Token) -> str:
    return CUE_LEXICON.get(_lemma(verb), _STATED)


def _is_quote_verb(token: Token) -> bool:
    lemma = _lemma(token)
    return token.pos_ in ("VERB", "AUX") and lemma != "be" and (
        lemma in CUE_LEXICON or lemma in _QUOTE_ONLY_VERBS
    )


def _cue_after(doc: Doc, qs: int, qe: int, in_quote) -> tuple[Token, tuple[int, int] | None] | None:
    """'"...," he said' / '"...," said Kirby, who ...': a speech verb within a few tokens."""
    for i in range(qe, min(qe + 8, len(doc))):
        token = doc[i]
        if in_quote[i] >= 0 or token.text in (".", "!", "?", "\n") or "\n" in token.text:
            return None
        if _is_quote_verb(token) or _verb_of_speaking_after(doc, qs, qe, token):
            source = _source_of(token)
            if source is None:
                # "said Kirby": an inverted subject parsed as object
                obj = next((c for c in token.rights if c.dep_ in ("dobj", "npadvmod", "attr")), None)
                source = _subject_extent(obj) if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON") else None
            return token, source
    return None


def _verb_of_speaking_after(doc: Doc, qs: int, qe: int, verb: Token) -> bool:
    """'"This is fantastic!" beamed a delegate' / '"...," he shrugged': a verb in the past or
    present tense with nothing to say of its own, right after a quote that opens its sentence,
    next to its subject, is how the quote was said."""
    if not _quoted_sentence(doc, qs, qe) or verb.tag_ not in ("VBD", "VBZ"):
        return False
    # a quote closing on a full stop is a sentence of its own ('"..." The crowd cheered.'), and
    # after "!" or "?" a named subject as often starts one: only "beamed Kirby" or "he shrugged"
    last = next(t for t in reversed(doc[qs:qe]) if not t.is_quote)
    if last.text == ".":
        return False
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp") for c in verb.rights):
        return False
    between = [t for t in doc[qe : verb.i] if not t.is_space and t.text != ","]
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return False
    if not between:  # the subject after the verb ("beamed a delegate")
        return subject.i > verb.i
    if last.text != "," and subject.pos_ != "PRON":
        return False
    return [t.i for t in between] == list(range(subject.left_edge.i, subject.i + 1))


def _speech_without_content(sentence: Span, in_quote) -> tuple[Token, tuple[int, int] | None] | None:
    """'Iowa State's Dianne Bystrom agreed. "..."', 'Lau said in a statement. "..."': a
    sentence whose speech verb says nothing of its own, right before a quote in the same
    paragraph: the quote is what was said."""
    verb = sentence.root
    if _lemma(verb) not in CUE_LEXICON or any(in_quote[t.i] >= 0 for t in sentence) or any(
        c.dep_ in ("ccomp", "xcomp", "dobj", "parataxis", "advcl") for c in verb.children
    ):
        return None
    source = _source_of(verb)
    return (verb, source) if source is not None else None


def _cue_before(doc: Doc, qs: int, in_quote) -> tuple[Token, tuple[int, int] | None] | None:
    """'Kirby said: "..."' / 'He told reporters, "..."': the speech verb just before a quote."""
    i = qs - 1
    steps = 0
    while i >= 0 and steps < 12:
        token = doc[i]
        if token.text == "." and i == qs - 1 and "\n" not in token.text_with_ws:
            return _speech_without_content(token.sent, in_quote)
        if in_quote[i] >= 0 or token.text in (".", "!", "?") or "\n\n" in token.text:
            return None
        if _is_quote_verb(token):
            between = doc[token.i + 1 : qs]
            if any(t.pos_ in ("VERB",) and t.dep_ not in ("pobj", "amod") for t in between):
                return None
            return token, _source_of(token)
        i -= 1
        steps += 1
    return None
