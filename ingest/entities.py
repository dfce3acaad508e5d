"""Entities: people, organisations, states, places and military units, resolved within an article.

The ``newsgraph_entities`` spaCy component annotates a parsed ``Doc``:

- ``doc.spans["ng_entities"]``: one span per entity mention; ``span.label_`` is the node type
  (``Person``, ``Organization``, ``State``, ``Place``, ``Unit``) and ``span.kb_id_`` the entity id.
  Spans may overlap: in "North Korean troops" the demonym is a ``State`` mention and the whole
  phrase a ``Unit`` mention.
- ``doc._.ng_entity_info``: ``{entity id: {"name", "type", "country", "latitude", "longitude",
  "geonames_id", "affiliation"}}`` (plain values, so it survives ``nlp.pipe(n_process=2)``).
- ``span._.ng_entity_id``: for any span, the id of the entity mention that covers its root
  token (the innermost one), or ``None``.  The claims and relations extractors use it to map a
  subject or object to a node.

Pure functions turn the annotated doc into model objects: :func:`entities_from_doc`,
:func:`roles_from_doc` (titles such as "Secretary of Defense" with the person holding them and,
when the text says it, the organisation or state).  Unnamed sources ("a senior administration
official") are ``Source`` nodes made by the claims extractor (``ingest/claims.py``).

Rules, in the order they apply (each has a table-driven test in tests/test_entities.py):

1. **States** from the gazetteer (:mod:`ingest.gazetteer`): country names and aliases ("DPRK",
   "the U.S."), demonyms ("North Korean"), and capitals and seat-of-government metonyms
   ("Moscow", "the Kremlin").  A capital or seat is the *state* when it acts (subject,
   possessive, agent, "according to", "talks with"), otherwise it is the *place* ("troops left
   Pyongyang").  Named government offices ("the White House", "Downing Street", "the Elysee",
   "the Blue House") are ``Organization`` nodes affiliated with their state: the office speaks
   for the head of government, and analysts tell "the White House said" apart from "the
   Pentagon said".  "The Kremlin" is the exception the news makes: it stands for Russia.
2. **Places**: geocoded against the gazetteer's cities (names and alternate names, ASCII-folded).
   A name is resolved to its largest candidate in a country the article mentions (unless a
   second one there is more than a fifth of its size), else to its
   only candidate when that one has 50,000+ people, else to a candidate that dominates (>= 1M
   people and 20 times the next), else left without coordinates: never guessed.  Ambiguous names that were resolved get the country in
   their id (``place:birmingham-gb``).  "eastern Russia" is a ``Place`` in Russia.
3. **People**: titles are stripped ("President Zelensky" -> "Zelensky"); a one-word mention is
   the full name it is part of when exactly one person in the article has that name ("Kirby"
   -> "John Kirby"); otherwise it is dropped (never merged by guess).  People who share a
   surname stay apart.
4. **Organisations**: spaCy's ORG spans minus role fragments ("National Security Communications"
   in "... Advisor John Kirby") and minus states; acronyms resolve to the organisation they
   abbreviate; "Russia's foreign ministry" becomes "Russian Foreign Ministry" affiliated with
   Russia.
5. **Units**: military formations ("11th Corps", "3rd Assault Brigade", "Korean People's Army")
   and forces of a state ("North Korean troops", "Russia's armed forces") or of a kind
   ("special forces", "technical personnel"); affiliated with their state when the text says so.
6. **Junk is dropped**: boilerplate lines, dates, numbers, pronouns, role words, headline-casing
   artefacts ("This Month", "Review").
"""
from __future__ import annotations

import bisect
import collections
import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from graph.model import Article, Entity, Mention
from ingest.gazetteer import Country, Gazetteer, fold, load_gazetteer

COMPONENT = "newsgraph_entities"
SPAN_KEY = "ng_entities"
INFO_EXTENSION = "ng_entity_info"
ID_EXTENSION = "ng_entity_id"
EXTRACTOR_VERSION = "1"

if not Doc.has_extension(INFO_EXTENSION):
    Doc.set_extension(INFO_EXTENSION, default=None)


def _span_entity_id(span: Span) -> str | None:
    best: Span | None = None
    root = span.root.i
    for mention in span.doc.spans.get(SPAN_KEY, ()):
        if mention.start <= root < mention.end and (best is None or len(mention) < len(best)):
            best = mention
    return best.kb_id_ if best is not None else None


if not Span.has_extension(ID_EXTENSION):
    Span.set_extension(ID_EXTENSION, getter=_span_entity_id)


# --- ids -----------------------------------------------------------------------------------

def slug(name: str) -> str:
    """'South Korea’s' is not passed here (trim first); 'Wŏnsan' -> 'wonsan', 'U.S.' -> 'us'."""
    folded = fold(name).replace("'", "").replace(".", "")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def entity_id(type: str, name: str) -> str:
    """``<type lower-case>:<slug of canonical name>``, e.g. ``person:john-kirby``."""
    return f"{type.lower()}:{slug(name)}"


def unit_id(name: str, affiliation: str | None) -> str:
    """``unit:north-korea:troops`` for a state's forces, ``unit:special-forces`` otherwise."""
    if affiliation:
        return f"unit:{affiliation.split(':', 1)[1]}:{slug(name)}"
    return entity_id("Unit", name)


# --- lexicons ------------------------------------------------------------------------------

