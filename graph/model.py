"""The one schema: what ingest produces, the store writes and the API returns.

Every fact extracted from an article carries an :class:`Evidence` so that an analyst
can always get back to the sentence (and the character offsets) it came from.
Offsets are into ``Article.text``: the article text as ingested, after the reader's
normalisation (see ``docs/EXTRACT_FORMAT.md``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EntityType = Literal["Person", "Organization", "State", "Place", "Unit", "Event", "Source"]
"""``Source`` is an unnamed source ("a senior administration official")."""

ENTITY_TYPES: tuple[str, ...] = EntityType.__args__  # type: ignore[attr-defined]

RelationType = Literal[
    "DEPLOYED_TO",
    "MOVED_FROM",
    "TRAINING_AT",
    "PART_OF",
    "HOLDS_ROLE",
    "LOCATED_IN",
    "ALLIED_WITH",
    "COOPERATES_WITH",
    "PARTICIPATED_IN",
    "MEMBER_OF",
]
RELATION_TYPES: tuple[str, ...] = RelationType.__args__  # type: ignore[attr-defined]

ClaimKind = Literal["STATED", "ASSESSED", "CONFIRMED", "DENIED", "WARNED", "REPORTED"]
CLAIM_KINDS: tuple[str, ...] = ClaimKind.__args__  # type: ignore[attr-defined]

ClaimLinkType = Literal["CONFLICTS_WITH", "CORROBORATES", "DENIES"]

Qualifier = Literal[
    "exact", "at least", "up to", "about", "more than", "fewer than", "as many as", "total"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """A stretch of article text: ``text == article.text[start:end]``."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Mention(Span):
    sentence: int = Field(ge=0, description="index of the sentence holding the mention")


class TimeExpression(_Model):
    """A time phrase normalised against the article's publication date."""

    text: str = Field(description="the phrase as written, e.g. 'the first half of October'")
    start: dt.date | None = Field(None, description="first day of the interval it denotes")
    end: dt.date | None = Field(None, description="last day of the interval it denotes")
    char_start: int | None = None
    char_end: int | None = None


class Evidence(_Model):
    article_id: str
    sentence: int = Field(ge=0)
    start: int = Field(ge=0, description="offset of the supporting text in the article")
    end: int = Field(ge=0)
    text: str = Field(description="the sentence the fact comes from")
    extractor: str = Field(description="name of the rule or component that found it")
    extractor_version: str
    confidence: float = Field(ge=0.0, le=1.0)


class Entity(_Model):
    id: str = Field(description="stable key, '<type>:<normalised name>', e.g. 'state:north-korea'")
    name: str
    type: EntityType
    aliases: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)
    # Places (from the offline gazetteer) and states
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code")
    geonames_id: int | None = None
    # Units and unnamed sources belong to a state or organisation: the entity id
    affiliation: str | None = None
    # Events
    event_kind: str | None = None
    time: TimeExpression | None = None


class Relation(_Model):
    type: RelationType
    source: str = Field(description="entity id")
    target: str = Field(description="entity id")
    properties: dict[str, Any] = Field(
        default_factory=dict,
        description="e.g. count, qualifier, time (TimeExpression as dict), from (place id), title",
    )
    evidence: Evidence
    claim_id: str | None = Field(None, description="the claim this relation was stated in, if any")


class SpeakerRef(Span):
    name: str
    entity_id: str | None = Field(None, description="null when the speaker could not be resolved safely")


class Cue(Span):
    lemma: str
    negated: bool = False


class Quantity(_Model):
    text: str
    value: float | None = Field(None, description="the number; for a range, null and low/high set")
    low: float | None = None
    high: float | None = None
    qualifier: Qualifier = "exact"
    counted: str | None = Field(None, description="what is counted: 'troops', 'training sites', ...")
    is_troop_count: bool = False
    unit_entity_id: str | None = None
    target_time: TimeExpression | None = None
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class ClaimLink(_Model):
    type: ClaimLinkType
    target: str = Field(description="claim id")


class Claim(_Model):
    id: str
    kind: ClaimKind
    speaker: SpeakerRef
    cue: Cue
    content: Span
    direct: bool
    quantities: list[Quantity] = Field(default_factory=list)
    about: list[str] = Field(default_factory=list, description="entity ids the content is about")
    sentence: int = Field(ge=0)
    confidence: float = Field(ge=0.0, le=1.0)
    article_id: str
    published: dt.date | None = Field(
        None, description="the article's publication date: stance links compare claims within a time window"
    )
    extractor: str
    extractor_version: str
    links: list[ClaimLink] = Field(default_factory=list)


class Sentence(_Model):
    index: int = Field(ge=0)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str


class Article(_Model):
    id: str = Field(description="hash of the normalised text")
    title: str
    text: str
    url: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    author: str | None = None
    source_path: str | None = Field(None, description="where the reader found it")
    normalisation: list[str] = Field(
        default_factory=list, description="what the reader changed before offsets were taken"
    )


class ArticleGraph(_Model):
    """Everything extracted from one article: the unit ingest writes in one transaction."""

    article: Article
    sentences: list[Sentence] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)


class GraphNode(_Model):
    """A node as the API and the network view see it."""

    id: str
    label: str = Field(description="display name")
    type: str = Field(description="entity type, 'Claim' or 'Article'")
    properties: dict[str, Any] = Field(default_factory=dict)


class GraphEdge(_Model):
    id: str
    source: str
    target: str
    type: str
    properties: dict[str, Any] = Field(default_factory=dict)
    evidence: list[dict[str, Any]] = Field(
        default_factory=list, description="sentence, article id and title, date, outlet"
    )


class Subgraph(_Model):
    nodes: list[GraphNode] = Field(default_factory=list)
    edges: list[GraphEdge] = Field(default_factory=list)
    truncated: bool = False
