"""The API's claim reads as flat rows (plain dicts, one column each), for tables: the who-said
table of ``newsgraph who-said`` and the notebook's DataFrames. The rows come from the same reads
as ``GET /claims`` and ``GET /claims/conflicts`` (api/reads.py)."""
from __future__ import annotations

from api import reads
from api.schemas import ClaimRow
from graph.model import Quantity
from graph.store import GraphStore

PAGE_SIZE = 200


def number_text(quantity: Quantity) -> str:
    """'at least 3,000', 'up to 10,000', '5,000-7,000'."""
    def fmt(value: float) -> str:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"

    if quantity.value is not None:
        number = fmt(quantity.value)
    elif quantity.low is not None or quantity.high is not None:
        number = "-".join(fmt(v) for v in (quantity.low, quantity.high) if v is not None)
    else:
        return quantity.text
    return number if quantity.qualifier == "exact" else f"{quantity.qualifier} {number}"


def shown_quantities(row: ClaimRow, troops_only: bool) -> list[Quantity]:
    """The quantities a table shows for a claim: only troop numbers when asked about troops."""
    return [q for q in row.quantities if q.is_troop_count or not troops_only]


def kind_label(row: ClaimRow) -> str:
    """'ASSESSED'; a negated cue asserts nothing: 'not CONFIRMED (did not confirm)'."""
    return f"not {row.kind} ({row.cue.text})" if row.cue.negated else row.kind


def speaker_label(row: ClaimRow) -> str:
    """'John Kirby (National Security Communications Advisor, White House)'."""
    speaker = row.speaker.name or row.speaker.text or "(no speaker)"
    return f"{speaker} ({row.speaker.role})" if row.speaker.role else speaker


def who_said(store: GraphStore, about: str = reads.TROOPS, **filters) -> list[dict]:
    """Who said what about ``about`` (an entity id or name, or 'troops' for troop numbers), in
    time order: one row per number the claim gives (one row for a claim without numbers), with
    the speaker, the number as written and as value/low/high/qualifier, date, outlet and quote.
    ``filters`` are those of :class:`api.reads.ClaimFilters` (speaker, kind, since, ...)."""
    troops_only = about.strip().lower() == reads.TROOPS
    claim_filters = reads.ClaimFilters(about=about, **filters)
    rows: list[dict] = []
    offset: int | None = 0
    while offset is not None:
        page = reads.list_claims(store, claim_filters, limit=PAGE_SIZE, offset=offset)
        for claim in page.items:
            for quantity in shown_quantities(claim, troops_only) or [None]:
                rows.append(_claim_columns(claim) | _quantity_columns(quantity))
        offset = page.next_offset
    return rows


def conflicting_claims(store: GraphStore, about: str = reads.TROOPS) -> list[dict]:
    """Pairs of claims that disagree (``CONFLICTS_WITH``: different numbers for the same thing;
    ``DENIES``: one claim denies the other), from the conflict groups of ``GET /claims/conflicts``:
    one row per pair, each side with its speaker, kind, numbers, date and outlet."""
    troops_only = about.strip().lower() == reads.TROOPS
    pairs: list[dict] = []
    offset: int | None = 0
    while offset is not None:
        page = reads.claim_conflicts(store, about=about, limit=PAGE_SIZE, offset=offset)
        for group in page.items:
            by_id = {claim.id: claim for claim in group.claims}
            seen: set[tuple[str, frozenset[str]]] = set()
            for claim in group.claims:
                links = [("CONFLICTS_WITH", other) for other in claim.conflicts_with]
                links += [("DENIES", other) for other in claim.denies]
                for link, other in links:
                    key = (link, frozenset((claim.id, other)))  # a conflict is listed on both sides
                    if other in by_id and key not in seen:
                        seen.add(key)
                        pairs.append({"link": link} | _side("a", claim, troops_only) | _side("b", by_id[other], troops_only))
        offset = page.next_offset
    return pairs


def _claim_columns(row: ClaimRow) -> dict:
    return {
        "published": row.article.published,
        "outlet": row.article.outlet,
        "speaker": row.speaker.name or row.speaker.text,
        "role": row.speaker.role,
        "kind": kind_label(row),
        "quote": row.content.text,
        "claim_id": row.id,
        "article_id": row.article.id,
    }


def _quantity_columns(quantity: Quantity | None) -> dict:
    if quantity is None:
        return {"number": None, "value": None, "low": None, "high": None, "qualifier": None, "by": None}
    return {
        "number": number_text(quantity),
        "value": quantity.value,
        "low": quantity.low,
        "high": quantity.high,
        "qualifier": quantity.qualifier,
        "by": quantity.target_time.text if quantity.target_time else None,
    }


def _side(prefix: str, row: ClaimRow, troops_only: bool) -> dict:
    return {
        f"{prefix}_speaker": row.speaker.name or row.speaker.text,
        f"{prefix}_kind": kind_label(row),
        f"{prefix}_numbers": "; ".join(number_text(q) for q in shown_quantities(row, troops_only)),
        f"{prefix}_published": row.article.published,
        f"{prefix}_outlet": row.article.outlet,
        f"{prefix}_claim_id": row.id,
    }
