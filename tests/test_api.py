"""The REST API through the real app and the real embedded store holding the ingested sample
corpus: every read endpoint, its filters, pagination and error cases."""
from __future__ import annotations

import datetime as dt
import warnings

import pytest

from api.app import create_app
from api.deps import MAX_PAGE_SIZE, ApiSettings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def client(ingested_store):
    app = create_app(ApiSettings(graph=ingested_store.settings), store=ingested_store)
    with TestClient(app) as test_client:
        yield test_client


def get_ok(client, url, **params):
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(response, status, code=None):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def all_pages(client, url, page_size=7, **params):
    items, offset = [], 0
    while True:
        page = get_ok(client, url, limit=page_size, offset=offset, **params)
        items += page["items"]
        if page["next_offset"] is None:
            return items, page["total"]
        assert page["next_offset"] == offset + page_size
        offset = page["next_offset"]


# --- /claims ----------------------------------------------------------------------------------------


def test_claims_rows_are_complete_and_in_time_order(client):
    page = get_ok(client, "/claims", limit=MAX_PAGE_SIZE)
    rows = page["items"]
    assert rows and page["total"] == len(rows)
    dates = [r["article"]["published"] for r in rows]
    assert dates == sorted(dates)
    for row in rows:
        assert row["kind"]
        # a claim without a speaker in the text ("reports that ...") has no speaker entity either
        assert row["speaker"]["name"] or (row["speaker"]["id"] is None and not row["speaker"]["text"])
        assert row["article"]["title"] and row["article"]["id"]
        # the claim's content overlaps the sentence it is filed under (a quote may run on)
        assert row["sentence"]["text"]
        assert row["content"]["start"] < row["sentence"]["end"] and row["content"]["end"] > row["sentence"]["start"]
        assert 0 <= row["confidence"] <= 1


def test_claims_order_desc_reverses(client):
    asc = [r["id"] for r in get_ok(client, "/claims", limit=MAX_PAGE_SIZE)["items"]]
    desc = [r["id"] for r in get_ok(client, "/claims", limit=MAX_PAGE_SIZE, order="desc")["items"]]
    assert desc == list(reversed(asc))


def test_claims_pagination_covers_every_row_once(client):
    everything = get_ok(client, "/claims", limit=MAX_PAGE_SIZE)
    paged, total = all_pages(client, "/claims", page_size=7)
    assert total == everything["total"]
    assert [r["id"] for r in paged] == [r["id"] for r in everything["items"]]


def test_who_said_what_about_troop_numbers(client):
    rows = get_ok(client, "/claims", about="troops", limit=MAX_PAGE_SIZE)["items"]
    assert rows
    for row in rows:
        assert any(q["is_troop_count"] for q in row["quantities"]), row
    # the canonical story: a US official's "at least 3,000" is in the table with its qualifier
    kirby = [r for r in rows if r["speaker"]["id"] == "person:john-kirby"]
    assert any(q["value"] == 3000 and q["qualifier"] == "at least" for r in kirby for q in r["quantities"])


def test_about_an_entity_by_id_or_by_name(client):
    by_id = get_ok(client, "/claims", about="state:north-korea", limit=MAX_PAGE_SIZE)
    by_name = get_ok(client, "/claims", about="north korea", limit=MAX_PAGE_SIZE)
    assert by_id["total"] > 0
    assert [r["id"] for r in by_id["items"]] == [r["id"] for r in by_name["items"]]
    for row in by_id["items"]:
        about = {e["id"] for e in row["about"]}
        assert "state:north-korea" in about or any(i.startswith("unit:north-korea") for i in about)
    assert get_ok(client, "/claims", about="no such entity anywhere")["total"] == 0


def test_speaker_filter(client):
    rows = get_ok(client, "/claims", speaker="person:john-kirby", limit=MAX_PAGE_SIZE)["items"]
    assert rows and all(r["speaker"]["id"] == "person:john-kirby" for r in rows)
    by_name = get_ok(client, "/claims", speaker="Kirby", limit=MAX_PAGE_SIZE)["items"]
    assert {r["id"] for r in rows} <= {r["id"] for r in by_name}


def test_kind_filter(client):
    everything = get_ok(client, "/claims", limit=MAX_PAGE_SIZE)["items"]
    kinds = {r["kind"] for r in everything}
    assert kinds
    for kind in kinds:
        rows = get_ok(client, "/claims", kind=kind, limit=MAX_PAGE_SIZE)["items"]
        assert rows and all(r["kind"] == kind for r in rows)
    assert sum(get_ok(client, "/claims", kind=k)["total"] for k in kinds) == len(everything)
    assert_error(client.get("/claims", params={"kind": "SHOUTED"}), 422, "NG422")


