"""One JSON error shape for every error the API returns:
``{"error": {"code": ..., "message": ..., "details": {...}}}``.

``NewsgraphError`` subclasses map by their ``http_status``; FastAPI's validation errors become 422
naming each bad parameter; Starlette's HTTP errors (unknown route, wrong method) keep their status;
a store that went away mid-request is 503; anything else is a 500 without a traceback (logged)."""
from __future__ import annotations

import logging
from typing import Any

import neo4j.exceptions
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import NewsgraphError, StoreUnavailable

log = logging.getLogger("newsgraph.api")

HTTP_CODES = {
    400: "NG400",
    401: "NG401",
    403: "NG403",
    404: "NG404",
    405: "NG405",
    406: "NG406",
    413: "NG413",
    415: "NG415",
    422: "NG422",
}


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={"error": {"code": code, "message": message, "details": details or {}}},
        headers=headers,
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


async def _newsgraph_error(request: Request, error: NewsgraphError) -> JSONResponse:
    holder = getattr(request.app.state, "store_holder", None)
    if isinstance(error, StoreUnavailable) and holder is not None and error is not holder.last_error:
        holder.mark_down(error)
    if error.http_status >= 500 and not isinstance(error, StoreUnavailable):
        log.error("%s %s failed: %s %s", request.method, request.url.path, error.code, error.message)
    return error_response(error.http_status, error.code, error.message, _jsonable(error.details))


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    problems = []
    for item in error.errors():
        location = ".".join(str(part) for part in item.get("loc", ()))
        problems.append({"location": location, "message": item.get("msg", ""), "input": _jsonable(item.get("input"))})
    summary = "; ".join(f"{p['location']}: {p['message']}" for p in problems)
    return error_response(422, "NG422", f"invalid request: {summary}", {"errors": problems})


async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    if error.status_code == 404:
        message = f"no such resource: {request.method} {request.url.path}"
    elif error.status_code == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    else:
        message = str(error.detail)
    code = HTTP_CODES.get(error.status_code, f"NG{error.status_code}")
    return error_response(error.status_code, code, message, {}, headers=getattr(error, "headers", None))


async def _store_gone(request: Request, error: Exception) -> JSONResponse:
    gone = StoreUnavailable(
        f"the graph store stopped answering while serving {request.url.path}: {type(error).__name__}", {"retry": True}
    )
    return await _newsgraph_error(request, gone)


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "NG500", f"internal error while serving {request.url.path}; see the server log", {})


def install(app: FastAPI) -> None:
    app.add_exception_handler(NewsgraphError, _newsgraph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for gone in (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired):
        app.add_exception_handler(gone, _store_gone)
    app.add_exception_handler(Exception, _unexpected)
