"""Claims: the attributions of a ``Doc`` as :class:`graph.model.Claim` objects.

A pure function of the parsed doc (with the ``newsgraph_attribution`` component), the article
and the entities found in it.  Speakers are resolved to entity ids only when it is safe:

- a mention of an entity covers the head of the source phrase ("John Kirby, the White House
  spokesman"; "South Korea's National Intelligence Service"), or an apposition of it does
  ("the spokesman, John Kirby");
- a relative pronoun ("Kirby, who said ...") takes its antecedent;
- "he"/"she" take the Person mentioned nearest before them (current sentence, then up to two
  sentences back); "it" the nearest Organization or State.  When that sentence names two or
  more candidates, the speaker of the previous claim wins if it is one of them; otherwise the
  speaker stays unresolved (``entity_id`` null): a wrong speaker is worse than none;
- a definite description ("the agency", "the ministry", "the alliance", "the company") takes
  the Organization of the nearest earlier sentence naming one, when it is the one there whose
  name fits ("the agency": a name with agency, service, intelligence, ...); two that fit, the
  rule of pronouns; otherwise unresolved (a known body, not an unnamed source);
- an unnamed source ("a senior administration official", "Ukrainian intelligence sources")
  becomes an entity of type ``Source`` of its own, scoped to the article, with the State or
  Organization it names as affiliation.  :func:`claims_and_sources_from_doc` returns those
  entities next to the claims; :func:`claims_from_doc` (the extractor contract) only the claims.

A negated cue ("did not confirm", "declined to confirm", "without confirming") keeps the kind of
its verb with ``cue.negated`` set: the claim records who would not confirm what, and asserts
nothing (the store does not list it as giving a troop number; stance linking skips it).  The
numbers of a nested attribution that the speaker does not assert (one in a relative clause, "the
agency, which estimates 10,000 troops", or a negated one) are not the speaker's quantities.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_right

from spacy.tokens import Doc, Span, Token

from graph.model import Article, Claim, Cue, Entity, Mention, Span as TextSpan, SpeakerRef
from ingest.attribution import (
    CLAIM_LEMMAS, CUE_MODEL_TSV, LEMMA_PROPENSITY_TSV, NESTING_MODEL_TSV, WORDNET_CLASSES_TSV,
    Attribution, attributions,
)
from ingest.entities import entity_id
from ingest.quantities import find_quantities

EXTRACTOR = "newsgraph_attribution"


def _models_digest() -> str:
    """The first hex digits of a hash of the shipped files the attribution component decides by:
    a claim's evidence names the exact models it came from, which retraining changes."""
    digest = hashlib.sha256()
    for path in (CUE_MODEL_TSV, NESTING_MODEL_TSV, LEMMA_PROPENSITY_TSV, WORDNET_CLASSES_TSV):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


EXTRACTOR_VERSION = f"0.2.0+{_models_digest()}"

