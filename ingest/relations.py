"""Typed relations between entities, read from the dependency parse, each with its evidence.

``relations_from_doc(doc, article, entities)`` is a pure function: a parsed ``Doc`` (whose text
is ``article.text``) and the article's entities in, ``(relations, events)`` out, where
``events`` are the ``Event`` entities the relations point at.  Entities are mapped onto tokens
through their mentions' character offsets, so any list of entities works (the entities
extractor's, or hand-made ones in tests).

Extractors (the evidence names them; ``EXTRACTOR_VERSION`` versions them all):

- ``relations.deployment``: ``DEPLOYED_TO`` (Unit, or the sending State when only "troops"
  are named, -> Place or State as territory) from send/deploy/move/arrive/stay verbs and
  "deployment of X to Y": subject/object/agent and ``to``/``into``/``in``/``at`` objects;
  ``from`` gives ``MOVED_FROM`` and the ``from`` property.  Properties: ``count``/``low``/
  ``high``/``qualifier`` (from :func:`ingest.quantities.find_quantities` on the deployed noun
  phrase), ``time`` (the time expression attached to the verb, or the quantity's target
  time), ``status`` = ``planned`` for modal/future/infinitive clauses, ``attributed_to`` (the
  speaker's entity id when the clause is reported speech).  Negated or denied clauses ("did
  not deploy", "denied sending") give nothing.  "The troops"/"they" refer back to the unit
  last deployed or mentioned within two sentences (lower confidence), never further.
- ``relations.training``: ``TRAINING_AT`` from "train(ing) at/in".
- ``relations.affiliation``: ``PART_OF`` Unit/Organization -> the state or organisation it
  belongs to (the entity's ``affiliation``, which the entities extractor reads from the text).
- ``relations.membership``: ``PART_OF`` Unit -> named formation ("the soldiers came from the
  11th Corps", "troops drawn from ...", "the special forces of the 11th Corps").
- ``relations.role``: ``HOLDS_ROLE {title}`` from :func:`ingest.entities.roles_from_doc`.
- ``relations.location``: ``LOCATED_IN`` from "X in Y", "X, on Y's coast", "Y's X region"
  (text) and from the geocoded country of a place when that state is named in the article.
- ``relations.alignment``: ``ALLIED_WITH`` (alliance, ally, defence treaty/pact) and
  ``COOPERATES_WITH`` (cooperation, cooperate, partnership) only between the actors the
  trigger names ("cooperation between Moscow and Pyongyang", "X and Y signed a defence treaty").
- ``relations.event``: ``Event`` entities for deployments, training, summits/meetings,
  attacks, invasions and sanctions, each created only for a trigger with at least one
  participant, with ``PARTICIPATED_IN`` edges (``role``: sender, deployed, trainee, agent,
  target, host, attendee) and the event's ``LOCATED_IN`` place.  Event ids are
  ``event:<kind>:<article id>:<character offset of the trigger>``: stable for a given text.

Relations are read from the text only; who reported them is the claims extractor's business:
``attributed_to`` is a hint, and :func:`link_relations_to_claims` sets ``claim_id`` once the
claims are known.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc, Span, Token

from graph.model import Article, Claim, Entity, Evidence, Mention, Quantity, Relation, TimeExpression
from ingest.quantities import CONTEXT_TROOP_NOUNS, TROOP_NOUNS, find_quantities, is_troop_phrase
from ingest.timex import find_times

EXTRACTOR_VERSION = "1"

TRANSFER_VERBS = frozenset(
    """send deploy dispatch transfer move ship transport airlift fly redeploy relocate bring
    station base post position commit""".split()
)
MOTION_VERBS = frozenset("arrive go head travel cross enter march sail land reach move".split())
STAY_VERBS = frozenset("stay remain camp gather mass amass assemble be operate fight serve keep maintain".split())
# Leaving a place: MOVED_FROM only ("withdrew its troops from Kherson", "pulled out of Basra",
# "left Afghanistan")
WITHDRAWAL_VERBS = frozenset("withdraw pull leave evacuate retreat".split())
# Verbs that place only a named unit, never a state: "troops were in Russia", "units
# operating in Kursk" (a state "fighting in Ukraine" is not a deployment we can locate)
UNIT_ONLY_VERBS = frozenset("be operate fight serve".split())
# Verbs whose object is what stays: "keeping British troops in Iraq"
KEEPING_VERBS = frozenset("keep maintain amass mass".split())
DEPLOYMENT_NOUNS = frozenset("deployment dispatch transfer arrival presence redeployment".split())
PLACE_PREPS_TO = frozenset({"to", "into", "toward", "towards"})
PLACE_PREPS_AT = frozenset({"in", "at", "inside", "near"})
MODALS = frozenset({"will", "would", "could", "may", "might", "shall", "'ll", "wo", "can", "should"})
PLAN_HEADS = frozenset("plan prepare expect intend aim set schedule want seek threaten agree decide".split())
HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether"})
DENIAL_HEADS = frozenset("deny dismiss reject refute rebut".split())
SPEECH_HEADS = frozenset(
    """say tell state report claim add confirm estimate assess believe warn announce note write
    insist suggest indicate show reveal""".split()
)
ANAPHORS = frozenset({"they", "them", "these", "those"})
ANAPHOR_HEADS = TROOP_NOUNS | CONTEXT_TROOP_NOUNS | frozenset({"units", "unit", "contingent", "troop"})
TRAINING_LEMMAS = frozenset({"train", "training"})

ALLIANCE_TRIGGERS = frozenset({"alliance", "ally", "allies", "allied"})
PACT_WORDS = frozenset({"treaty", "pact", "accord"})
PACT_MODIFIERS = frozenset({"defence", "defense", "military", "security", "mutual", "alliance"})
COOPERATION_TRIGGERS = frozenset(
    {"cooperation", "co-operation", "cooperate", "co-operate", "collaboration", "collaborate", "partnership"}
)
AGREEMENT_VERBS = frozenset("sign form forge strike seal conclude ratify agree deepen strengthen expand".split())

EVENT_NOUNS = {
    "summit": "summit", "meeting": "meeting", "talks": "meeting", "conference": "meeting",
    "attack": "attack", "strike": "attack", "strikes": "attack", "assault": "attack",
    "offensive": "attack", "bombardment": "attack", "shelling": "attack", "bombing": "attack",
    "invasion": "invasion", "incursion": "invasion", "sanctions": "sanctions announcement",
    "sanction": "sanctions announcement",
}
EVENT_VERBS = {"attack": "attack", "strike": "attack", "shell": "attack", "bomb": "attack", "invade": "invasion"}
ARMED_MODIFIERS = frozenset(
    """missile drone air rocket military terrorist suicide artillery chemical nuclear bomb ground
    armed aerial naval militant insurgent""".split()
)
HOSTING_VERBS = frozenset("hold host convene attend chair join open call organise organize".split())
SANCTION_VERBS = frozenset("impose announce slap unveil introduce adopt approve".split())

# Head nouns of a phrase that locates by a place named inside it: "the Wonsan area", "North
# Korea's east coast", "Russia's Far East".
AREA_HEADS = frozenset(
    """area areas region regions zone coast coastline border borders east west north south part parts
    province oblast district territory port city town outskirts vicinity capital base bases
    peninsula""".split()
)
PLACE_HEAD_WORDS = AREA_HEADS | frozenset(
    """square street road avenue bridge dam airport airbase base port harbour harbor island islands
    mountains mountain river valley lake sea bay strait gulf county state republic oblast krai
    village town city district quarter camp""".split()
)
PLACE_NOUNS = frozenset("city town village region province port district capital area oblast state".split())
ANAPHOR_DETERMINERS = frozenset({"the", "these", "those", "some", "several", "many", "most", "all", "its", "their"})
# "the soldiers came from the 11th Corps", "troops drawn largely from the 11th Corps"
MEMBERSHIP_VERBS = frozenset("come draw recruit select pick take hail".split())
FORMATION_WORDS = frozenset(
    "corps brigade brigades division divisions regiment regiments battalion battalions army fleet guard guards company".split()
)
ACTOR_TYPES = frozenset({"State", "Organization", "Person", "Unit", "Source"})
LOCATION_TYPES = frozenset({"Place", "State"})


class _Context:
    """Per-document lookups shared by the extractors."""

    def __init__(self, doc: Doc, article: Article, entities: list[Entity]):
        self.doc = doc
        self.article = article
        self.published: dt.date | None = article.published
        self.entities = {entity.id: entity for entity in entities}
        self.sentences = list(doc.sents)
        self._sentence_starts = [sent.start for sent in self.sentences]
        # token index -> (mention span, entity id) of the innermost mention covering it, and of
        # the widest place or state covering it ("eastern Russia" over "Russia")
        self.token_entity: dict[int, tuple[Span, str]] = {}
        self.token_location: dict[int, tuple[Span, str]] = {}
        self.mentions: list[tuple[Span, str]] = []
        for entity in entities:
            for mention in entity.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is None or not len(span):
                    continue
                self.mentions.append((span, entity.id))
                for i in range(span.start, span.end):
                    known = self.token_entity.get(i)
                    if known is None or len(span) < len(known[0]):
                        self.token_entity[i] = (span, entity.id)
                    if entity.type in LOCATION_TYPES:
                        known = self.token_location.get(i)
                        if known is None or len(span) > len(known[0]):
                            self.token_location[i] = (span, entity.id)
        self.mentions.sort(key=lambda item: item[0].start)
        self._times: dict[int, list[TimeExpression]] = {}
        self._quantities: dict[int, list[Quantity]] = {}
        self.relations: list[Relation] = []
        self.events: dict[str, Entity] = {}
        self.last_deployed: tuple[int, str] | None = None  # (sentence index, unit id)

    # -- lookups --
    def sentence_index(self, token: Token) -> int:
        return bisect.bisect_right(self._sentence_starts, token.i) - 1

    def entity(self, token: Token | None) -> str | None:
        if token is None:
            return None
        found = self.token_entity.get(token.i)
        return found[1] if found else None

    def location(self, token: Token) -> str | None:
        found = self.token_location.get(token.i)
        return found[1] if found else None

    def extent(self, piece: Token | Span) -> tuple[int, int]:
        """Characters of a token, widened to the entity mention covering it."""
        if isinstance(piece, Span):
            return piece.start_char, piece.end_char
        found = self.token_entity.get(piece.i)
        if found:
            return found[0].start_char, found[0].end_char
        return piece.idx, piece.idx + len(piece)

    def type_of(self, entity_id: str | None) -> str | None:
        entity = self.entities.get(entity_id) if entity_id else None
        return entity.type if entity else None

    def times(self, sentence: int) -> list[TimeExpression]:
        if sentence not in self._times:
            self._times[sentence] = find_times(self.sentences[sentence], self.published)
        return self._times[sentence]

    def quantities(self, sentence: int) -> list[Quantity]:
        if sentence not in self._quantities:
            self._quantities[sentence] = find_quantities(
                self.sentences[sentence], self.published, list(self.entities.values())
            )
        return self._quantities[sentence]

    # -- output --
    def add(self, type_: str, source: str, target: str, tokens: Iterable[Token | Span], extractor: str,
            confidence: float, properties: dict[str, Any] | None = None) -> Relation | None:
        if source == target or source not in self.entities and source not in self.events:
            return None
        if target not in self.entities and target not in self.events:
            return None
        pieces = [t for t in tokens if t is not None]
        extents = [self.extent(p) for p in pieces]
        start = min(a for a, _ in extents)
        end = max(b for _, b in extents)
        first = pieces[0] if isinstance(pieces[0], Token) else pieces[0][0]
        sentence = self.sentence_index(first)
        relation = Relation(
            type=type_,  # type: ignore[arg-type]
            source=source,
            target=target,
            properties={k: v for k, v in (properties or {}).items() if v is not None},
            evidence=Evidence(
                article_id=self.article.id,
                sentence=sentence,
                start=start,
                end=end,
                text=self.sentences[sentence].text,
                extractor=extractor,
                extractor_version=EXTRACTOR_VERSION,
                confidence=confidence,
            ),
        )
        self.relations.append(relation)
        return relation


# --- small parse helpers ------------------------------------------------------------------

def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    deps = set(deps)
    return [child for child in token.children if child.dep_ in deps]


def _with_conjuncts(token: Token) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found.extend(_with_conjuncts(child))
    return found


def _is_negated(token: Token) -> bool:
    """Negated, denied, hypothetical ("if ... sends troops") or asked ("are troops in Kursk?"):
    the sentence does not state it."""
    if any(child.dep_ == "neg" or (child.dep_ == "mark" and child.lower_ in HYPOTHETICAL_MARKS)
           for child in token.children):
        return True
    if token.sent.text.rstrip().endswith("?"):
        return True
    # "denied that it had sent troops", "dismissed reports of a deployment"
    head = token
    for _ in range(3):
        if head.head.i == head.i:
            break
        head = head.head
        if head.lemma_ in DENIAL_HEADS or (head.lemma_ in SPEECH_HEADS and any(c.dep_ == "neg" for c in head.children)):
            return True
    return False


def _is_planned(verb: Token) -> bool:
    if any(child.dep_ == "aux" and child.lower_ in MODALS for child in verb.children):
        return True
    if any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children):
        return True  # "to be sent to Russia"
    return verb.dep_ in ("xcomp",) and verb.head.lemma_ in PLAN_HEADS


def _has_no_determiner(token: Token) -> bool:
    """"no troops were sent": the quantifier 'no' negates the theme."""
    return any(child.lower_ in ("no", "none") and child.dep_ == "det" for child in token.children)


def _noun_core_span(token: Token) -> tuple[int, int]:
    """Characters of the noun phrase up to its head (no relative clauses or prepositions)."""
    return token.left_edge.idx, token.idx + len(token)


# --- the extractor ------------------------------------------------------------------------

def relations_from_doc(doc: Doc, article: Article, entities: list[Entity]) -> tuple[list[Relation], list[Entity]]:
    """Relations stated in the doc, and the Event entities they point at (see module doc)."""
    if doc.text != article.text:
        raise ValueError(f"doc text is not the text of article {article.id}")
    ctx = _Context(doc, article, entities)
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "NOUN" and lemma in DEPLOYMENT_NOUNS):
            if lemma in TRANSFER_VERBS or lemma in MOTION_VERBS or lemma in STAY_VERBS or lemma in DEPLOYMENT_NOUNS:
                _deployment(ctx, token)
            elif lemma in WITHDRAWAL_VERBS and token.pos_ == "VERB":
                _withdrawal(ctx, token)
        if lemma in TRAINING_LEMMAS:
            _training(ctx, token)
        if lemma in ALLIANCE_TRIGGERS or lemma in COOPERATION_TRIGGERS or (lemma in PACT_WORDS and _is_defence_pact(token)):
            _alignment(ctx, token)
        if (token.pos_ == "NOUN" and token.lower_ in EVENT_NOUNS) or (token.pos_ == "VERB" and lemma in EVENT_VERBS):
            _event(ctx, token)
        if lemma in MEMBERSHIP_VERBS and token.pos_ == "VERB":
            _drawn_from(ctx, token)
    _units_in_places(ctx)
    _unit_of_unit(ctx)
    _located_in_text(ctx)
    _part_of(ctx)
    _holds_role(ctx, doc, entities)
    _located_in_geocoded(ctx)
    return _deduplicated(ctx.relations), list(ctx.events.values())


def _deduplicated(relations: list[Relation]) -> list[Relation]:
    """One relation per (type, source, target, sentence, properties): the most confident."""
    best: dict[tuple, Relation] = {}
    for relation in relations:
        key = (relation.type, relation.source, relation.target, relation.evidence.sentence,
               repr(sorted(relation.properties.items())))
        if key not in best or relation.evidence.confidence > best[key].evidence.confidence:
            best[key] = relation
    return list(best.values())


def link_relations_to_claims(relations: list[Relation], claims: list[Claim]) -> list[Relation]:
    """The relations with ``claim_id`` set where the relation was read from a claim's content:
    same sentence, and at least half of the relation's supporting text inside the content.
    Called after the claims extractor (it runs after this one); relations outside any claim
    keep ``claim_id=None``."""
    linked = []
    for relation in relations:
        evidence = relation.evidence
        length = max(1, evidence.end - evidence.start)
        best, best_overlap = None, 0
        for claim in claims:
            if claim.article_id != evidence.article_id:
                continue
            overlap = min(evidence.end, claim.content.end) - max(evidence.start, claim.content.start)
            if overlap * 2 >= length and overlap > best_overlap:
                best, best_overlap = claim.id, overlap
        linked.append(relation.model_copy(update={"claim_id": best}) if best else relation)
    return linked


# --- places -------------------------------------------------------------------------------

def _location_of(ctx: _Context, token: Token, depth: int = 2) -> tuple[str, Token] | None:
    """The Place or State a noun phrase names: itself, or nested ("the port of Wonsan",
    "military bases in eastern Russia", "North Korea's east coast")."""
    found = ctx.entity(token)
    if found and ctx.type_of(found) not in LOCATION_TYPES:
        return None
    if found:
        return ctx.location(token) or found, token
    if depth == 0:
        return None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "near", "outside", "inside"):
            for pobj in _children(child, ("pobj",)):
                nested = _location_of(ctx, pobj, depth - 1)
                if nested:
                    return nested
        if child.dep_ in ("poss", "compound") and token.lower_ in AREA_HEADS:
            nested = _location_of(ctx, child, 0)
            if nested:
                return nested
    return None


def _place_objects(ctx: _Context, verb: Token, preps: frozenset[str]) -> list[tuple[str, Token, Token]]:
    """(place id, place token, preposition) for the verb's prepositional objects naming places,
    with the places a list adds to them ("bases in eastern Russia, including in Ussuriysk and
    Khabarovsk"; the parser hangs "including" on the verb or on the noun)."""
    found = []
    for prep in verb.children:
        if prep.dep_ not in ("prep", "dative") or prep.lower_ not in preps:
            continue
        for pobj in _children(prep, ("pobj",)):
            for conjunct in _with_conjuncts(pobj):
                place = _location_of(ctx, conjunct)
                if place:
                    found.append((place[0], place[1], prep))
            found += _included_places(ctx, pobj)
    if found:
        found += _included_places(ctx, verb)
    return found


def _included_places(ctx: _Context, head: Token) -> list[tuple[str, Token, Token]]:
    found = []
    for including in head.children:
        if including.dep_ != "prep" or including.lower_ != "including":
            continue
        objects = _children(including, ("pobj",)) + [
            p for prep in _children(including, ("prep",)) if prep.lower_ in ("in", "at") for p in _children(prep, ("pobj",))]
        for pobj in objects:
            for conjunct in _with_conjuncts(pobj):
                place = _location_of(ctx, conjunct)
                if place:
                    found.append((place[0], place[1], including))
    return found


# --- deployment -----------------------------------------------------------------------------

def _theme_and_agent(ctx: _Context, verb: Token) -> tuple[Token | None, Token | None]:
    """(what moves, who sends it) for a deployment verb or noun."""
    lemma = verb.lemma_.lower()
    if verb.pos_ == "NOUN":  # "the deployment of North Korean troops", "Pyongyang's deployment"
        theme = next((p for prep in _children(verb, ("prep",)) if prep.lower_ == "of"
                      for p in _children(prep, ("pobj",))), None)
        agent = next(iter(_children(verb, ("poss",))), None)
        if theme is None and agent is not None and ctx.type_of(ctx.entity(agent)) == "Unit":
            theme, agent = agent, None
        return theme, agent
    passive = _children(verb, ("nsubjpass",))
    subject = next(iter(_children(verb, ("nsubj",))), None)
    objects = _children(verb, ("dobj",))
    if passive:
        agent = next((p for a in _children(verb, ("agent",)) for p in _children(a, ("pobj",))), None)
        theme = passive[0]
        if theme.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
            theme = verb.head  # "troops who were sent to ..."
        return theme, agent
    if (lemma in TRANSFER_VERBS or lemma in KEEPING_VERBS) and objects:
        return objects[0], subject
    if verb.dep_ in ("acl", "relcl") and subject is None and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head, None  # "British troops deployed in Iraq", "soldiers to be sent to Russia"
    if lemma in TRANSFER_VERBS and lemma not in MOTION_VERBS and subject is None:
        return None, None
    if subject is not None:
        return subject, None
    # shared subject: "were moved to Vladivostok and are staying in ..." or "troops to be sent"
    if verb.dep_ == "conj":
        return _theme_and_agent(ctx, verb.head)
    if verb.dep_ in ("xcomp", "advcl"):
        head_objects = _children(verb.head, ("dobj",))
        return (head_objects[0] if head_objects else None), None
    return None, None


def _names_troops(token: Token) -> bool:
    """"troops", "military personnel", not "police officers" or "a team"."""
    modifiers = [c.lower_ for c in token.children if c.dep_ in ("amod", "compound", "nmod") and c.i < token.i]
    return is_troop_phrase(token.lower_, modifiers, token.sent.text)


def _resolve_actor(ctx: _Context, token: Token | None, sentence: int, anaphora: bool = True) -> tuple[str | None, float]:
    """The entity a subject/object names, with a confidence; anaphors ("they", "the troops")
    look back two sentences for a unit, when ``anaphora`` allows it."""
    if token is None:
        return None, 0.0
    found = ctx.entity(token)
    if found is None:
        # "3,000 of its troops", "the bulk of the North Korean troops"
        for prep in _children(token, ("prep",)):
            if prep.lower_ == "of":
                for pobj in _children(prep, ("pobj",)):
                    found = ctx.entity(pobj)
                    if found:
                        token = pobj
                        break
    if found is None and token.pos_ == "NOUN":
        # "about 1,500 special forces troops": a unit named inside the phrase
        inner = [ctx.entity(child) for child in token.children if child.dep_ in ("compound", "amod", "nmod") and child.i < token.i]
        found = next((e for e in inner if ctx.type_of(e) == "Unit"), None)
    if found is None and token.lower_ in ANAPHOR_HEADS:
        found = _forces_of_named_state(ctx, token)
    if found is not None:
        return found, 0.8
    is_anaphor = token.lower_ in ANAPHORS or (
        token.lower_ in ANAPHOR_HEADS and any(c.lower_ in ANAPHOR_DETERMINERS for c in token.children)
    )
    if not (anaphora and is_anaphor):
        return None, 0.0
    if ctx.last_deployed and sentence - ctx.last_deployed[0] <= 2:
        return ctx.last_deployed[1], 0.6
    # the nearest unit mentioned before, within this and the previous two sentences
    first_token = ctx.sentences[max(0, sentence - 2)].start
    for span, entity_id in reversed(ctx.mentions):
        if span.start >= token.i or span.start < first_token:
            continue
        if ctx.type_of(entity_id) == "Unit" and span.root.lower_ in ANAPHOR_HEADS:
            return entity_id, 0.55
    return None, 0.0


def _forces_of_named_state(ctx: _Context, token: Token) -> str | None:
    """"the first North Korean units": the article's unit of that state ("North Korean
    troops") when the phrase names the state but is not itself a unit mention."""
    states = [ctx.entity(c) for c in token.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
    states = [s for s in states if ctx.type_of(s) == "State"]
    if not states:
        return None
    units = [e for e in ctx.entities.values() if e.type == "Unit" and e.affiliation == states[0]]
    if not units:
        return None
    same_head = [u.id for u in units if u.name.lower().split()[-1:] == [token.lower_]]
    troops = [u.id for u in units if u.id.endswith(":troops")]
    return (same_head or troops or [None])[0]


def _attached_times(ctx: _Context, sentence: int, trigger: Token) -> list[TimeExpression]:
    """Time expressions of the sentence whose nearest verb (or noun trigger) is ``trigger``."""
    attached = []
    for expression in ctx.times(sentence):
        span = ctx.doc.char_span(expression.char_start, expression.char_end, alignment_mode="expand")
        node = span.root
        for _ in range(6):
            if node.i == trigger.i:
                attached.append(expression)
                break
            if node.head.i == node.i or (node.i != span.root.i and node.pos_ in ("VERB", "AUX")):
                break
            node = node.head
    return attached


def _quantity_for(ctx: _Context, sentence: int, theme: Token) -> Quantity | None:
    start, end = _noun_core_span(theme)
    for quantity in ctx.quantities(sentence):
        if start <= quantity.start < end and quantity.counted and quantity.counted != "percent":
            return quantity
    return None


def _speaker(ctx: _Context, verb: Token) -> str | None:
    """The entity reporting the clause: "X said (that) ...", "according to X"."""
    node = verb
    for _ in range(3):
        if node.head.i == node.i:
            break
        if node.dep_ in ("ccomp", "parataxis") and node.head.lemma_ in SPEECH_HEADS:
            subject = next(iter(_children(node.head, ("nsubj",))), None)
            return ctx.entity(subject)
        node = node.head
    for token in ctx.sentences[ctx.sentence_index(verb)]:
        if token.lower_ == "according" and token.i + 1 < len(ctx.doc) and ctx.doc[token.i + 1].lower_ == "to":
            for pobj in _children(ctx.doc[token.i + 1], ("pobj",)):
                return ctx.entity(pobj)
    return None


def _whole(number: float | None) -> int | float | None:
    """3000.0 -> 3000: counts of people read as whole numbers."""
    return int(number) if number is not None and float(number).is_integer() else number


def _count_properties(quantity: Quantity | None) -> dict[str, Any]:
    if quantity is None:
        return {}
    return {"count": _whole(quantity.value), "low": _whole(quantity.low), "high": _whole(quantity.high),
            "qualifier": quantity.qualifier, "count_text": quantity.text}


def _deployment(ctx: _Context, verb: Token) -> None:
    lemma = verb.lemma_.lower()
    if _is_negated(verb):
        return
    sentence = ctx.sentence_index(verb)
    theme, agent = _theme_and_agent(ctx, verb)
    if theme is None or _has_no_determiner(theme):
        return
    if lemma in STAY_VERBS or lemma in ("station", "base", "post", "position") or (verb.pos_ == "NOUN" and lemma == "presence"):
        preps = PLACE_PREPS_AT
    else:
        preps = PLACE_PREPS_TO | PLACE_PREPS_AT
    targets = _place_objects(ctx, verb, preps)
    if not targets and (verb.pos_ == "NOUN" or lemma in STAY_VERBS):
        # "the presence of US troops in Iraq", "keeping British troops in Iraq"
        targets = _place_objects(ctx, theme, PLACE_PREPS_AT)
    if lemma in ("reach", "enter", "cross"):
        targets += [(p[0], p[1], verb) for obj in _children(verb, ("dobj",)) if (p := _location_of(ctx, obj))]
    if not targets:
        return
    source, confidence = _resolve_actor(ctx, theme, sentence)
    source_type = ctx.type_of(source)
    if lemma in UNIT_ONLY_VERBS and source_type != "Unit":
        return
    quantity = _quantity_for(ctx, sentence, theme)
    if source_type != "Unit":
        # only "troops" named: the sending state is what the text says moved them
        agent_id, agent_confidence = _resolve_actor(ctx, agent, sentence)
        troops = _names_troops(theme) or (quantity is not None and quantity.is_troop_count)
        if troops and ctx.type_of(agent_id) == "State":
            source, confidence = agent_id, min(agent_confidence, 0.75)
        elif source_type != "State" or lemma not in MOTION_VERBS | STAY_VERBS:
            return
    origins = _place_objects(ctx, verb, frozenset({"from"}))
    times = _attached_times(ctx, sentence, verb)
    time = times[0] if times else (quantity.target_time if quantity else None)
    properties: dict[str, Any] = {
        "time": time.model_dump(mode="json") if time else None,
        "status": "planned" if verb.pos_ != "NOUN" and _is_planned(verb) else None,
        "attributed_to": _speaker(ctx, verb),
        "trigger": verb.lemma_.lower(),
    }
    properties.update(_count_properties(quantity))
    if origins:
        properties["from"] = origins[0][0]
    made = False
    for target, place_token, prep in targets:
        if target == source or target in {o[0] for o in origins}:
            continue
        near = {"near": True} if prep.lower_ == "near" else {}  # "massed near Kursk": by it, not in it
        relation = ctx.add("DEPLOYED_TO", source, target, [theme, agent, verb, place_token, prep],
                           "relations.deployment", confidence, {**properties, **near})
        made = made or relation is not None
        if relation is not None and ctx.type_of(source) == "Unit" and _names_training_ground(prep):
            # "moved on to three military training sites in eastern Russia"
            ctx.add("TRAINING_AT", source, target, [theme, verb, place_token, prep], "relations.training",
                    confidence, {"time": properties["time"], "attributed_to": properties["attributed_to"]})
    if not made:
        return
    for origin, origin_token, prep in origins:
        ctx.add("MOVED_FROM", source, origin, [theme, agent, verb, prep, origin_token], "relations.deployment", confidence,
                {"time": properties["time"]})
    if ctx.type_of(source) == "Unit":
        ctx.last_deployed = (sentence, source)
    if lemma in TRANSFER_VERBS or lemma in DEPLOYMENT_NOUNS - {"presence"}:
        sender = _resolve_actor(ctx, agent, sentence)[0]
        participants = [(sender, "sender"), (source, "deployed")] if sender else [(source, "deployed")]
        _make_event(ctx, "deployment", verb, sentence, participants, targets[0][0], time)


def _units_in_places(ctx: _Context) -> None:
    """"North Korean soldiers in Russia", "US troops in Iraq": a unit named with where it is."""
    for span, unit in ctx.mentions:
        if ctx.type_of(unit) != "Unit" or _is_negated(span.root) or _has_no_determiner(span.root):
            continue
        root = span.root
        sentence = ctx.sentence_index(root)
        for target, place_token, prep in _place_objects(ctx, root, frozenset({"in", "inside"})):
            if any(r.type == "DEPLOYED_TO" and r.source == unit and r.target == target
                   and r.evidence.sentence == sentence for r in ctx.relations):
                continue
            properties = {"trigger": prep.lower_, "attributed_to": _speaker(ctx, root),
                          **_count_properties(_quantity_for(ctx, sentence, root))}
            ctx.add("DEPLOYED_TO", unit, target, [span, prep, place_token], "relations.deployment", 0.7, properties)


def _withdrawal(ctx: _Context, verb: Token) -> None:
    """MOVED_FROM for forces leaving a place: "from X", "out of X", or the object of "left"."""
    if _is_negated(verb):
        return
    sentence = ctx.sentence_index(verb)
    objects = _children(verb, ("dobj",))
    subject = next(iter(_children(verb, ("nsubj",))), None)
    origins = _place_objects(ctx, verb, frozenset({"from"}))
    for particle in verb.children:  # "pulled out of Basra"
        if particle.lower_ == "out":
            origins += _place_objects(ctx, particle, frozenset({"of"}))
    if verb.lemma_.lower() == "leave":  # "left Afghanistan": the object is the place
        origins += [(p[0], p[1], verb) for obj in objects if (p := _location_of(ctx, obj))]
        objects = []
    theme, agent = (objects[0], subject) if objects else (subject, None)
    if theme is None or not origins or _has_no_determiner(theme):
        return
    source, confidence = _resolve_actor(ctx, theme, sentence)
    if ctx.type_of(source) != "Unit":
        agent_id, agent_confidence = _resolve_actor(ctx, agent, sentence)
        if not (_names_troops(theme) and ctx.type_of(agent_id) == "State"):
            return
        source, confidence = agent_id, min(agent_confidence, 0.75)
    times = _attached_times(ctx, sentence, verb)
    for origin, origin_token, prep in origins:
        ctx.add("MOVED_FROM", source, origin, [theme, agent, verb, prep, origin_token], "relations.deployment",
                confidence, {"time": times[0].model_dump(mode="json") if times else None,
                             "trigger": verb.lemma_.lower(), "attributed_to": _speaker(ctx, verb)})


# --- training -------------------------------------------------------------------------------

def _names_training_ground(prep: Token) -> bool:
    return any(
        pobj.lemma_ in ("site", "camp", "ground", "base", "centre", "center", "facility", "range")
        and any(c.lower_ == "training" for c in pobj.children)
        for pobj in _children(prep, ("pobj",))
    )


def _training(ctx: _Context, token: Token) -> None:
    if _is_negated(token):
        return
    sentence = ctx.sentence_index(token)
    if token.pos_ == "VERB":
        trainees = _children(token, ("nsubjpass",)) or (
            _children(token, ("nsubj",)) if not _children(token, ("dobj",)) else _children(token, ("dobj",)))
        if not trainees and token.dep_ in ("acl", "relcl"):
            trainees = [token.head]
        if not trainees and token.dep_ == "conj":
            trainees = _children(token.head, ("nsubj", "nsubjpass"))
        if not trainees and token.dep_ in ("xcomp", "advcl"):  # "were sent to train in ..."
            trainees = _children(token.head, ("nsubjpass",)) or _children(token.head, ("dobj",))
    else:  # "training of North Korean troops in Russia", "their training at ..."
        trainees = [p for prep in _children(token, ("prep",)) if prep.lower_ == "of" for p in _children(prep, ("pobj",))]
        trainees += _children(token, ("poss",))
    places = _place_objects(ctx, token, PLACE_PREPS_AT)
    if not trainees or not places:
        return
    for trainee in trainees:
        source, confidence = _resolve_actor(ctx, trainee, sentence)
        if ctx.type_of(source) != "Unit":
            continue
        times = _attached_times(ctx, sentence, token)
        properties = {
            "time": times[0].model_dump(mode="json") if times else None,
            "status": "planned" if token.pos_ == "VERB" and _is_planned(token) else None,
            "attributed_to": _speaker(ctx, token),
            **_count_properties(_quantity_for(ctx, sentence, trainee)),
        }
        for place, place_token, prep in places:
            ctx.add("TRAINING_AT", source, place, [trainee, token, prep, place_token], "relations.training",
                    confidence, properties)
        _make_event(ctx, "training", token, sentence, [(source, "trainee")], places[0][0],
                    times[0] if times else None)


# --- alliances and cooperation ----------------------------------------------------------------

def _is_defence_pact(token: Token) -> bool:
    return any(child.lower_ in PACT_MODIFIERS for child in token.children if child.dep_ in ("amod", "compound"))


def _actors(ctx: _Context, tokens: Iterable[Token]) -> list[tuple[str, Token]]:
    found = []
    for token in tokens:
        for conjunct in _with_conjuncts(token):
            entity = ctx.entity(conjunct)
            if entity and ctx.type_of(entity) in ("State", "Organization"):
                found.append((entity, conjunct))
    return found


def _alignment(ctx: _Context, trigger: Token) -> None:
    if _is_negated(trigger) or _has_no_determiner(trigger):
        return
    lemma = trigger.lemma_.lower()
    kind = "COOPERATES_WITH" if lemma in COOPERATION_TRIGGERS else "ALLIED_WITH"
    preps = {prep.lower_: _children(prep, ("pobj",)) for prep in _children(trigger, ("prep",))}
    sides: list[tuple[str, Token]] = []
    if "between" in preps:  # "cooperation between Moscow and Pyongyang"
        sides = _actors(ctx, preps["between"])
    elif trigger.pos_ in ("NOUN", "PROPN"):
        owners = _actors(ctx, _children(trigger, ("poss", "compound", "amod")))
        partners = _actors(ctx, preps.get("with", []) + preps.get("of", []))
        if owners and partners:  # "Russia's alliance with North Korea", "North Korea's ally Russia"
            sides = owners[:1] + partners[:1]
        elif trigger.dep_ in ("dobj", "nsubjpass") and trigger.head.lemma_ in AGREEMENT_VERBS:
            verb = trigger.head  # "North Korea and Russia signed a mutual defence treaty"
            subjects = _actors(ctx, _children(verb, ("nsubj", "nsubjpass")))
            with_objects = [p for prep in _children(verb, ("prep",)) if prep.lower_ == "with"
                            for p in _children(prep, ("pobj",))]
            sides = subjects + _actors(ctx, with_objects) + partners
        elif trigger.dep_ in ("attr",) and lemma in ("ally", "allies"):  # "X is an ally of Y"
            sides = _actors(ctx, _children(trigger.head, ("nsubj",))) + partners
        elif trigger.dep_ == "appos" and partners:  # "Belarus, an ally of Russia"
            sides = _actors(ctx, [trigger.head]) + partners
    else:  # verbs: "Russia cooperates with North Korea", "Moscow allied with Pyongyang"
        sides = _actors(ctx, _children(trigger, ("nsubj",))) + _actors(ctx, preps.get("with", []))
    if len(sides) < 2:
        return
    (first, first_token), (second, second_token) = sides[0], sides[1]
    if first == second:
        return
    ctx.add(kind, first, second, [first_token, trigger, second_token], "relations.alignment", 0.75,
            {"trigger": trigger.text.lower(), "attributed_to": _speaker(ctx, trigger)})


# --- events -------------------------------------------------------------------------------

def _event_name(trigger: Token) -> str:
    """"emergency security meeting", "summit in Pyongyang", "summit of European Union leaders"."""
    # without determiners, possessors and counts ("two-day", "2nd"): "European Council summit"
    words = [t for t in trigger.subtree if t.i <= trigger.i and t.dep_ not in ("det", "poss", "case", "nummod")
             and not t.is_punct and not t.like_num and not any(c.like_num for c in t.children)]
    for prep in _children(trigger, ("prep",)):
        if prep.lower_ in ("in", "of", "on", "at", "between", "with") and prep.right_edge.i - trigger.i <= 6:
            words += [t for t in prep.subtree if not t.is_punct]
            break
    words.sort(key=lambda t: t.i)
    return " ".join(t.text for t in words if not t.is_space) or trigger.text


def _make_event(ctx: _Context, kind: str, trigger: Token, sentence: int,
                participants: list[tuple[str | None, str]], place: str | None,
                time: TimeExpression | None, name: str | None = None) -> str | None:
    seen: set[str] = set()
    participants = [(p, role) for p, role in participants
                    if p and ctx.type_of(p) in ACTOR_TYPES and not (p in seen or seen.add(p))]
    if not participants:
        return None
    event_id = f"event:{kind.replace(' ', '-')}:{ctx.article.id}:{trigger.idx}"
    if event_id not in ctx.events:
        label = name or _event_label(ctx, kind, participants, place)
        ctx.events[event_id] = Entity(
            id=event_id, name=label, type="Event", event_kind=kind, time=time,
            mentions=[Mention(text=trigger.text, start=trigger.idx, end=trigger.idx + len(trigger), sentence=sentence)],
        )
    for participant, role in participants:
        ctx.add("PARTICIPATED_IN", participant, event_id, [trigger], "relations.event", 0.7, {"role": role})
    if place:
        ctx.add("LOCATED_IN", event_id, place, [trigger], "relations.event", 0.7)
    return event_id


def _event_label(ctx: _Context, kind: str, participants: list[tuple[str, str]], place: str | None) -> str:
    names = [ctx.entities[p].name for p, _ in participants if p in ctx.entities]
    label = f"{names[0]} {kind}" if names else kind
    if place and place in ctx.entities:
        label += f" ({ctx.entities[place].name})"
    return label


def _event(ctx: _Context, trigger: Token) -> None:
    if _is_negated(trigger) or _has_no_determiner(trigger):
        return
    sentence = ctx.sentence_index(trigger)
    kind = EVENT_NOUNS.get(trigger.lower_) if trigger.pos_ == "NOUN" else EVENT_VERBS[trigger.lemma_.lower()]
    if kind is None:
        return
    participants: list[tuple[str | None, str]] = []
    preps = {prep.lower_: _children(prep, ("pobj",)) for prep in _children(trigger, ("prep",))}
    if trigger.pos_ == "VERB":  # "Russia invaded Ukraine", "drones attacked Kyiv"
        participants += [(e, "agent") for e, _ in _actors_any(ctx, _children(trigger, ("nsubj",)))]
        participants += [(e, "target") for e, _ in _actors_any(ctx, _children(trigger, ("dobj",)))]
        place = next((p[0] for p in _place_objects(ctx, trigger, PLACE_PREPS_AT)), None)
        name = None
    else:
        owners = _actors_any(ctx, _children(trigger, ("poss", "compound", "amod")))
        role_of_owner = "agent"
        participants += [(e, role_of_owner) for e, _ in owners]
        for prep, role in (("of", "target"), ("on", "target"), ("against", "target"), ("between", "attendee"),
                           ("with", "attendee"), ("by", "agent")):
            if kind in ("summit", "meeting") and prep == "of":
                role = "attendee"
            participants += [(e, role) for e, _ in _actors_any(ctx, preps.get(prep, []))]
        head = trigger.head
        if trigger.dep_ in ("dobj", "nsubjpass") and (
            head.lemma_ in HOSTING_VERBS or (kind == "sanctions announcement" and head.lemma_ in SANCTION_VERBS)
            or (kind in ("attack", "invasion") and head.lemma_ in ("launch", "carry", "begin", "start", "order"))
        ):
            role = "host" if kind in ("summit", "meeting") else "agent"
            participants += [(e, role) for e, _ in _actors_any(ctx, _children(head, ("nsubj",)))]
            if kind == "sanctions announcement":
                for prep in _children(head, ("prep",)):
                    if prep.lower_ in ("on", "against"):
                        participants += [(e, "target") for e, _ in _actors_any(ctx, _children(prep, ("pobj",)))]
        if trigger.dep_ == "pobj" and trigger.head.lower_ in ("at", "during") and kind in ("summit", "meeting"):
            verb = trigger.head.head  # "told reporters at a summit of EU leaders"
            participants += [(e, "attendee") for e, _ in _actors_any(ctx, _children(verb, ("nsubj",)))]
        place_preps = frozenset({"in", "at", "on"}) if kind == "attack" else frozenset({"in", "at"})
        # "an attack on Kyiv" happens there; "an attack on Ukraine" targets a state (a participant)
        place = next((p[0] for p in _place_objects(ctx, trigger, place_preps)
                      if p[2].lower_ != "on" or ctx.type_of(p[0]) == "Place"), None)
        name = _event_name(trigger) if kind in ("summit", "meeting") else None
        if kind == "sanctions announcement" and not participants:
            return
    if kind == "attack" and not _is_armed_attack(ctx, trigger, participants, place):
        return  # "Kerry attacked Bush", "a late strike" (football): words, not arms
    times = _attached_times(ctx, sentence, trigger)
    _make_event(ctx, kind, trigger, sentence, participants, place, times[0] if times else None, name)


def _is_armed_attack(ctx: _Context, trigger: Token, participants: list[tuple[str | None, str]], place: str | None) -> bool:
    if any(child.lower_ in ARMED_MODIFIERS for child in trigger.children):
        return True
    types = {ctx.type_of(p) for p, _ in participants}
    if "Unit" in types:
        return True
    targets = {ctx.type_of(p) for p, role in participants if role == "target"}
    if place is not None:
        targets.add("Place")
    agents = {ctx.type_of(p) for p, role in participants if role == "agent"}
    return bool(targets & {"State", "Place"}) and bool(agents & {"State", "Organization"}) and "Person" not in types


def _actors_any(ctx: _Context, tokens: Iterable[Token]) -> list[tuple[str, Token]]:
    found = []
    for token in tokens:
        for conjunct in _with_conjuncts(token):
            entity, _ = _resolve_actor(ctx, conjunct, ctx.sentence_index(conjunct), anaphora=False)
            if entity and ctx.type_of(entity) in ACTOR_TYPES:
                found.append((entity, conjunct))
    return found


# --- units within units -----------------------------------------------------------------------

def _is_formation(ctx: _Context, entity_id: str | None) -> bool:
    entity = ctx.entities.get(entity_id) if entity_id else None
    return entity is not None and entity.type == "Unit" and entity.name.split()[-1].lower() in FORMATION_WORDS


def _drawn_from(ctx: _Context, verb: Token) -> None:
    if _is_negated(verb):
        return
    sentence = ctx.sentence_index(verb)
    containers = [(c, p) for prep in _children(verb, ("prep",)) if prep.lower_ == "from"
                  for p in _children(prep, ("pobj",)) if _is_formation(ctx, c := ctx.entity(p))]
    if not containers:
        return
    container, container_token = containers[0]
    member, confidence = None, 0.0
    for subject in _children(verb, ("nsubj", "nsubjpass")):
        member, confidence = _resolve_actor(ctx, subject, sentence)
        if ctx.type_of(member) == "Unit":
            break
        member = None
    if member is None:
        # the parser often loses the subject of "are drawn from": the nearest unit before the verb
        sent = ctx.sentences[sentence]
        before = [(span, e) for span, e in ctx.mentions
                  if sent.start <= span.start and span.end <= verb.i and ctx.type_of(e) == "Unit"]
        if not before:
            return
        member, confidence = before[-1][1], 0.6
        subject_span = before[-1][0]
    else:
        subject_span = None
    if member == container:
        return
    ctx.add("PART_OF", member, container, [subject_span or verb, verb, container_token], "relations.membership",
            confidence)


def _unit_of_unit(ctx: _Context) -> None:
    """"the special forces of the 11th Corps": a unit, "of", a named formation."""
    for index, (span, unit) in enumerate(ctx.mentions):
        if ctx.type_of(unit) != "Unit":
            continue
        words = [t.lower_ for t in ctx.doc[span.end:span.end + 2]]
        if not words or words[0] != "of":
            continue
        offset = 2 if words[1:] == ["the"] else 1
        for other, container in ctx.mentions[index + 1:index + 4]:
            if other.start == span.end + offset and container != unit and _is_formation(ctx, container):
                ctx.add("PART_OF", unit, container, [span, other], "relations.membership", 0.75)


# --- located in -----------------------------------------------------------------------------

def _located_in_text(ctx: _Context) -> None:
    """"Kursk in Russia", "Wonsan, on North Korea's east coast", "Russia's Kursk region",
    "the Kursk region of Russia"."""
    for span, place in ctx.mentions:
        if ctx.type_of(place) != "Place" or not _is_surely_a_place(ctx.entities[place], span):
            continue
        root = span.root
        candidates: list[tuple[Token, Token]] = []
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "on", "of") and child.i >= span.end:
                candidates += [(child, pobj) for pobj in _children(child, ("pobj",))]
            elif child.dep_ == "poss" and child.i < span.start:
                candidates.append((child, child))
            elif child.dep_ == "appos" and child.lemma_ in PLACE_NOUNS:  # "Kursk, a city in Russia"
                candidates += [(prep, pobj) for prep in _children(child, ("prep",)) if prep.lower_ in ("in", "of")
                               for pobj in _children(prep, ("pobj",))]
        # "in Kursk in Russia": the parser hangs both phrases on the verb, one after the other
        following = ctx.doc[span.end] if span.end < len(ctx.doc) else None
        if root.dep_ == "pobj" and following is not None and following.lower_ == "in" and following.head.i == root.head.head.i:
            candidates += [(following, pobj) for pobj in _children(following, ("pobj",))]
        # "the port of Wonsan" hangs the place off a head noun: "port of Wonsan, on ..."
        for prep, pobj in candidates:
            container = _location_of(ctx, pobj)
            if container is None or container[0] == place or prep.lower_ == "near":
                continue
            ctx.add("LOCATED_IN", place, container[0], [span, prep, container[1]], "relations.location", 0.75)


def _is_surely_a_place(entity: Entity, span: Span) -> bool:
    """Geocoded, or named like a place ("Kursk region", "Leicester Square"): a name that only
    the tagger calls a place ("Russia's Zvonareva") locates nothing."""
    return entity.country is not None or entity.latitude is not None or span[-1].lower_ in PLACE_HEAD_WORDS


def _located_in_geocoded(ctx: _Context) -> None:
    states_by_country = {e.country: e.id for e in ctx.entities.values() if e.type == "State" and e.country}
    for entity in list(ctx.entities.values()):
        if entity.type != "Place" or not entity.country or not entity.mentions:
            continue
        state = states_by_country.get(entity.country)
        if state is None or any(r.type == "LOCATED_IN" and r.source == entity.id and r.target == state for r in ctx.relations):
            continue
        mention = entity.mentions[0]
        span = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and len(span):
            ctx.add("LOCATED_IN", entity.id, state, [span], "relations.geocoded", 0.9, {"basis": "gazetteer"})


# --- affiliation and roles ------------------------------------------------------------------

def _part_of(ctx: _Context) -> None:
    for entity in list(ctx.entities.values()):
        if entity.type not in ("Unit", "Organization") or not entity.affiliation or not entity.mentions:
            continue
        if entity.affiliation not in ctx.entities:
            continue
        mention = _mention_near(ctx, entity, entity.affiliation)
        span = ctx.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        owner_spans = [s for s, e in ctx.mentions if e == entity.affiliation and s.sent.start == span.sent.start
                       and (s.start >= span.start - 3 and s.end <= span.end + 3)]
        confidence = 0.85 if owner_spans else 0.6
        ctx.add("PART_OF", entity.id, entity.affiliation, [span, *owner_spans[:1]], "relations.affiliation", confidence)


def _mention_near(ctx: _Context, entity: Entity, owner: str) -> Mention:
    """The entity's first mention with its owner named right next to or inside it."""
    for mention in entity.mentions:
        for span, other in ctx.mentions:
            if other == owner and span.start_char >= mention.start - 40 and span.end_char <= mention.end:
                return mention
    return entity.mentions[0]


def _holds_role(ctx: _Context, doc: Doc, entities: list[Entity]) -> None:
    from ingest.entities import roles_from_doc

    if not doc.spans.get("ng_entities"):
        return  # roles are read from the entities component's annotations
    for person, title, organisation, mention in roles_from_doc(doc, entities):
        if organisation is None:
            continue
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        person_spans = [s for s, e in ctx.mentions if e == person and s.sent.start == span.sent.start]
        nearest = min(person_spans, key=lambda s: abs(s.start - span.start), default=None)
        ctx.add("HOLDS_ROLE", person, organisation, [span, nearest], "relations.role", 0.8, {"title": title})