def test_value_range_filter(client):
    rows = get_ok(client, "/claims", about="troops", min_value=5000, limit=MAX_PAGE_SIZE)["items"]
    assert rows
    for row in rows:
        assert any(max(v for v in (q["value"], q["high"], q["low"]) if v is not None) >= 5000
                   for q in row["quantities"] if q["is_troop_count"])
    low = get_ok(client, "/claims", about="troops", max_value=4000, limit=MAX_PAGE_SIZE)["items"]
    assert low
    for row in low:
        assert any(min(v for v in (q["value"], q["low"], q["high"]) if v is not None) <= 4000
                   for q in row["quantities"] if q["is_troop_count"])
    assert_error(client.get("/claims", params={"min_value": 10, "max_value": 5}), 422, "NG200")


def test_date_filters(client):
    everything = get_ok(client, "/claims", limit=MAX_PAGE_SIZE)["items"]
    dates = sorted({r["article"]["published"] for r in everything})
    assert len(dates) >= 2
    middle = dates[len(dates) // 2]
    later = get_ok(client, "/claims", since=middle, limit=MAX_PAGE_SIZE)["items"]
    earlier = get_ok(client, "/claims", until=middle, limit=MAX_PAGE_SIZE)["items"]
    assert later and earlier
    # publication date, or a target time the claim gives, falls in the range
    for row in later:
        targets = [q["target_time"]["end"] or q["target_time"]["start"] for q in row["quantities"] if q.get("target_time") and q["target_time"].get("start")]
        assert row["article"]["published"] >= middle or any(t >= middle for t in targets)
    assert {r["id"] for r in later} | {r["id"] for r in earlier} == {r["id"] for r in everything}
    assert_error(client.get("/claims", params={"since": "2024-12-01", "until": "2024-01-01"}), 422)
    assert_error(client.get("/claims", params={"since": "not a date"}), 422, "NG422")


def test_article_filter(client):
    everything = get_ok(client, "/claims", limit=MAX_PAGE_SIZE)["items"]
    article = everything[0]["article"]["id"]
    rows = get_ok(client, "/claims", article=article, limit=MAX_PAGE_SIZE)["items"]
    assert rows and all(r["article"]["id"] == article for r in rows)


def test_near_duplicate_claims_are_counted_once(client):
    deduplicated = get_ok(client, "/claims", limit=MAX_PAGE_SIZE)
    everything = get_ok(client, "/claims", include_duplicates=True, limit=MAX_PAGE_SIZE)
    assert everything["total"] >= deduplicated["total"]
    copies = everything["total"] - deduplicated["total"]
    reported_elsewhere = sum(len(r["also_reported_in"]) for r in deduplicated["items"])
    if copies:
        # each hidden copy is accounted for on the row it repeats
        assert reported_elsewhere >= 1
        listed = {r["id"] for r in deduplicated["items"]}
        hidden = [r for r in everything["items"] if r["id"] not in listed]
        assert all(r["article"]["id"] in {a for d in deduplicated["items"] for a in d["also_reported_in"]} for r in hidden)


def test_claim_links_point_at_listed_claims(client):
    rows = get_ok(client, "/claims", include_duplicates=True, limit=MAX_PAGE_SIZE)["items"]
    ids = {r["id"] for r in rows}
    for row in rows:
        for key in ("conflicts_with", "corroborated_by", "denies", "denied_by"):
            assert set(row[key]) <= ids


def test_conflicts_groups(client):
    page = get_ok(client, "/claims/conflicts")
    for group in page["items"]:
        assert len(group["claims"]) >= 2
        ids = {c["id"] for c in group["claims"]}
        # every claim of a group disagrees with another claim of the group
        for claim in group["claims"]:
            linked = set(claim["conflicts_with"]) | set(claim["denies"]) | set(claim["denied_by"])
            assert linked & ids, claim["id"]
    troops = get_ok(client, "/claims/conflicts", about="troops")
    assert troops["total"] <= page["total"]
    assert get_ok(client, "/claims/conflicts", about="no such entity anywhere")["total"] == 0


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": MAX_PAGE_SIZE + 1}, {"offset": -1}, {"min_value": "many"},
                                    {"order": "sideways"}, {"include_duplicates": "perhaps"}])
def test_claims_bad_parameters_are_422_naming_the_parameter(client, params):
    error = assert_error(client.get("/claims", params=params), 422, "NG422")
    assert next(iter(params)) in error["message"]
    assert error["details"]["errors"][0]["location"] == f"query.{next(iter(params))}"