_DENIAL = re.compile(
    r"\b(fake news|baseless|groundless|unfounded|fabricat\w*|untrue|nonsense|propaganda|"
    r"disinformation|misinformation|provocation)\b",
    re.IGNORECASE,
)
_INTELLIGENCE = re.compile(r"\b(intelligence|spy agency|spy service)\b", re.IGNORECASE)
_REPORT_NOUNS = {"report", "media", "outlet", "newspaper", "broadcaster", "footage", "account"}
# Heads of noun phrases that name a source without naming who it is.
_SOURCE_NOUNS = {
    "official", "source", "spokesman", "spokeswoman", "spokesperson", "diplomat", "officer",
    "aide", "adviser", "advisor", "analyst", "expert", "lawmaker", "legislator", "insider",
    "person", "people", "commander", "representative", "member", "staffer", "investigator",
    "agent", "observer", "intelligence", "military", "minister", "ministry", "officials",
}
# "the agency", "the ministry": a definite description of an organisation named earlier; the
# words a name must contain to be what the description describes ("the agency" can be the
# National Intelligence *Service*, not the Foreign *Ministry*).
_DESCRIPTIONS: dict[str, set[str]] = {
    "agency": {"agency", "service", "intelligence", "bureau", "directorate", "administration", "authority"},
    "service": {"service", "agency", "intelligence"},
    "ministry": {"ministry", "department"},
    "department": {"department", "ministry"},
    "office": {"office"},
    "bureau": {"bureau", "agency"},
    "alliance": {"alliance", "nato", "pact", "coalition", "bloc"},
    "company": {"company", "firm", "corporation", "corp", "inc", "ltd", "plc", "group", "holdings"},
    "firm": {"company", "firm", "corporation", "corp", "inc", "ltd", "plc", "group", "holdings"},
    "group": {"group"},
    "organisation": {"organisation", "organization"},
    "organization": {"organisation", "organization"},
    "council": {"council"},
    "commission": {"commission"},
    "committee": {"committee"},
    "party": {"party"},
    "union": {"union"},
    "bank": {"bank"},
}  # not "the government": a British article's is its own, seldom the state it named last
# (on BBC news the nearest state was the wrong one in one of three)
# Names of public bodies: never what "the company" or "the firm" describes.
_PUBLIC_BODY_WORDS = {
    "ministry", "department", "agency", "service", "office", "council", "commission", "committee",
    "party", "parliament", "government", "army", "navy", "police", "court", "bureau", "nato",
    "alliance", "intelligence", "union", "nations",
}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_THING_PRONOUNS = {"it"}
_RELATIVE = {"who", "which", "that", "whom"}
# Verbs that negate the cue they govern: "declined to confirm", "refused to comment".
_REFUSALS = {"decline", "refuse", "fail"}
_BASE_CONFIDENCE = {
    "verb": 0.8, "verb_object": 0.7, "inverted": 0.75, "according_to": 0.8, "noun": 0.6,
    "quote_after": 0.85, "quote_before": 0.8, "quote_colon": 0.75, "colon_paragraph": 0.75,
    "trailing_speaker": 0.75, "verb_quote": 0.8,
}


def claims_from_doc(doc: Doc, article: Article, entities: list[Entity]) -> list[Claim]:
    """The claims of one article (the extractor contract); see the module docstring."""
    return claims_and_sources_from_doc(doc, article, entities)[0]


def claims_and_sources_from_doc(
    doc: Doc, article: Article, entities: list[Entity]
) -> tuple[list[Claim], list[Entity]]:
    """The claims, and the unnamed-source entities (type ``Source``) their speakers are."""
    if doc.text != article.text:
        raise ValueError(
            f"article {article.id}: the doc was not parsed from article.text "
            "(claim offsets would not point into the article)"
        )
    resolver = _SpeakerResolver(doc, article, entities)
    sentence_starts = [s.start_char for s in doc.sents]
    claims: list[Claim] = []
    found = attributions(doc)
    for attribution in found:
        content = attribution.content_span
        negated = _negated(attribution)
        kind = _kind(attribution, content, negated)
        # attributions of wishes, requests and stances are not claims, unless they deny
        if attribution.lemma not in CLAIM_LEMMAS and kind != "DENIED":
            continue
        sentence = bisect_right(sentence_starts, attribution.cue.start_char) - 1
        speaker = resolver.resolve(attribution, sentence)
        confidence = _BASE_CONFIDENCE.get(attribution.rule, 0.6)
        cue = attribution.cue
        not_said = _not_asserted_contents(attribution, found)
        quantities = [
            q for part in attribution.content
            for q in find_quantities(part, article.published, entities)
            if not any(start <= q.start < end for start, end in not_said)
        ]
        about = _about(content, resolver.mentions)
        about += [q.unit_entity_id for q in quantities if q.unit_entity_id and q.unit_entity_id not in about]
        claims.append(
            Claim(
                id=claim_id(article.id, cue.start_char, cue.end_char),
                kind=kind,
                speaker=speaker,
                cue=Cue(
                    text=cue.text, start=cue.start_char, end=cue.end_char,
                    lemma=attribution.lemma, negated=negated,
                ),
                content=TextSpan(text=content.text, start=content.start_char, end=content.end_char),
                direct=attribution.direct,
                quantities=quantities,
                about=about,
                sentence=max(sentence, 0),
                confidence=round(confidence, 3),
                article_id=article.id,
                published=article.published,
                extractor=f"{EXTRACTOR}:{attribution.rule}",
                extractor_version=EXTRACTOR_VERSION,
            )
        )
        if speaker.entity_id is not None:
            resolver.last_speaker = speaker.entity_id
    return claims, resolver.sources()