# Words that make a span a role or title rather than a name.
ROLE_HEADS = frozenset(
    """president minister secretary spokesman spokeswoman spokesperson adviser advisor director
    chief chairman chairwoman chair ambassador general commander governor mayor senator
    representative lawmaker official leader premier chancellor king queen prince princess envoy
    diplomat head deputy prosecutor judge justice lieutenant colonel major captain admiral marshal
    sergeant coordinator analyst professor ceo executive founder manager editor correspondent
    reporter attorney speaker negotiator administrator commissioner inspector officer emir sheikh
    pope cardinal archbishop bishop president-elect vice-president chief-of-staff""".split()
)
# Words that only ever appear inside titles ("National Security Communications Advisor").
TITLE_WORDS = frozenset(
    """national security communications foreign defence defense deputy vice senior press
    interior home state affairs prime first general assistant acting former chief principal
    strategic public economic finance trade health justice intelligence military armed forces
    joint staff special supreme international relations of the for and""".split()
)
# "Secretary of Defense", "Minister of Foreign Affairs": the department words after "of".
DEPARTMENT_WORDS = frozenset(
    """defense defence state treasury homeland security foreign affairs interior justice energy
    health commerce labor labour agriculture education transportation transport veterans housing
    navy army air force war finance trade culture economy environment""".split()
)
# Honorifics and titles stripped from the front of a person's name.
NAME_PREFIXES = frozenset(
    """mr mrs ms miss dr prof sir dame lord lady president vice prime minister gen general lt col
    colonel maj major capt captain adm admiral sgt sen senator rep gov governor mayor king queen
    prince princess pope chancellor secretary ambassador judge justice rev father sheikh chairman
    spokesman spokeswoman spokesperson commander marshal premier foreign defence defense deputy
    chief director lieutenant sergeant officer detective inspector supreme leader former
    late st saint the rt rev hon""".split()
)
NAME_PARTICLES = frozenset("de van von bin al der la le da dos del el ibn ter ten du di bint".split())
TIME_WORDS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday today yesterday tomorrow week weeks month months year years day days
    weekend morning afternoon evening night tonight decade century spring summer autumn winter
    am pm gmt bst utc cet est edt pst""".split()
)
BOILERPLATE = (
    "leave a reply", "leave a comment", "related articles", "related stories", "read more",
    "share this", "subscribe", "advertisement", "sign up", "newsletter", "click here",
    "follow us", "all rights reserved", "copyright", "privacy policy", "terms of use",
    "contact us", "cookie", "you may also like", "most read", "recommended", "comments",
    "log in", "login", "sponsored",
)
PRONOUNS = frozenset("i me he him she her it we us they them you who this that these those".split())

# Unit heads: a state's forces, normalised to one kind per meaning.
FORCE_HEADS = {
    "troops": "troops", "troop": "troops", "soldiers": "troops", "soldier": "troops",
    "servicemen": "troops", "forces": "troops", "personnel": "personnel",
    "army": "armed forces", "military": "armed forces", "navy": "navy", "marines": "marines",
    "mercenaries": "mercenaries", "conscripts": "troops", "fighters": "fighters", "units": "troops",
    "force": "force",  # only in "air force"
}
# "North Korea has sent troops": the subject of these verbs is the state the troops belong to.
SENDING_VERBS = frozenset(
    """send deploy dispatch despatch move transfer prepare train mobilise mobilize provide supply
    station commit contribute ship recruit assemble amass mass withdraw pull lend field post""".split()
)
# Modifiers that name a distinct kind of force ("special forces", "technical personnel").
FORCE_KINDS = frozenset(
    """special technical elite airborne engineering engineer assault artillery
    reconnaissance infantry mechanised mechanized naval marine commando paratrooper
    construction medical logistics tank missile air""".split()
)
# Modifiers that add nothing to the kind ("military personnel" are troops).
FORCE_GENERIC = frozenset("military armed regular active foreign".split())
NAMED_UNIT_HEADS = frozenset(
    """corps brigade division regiment battalion army fleet squadron wing company platoon
    guard guards forces force navy""".split()
)
# Named organisations read as units when they end with one of these ("Korean People's Army",
# "Republican Guard"); "Division", "Company" and "Wing" name business units too often.
ORG_UNIT_HEADS = frozenset("corps brigade regiment battalion army fleet squadron guard guards forces navy marines".split())
# The last word of an organisation's name that spaCy took for a place ("Northern Ireland Assembly").
ORG_HEAD_WORDS = frozenset(
    """assembly parliament council government party ministry committee commission court bank
    university college school hospital agency authority office department police service
    association federation union league club company""".split()
)
# Nouns a firm's name modifies and a person's name does not ("Yukos shares", "Gazprom boss").
FIRM_NOUNS = frozenset(
    """share stock stake firm company unit subsidiary boss chief executive founder owner group
    deal bid takeover asset sale shareholder management headquarters office plant factory
    customer product brand price profit revenue debt bankruptcy""".split()
)
# The last word of a company or club name that spaCy took for a person ("Manchester United").
ORG_SUFFIXES = frozenset(
    """united city rovers wanderers athletic group holdings bank corp corporation inc ltd plc
    co motors airlines airways systems technologies industries partners capital securities
    fund trust foundation institute university college council committee association dem dems
    tories labour""".split()
)
# Organisation heads in "Russia's foreign ministry", "South Korea's spy agency".
BODY_HEADS = frozenset(
    """ministry agency service office embassy parliament department cabinet intelligence
    legislature senate congress""".split()
)
STATE_BODY_HEADS = frozenset("government administration regime authorities leadership".split())
# Function words shared by a generic body and the named organisation it refers to.
BODY_FUNCTIONS = {
    "spy": "intelligence", "intelligence": "intelligence", "foreign": "foreign",
    "defence": "defense", "defense": "defense", "interior": "interior", "security": "security",
    "justice": "justice", "finance": "finance", "central": "central", "emergency": "emergency",
}
DIRECTIONS = frozenset(
    """eastern western northern southern central north-eastern northeastern south-eastern
    southeastern north-western northwestern south-western southwestern far-eastern""".split()
)
COMPASS_REGIONS = frozenset(
    """far east|east|west|north|south|northeast|north-east|northwest|north-west|southeast|south-east|
    southwest|south-west|north east|south east|north west|south west|far north""".replace("\n", "").split("|")
)
COMPASS_REGIONS = frozenset(r.strip() for r in COMPASS_REGIONS)
REGION_HEADS = frozenset("region oblast province district governorate prefecture state territory".split())
# A capital or seat in these roles is the state acting; elsewhere it is a place.
ACTOR_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent", "csubj"})
ACTOR_PREPS = frozenset({"by", "between", "with", "against"})
ACTOR_VERBS = frozenset(
    """warn urge accuse blame criticise criticize condemn sanction support back help ask tell
    threaten pressure thank persuade invite recognise recognize join""".split()
)
LOCATIVE_PREPS = frozenset({"at", "in", "inside", "outside", "near", "to", "from", "into", "toward", "towards"})
ORDINAL = re.compile(r"\d+(st|nd|rd|th)$")
VOTING_LABELS = frozenset({"PERSON", "ORG", "GPE"})
SPEECH_VERBS = frozenset(
    "say tell add claim state announce deny confirm warn write insist argue note explain".split()
)

def _common_words(nlp: Language, parts_of_speech: tuple[str, ...]) -> frozenset[str]:
    """Words of the model's lemmatizer tables for these parts of speech: a capitalised verb,
    adjective or adverb alone ("Review", "Reply") is a headline artefact, not a name."""
    words: set[str] = set()
    try:
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    except (KeyError, ValueError):
        return frozenset()
    for pos in parts_of_speech:
        if pos in index:
            words.update(w for w in index[pos] if w.isalpha())
    return frozenset(words)


# --- candidates ----------------------------------------------------------------------------

@dataclass
class _Candidate:
    start: int  # token offsets into the doc
    end: int
    type: str
    name: str  # canonical name (people: filled in by resolution)
    id: str = ""
    country: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    affiliation: str | None = None
    geocode: str | None = None  # a place name still to geocode in article context
    extra: dict = field(default_factory=dict)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the"/"a", trailing possessive "'s"/"’s"/"'" and punctuation."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (
        doc[end - 1].tag_ == "POS" or doc[end - 1].text in ("'s", "’s", "'", "’", "s")
        or doc[end - 1].lower_ in ("of", "and", "for", "the", "in", "on", "at", "to")
        or doc[end - 1].is_punct and doc[end - 1].text not in (".",)
    ):
        end -= 1
    return start, end


def _text(doc: Doc, start: int, end: int) -> str:
    text = doc[start:end].text if end > start else ""
    return re.sub(r"(['’]s|['’])$", "", text).strip()


def _dateline(doc: Doc, start: int, end: int) -> bool:
    """"MOSCOW — ...", "KYIV, Oct 22 —": a place name opening a paragraph before a dash or comma."""
    opens = start == 0 or "\n" in doc[start - 1].text_with_ws or doc[start - 1].is_space
    return opens and end < len(doc) and doc[end].text in ("—", "–", "-", "--", ",", "(")


def _is_actor(span: Span) -> bool:
    root = span.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    if root.dep_ in ACTOR_DEPS:
        return True
    if span.end < len(span.doc) and span.doc[span.end].tag_ == "POS":
        return True
    if root.dep_ == "pobj":
        prep = root.head
        if prep.lower_ in ACTOR_PREPS:
            return True
        if prep.lower_ == "to" and prep.head.lower_ == "according":
            return True
        return False
    if root.dep_ == "dobj":
        return root.head.lemma_ in ACTOR_VERBS
    return False


def _sender(token, state_at: dict) -> str | None:
    """The state that sends, deploys or prepares the troops ``token`` heads: "North Korea has
    sent 1,500 special forces", "North Korea is preparing soldiers, infantry as well as
    technical personnel", "North Korea sent a group of officers and technical personnel"."""
    for _ in range(6):
        if token.dep_ in ("conj", "appos"):
            token = token.head
        elif token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
            token = token.head.head
        else:
            break
    if token.dep_ != "dobj" or token.head.lemma_ not in SENDING_VERBS:
        return None
    verb = token.head
    for _ in range(3):
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects:
            return state_at[subjects[0].i].id if subjects[0].i in state_at else None
        if verb.dep_ not in ("xcomp", "conj"):
            return None
        verb = verb.head
    return None