# --- /entities --------------------------------------------------------------------------------------


def test_entity_search_prefix_and_accents(client):
    hits = get_ok(client, "/entities", q="kirb")["items"]
    assert hits[0]["id"] == "person:john-kirby"
    assert hits[0]["match"] in {"prefix", "word"}
    # accent-insensitive both ways: a folded query finds an accented name
    places = get_ok(client, "/entities", q="wonsan")["items"]
    assert any(h["id"] == "place:wonsan" for h in places)
    exact = get_ok(client, "/entities", q="North Korea")["items"]
    assert exact[0]["id"] == "state:north-korea" and exact[0]["match"] == "exact"
    scores = [h["score"] for h in exact]
    order = {"exact": 0, "prefix": 1, "word": 2, "contains": 3, "fulltext": 4}
    assert [order[h["match"]] for h in exact] == sorted(order[h["match"]] for h in exact)
    assert scores


def test_entity_search_by_alias_type_filter_and_pages(client):
    assert any(h["id"] == "state:north-korea" for h in get_ok(client, "/entities", q="DPRK")["items"])
    everything = get_ok(client, "/entities", q="north", limit=MAX_PAGE_SIZE)
    states = get_ok(client, "/entities", q="north", type="State", limit=MAX_PAGE_SIZE)["items"]
    assert states and all(h["type"] == "State" for h in states)
    assert len(states) < everything["total"]
    paged, total = all_pages(client, "/entities", page_size=2, q="north")
    assert total == everything["total"] and [h["id"] for h in paged] == [h["id"] for h in everything["items"]]
    assert get_ok(client, "/entities", q="zzzqqqxxy")["total"] == 0
    assert_error(client.get("/entities"), 422, "NG422")
    assert_error(client.get("/entities", params={"q": "x", "type": "Planet"}), 422, "NG422")


def test_entity_profile(client):
    profile = get_ok(client, "/entities/person:john-kirby")
    assert profile["name"] == "John Kirby" and profile["type"] == "Person"
    assert profile["names"][0] == "John Kirby" and set(profile["aliases"]) <= set(profile["names"])
    assert profile["mentions"] >= profile["articles"] >= 1
    assert profile["claims_made"] == get_ok(client, "/claims", speaker="person:john-kirby")["total"]
    assert profile["first_seen"] <= profile["last_seen"]
    assert profile["top_neighbours"]
    place = get_ok(client, "/entities/place:vladivostok")
    assert place["latitude"] is not None and place["longitude"] is not None
    assert place["claims_about"] == get_ok(client, "/claims", about="place:vladivostok")["total"]


def test_entity_profile_unknown_is_404(client):
    error = assert_error(client.get("/entities/person:nobody-at-all"), 404, "NG404")
    assert "person:nobody-at-all" in error["message"]


# --- /subgraph --------------------------------------------------------------------------------------


def test_subgraph_around_an_entity(client):
    graph = get_ok(client, "/subgraph", center="person:john-kirby", depth=1)
    ids = {n["id"] for n in graph["nodes"]}
    assert "person:john-kirby" in ids and len(ids) > 1
    for edge in graph["edges"]:
        assert edge["source"] in ids and edge["target"] in ids
        assert edge["evidence"], edge
        for evidence in edge["evidence"]:
            assert evidence["sentence"] and evidence["article_title"] and evidence["published"]
    # depth 1: every other node is one edge away from the center (its claims, typed relations)
    touching = {e["source"] for e in graph["edges"]} | {e["target"] for e in graph["edges"]}
    assert ids <= touching
    for node in graph["nodes"]:
        if node["id"] != "person:john-kirby":
            assert any({e["source"], e["target"]} == {node["id"], "person:john-kirby"} for e in graph["edges"]), node["id"]
    assert any(n["type"] == "Claim" for n in graph["nodes"])


def test_subgraph_depth_grows_and_limit_truncates(client):
    one = get_ok(client, "/subgraph", center="north korea", depth=1, limit=1000)
    two = get_ok(client, "/subgraph", center="north korea", depth=2, limit=1000)
    assert {n["id"] for n in one["nodes"]} < {n["id"] for n in two["nodes"]}
    small = get_ok(client, "/subgraph", center="north korea", depth=2, limit=5)
    assert len(small["nodes"]) == 5 and small["truncated"] is True
    assert not one["truncated"]
    assert_error(client.get("/subgraph", params={"center": "north korea", "depth": 4}), 422, "NG422")
    assert_error(client.get("/subgraph", params={"center": "north korea", "limit": 100000}), 422, "NG422")


