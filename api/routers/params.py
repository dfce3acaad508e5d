"""Query parameters shared by several routers, with their limits."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query

from api.deps import DEFAULT_PAGE_SIZE, MAX_OFFSET, MAX_PAGE_SIZE
from graph.errors import InputError

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"page size (at most {MAX_PAGE_SIZE})")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip")]
Since = Annotated[dt.date | None, Query(description="on or after this date (YYYY-MM-DD)")]
Until = Annotated[dt.date | None, Query(description="on or before this date (YYYY-MM-DD)")]
EntityRefParam = Annotated[str, Query(min_length=1, max_length=200, description="entity id or name")]
OptionalText = Annotated[str | None, Query(min_length=1, max_length=200)]

DEFAULT_LIMIT = DEFAULT_PAGE_SIZE


def check_dates(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and since > until:
        raise InputError(f"since {since} is after until {until}", {"since": str(since), "until": str(until)})