class EntityAnnotator:
    """The ``newsgraph_entities`` component (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = COMPONENT):
        self.name = name
        self.gaz: Gazetteer = load_gazetteer()
        self.common = _common_words(nlp, ("verb", "adj", "adv"))
        self.common_verbs = _common_words(nlp, ("verb", "adv"))
        self.common_nouns = _common_words(nlp, ("noun",))
        self.state_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.acronym_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        names = list(self.gaz.country_keys) + list(self.gaz.demonym_keys) + list(self.gaz.seat_keys) \
            + list(self.gaz.office_keys) + list(self.gaz.capital_keys)
        self.state_matcher.add("STATE", list(nlp.tokenizer.pipe(names)))
        self.acronym_matcher.add("STATE", list(nlp.tokenizer.pipe(list(self.gaz.acronym_keys))))
        # One token Matcher (one pass over the doc) for units, regions and missed names.
        self.token_matcher = Matcher(nlp.vocab)
        self.token_matcher.add(
            "NAMED_UNIT",
            [[
                {"LIKE_NUM": True, "IS_DIGIT": False, "IS_ALPHA": False},  # "11th"; checked below
                {"IS_TITLE": True, "OP": "*"},
                {"LOWER": {"IN": sorted(NAMED_UNIT_HEADS)}},
            ], [
                {"LOWER": {"IN": ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]}, "IS_TITLE": True},
                {"IS_TITLE": True, "OP": "*"},
                {"LOWER": {"IN": sorted(NAMED_UNIT_HEADS)}, "IS_TITLE": True},
            ]],
            greedy="LONGEST",
        )
        self.token_matcher.add(
            "REGION",
            [[{"IS_TITLE": True, "POS": "PROPN", "OP": "+"}, {"LOWER": {"IN": sorted(REGION_HEADS)}, "POS": "NOUN"}],
             [{"IS_TITLE": True}, {"ORTH": "-"}, {"IS_TITLE": True}, {"LOWER": {"IN": sorted(REGION_HEADS)}, "POS": "NOUN"}]],
            greedy="LONGEST",
        )
        self.token_matcher.add(
            "NAME",
            [[{"IS_TITLE": True, "POS": "PROPN", "ENT_TYPE": ""}, {"IS_TITLE": True, "POS": "PROPN", "ENT_TYPE": ""},
              {"IS_TITLE": True, "POS": "PROPN", "ENT_TYPE": "", "OP": "?"}]],
            greedy="LONGEST",
        )
        functions = sorted(BODY_FUNCTIONS)
        self.token_matcher.add(
            "BODY",
            [[{"LOWER": "the"}, {"LOWER": {"IN": functions}, "OP": "*"}, {"LOWER": {"IN": sorted(BODY_HEADS)}}],
             [{"LOWER": {"IN": functions}, "IS_TITLE": True}, {"LOWER": {"IN": sorted(BODY_HEADS)}}]],
            greedy="LONGEST",
        )
        self.token_matcher.add("FORCE", [[{"LOWER": {"IN": sorted(FORCE_HEADS)}, "POS": {"IN": ["NOUN", "PROPN"]}}]])

    # -- the component --
    def __call__(self, doc: Doc) -> Doc:
        cands: list[_Candidate] = []
        self._matches = collections.defaultdict(list)
        for match_id, start, end in self.token_matcher(doc):
            label = doc.vocab.strings[match_id]
            if label in ("NAMED_UNIT", "FORCE"):
                self._matches["UNITS"].append((label, start, end))
            else:
                self._matches[label].append((start, end))
        self._sentence_starts = [sent.start_char for sent in doc.sents]
        self._doc_text = doc.text  # Doc.text joins every token on each access
        self._boilerplate_sents: dict[int, bool] = {}
        # spaCy labels the same name differently across an article ("Yukos" PERSON and ORG):
        # the label it gives most often wins for every mention of that name.
        votes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for ent in doc.ents:
            if ent.label_ in VOTING_LABELS:
                votes[_text(doc, *_trim(doc, ent.start, ent.end))][ent.label_] += 1
        for ent in doc.ents:
            if ent.label_ in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"):
                label = ent.label_
                if label in VOTING_LABELS:
                    counts = votes[_text(doc, *_trim(doc, ent.start, ent.end))]
                    best, n = counts.most_common(1)[0]
                    if n > counts[label]:
                        label = best
                cands.extend(self._from_ent(doc, ent, label))
        cands.extend(self._unmatched_states(doc, cands))
        cands.extend(self._missed_people(doc, cands))
        cands.extend(self._regions(doc, cands))
        cands.extend(self._bodies(doc, cands))
        cands.extend(self._units(doc, cands))
        self._resolve_people(doc, cands)
        self._resolve_orgs(cands)
        cands.extend(self._anaphoric_bodies(doc, cands))
        self._resolve_aka(doc, cands)
        self._resolve_units(doc, cands)
        self._geocode(cands)
        info: dict[str, dict] = {}
        spans = []
        for cand in sorted(cands, key=lambda c: (c.start, c.end)):
            if not cand.id:
                continue
            span = Span(doc, cand.start, cand.end, label=cand.type, kb_id=cand.id)
            spans.append(span)
            known = info.get(cand.id)
            if known is None or (cand.latitude is not None and known["latitude"] is None):
                info[cand.id] = {
                    "name": cand.name, "type": cand.type, "country": cand.country,
                    "latitude": cand.latitude, "longitude": cand.longitude,
                    "geonames_id": cand.geonames_id, "affiliation": cand.affiliation,
                }
            elif known["affiliation"] is None and cand.affiliation:
                known["affiliation"] = cand.affiliation
        doc.spans[SPAN_KEY] = spans
        doc._.set(INFO_EXTENSION, info)
        return doc

    # -- states --
    def _state(self, start: int, end: int, country: Country, via: str) -> _Candidate:
        if country.kind == "territory":
            return _Candidate(start, end, "Place", country.name, entity_id("Place", country.name),
                              country=country.code, geonames_id=country.geonames_id)
        return _Candidate(start, end, "State", country.name, entity_id("State", country.name),
                          country=country.code, geonames_id=country.geonames_id, extra={"via": via})

    def _seat(self, doc: Doc, start: int, end: int, country: Country, is_capital: bool) -> _Candidate:
        span = doc[start:end]
        if _is_actor(span) and not _dateline(doc, start, end):
            return self._state(start, end, country, "seat")
        # the capital, or another spelling of it ("Kiev"), as the city
        cities = [c for c in self.gaz.city_candidates(span.text) if c.country == country.code]
        city = self.gaz.capital_city(country) if is_capital else max(cities, key=lambda c: c.population, default=None)
        if city is not None:
            return self._city(start, end, city, ambiguous=False)
        if not is_capital and not (span.root.dep_ == "pobj" and span.root.head.lower_ in LOCATIVE_PREPS):
            return self._state(start, end, country, "seat")
        name = _text(doc, start, end)
        return _Candidate(start, end, "Place", name, entity_id("Place", name), country=country.code)

    def _city(self, start: int, end: int, city, ambiguous: bool) -> _Candidate:
        place_id = entity_id("Place", city.name) + (f"-{city.country.lower()}" if ambiguous else "")
        return _Candidate(start, end, "Place", city.name, place_id, country=city.country,
                          latitude=city.latitude, longitude=city.longitude, geonames_id=city.geonames_id)

    def _lookup_state(self, doc: Doc, start: int, end: int) -> _Candidate | None:
        text = _text(doc, start, end)
        country = self.gaz.country(text) or self.gaz.demonym(text)
        if country is not None:
            return self._state(start, end, country, "name")
        office = self.gaz.office(text)
        if office is not None:
            country, name = office
            return _Candidate(start, end, "Organization", name, entity_id("Organization", name),
                              affiliation=entity_id("State", country.name))
        seat = self.gaz.seat(text)
        if seat is not None:
            return self._seat(doc, start, end, *seat)
        return None

    # -- spaCy entities --
    def _from_ent(self, doc: Doc, ent: Span, label: str) -> list[_Candidate]:
        start, end = _trim(doc, ent.start, ent.end)
        if start >= end or self._boilerplate(doc, start):
            return []
        # "South Korea's National Intelligence Service": split at an inner possessive.
        # ("Korean People's Army" stays whole: its first part names no state)
        for i in range(start + 1, end - 1):
            if doc[i].tag_ == "POS" and self._lookup_state(doc, start, i) is not None:
                head = self._from_span(doc, start, i, "GPE")
                owner = next((c for c in head if c.type == "State"), None)
                tail = self._from_span(doc, i + 1, end, label)
                for cand in tail:
                    if owner is not None and cand.type in ("Organization", "Unit") and not cand.affiliation:
                        cand.affiliation = owner.id
                return head + tail
        return self._from_span(doc, start, end, label)

    def _from_span(self, doc: Doc, start: int, end: int, label: str) -> list[_Candidate]:
        start, end = _trim(doc, start, end)
        if start >= end:
            return []
        text = _text(doc, start, end)
        if not any(c.isalpha() for c in text) or self._junk(doc, start, end):
            return []
        state = self._lookup_state(doc, start, end)
        if state is not None:
            return [state]
        if label == "NORP":
            return []  # "Republicans", "Muslims": groups, not nodes of ours
        if label in ("GPE", "LOC", "FAC", "PERSON") and doc[end - 1].lower_ in ORG_HEAD_WORDS and end - start >= 2:
            label = "ORG"  # "Northern Ireland Assembly", "Welsh Assembly Government"
        if label == "PERSON" and doc[end - 1].lower_ not in ORG_SUFFIXES:
            return self._person(doc, start, end)
        if label == "PERSON":
            label = "ORG"
        if label == "ORG":
            return self._org(doc, start, end)
        return self._place(doc, start, end, label)

    def _place(self, doc: Doc, start: int, end: int, label: str) -> list[_Candidate]:
        text = _text(doc, start, end)
        if re.fullmatch(r"G\d{1,2}", text):
            return self._org(doc, start, end)  # "G7", "G20" are groups of states
        key = fold(text)
        big_city = any(c.population >= 1_000_000 for c in self.gaz.city_candidates(text))
        if key in self.gaz.regions and not big_city:  # "New York" is the city
            name, code = self.gaz.regions[key]
            return [_Candidate(start, end, "Place", name, entity_id("Place", name), country=code)]
        if end - start == 1 and (doc[start].lower_ in self.common or doc[start].tag_ == "NNS") \
                and not self._known_name(text):
            return []  # "Review", "Songs": headline words
        cand = _Candidate(start, end, "Place", text, entity_id("Place", text))
        if label in ("GPE", "LOC", "FAC") and self.gaz.city_candidates(text):
            cand.geocode = text
        return [cand]

    def _person(self, doc: Doc, start: int, end: int) -> list[_Candidate]:
        while start < end and doc[start].lower_.rstrip(".") in NAME_PREFIXES:
            start += 1
        while end > start and doc[end - 1].lower_.rstrip(".") in ("qc", "kc", "mp", "mep", "msp"):
            end -= 1
        if start >= end:
            return []
        # spaCy sometimes stops early: "Yoon Suk" in "Yoon Suk Yeol’s office"
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title and not doc[end].ent_type_ \
                and doc[end].lower_ not in TIME_WORDS and not self._known_name(doc[end].text):
            end += 1
        tokens = doc[start:end]
        text = _text(doc, start, end)
        if any(t.like_num or any(c.isdigit() for c in t.text) for t in tokens):
            return []
        if any(t.is_alpha and t.text[0].islower() and t.lower_ not in NAME_PARTICLES
               and not (t.i > 0 and doc[t.i - 1].text == "-") for t in tokens):
            return []
        if doc[end - 1].lower_ in ROLE_HEADS:
            return []  # "Lifelong Learning Minister": a title
        if end - start == 1:
            token = doc[start]
            if token.lower_ in PRONOUNS or token.lower_ in ROLE_HEADS:
                return []
            cities = self.gaz.city_candidates(text)
            big = [c for c in cities if c.population >= 100_000]
            # "from Wonsan to Vladivostok" (Vladivostok tagged PERSON); "Mr Bush" stays a person
            locative = token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS
            if big and locative:
                cand = _Candidate(start, end, "Place", text, entity_id("Place", text), geocode=text)
                cand.extra["person_surname"] = True  # a known person's surname wins (see resolution)
                return [cand]
        cand = _Candidate(start, end, "Person", text)
        # "Robot", "Premiership": a one-word "person" that is a dictionary noun only stands
        # when it is the surname of a full name in the article (checked in resolution)
        cand.extra["common"] = end - start == 1 and doc[start].lower_ in self.common_nouns
        return [cand]

    def _org(self, doc: Doc, start: int, end: int) -> list[_Candidate]:
        tokens = doc[start:end]
        lowers = [t.lower_ for t in tokens]
        if lowers[0].rstrip(".") in ("mr", "mrs", "ms", "dr", "sir", "dame", "lord", "lady", "rt", "rev") \
                or lowers[-1].rstrip(".") in ("qc", "kc", "mp", "mep"):
            return self._person(doc, start, end)  # "Mr Ebbers", "Guy Mansfield QC" tagged ORG
        root = tokens.root
        # A role fragment: "National Security Communications" (Advisor), "Defense" (Secretary).
        if all(w in TITLE_WORDS or w in DEPARTMENT_WORDS for w in lowers) and (
            root.head.lower_ in ROLE_HEADS or (start > 0 and doc[start - 1].lower_ in ("of",) and start > 1 and doc[start - 2].lower_ in ROLE_HEADS)
            or (end < len(doc) and doc[end].lower_ in ROLE_HEADS)
        ):
            return []
        if lowers[-1] in ROLE_HEADS:
            return []
        # "White House National Security Communications" (Advisor): the title words go, the
        # organisation or state before them stays.
        if end < len(doc) and doc[end].lower_ in ROLE_HEADS:
            cut = end
            while cut > start and doc[cut - 1].lower_ in TITLE_WORDS | DEPARTMENT_WORDS:
                cut -= 1
            if cut < end:
                return self._from_span(doc, start, cut, "ORG") if cut > start else []
        # "the Army", "the ministry", "Groups": a common noun, not a name
        if end - start == 1 and (lowers[0] in NAMED_UNIT_HEADS | BODY_HEADS | STATE_BODY_HEADS
                                 or (tokens[0].tag_ == "NNS" and tokens[0].is_title)):
            return []
        # "Secretary of Defense Lloyd Austin": the ORG span swallowed the department and the name.
        if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in ROLE_HEADS:
            i = start
            while i < end and doc[i].lower_ in DEPARTMENT_WORDS:
                i += 1
            if i > start:
                return self._person(doc, i, end) if end - i >= 1 else []
        text = _text(doc, start, end)
        if end - start >= 2 and (lowers[-1] in ORG_UNIT_HEADS or lowers[-2:] == ["air", "force"]):
            # "US Air Force", "Ukraine's 3rd Assault Brigade", "Russian 11th Corps"
            owner = self.gaz.country(doc[start].text) or self.gaz.demonym(doc[start].text)
            affiliation = entity_id("State", owner.name) if owner is not None and owner.kind == "state" \
                else self._affiliation_before(doc, start)
            return [_Candidate(start, end, "Unit", text, unit_id(text, affiliation), affiliation=affiliation,
                               extra={"kind": slug(text)})]
        cand = _Candidate(start, end, "Organization", text, entity_id("Organization", text))
        first = self.gaz.demonym(doc[start].text)
        if first is None and end - start >= 3:
            first = self.gaz.demonym(doc[start:start + 2].text)
        if first is not None and first.kind == "state":
            cand.affiliation = entity_id("State", first.name)
        elif start > 0:
            cand.affiliation = self._affiliation_before(doc, start)
        return [cand]

    def _affiliation_before(self, doc: Doc, start: int) -> str | None:
        """The state named right before a span: "Ukraine's 3rd Assault Brigade", "Russian 11th Corps"."""
        i = start
        if i > 0 and doc[i - 1].tag_ == "POS":
            i -= 1
        for width in (3, 2, 1):
            if i - width < 0:
                continue
            text = _text(doc, i - width, i)
            country = self.gaz.country(text) or self.gaz.demonym(text)
            if country is not None and country.kind == "state":
                return entity_id("State", country.name)
        return None

    def _junk(self, doc: Doc, start: int, end: int) -> bool:
        tokens = doc[start:end]
        words = [t for t in tokens if not t.is_punct]
        if not words:
            return True
        lowers = [t.lower_.rstrip(".") for t in words]
        # an all-caps acronym ("US", "IT") is not the stop word or pronoun it spells
        stop = [(t.is_stop or w in PRONOUNS) and not (t.is_upper and len(t) > 1) for t, w in zip(words, lowers)]
        if all(st or w in TIME_WORDS or w in ROLE_HEADS for st, w in zip(stop, lowers)):
            return True
        if all(t.like_num or w in TIME_WORDS for t, w in zip(words, lowers)):
            return True
        if " ".join(lowers) in ROLE_HEADS:
            return True
        # Headline casing: "Review", "Leave a Reply", "Post Comment": common words, no name.
        common = self.common if len(words) == 1 else self.common_verbs
        if all(st or w in TIME_WORDS or w in common for st, w in zip(stop, lowers)):
            return not self._known_name(tokens.text)
        return False

    def _known_name(self, text: str) -> bool:
        return bool(fold(text) in COMPASS_REGIONS or self.gaz.country(text) or self.gaz.demonym(text) or self.gaz.seat(text)
                    or self.gaz.city_candidates(text) or fold(text) in self.gaz.regions)

    def _boilerplate(self, doc: Doc, start: int) -> bool:
        starts = self._sentence_starts
        sent_start = starts[max(0, bisect.bisect_right(starts, doc[start].idx) - 1)] if starts else 0
        known = self._boilerplate_sents.get(sent_start)
        if known is None:
            head = fold(self._doc_text[sent_start:sent_start + 40])
            known = self._boilerplate_sents[sent_start] = head.startswith(BOILERPLATE)
        return known

    # -- states spaCy did not tag ("DPRK" missed, "Pyongyang's" as an ADJ ...) --
    def _unmatched_states(self, doc: Doc, cands: list[_Candidate]) -> list[_Candidate]:
        taken = set()
        for ent in doc.ents:
            taken.update(range(ent.start, ent.end))
        out = []
        matches = [(s, e) for _, s, e in self.acronym_matcher(doc)]
        matches += [(s, e) for _, s, e in self.state_matcher(doc) if doc[s].is_title or doc[s].is_upper]
        for s, e in sorted(matches, key=lambda m: (m[0], -(m[1] - m[0]))):
            if any(i in taken for i in range(s, e)):
                continue
            cand = self._lookup_state(doc, s, e)
            if cand is not None:
                out.append(cand)
                taken.update(range(s, e))
        return out

    # -- people spaCy missed: "Kyrylo Budanov, the head of ...", "... said Choi Min-seo" --
    def _missed_people(self, doc: Doc, cands: list[_Candidate]) -> list[_Candidate]:
        taken = {i for c in cands for i in range(c.start, c.end)}
        out = []
        for start, end in self._matches.get("NAME", ()):
            span = doc[start:end]
            if any(i in taken for i in range(start, end)) or any(
                t.lower_ in TIME_WORDS or t.lower_ in ROLE_HEADS or t.lower_ in TITLE_WORDS
                or self._known_name(t.text) for t in span
            ):
                continue
            root = span.root
            speaker = root.dep_ == "nsubj" and root.head.lemma_ in SPEECH_VERBS
            titled = any(c.dep_ == "appos" and c.lower_ in ROLE_HEADS for c in root.children)
            if speaker or titled:
                out.extend(self._person(doc, start, end))
                taken.update(range(start, end))
        return out

    # -- "eastern Russia", "Kursk region" --
    def _regions(self, doc: Doc, cands: list[_Candidate]) -> list[_Candidate]:
        out = []
        for cand in cands:
            if cand.type == "State" and cand.extra.get("via") == "name" and cand.start > 0:
                before = doc[cand.start - 1]
                if before.lower_ in DIRECTIONS and before.pos_ == "ADJ":
                    name = f"{before.lower_} {cand.name}"
                    out.append(_Candidate(cand.start - 1, cand.end, "Place", name, entity_id("Place", name),
                                          country=cand.country))
        # "Russia’s Far East", "the Russian Far East": a compass region of a named state
        states_ending = {c.end: c for c in cands if c.type == "State"}
        for cand in cands:
            if cand.type != "Place" or fold(cand.name) not in COMPASS_REGIONS:
                continue
            at = cand.start - 1 if cand.start > 0 and doc[cand.start - 1].tag_ == "POS" else cand.start
            state = states_ending.get(at)
            if state is None:
                continue
            country = self.gaz.countries[state.country]
            adjective = country.demonyms[0] if country.demonyms else country.name
            name = f"{adjective} {cand.name}"
            cand.start, cand.name, cand.id, cand.country = state.start, name, entity_id("Place", name), state.country
        taken = {i for c in cands if c.type in ("Person", "Unit") for i in range(c.start, c.end)}
        for start, end in self._matches.get("REGION", ()):
            if any(i in taken for i in range(start, end)):
                continue
            if end - start == 2 and doc[start].lower_ in DIRECTIONS:
                continue  # "Eastern region": no name
            name = f"{_text(doc, start, end - 1)} {doc[end - 1].lower_}"
            region = _Candidate(start, end, "Place", name, entity_id("Place", name))
            region.extra["region_of"] = _text(doc, start, end - 1)
            out.append(region)
            for cand in cands:  # "Kursk" in "Kursk region" is the region, not the city
                if cand.type in ("Place", "Organization") and start <= cand.start and cand.end <= end:
                    cand.id = ""
        return out

    # -- "Russia's foreign ministry", "the North Korean government" --
    def _bodies(self, doc: Doc, cands: list[_Candidate]) -> list[_Candidate]:
        out = []
        in_ent = set()
        for ent in doc.ents:
            if ent.label_ in ("ORG", "PERSON", "FAC"):
                in_ent.update(range(ent.start, ent.end))
        for cand in cands:
            if cand.type != "State":
                continue
            token = doc[cand.end - 1]
            head = token.head
            if token.dep_ not in ("poss", "amod", "compound") or head.i < cand.end or head.i in in_ent:
                continue
            if head.i - cand.end > 3 or head.pos_ not in ("NOUN", "PROPN"):
                continue
            words = doc[cand.end:head.i + 1]
            if any(t.is_punct or t.pos_ not in ("NOUN", "PROPN", "ADJ", "PART") for t in words):
                continue
            words = [t for t in words if t.tag_ != "POS"]
            lowers = [t.lower_ for t in words]
            state_id = cand.id
            if any(t.dep_ == "det" and t.lower_ in ("a", "an", "another", "one", "some") for t in head.children):
                continue  # "a Russian court": one of many, not a named body
            if head.lower_ in STATE_BODY_HEADS and len(words) == 1:
                out.append(_Candidate(cand.start, head.i + 1, "State", cand.name, state_id, country=cand.country))
            elif head.lower_ in BODY_HEADS:
                country = self.gaz.countries[cand.country]
                adjective = country.demonyms[0] if country.demonyms else country.name
                name = adjective + " " + " ".join(w.capitalize() for w in lowers)
                out.append(_Candidate(
                    cand.start, head.i + 1, "Organization", name, entity_id("Organization", name),
                    affiliation=state_id, extra={"functions": {BODY_FUNCTIONS[w] for w in lowers if w in BODY_FUNCTIONS}},
                ))
        return out

    # -- units --
    def _units(self, doc: Doc, cands: list[_Candidate]) -> list[_Candidate]:
        state_at: dict[int, _Candidate] = {}
        covered = set()
        for cand in cands:
            if cand.type == "State":
                for i in range(cand.start, cand.end):
                    state_at[i] = cand
            if cand.type in ("Unit", "Organization", "Person"):
                covered.update(range(cand.start, cand.end))
        out = []
        for label, s, e in self._matches.get("UNITS", ()):
            if any(i in covered for i in range(s, e)):
                continue
            if label == "NAMED_UNIT":
                if not ORDINAL.match(doc[s].text) and not doc[s].is_alpha:
                    continue
                text = _text(doc, s, e)
                affiliation = self._affiliation_before(doc, s)
                out.append(_Candidate(s, e, "Unit", text, unit_id(text, affiliation), affiliation=affiliation,
                                      extra={"kind": slug(text)}))
                covered.update(range(s, e))
                continue
            head = doc[s]
            if head.dep_ == "compound" and head.head.i == e and head.head.lower_ in FORCE_HEADS:
                continue  # "special forces troops": one unit, read from its last noun
            start = s
            affiliation = None
            kind_words = []
            for child in head.children:  # "special forces troops": the compound and its modifiers
                if child.dep_ == "compound" and child.lower_ in FORCE_HEADS and child.i == s - 1:
                    kind_words.extend(t for t in child.children if t.lower_ in FORCE_KINDS)
                    affiliation = next((state_at[t.i].id for t in child.children if t.i in state_at), affiliation)
                    start = min([child.i] + [t.i for t in child.children if t.dep_ in ("amod", "compound") and t.i < child.i])
            for child in sorted(head.children, key=lambda t: t.i):
                if child.i > head.i:
                    if child.dep_ == "prep" and child.lower_ == "from":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj" and pobj.i in state_at:
                                affiliation = state_at[pobj.i].id
                    continue
                if child.dep_ not in ("amod", "compound", "poss", "nmod"):
                    continue
                state = state_at.get(child.i)
                if state is not None:
                    affiliation = state.id
                    start = min(start, state.start)
                elif child.lower_ in FORCE_KINDS:
                    kind_words.append(child)
                    start = min(start, child.i)
                elif child.lower_ in FORCE_GENERIC:
                    start = min(start, child.i)
            if affiliation is None:
                affiliation = _sender(head, state_at)
            if head.lower_ in ("forces", "force") and s > 0 and doc[s - 1].lower_ == "armed":
                start, kind = min(start, s - 1), "armed forces"
            elif head.lower_ == "force" and s > 0 and doc[s - 1].lower_ == "air":
                start, kind = min(start, s - 1), "air force"
            elif head.lower_ == "force":
                continue
            elif kind_words:
                noun = doc[start:e][-1].lower_ if not any(doc[i].lower_ in FORCE_HEADS for i in range(start, s)) \
                    else next(doc[i].lower_ for i in range(start, s) if doc[i].lower_ in FORCE_HEADS)
                kind = " ".join(t.lower_ for t in sorted(kind_words, key=lambda t: t.i)) + " " + noun
            else:
                kind = FORCE_HEADS[head.lower_]
            if head.lower_ == "military" and head.pos_ != "NOUN":
                continue
            if affiliation is None and not kind_words:
                continue  # "the troops": no node without a state or a kind
            state_name = next((c.name for c in cands if c.id == affiliation), None)
            country = next((c.country for c in cands if c.id == affiliation), None)
            if state_name:
                adjective = self.gaz.countries[country].demonyms[0] if self.gaz.countries[country].demonyms else state_name
                name = f"{adjective} {kind}"
            else:
                name = kind
            out.append(_Candidate(start, e, "Unit", name, unit_id(kind, affiliation), affiliation=affiliation,
                                  extra={"kind": slug(kind)}))
        return out

    # -- resolution within the article --
    def _resolve_people(self, doc: Doc, cands: list[_Candidate]) -> None:
        people = [c for c in cands if c.type == "Person"]
        full = {}
        for cand in people:
            words = cand.name.split()
            if len(words) >= 2:
                full.setdefault(cand.name, words)
        # a full name contained in a longer one ("Jong Un" in "Kim Jong Un") is the longer one
        names = sorted(full, key=len, reverse=True)
        canonical = {}
        for name in names:
            longer = [n for n in names if len(n) > len(name) and f" {name} " in f" {n} "]
            canonical[name] = longer[0] if len(longer) == 1 else name
        for cand in people:
            words = cand.name.split()
            if len(words) >= 2:
                cand.name = canonical[cand.name]
            else:
                word = words[0]
                matches = {canonical[n] for n, w in full.items() if w[-1] == word}
                if not matches:
                    matches = {canonical[n] for n, w in full.items() if w[0] == word}
                if len(matches) > 1:
                    cand.id = ""  # two people share the name: never merged by guess
                    continue
                if matches:
                    cand.name = matches.pop()
                elif cand.extra.get("common"):
                    cand.id = ""
                    continue
                else:
                    cand.extra["lone"] = True
            cand.id = entity_id("Person", cand.name)
        # A one-word "person" never named in full that the text treats as a firm ("the Yukos
        # unit", "Yukos shares", "Gazprom boss") is an organisation, in all its mentions.
        firms = {
            c.name for c in people if c.extra.get("lone") and any(
                t.dep_ == "det" for t in doc[c.start].children) or (
                c.extra.get("lone") and doc[c.end - 1].dep_ == "compound" and doc[c.end - 1].head.lemma_ in FIRM_NOUNS)
        }
        for cand in people:
            if cand.extra.get("lone") and cand.name in firms:
                cand.type, cand.id = "Organization", entity_id("Organization", cand.name)
        surnames = {w for words in full.values() for w in (words[0], words[-1])}
        for cand in cands:
            # "Choi said" tagged ORG, "Vladivostok" tagged PERSON: a name part of a person here
            # is that person; otherwise the gazetteer's reading stands.
            if cand.type == "Organization" and cand.name in canonical:
                cand.type, cand.name = "Person", canonical[cand.name]  # "Nicola Sturgeon" tagged ORG once
                cand.id, cand.affiliation = entity_id("Person", cand.name), None
                continue
            one_word_org = cand.type == "Organization" and cand.end - cand.start == 1
            if (cand.extra.get("person_surname") or one_word_org) and cand.name in surnames:
                cand.type = "Person"
                cand.geocode = None
                matches = {canonical[n] for n, w in full.items() if cand.name in (w[0], w[-1])}
                if len(matches) == 1:
                    cand.name = matches.pop()
                    cand.id = entity_id("Person", cand.name)
                else:
                    cand.id = ""

    def _resolve_orgs(self, cands: list[_Candidate]) -> None:
        orgs = [c for c in cands if c.type == "Organization"]
        by_initials: dict[str, set[str]] = {}
        for cand in orgs:
            words = [w for w in re.split(r"[\s-]+", cand.name) if w and w[0].isupper()]
            if len(words) >= 2:
                by_initials.setdefault("".join(w[0] for w in words), set()).add(cand.id)
        named = {}
        for cand in orgs:
            # "NIS" is the "National Intelligence Service" when that is the one such name here
            targets = by_initials.get(cand.name, set()) if cand.name.isupper() and 2 <= len(cand.name) <= 6 else set()
            if len(targets) == 1:
                cand.id = next(iter(targets))
            named.setdefault(cand.id, cand)
        # "South Korea's spy agency" is the one intelligence organisation of South Korea named here.
        for cand in orgs:
            functions = cand.extra.get("functions")
            if not functions:
                continue
            same = {
                c.id for c in named.values()
                if c.id != cand.id and not c.extra.get("functions") and c.affiliation in (None, cand.affiliation)
                and functions & {BODY_FUNCTIONS[w] for w in fold(c.name).split() if w in BODY_FUNCTIONS}
            }
            if len(same) == 1:
                cand.id = same.pop()
        # The canonical name is the longest written-out name; acronyms and generic bodies
        # ("South Korea's spy agency") only become aliases.
        best: dict[str, _Candidate] = {}
        for cand in orgs:
            rank = (not cand.extra.get("functions"), not cand.name.isupper(), len(cand.name))
            current = best.get(cand.id)
            if current is None or rank > (not current.extra.get("functions"), not current.name.isupper(), len(current.name)):
                best[cand.id] = cand
        for cand in orgs:
            cand.name = best[cand.id].name
            cand.affiliation = best[cand.id].affiliation or cand.affiliation

    def _resolve_units(self, doc: Doc, cands: list[_Candidate]) -> None:
        units = [c for c in cands if c.type == "Unit" and c.id]
        unit_at = {i: c for c in units for i in range(c.start, c.end)}
        for cand in units:
            if cand.affiliation:
                continue
            # "troops drawn from the 11th Corps", "special forces of the 11th Corps"
            root = doc[cand.start:cand.end].root
            if root.dep_ == "pobj" and root.head.lower_ in ("from", "of"):
                holder = root.head.head
                if holder.pos_ in ("VERB", "AUX"):
                    holder = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")), holder)
                donor = unit_at.get(holder.i)
                if donor is not None and donor.affiliation:
                    cand.affiliation = donor.affiliation
                    cand.id = unit_id(cand.name, cand.affiliation)
        affiliated: dict[str, set[str]] = {}
        for cand in units:
            if cand.affiliation:
                affiliated.setdefault(cand.extra.get("kind", ""), set()).add(cand.id)
        for cand in units:
            if not cand.affiliation:
                ids = affiliated.get(cand.extra.get("kind", ""), set())
                if len(ids) == 1:
                    target = next(iter(ids))
                    donor = next(c for c in units if c.id == target)
                    cand.id, cand.name, cand.affiliation = target, donor.name, donor.affiliation

    def _anaphoric_bodies(self, doc: Doc, cands: list[_Candidate]) -> list[_Candidate]:
        """"The ministry said", "Foreign ministry spokeswoman ...": the one organisation of the
        article with that head and function; nothing when there are several or none."""
        taken = {i for c in cands if c.id for i in range(c.start, c.end)}
        orgs = [c for c in cands if c.type == "Organization" and c.id]
        out = []
        for start, end in self._matches.get("BODY", ()):
            if any(i in taken for i in range(start, end)) or (end < len(doc) and doc[end].pos_ == "PROPN"):
                continue
            head = doc[end - 1].lower_
            functions = {BODY_FUNCTIONS[t.lower_] for t in doc[start:end - 1] if t.lower_ in BODY_FUNCTIONS}
            same = {
                c.id: c for c in orgs
                if fold(c.name).split()[-1] == head
                and functions <= {BODY_FUNCTIONS[w] for w in fold(c.name).split() if w in BODY_FUNCTIONS}
            }
            if len(same) > 1:  # the one named in this or the previous sentence
                here = bisect.bisect_right(self._sentence_starts, doc[start].idx) - 1
                window = self._sentence_starts[max(0, here - 1)]
                near = {c.id: c for c in same.values() if window <= doc[c.start].idx < doc[start].idx}
                same = near
            if len(same) == 1:
                target = next(iter(same.values()))
                s = start + 1 if doc[start].lower_ == "the" else start
                out.append(_Candidate(s, end, "Organization", target.name, target.id, affiliation=target.affiliation))
        return out

    def _resolve_aka(self, doc: Doc, cands: list[_Candidate]) -> None:
        """"the 11th Corps, ... also known as the Storm Corps", "the National Intelligence
        Service, known as the NIS": the second name is the first one's alias."""
        ordered = sorted((c for c in cands if c.id and c.type in ("Unit", "Organization", "Person")),
                         key=lambda c: c.start)
        for index, cand in enumerate(ordered):
            i = cand.start - 1
            if i >= 0 and doc[i].lower_ == "the":
                i -= 1
            if i < 1 or not (doc[i].lower_ == "as" and doc[i - 1].lower_ == "known" or doc[i].lower_ in ("dubbed", "nicknamed")):
                continue
            sentence_start = doc[cand.start].sent.start
            earlier = [c for c in ordered[:index] if c.type == cand.type and c.start >= sentence_start
                       and (doc[c.start].is_title or doc[c.start].is_upper or doc[c.start].like_num)]
            if earlier:
                first = earlier[-1]
                for other in cands:
                    if other.id == cand.id and other is not cand:
                        other.id, other.name = first.id, first.name
                cand.id, cand.name, cand.affiliation = first.id, first.name, first.affiliation or cand.affiliation

    def _geocode(self, cands: list[_Candidate]) -> None:
        context = {c.country for c in cands if c.country and c.type in ("State", "Place") and c.geocode is None}
        for cand in cands:
            if cand.type == "Place" and cand.extra.get("region_of"):
                cities = self.gaz.city_candidates(cand.extra["region_of"])
                countries = {c.country for c in cities}
                if len(countries) == 1:
                    cand.country = countries.pop()
                elif context & countries and len(context & countries) == 1:
                    cand.country = (context & countries).pop()
        for cand in cands:
            if cand.geocode is None:
                continue
            cities = sorted(self.gaz.city_candidates(cand.geocode), key=lambda c: -c.population)
            # in a country the article names, a city known by that name as an alternate one
            # ("Newcastle" for Newcastle upon Tyne in a British story) counts too
            alternates = sorted(self.gaz.alternate_candidates(cand.geocode), key=lambda c: -c.population)
            chosen = None
            in_context = [c for c in cities if c.country in context] or [c for c in alternates if c.country in context]
            if in_context:
                # two towns of that name of similar size there ("Hollywood", Florida, twice;
                # Los Angeles' Hollywood is no town of the gazetteer): left unresolved
                if len(in_context) == 1 or in_context[0].population >= 5 * in_context[1].population:
                    chosen = in_context[0]
            elif len(cities) == 1 and cities[0].population >= 50_000:
                chosen = cities[0]  # the only town of that name with 50,000+ people
            elif len(cities) > 1 and cities[0].population >= 1_000_000 and cities[0].population >= 20 * cities[1].population:
                chosen = cities[0]
            ambiguous = len({c.geonames_id for c in cities + alternates}) > 1
            if chosen is not None:
                resolved = self._city(cand.start, cand.end, chosen, ambiguous)
                cand.name, cand.id = resolved.name, resolved.id
                cand.country, cand.latitude, cand.longitude = chosen.country, chosen.latitude, chosen.longitude
                cand.geonames_id = chosen.geonames_id
            cand.geocode = None