def test_subgraph_several_centers_and_filters(client):
    both = get_ok(client, "/subgraph", center=["person:john-kirby", "state:north-korea"], depth=1)
    ids = {n["id"] for n in both["nodes"]}
    assert {"person:john-kirby", "state:north-korea"} <= ids
    claims_only = get_ok(client, "/subgraph", center="state:north-korea", depth=2, node_types=["Claim"])
    assert {n["type"] for n in claims_only["nodes"]} <= {"State", "Claim"}
    about_only = get_ok(client, "/subgraph", center="state:north-korea", depth=1, rel_types=["ABOUT"])
    assert about_only["edges"] and {e["type"] for e in about_only["edges"]} == {"ABOUT"}
    none = get_ok(client, "/subgraph", center="state:north-korea", depth=2, min_confidence=1.0)
    assert all((e["properties"].get("confidence") or 1.0) >= 1.0 for e in none["edges"])
    outlets = {r["article"]["outlet"] for r in get_ok(client, "/claims", limit=MAX_PAGE_SIZE)["items"]}
    outlet = sorted(outlets)[0]
    one_source = get_ok(client, "/subgraph", center="state:north-korea", depth=2, source=outlet)
    assert one_source["edges"]
    for edge in one_source["edges"]:
        assert {e["outlet"] for e in edge["evidence"]} == {outlet}
    future = get_ok(client, "/subgraph", center="state:north-korea", depth=2, since="2030-01-01")
    assert future["nodes"] == [n for n in future["nodes"] if n["id"] == "state:north-korea"] and future["edges"] == []
    assert_error(client.get("/subgraph", params={"center": "state:north-korea", "rel_types": "LOVES"}), 422, "NG422")


def test_subgraph_unknown_center_is_404_and_center_required(client):
    assert_error(client.get("/subgraph", params={"center": "nobody-anywhere"}), 404, "NG404")
    assert_error(client.get("/subgraph"), 422, "NG422")


# --- /paths, /timeline ------------------------------------------------------------------------------


def test_paths_with_evidence(client):
    found = get_ok(client, "/paths", **{"from": "person:john-kirby", "to": "state:north-korea", "max_hops": 4})
    assert found["paths"]
    shortest = found["paths"][0]["length"]
    for path in found["paths"]:
        assert path["length"] == shortest <= 4
        assert path["nodes"][0]["id"] == "person:john-kirby" and path["nodes"][-1]["id"] == "state:north-korea"
        assert len(path["edges"]) == path["length"]
        for step in path["edges"]:
            assert step["evidence"] and step["evidence"][0]["article_title"]
    assert {n["id"] for n in found["subgraph"]["nodes"]} >= {"person:john-kirby", "state:north-korea"}
    none = get_ok(client, "/paths", **{"from": "person:john-kirby", "to": "state:north-korea", "max_hops": 1})
    assert shortest > 1 and none["paths"] == []
    assert_error(client.get("/paths", params={"from": "person:john-kirby", "to": "nobody-anywhere"}), 404, "NG404")
    assert_error(client.get("/paths", params={"from": "person:john-kirby", "to": "state:russia", "max_hops": 9}), 422)


def test_timeline(client):
    page = get_ok(client, "/timeline", entity="Kirby", limit=MAX_PAGE_SIZE)
    items = page["items"]
    assert items and page["total"] == len(items)
    dates = [i["date"] for i in items]
    assert dates == sorted(dates)
    claim_items = [i for i in items if i["kind"] == "claim"]
    assert len(claim_items) >= get_ok(client, "/claims", speaker="person:john-kirby")["total"]
    assert all(i["article"]["id"] and i["summary"] for i in items)
    later = get_ok(client, "/timeline", entity="Kirby", since=dates[-1])["items"]
    assert later and all((i["date_end"] or i["date"]) >= dates[-1] for i in later)
    assert_error(client.get("/timeline", params={"entity": "nobody-anywhere"}), 404, "NG404")


# --- /articles ------------------------------------------------------------------------------------


