"""GET /articles, GET /articles/{id}, and POST /articles (ingest; needs the API key)."""
from __future__ import annotations

import io
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field, TypeAdapter, ValidationError

from api import reads
from api.deps import MAX_BATCH_ARTICLES, ApiKeyDep, StoreDep
from api.routers.params import DEFAULT_LIMIT, check_dates, Limit, Offset, Since, Until
from api.schemas import ArticleBatchIn, ArticleDetail, ArticleIn, ArticleSummary, IngestedArticle, IngestOut, Page
from graph.errors import InputError, NewsgraphError

router = APIRouter(prefix="/articles", tags=["articles"])

class UnsupportedMediaType(NewsgraphError):
    code = "NG415"
    http_status = 415


_FORMATS = {"application/json": "json", "text/plain": "text", "text/markdown": "markdown", "text/html": "html"}
_JSON_BODY: TypeAdapter = TypeAdapter(ArticleIn | ArticleBatchIn | Annotated[list[ArticleIn], Field(min_length=1)])


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A JSON schema with its local ``$defs`` references inlined (for the OpenAPI request body)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node and node["$ref"].startswith("#/$defs/"):
                return walk(defs[node["$ref"].split("/")[-1]])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_REQUEST_BODY = {
    "required": True,
    "description": (
        f"One article, a list, or {{\"articles\": [...]}} as JSON (at most {MAX_BATCH_ARTICLES}); "
        "or the article itself as text/plain (first line the title), text/markdown (front matter "
        "allowed) or text/html."
    ),
    "content": {
        "application/json": {"schema": _inline(_JSON_BODY.json_schema())},
        "text/plain": {"schema": {"type": "string", "minLength": 1}},
        "text/markdown": {"schema": {"type": "string", "minLength": 1}},
        "text/html": {"schema": {"type": "string", "minLength": 1}},
    },
}


@router.get("", response_model=Page[ArticleSummary], summary="Stored articles, newest first")
def list_articles(
    store: StoreDep,
    outlet: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    since: Since = None,
    until: Until = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="words in the title")] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> Page[ArticleSummary]:
    check_dates(since, until)
    return reads.list_articles(store, outlet=outlet, since=since, until=until, q=q, limit=limit, offset=offset)


@router.get("/{article_id}", response_model=ArticleDetail, summary="An article and what was extracted from it")
def article(
    store: StoreDep,
    article_id: Annotated[str, Path(min_length=1, max_length=200)],
) -> ArticleDetail:
    return reads.article_detail(store, article_id)


@router.post(
    "",
    response_model=IngestOut,
    status_code=201,
    summary="Ingest one article or a small batch (needs X-API-Key)",
    openapi_extra={"requestBody": _REQUEST_BODY},
    responses={200: {"description": "every article was already stored", "model": IngestOut}},
)
async def ingest(
    request: Request,
    response: Response,
    _: ApiKeyDep,
    store: StoreDep,
    published: Annotated[str | None, Query(max_length=40, description="publication date for text bodies (YYYY-MM-DD)")] = None,
    source: Annotated[str | None, Query(min_length=1, max_length=200, description="outlet for text bodies")] = None,
) -> IngestOut:
    from starlette.concurrency import run_in_threadpool

    media_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    fmt = _FORMATS.get(media_type)
    if fmt is None:
        raise UnsupportedMediaType(
            f"POST /articles takes {', '.join(_FORMATS)}; got {media_type or 'no Content-Type'}",
            {"content_type": media_type},
        )
    body = await request.body()
    if not body.strip():
        raise InputError("the request body is empty: send an article", {})
    if fmt == "json":
        try:
            parsed = _JSON_BODY.validate_json(body)
        except ValidationError as error:
            problems = [{"location": ".".join(str(p) for p in e["loc"]), "message": e["msg"]} for e in error.errors()[:20]]
            raise InputError(f"the JSON body is not an article or a batch of articles: {error.errors()[0]['msg']}", {"errors": problems}) from None
        count = len(parsed) if isinstance(parsed, list) else len(parsed.articles) if isinstance(parsed, ArticleBatchIn) else 1
        if count > MAX_BATCH_ARTICLES:
            raise InputError(f"{count} articles in one request; at most {MAX_BATCH_ARTICLES}", {"articles": count})
    return await run_in_threadpool(_ingest, store, body, fmt, published, source, response)


def _ingest(store, body: bytes, fmt: str, published: str | None, source: str | None, response: Response) -> IngestOut:
    from ingest.ingest_cli import ingest_articles
    from ingest.readers import read_stdin

    try:
        read = read_stdin(io.BytesIO(body), format=fmt, name="request body", published=published, source=source)
    except ValueError as error:
        raise InputError(f"published={published!r} is not a date: {error}", {"published": published}) from None
    skipped = [{"input": s.input, "reason": s.reason} for s in read.skipped]
    if not read.articles:
        reason = "; ".join(f"{s['input']}: {s['reason']}" for s in skipped) or "no article text found"
        raise InputError(f"nothing to ingest in the request body ({reason})", {"skipped": skipped})
    if len(read.articles) > MAX_BATCH_ARTICLES:
        raise InputError(f"{len(read.articles)} articles in one request; at most {MAX_BATCH_ARTICLES}", {"articles": len(read.articles)})
    done: list[IngestedArticle] = []

    def record(article, result) -> None:
        done.append(IngestedArticle(
            id=article.id, title=article.title,
            status=result.status if result is not None else "unchanged",
            entities=getattr(result, "entities", 0), relations=getattr(result, "relations", 0),
            claims=getattr(result, "claims", 0),
        ))

    summary = ingest_articles(store, read.articles, n_process=1, on_article=record)
    skipped += [{"input": s.input, "reason": s.reason} for s in summary.skipped]
    if not summary.new:
        response.status_code = 200
    return IngestOut(articles=done, skipped=skipped)