@Language.factory(COMPONENT)
def make_entity_annotator(nlp: Language, name: str) -> EntityAnnotator:
    return EntityAnnotator(nlp, name)


# --- pure functions: Doc -> model objects ----------------------------------------------------

def _sentence_index(doc: Doc):
    starts = [sent.start_char for sent in doc.sents]

    def index(char: int) -> int:
        return max(0, bisect.bisect_right(starts, char) - 1)

    return index


def entities_from_doc(doc: Doc, article: Article) -> list[Entity]:
    """The entities of an annotated doc, one per id, with every mention and alias."""
    info = doc._.get(INFO_EXTENSION) or {}
    sentence_of = _sentence_index(doc)
    entities: dict[str, Entity] = {}
    seen: set[tuple[str, int, int]] = set()
    for span in doc.spans.get(SPAN_KEY, ()):
        meta = info.get(span.kb_id_)
        if meta is None:
            continue
        entity = entities.get(span.kb_id_)
        if entity is None:
            entity = entities[span.kb_id_] = Entity(
                id=span.kb_id_, name=meta["name"], type=meta["type"], country=meta["country"],
                latitude=meta["latitude"], longitude=meta["longitude"],
                geonames_id=meta["geonames_id"], affiliation=meta["affiliation"],
            )
        start, end = span.start_char, span.end_char
        text = article.text[start:end]
        # a possessive attached to the token ("Korea’s" in one token) is not part of the name
        match = re.search(r"['’]s?$", text)
        if match and span.end - span.start >= 1 and text[:match.start()].strip():
            end -= len(match.group(0))
            text = article.text[start:end]
        if (span.kb_id_, start, end) in seen:
            continue
        seen.add((span.kb_id_, start, end))
        entity.mentions.append(Mention(text=text, start=start, end=end, sentence=sentence_of(start)))
        alias = text[4:] if text.lower().startswith("the ") else text
        if alias != entity.name and alias not in entity.aliases:
            entity.aliases.append(alias)
    return list(entities.values())