def test_articles_list_filters_and_pages(client, sample_articles):
    everything = get_ok(client, "/articles", limit=MAX_PAGE_SIZE)
    assert everything["total"] == len({a.id for a in sample_articles})
    dates = [a["published"] for a in everything["items"]]
    assert dates == sorted(dates, reverse=True)
    paged, _ = all_pages(client, "/articles", page_size=4)
    assert [a["id"] for a in paged] == [a["id"] for a in everything["items"]]
    outlet = everything["items"][0]["outlet"]
    assert all(a["outlet"] == outlet for a in get_ok(client, "/articles", outlet=outlet)["items"])
    since = dates[len(dates) // 2]
    assert all(a["published"] >= since for a in get_ok(client, "/articles", since=since)["items"])
    assert all(a["published"] <= since for a in get_ok(client, "/articles", until=since)["items"])
    word = everything["items"][0]["title"].split()[0]
    assert all(word.lower() in a["title"].lower() for a in get_ok(client, "/articles", q=word)["items"])


def test_article_detail(client, sample_articles):
    article = sample_articles[0]
    detail = get_ok(client, f"/articles/{article.id}")
    assert detail["text"] == article.text and detail["title"] == article.title
    assert detail["sentences"] > 0
    assert detail["entities"] and all(e["mentions"] >= 1 for e in detail["entities"])
    for claim in detail["claims"]:
        assert claim["article"]["id"] == article.id
        assert detail["text"][claim["content"]["start"]:claim["content"]["end"]] == claim["content"]["text"]
    for relation in detail["relations"]:
        assert relation["evidence_text"]
    assert_error(client.get("/articles/0000000000000000"), 404, "NG404")


# --- errors, health ---------------------------------------------------------------------------------


def test_unknown_route_and_method(client):
    assert_error(client.get("/no/such/route"), 404, "NG404")
    assert_error(client.delete("/claims"), 405, "NG405")


def test_health(client):
    health = get_ok(client, "/health")
    assert health["status"] == "ok"
    assert health["store"]["agent"] and health["versions"]["neo4j_driver"] and health["versions"]["newsgraph"]
    counted = get_ok(client, "/health", counts=True)
    assert counted["counts"]["nodes"]["Article"] == get_ok(client, "/articles")["total"]


def test_openapi_documents_the_error_shape(client):
    schema = get_ok(client, "/openapi.json")
    for path in ("/claims", "/entities", "/subgraph", "/paths", "/timeline", "/articles"):
        responses = schema["paths"][path]["get"]["responses"]
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_dates_in_rows_are_iso(client):
    row = get_ok(client, "/claims", limit=1)["items"][0]
    dt.date.fromisoformat(row["article"]["published"])


def test_claims_answered_from_memory_are_the_claims_the_full_path_gives(client, ingested_store):
    """Once the claim index holds every row, GET /claims answers on the event loop from memory
    (reads.held_claims_json); what it answers is what the path through the store gives."""
    import json
    import time

    from api import reads

    client.get("/claims")  # the index exists (and warms up in the background) from here
    unfiltered = reads.ClaimFilters()
    deadline = time.monotonic() + 60
    while reads.held_claims_json(ingested_store, unfiltered)[0] is None:
        assert time.monotonic() < deadline, "the claim rows were not all rendered within 60 s"
        time.sleep(0.2)
    cases = [
        (unfiltered, 0), (reads.ClaimFilters(descending=True), 5), (reads.ClaimFilters(about="troops"), 0),
        (reads.ClaimFilters(about="North Korea", since=dt.date(2024, 10, 1)), 0),
        (reads.ClaimFilters(speaker="Kirby", min_value=1000), 0), (reads.ClaimFilters(kind="DENIED"), 0),
    ]
    for filters, offset in cases:
        full = reads.list_claims_json(ingested_store, filters, limit=7, offset=offset)
        assert reads.held_claims_json(ingested_store, filters, limit=7, offset=offset)[0] == full
        assert client.get("/claims", params=_params(filters, offset)).content == full
    assert json.loads(reads.list_claims_json(ingested_store, reads.ClaimFilters(about="troops")))["total"] > 0


def _params(filters, offset: int) -> dict:
    params = {"limit": 7, "offset": offset, "order": "desc" if filters.descending else "asc"}
    for name in ("about", "speaker", "kind", "min_value", "since"):
        if getattr(filters, name) is not None:
            params[name] = str(getattr(filters, name))
    return params


def test_closing_a_store_waits_for_its_claim_rows_warm_up(ingested_store):
    """Listing claims starts rendering every row in the background (api/claim_index.py); a
    one-off reader such as ``newsgraph who-said`` closes its store right after: the close must
    wait for the warm-up's query in flight instead of closing the driver under it."""
    import threading

    from api import reads
    from graph.store import GraphStore

    for _ in range(3):
        store = GraphStore.open(ingested_store.settings)
        try:
            assert reads.list_claims(store, reads.ClaimFilters(), limit=5).total > 0
        finally:
            store.close()
        assert not any(t.name == "claim-rows-warm-up" and t.is_alive() for t in threading.enumerate())