def claim_id(article_id: str, cue_start: int, cue_end: int) -> str:
    """Stable across runs: the article and where its cue is."""
    digest = hashlib.sha256(f"{article_id}:{cue_start}:{cue_end}".encode()).hexdigest()
    return f"claim:{digest[:16]}"


def _negated(attribution: Attribution) -> bool:
    """"did not confirm" (the attribution says so), and the cues negated from outside:
    "declined/refused/failed to confirm", "was unable to confirm", "without confirming"."""
    if attribution.negated:
        return True
    verb = attribution.cue.root
    if verb.dep_ == "xcomp":
        return verb.head.lemma_.lower() in _REFUSALS or verb.head.lower_ == "unable"
    return verb.dep_ == "pcomp" and verb.head.lower_ == "without"


def _not_asserted_contents(attribution: Attribution, found: list[Attribution]) -> list[tuple[int, int]]:
    """Character ranges inside this attribution's content whose numbers its speaker does not
    assert: the contents of nested attributions in a relative clause ("the figures of the
    agency, which estimates 10,000 troops": the clause's speaker's number) or negated ("...,
    without confirming that 3,000 troops had been sent")."""
    content = attribution.content_span
    return [
        (other.content_span.start_char, other.content_span.end_char)
        for other in found
        if other is not attribution
        and content.start_char <= other.cue.start_char < content.end_char
        and (other.source is not None and other.source.root.lower_ in _RELATIVE or _negated(other))
    ]


def _kind(attribution: Attribution, content: Span, negated: bool) -> str:
    """The kind of the cue, negated or not: "did not confirm" stays ``CONFIRMED`` with
    ``cue.negated`` set (readers and stance linking treat a negated claim as asserting nothing)."""
    kind = attribution.kind
    if negated:
        return kind  # "did not say it was fake news" denies nothing; nor is it an assessment
    if kind == "STATED" and _DENIAL.search(content.text):
        return "DENIED"
    source = attribution.source
    if kind == "STATED" and source is not None:
        if _INTELLIGENCE.search(source.text):
            return "ASSESSED"
        if source.root.lemma_.lower() in _REPORT_NOUNS:
            return "REPORTED"
    return kind


def _about(content: Span, mentions: list[tuple[int, int, Entity]]) -> list[str]:
    ids: list[str] = []
    for start, end, entity in mentions:
        if start >= content.start_char and end <= content.end_char and entity.id not in ids:
            ids.append(entity.id)
    return ids


def _is_definite_description(head: Token) -> bool:
    """'the agency', 'the foreign ministry' (not 'an agency', 'its ministry')."""
    return head.lemma_.lower() in _DESCRIPTIONS and any(
        child.dep_ == "det" and child.lower_ == "the" for child in head.children
    )


def _name_words(entity: Entity) -> set[str]:
    return {w for name in [entity.name, *entity.aliases] for w in re.findall(r"[a-z]+", name.lower())}


def _named_as(entity: Entity, description: str) -> bool:
    """A word of the name says it is what the description describes ('Foreign Ministry')."""
    return bool(_name_words(entity) & _DESCRIPTIONS[description])


def _fits(entity: Entity, description: str) -> bool:
    if description in ("company", "firm") and not _name_words(entity) & _PUBLIC_BODY_WORDS:
        return True  # "Shell ... the company said": no word of a company's name need say so
    return _named_as(entity, description)


