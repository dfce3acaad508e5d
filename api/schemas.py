"""Response and request models of the API that are not already in ``graph.model``."""
from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graph.model import Cue, Quantity, Span, Subgraph

T = TypeVar("T")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(_Out, Generic[T]):
    items: list[T]
    total: int = Field(description="rows matching the filters, over all pages")
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page; null on the last page")


class EntityRef(_Out):
    id: str
    name: str
    type: str


class SpeakerOut(_Out):
    id: str | None = Field(None, description="entity id; null when the speaker was not resolved to an entity")
    name: str
    type: str | None = None
    role: str | None = Field(None, description="the role the graph holds for the speaker, e.g. 'spokesman, White House'")
    text: str = Field(description="the speaker as written in the sentence")
    start: int
    end: int


class ArticleRef(_Out):
    id: str
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None


class SentenceOut(_Out):
    index: int | None = None
    start: int | None = None
    end: int | None = None
    text: str


class ClaimRow(_Out):
    """One row of the who-said-what table."""

    id: str
    kind: str
    speaker: SpeakerOut
    cue: Cue
    content: Span
    direct: bool
    quantities: list[Quantity]
    about: list[EntityRef]
    article: ArticleRef
    sentence: SentenceOut
    confidence: float
    extractor: str | None = None
    extractor_version: str | None = None
    conflicts_with: list[str] = Field(default_factory=list, description="claims that disagree with this one")
    corroborated_by: list[str] = Field(default_factory=list, description="claims that agree with this one")
    denies: list[str] = Field(default_factory=list, description="claims this one denies")
    denied_by: list[str] = Field(default_factory=list, description="claims that deny this one")
    also_reported_in: list[str] = Field(
        default_factory=list,
        description="near-duplicate articles (same story) carrying the same claim; their copies are not listed separately",
    )


class ConflictGroup(_Out):
    subject: list[EntityRef] = Field(description="entities the claims of the group are about")
    reasons: list[str] = Field(description="why the claims disagree, as recorded by the linker")
    claims: list[ClaimRow]


class EntityHit(_Out):
    id: str
    name: str
    type: str
    aliases: list[str]
    mention_count: int | None = None
    score: float = Field(description="relevance: higher is better")
    match: Literal["exact", "prefix", "word", "fulltext", "contains"]


class RoleOut(_Out):
    title: str | None = None
    organization: EntityRef | None = None
    article_id: str | None = None


class NeighbourOut(_Out):
    entity: EntityRef
    relations: int = Field(description="edges between the two entities")
    types: list[str]


class EntityProfile(_Out):
    id: str
    name: str
    type: str
    aliases: list[str]
    names: list[str] = Field(description="the name and every alias")
    roles: list[RoleOut]
    affiliation: EntityRef | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None
    geonames_id: int | None = None
    event_kind: str | None = None
    time_text: str | None = None
    time_start: dt.date | None = None
    time_end: dt.date | None = None
    mentions: int = Field(description="mentions over all articles")
    articles: int = Field(description="articles mentioning it")
    claims_made: int
    claims_about: int
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    top_neighbours: list[NeighbourOut]


class PathStep(_Out):
    source: str
    target: str
    type: str
    evidence: list[dict[str, Any]]


class PathOut(_Out):
    length: int
    nodes: list[dict[str, Any]]
    edges: list[PathStep]


class PathsOut(_Out):
    source: EntityRef
    target: EntityRef
    max_hops: int
    paths: list[PathOut]
    subgraph: Subgraph = Field(description="the union of the paths, in the shape of GET /subgraph")


class TimelineItem(_Out):
    date: dt.date | None = Field(description="when: the time the text gives, else the article's publication date")
    date_end: dt.date | None = None
    time_text: str | None = Field(None, description="the time phrase as written, when the text gives one")
    kind: Literal["claim", "relation", "event"]
    type: str = Field(description="claim kind or relation type")
    summary: str
    sentence: str | None = None
    article: ArticleRef
    claim_id: str | None = None
    related: list[EntityRef] = Field(default_factory=list)


class ArticleSummary(_Out):
    id: str
    title: str
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    author: str | None = None
    claims: int
    entities: int


class ExtractedRelation(_Out):
    id: str | None = None
    type: str
    source: EntityRef
    target: EntityRef
    sentence: int | None = None
    evidence_text: str | None = None
    confidence: float | None = None
    properties: dict[str, Any]


class ArticleDetail(_Out):
    id: str
    title: str
    text: str
    url: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    author: str | None = None
    source_path: str | None = None
    normalisation: list[str]
    ingested_at: dt.datetime | None = None
    sentences: int
    entities: list[dict[str, Any]] = Field(description="entities mentioned, with mention counts")
    relations: list[ExtractedRelation]
    claims: list[ClaimRow]
    same_story: list[ArticleRef] = Field(description="near-duplicate articles")
    versions: list[ArticleRef] = Field(description="other versions of the article (same URL)")


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=1000)
    text: str = Field(min_length=1)
    url: str | None = Field(None, max_length=2000)
    published: dt.date | None = None
    outlet: str | None = Field(None, max_length=300)
    author: str | None = Field(None, max_length=300)


class ArticleBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    articles: list[ArticleIn] = Field(min_length=1)


class IngestedArticle(_Out):
    id: str
    title: str
    status: str = Field(description="what the writer did: written, unchanged, new version, ...")
    entities: int
    relations: int
    claims: int


class IngestOut(_Out):
    articles: list[IngestedArticle]
    skipped: list[dict[str, str]] = Field(default_factory=list)


class CypherIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=20_000, description="one read-only Cypher statement")
    parameters: dict[str, Any] = Field(default_factory=dict)


class CypherOut(_Out):
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(description="more rows existed than the row cap")
    row_cap: int
    elapsed_ms: float


class HealthOut(_Out):
    status: Literal["ok"]
    store: dict[str, Any]
    versions: dict[str, str]
    counts: dict[str, Any] | None = None


class ErrorBody(_Out):
    code: str = Field(description="stable error code, e.g. NG404")
    message: str = Field(description="what went wrong, naming the input and the reason")
    details: dict[str, Any]


class ErrorOut(_Out):
    """The one shape of every error response."""

    error: ErrorBody