def roles_from_doc(doc: Doc, entities: list[Entity]) -> list[tuple[str, str, str | None, Mention]]:
    """Titles held by people: ``(person id, title, organisation or state id or None, mention of
    the title)``.  "Ukraine's President Volodymyr Zelensky" -> (person:volodymyr-zelensky,
    "President", state:ukraine); "John Kirby, the White House national security spokesman" ->
    (person:john-kirby, "national security spokesman", state:united-states)."""
    sentence_of = _sentence_index(doc)
    mentions = list(doc.spans.get(SPAN_KEY, ()))
    known = {e.id for e in entities}
    by_token: dict[int, Span] = {}
    for span in mentions:
        for i in range(span.start, span.end):
            if i not in by_token or len(span) < len(by_token[i]):
                by_token[i] = span
    roles = []
    seen = set()
    for person in mentions:
        if person.label_ != "Person" or person.kb_id_ not in known:
            continue
        found = _title_before(doc, person, by_token) or _title_appos(doc, person, by_token)
        if found is None:
            continue
        start, end, title, org = found
        key = (person.kb_id_, title.lower(), org)
        if key in seen:
            continue
        seen.add(key)
        text = doc[start:end].text
        roles.append((person.kb_id_, title, org, Mention(
            text=text, start=doc[start].idx, end=doc[start].idx + len(text), sentence=sentence_of(doc[start].idx))))
    return roles