class _SpeakerResolver:
    def __init__(self, doc: Doc, article: Article, entities: list[Entity]):
        self.doc = doc
        self.article = article
        self.mentions: list[tuple[int, int, Entity]] = sorted(
            ((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda t: t[0]
        )
        self.last_speaker: str | None = None
        self._sources: dict[str, Entity] = {}
        self._sentences = list(doc.sents)

    def sources(self) -> list[Entity]:
        return list(self._sources.values())

    def resolve(self, attribution: Attribution, sentence: int) -> SpeakerRef:
        source = attribution.source
        if source is None:
            cue = attribution.cue
            return SpeakerRef(text="", name="", start=cue.start_char, end=cue.start_char)
        ref = dict(text=source.text, name=source.text, start=source.start_char, end=source.end_char)
        head = source.root
        if head.lower_ in _RELATIVE and head.head.dep_ in ("relcl", "acl"):
            head = head.head.head
        entity = None
        if head.lower_ in _PERSON_PRONOUNS:
            entity = self._antecedent(head, sentence, ("Person",))
        elif head.lower_ in _THING_PRONOUNS:
            entity = self._antecedent(head, sentence, ("Organization", "State"))
        elif head.pos_ != "PRON":
            entity = self._entity_at(head) or self._apposition(head)
            if entity is None and _is_definite_description(head):
                entity = self._described(head, sentence)  # or none: never an unnamed source
            elif entity is None and head.lemma_.lower() in _SOURCE_NOUNS:
                entity = self._unnamed_source(source, head, sentence)
        if entity is not None:
            ref["entity_id"] = entity.id
            if head.pos_ == "PRON" or _is_definite_description(head):
                ref["name"] = entity.name
        return SpeakerRef(**ref)

    def _entity_at(self, token: Token) -> Entity | None:
        start, end = token.idx, token.idx + len(token.text)
        for m_start, m_end, entity in self.mentions:
            if m_start < end and start < m_end:
                return entity
        return None

    def _apposition(self, head: Token) -> Entity | None:
        for child in head.children:
            if child.dep_ == "appos":
                entity = self._entity_at(child)
                if entity is not None:
                    return entity
        return None

    def _antecedent(self, pronoun: Token, sentence: int, types: tuple[str, ...]) -> Entity | None:
        for back in range(0, 3):
            index = sentence - back
            if index < 0:
                return None
            sent = self._sentences[index]
            end = pronoun.idx if back == 0 else sent.end_char
            candidates: dict[str, Entity] = {}
            for m_start, m_end, entity in self.mentions:
                if m_start >= sent.start_char and m_end <= end and entity.type in types:
                    candidates[entity.id] = entity
            if len(candidates) == 1:
                return next(iter(candidates.values()))
            if len(candidates) > 1:
                return candidates.get(self.last_speaker) if self.last_speaker else None
        return None

    def _described(self, head: Token, sentence: int) -> Entity | None:
        """'the agency': an organisation of the nearest earlier sentence naming any; it must be
        the one there whose name fits the description (for 'the company', which no name word
        marks, the only organisation there).  Two that fit: the previous speaker if it is one
        of them.  Otherwise none: the nearest organisation may be what is meant, under a name
        that does not say what it is ("JP Morgan ... the bank said")."""
        description = head.lemma_.lower()
        for index in range(sentence, -1, -1):
            sent = self._sentences[index]
            end = head.idx if index == sentence else sent.end_char
            named = {
                entity.id: entity for m_start, m_end, entity in self.mentions
                if m_start >= sent.start_char and m_end <= end and entity.type == "Organization"
            }
            if not named:
                continue
            fitting = {i: e for i, e in named.items() if _fits(e, description)}
            if len(fitting) == 1 and (len(named) == 1 or _named_as(next(iter(fitting.values())), description)):
                return next(iter(fitting.values()))
            if len(fitting) > 1 and self.last_speaker in fitting:
                return fitting[self.last_speaker]
            return None
        return None

    def _unnamed_source(self, source: Span, head: Token, sentence: int) -> Entity:
        """'a senior administration official' -> its own Source entity in this article."""
        phrase = self.doc[source.start : head.i + 1]
        name = phrase.text
        affiliation = None
        for m_start, m_end, entity in self.mentions:
            if m_start >= source.start_char and m_end <= source.end_char and entity.type in (
                "State", "Organization"
            ):
                affiliation = entity.id
                break
        # scoped to the article: "a senior official" in two articles need not be one person
        key = entity_id("Source", f"{name} {self.article.id[:8]}")
        entity = self._sources.get(key)
        if entity is None:
            entity = Entity(id=key, name=name, type="Source", affiliation=affiliation)
            self._sources[key] = entity
        entity.mentions.append(
            Mention(
                text=phrase.text, start=phrase.start_char, end=phrase.end_char,
                sentence=max(sentence, 0),
            )
        )
        return entity
