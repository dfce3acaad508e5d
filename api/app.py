"""The FastAPI app: ``create_app()`` wires settings, the one GraphStore (opened and closed by the
lifespan), one router per resource, the error shape, CORS (off unless configured) and a body
size limit."""
from __future__ import annotations

import importlib
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors
from api.deps import ApiSettings, StoreHolder
from api.readonly import ReadOnlyRunner
from api.routers import articles, claims, cypher, entities, graph, health
from api.schemas import ErrorOut
from graph.settings import Settings

DESCRIPTION = """News articles as a knowledge graph of actors, units, places, events and claims.

Every edge and claim carries its evidence: article, sentence, character offsets, extractor,
confidence. Errors always have the shape `{"error": {"code", "message", "details"}}`."""


def _errors(*statuses: int) -> dict[int | str, dict]:
    reasons = {
        400: "the store rejected the statement", 401: "missing or wrong API key", 403: "not allowed here",
        404: "unknown id, name or route", 413: "request body too large", 415: "unsupported content type",
        422: "invalid parameter or body", 503: "the graph store is not reachable", 504: "time limit reached",
    }
    return {status: {"model": ErrorOut, "description": reasons[status]} for status in statuses}


COMMON_ERRORS = _errors(404, 422, 503)
ROUTER_ERRORS = {
    articles: _errors(401, 403, 413, 415),
    cypher: _errors(400, 403, 413, 504),
}


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with 413, whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = errors.error_response(
            413, "NG413", f"the request body is over the {self.max_bytes} byte limit", {"max_bytes": self.max_bytes}
        )
        await send({"type": "http.response.start", "status": 413, "headers": body.raw_headers})
        await send({"type": "http.response.body", "body": body.body})


class _TooLarge(Exception):
    pass


def _view_router():
    """The network view's router (view helper), when that module is installed."""
    try:
        module = importlib.import_module("api.routers.view")
    except ModuleNotFoundError as missing:
        if missing.name != "api.routers.view":
            raise
        return None
    return module.router


def create_app(settings: ApiSettings | Settings | None = None, *, store=None) -> FastAPI:
    """The app. ``settings`` default from the environment; a ``store`` passed in is used as is and
    left open at shutdown (tests, the demo), otherwise the lifespan opens and closes one."""
    if settings is None:
        settings = ApiSettings.from_env()
    elif isinstance(settings, Settings):
        settings = _with_graph(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        holder: StoreHolder = app.state.store_holder
        app.state.cypher_runner = ReadOnlyRunner()
        if holder.store is None:
            from starlette.concurrency import run_in_threadpool

            await run_in_threadpool(holder.connect)
        try:
            yield
        finally:
            app.state.cypher_runner.close()
            holder.close()

    app = FastAPI(title="newsgraph", version=_package_version(), description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    app.state.store_holder = StoreHolder(settings.graph, settings.store_retry_interval, store=store, owned=store is None)
    errors.install(app)
    for module in (claims, entities, graph, articles, cypher, health):
        app.include_router(module.router, responses={**COMMON_ERRORS, **ROUTER_ERRORS.get(module, {})})
    view = _view_router()
    if view is not None:
        app.include_router(view, responses=COMMON_ERRORS)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


def _with_graph(graph_settings: Settings) -> ApiSettings:
    from dataclasses import replace

    return replace(ApiSettings.from_env(), graph=graph_settings)


def _package_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("newsgraph")
    except metadata.PackageNotFoundError:
        return "0"