def _title_words(doc: Doc, tokens: list, by_token: dict[int, Span]) -> tuple[str, str | None] | None:
    """Split title tokens into the title text and the organisation/state they name, if any."""
    holders: list[Span] = []
    words = []
    for token in tokens:
        span = by_token.get(token.i)
        if span is not None and span.label_ in ("Organization", "State"):
            holders.append(span)
            continue
        if token.tag_ == "POS" or token.lower_ in ("the", "a", "an") or token.is_punct:
            continue
        words.append(token)
    if not any(t.lower_ in ROLE_HEADS for t in words):
        return None
    while words and words[-1].lower_ in ("of", "for", "and"):
        words.pop()
    while words and words[0].lower_ in ("of", "for", "and", "former"):
        words.pop(0)
    # "the head of Ukraine’s military intelligence agency": the agency, not Ukraine
    holder = next((h for h in holders if h.label_ == "Organization"), holders[0] if holders else None)
    return (" ".join(t.text for t in words), holder.kb_id_ if holder is not None else None) if words else None


def _title_before(doc: Doc, person: Span, by_token: dict[int, Span]):
    i = person.start
    tokens = []
    while i > 0:
        token = doc[i - 1]
        span = by_token.get(token.i)
        if span is not None and span.label_ == "Person":
            break
        if token.is_punct or token.pos_ in ("VERB", "AUX", "DET", "PRON", "NUM", "CCONJ", "SCONJ"):
            if token.tag_ != "POS":
                break
        if token.pos_ == "ADP" and token.lower_ != "of":
            break
        if not (token.is_title or token.is_upper or token.lower_ in ROLE_HEADS or token.lower_ in TITLE_WORDS
                or token.lower_ in DEPARTMENT_WORDS or token.tag_ == "POS" or span is not None):
            break
        tokens.insert(0, token)
        i -= 1
    if not tokens:
        return None
    found = _title_words(doc, tokens, by_token)
    if found is None:
        return None
    return tokens[0].i, tokens[-1].i + 1, found[0], found[1]


def _title_appos(doc: Doc, person: Span, by_token: dict[int, Span]):
    root = person.root
    for child in root.children:
        if child.dep_ == "appos" and child.i > root.i and child.lower_ in ROLE_HEADS | {"spokesman", "spokeswoman"}:
            subtree = [t for t in child.subtree]
            # stop at a relative clause or a comma inside the apposition
            tokens = [t for t in subtree if t.i <= child.i or t.dep_ == "prep" or t.head.dep_ in ("prep", "pobj")]
            tokens = [t for t in tokens if t.i >= subtree[0].i]
            found = _title_words(doc, tokens, by_token)
            if found is not None:
                return tokens[0].i, tokens[-1].i + 1, found[0], found[1]
    return None
