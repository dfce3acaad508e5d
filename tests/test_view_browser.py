"""The network view and the landing page in a real headless Chromium, against the real app
(uvicorn on loopback) over the ingested sample corpus.

Needs Debian's chromium and chromium-driver (`make browser`); without them every test here
fails with that reason."""
from __future__ import annotations

import json
import os
import shutil
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from api.app import create_app
from api.view import render_network
from ingest.ingest_cli import ingest_paths
from tests.browser import chromium, console_errors, serve, wait_for
from tests.view_data import IMG_QUOTE, SCRIPT_NAME, SCRIPT_TITLE, story_subgraph

DOCS_IMG = Path(__file__).resolve().parents[1] / "docs" / "img"
KIRBY = {"center": "John Kirby", "depth": "2"}

# An article whose title, outlet, speaker names and quotes carry markup that would run if any of
# it reached the page as HTML.
HOSTILE_ARTICLE = """---
title: <script>window.__xss='title'</script>Officials split over <img src=x onerror="window.__xss='title-img'"> troop numbers
published: 2024-11-02
outlet: <b onmouseover="window.__xss='outlet'">Hostile</b> Wire
url: https://hostile-wire.example/2024/11/02/troops
---
SEOUL — Defence minister Kim <script>window.__xss='name'</script> Yong-hyun said on Saturday that "<img src=x onerror=\\"window.__xss='quote'\\"> at least 11,000 North Korean soldiers <script>window.__xss='quote2'</script> are now in Kursk."

Kim Yong-hyun told lawmakers that the troops were deployed to the Kursk region of Russia.

"We assess that up to 3,000 more troops <img src=y onerror=\\"window.__xss='quote3'\\"> will follow by December," said Sabrina <script>Singh</script>, a Pentagon spokeswoman.
"""


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


@pytest.fixture(scope="module")
def app_url(ingested_store):
    with serve(create_app(store=ingested_store)) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_url(store_factory, nlp, tmp_path_factory):
    store = store_factory("viewhostile")
    folder = tmp_path_factory.mktemp("hostile-article")
    (folder / "2024-11-02-hostile-wire.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    summary = ingest_paths(store, [folder], nlp=nlp, progress=False)
    assert summary.new == 1, summary.lines()
    with serve(create_app(store=store)) as url:
        yield url


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def query(params: dict[str, str]) -> str:
    return urllib.parse.urlencode(params)


def open_view(browser, url: str) -> None:
    browser.get(url)
    wait_for(browser, "return window.newsgraphView && window.newsgraphView.stabilised", timeout=60)


def dom_point(browser, script: str, *args) -> tuple[float, float]:
    """A point of the network in the container's coordinates, from a script returning a canvas point."""
    return tuple(browser.execute_script(
        "const p = (function () {" + script + "}).apply(null, arguments);"
        "const d = newsgraphView.network.canvasToDOM(p); return [d.x, d.y];", *args))


def hover(browser, x: float, y: float) -> None:
    """Move the real mouse to (x, y) of the network container (selenium offsets are from its centre)."""
    container = browser.find_element(By.ID, "network")
    size = container.size
    ActionChains(browser).move_to_element_with_offset(container, int(x - size["width"] / 2), int(y - size["height"] / 2)).perform()


def tooltip_text(browser) -> str:
    return wait_for(browser, "const t = document.querySelector('div.vis-tooltip');"
                             "return t && t.style.visibility !== 'hidden' && t.offsetParent !== null && t.innerText;",
                    timeout=10)


def move_away(browser) -> None:
    """Move the mouse to an empty spot of the network, so that the tooltip goes away."""
    x, y = browser.execute_script(
        "const n = newsgraphView.network; const box = document.getElementById('network').getBoundingClientRect();"
        "for (let y = 5; y < box.height; y += 20) for (let x = 5; x < box.width; x += 20) {"
        "  const p = {x: x, y: y}; if (n.getNodeAt(p) === undefined && n.getEdgeAt(p) === undefined) return [x, y]; }"
        "return null;")
    hover(browser, x, y)
    wait_for(browser, "const t = document.querySelector('div.vis-tooltip'); return !t || t.style.visibility === 'hidden';")


def hover_node(browser, node_id: str) -> str:
    # the view may still be finishing a fit/zoom animation: re-read the point until the node is under it
    for _ in range(20):
        x, y = dom_point(browser, "return newsgraphView.network.getPositions([arguments[0]])[arguments[0]];", node_id)
        under = browser.execute_script("return newsgraphView.network.getNodeAt({x: arguments[0], y: arguments[1]});", x, y)
        if under == node_id:
            break
        time.sleep(0.25)
    assert under == node_id
    hover(browser, x, y)
    return tooltip_text(browser)


def hover_edge(browser, edge_id: str) -> str:
    # a point on the drawn edge (curved or straight), as near half-way along it as there is one
    # with no other edge or node within a few pixels: the tooltip is for the topmost edge near
    # the pointer, so a point by a crossing shows another edge's
    for along in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        x, y = dom_point(
            browser, "return newsgraphView.network.body.edges[arguments[0]].edgeType.getPoint(arguments[1]);",
            edge_id, along)
        clear = browser.execute_script(
            "const n = newsgraphView.network; const [x, y, id] = arguments;"
            "for (const dx of [-6, 0, 6]) for (const dy of [-6, 0, 6]) {"
            "  const p = {x: x + dx, y: y + dy}; const edge = n.getEdgeAt(p);"
            "  if (n.getNodeAt(p) !== undefined || (edge !== undefined && edge !== id)) return false; }"
            "return n.getEdgeAt({x: x, y: y}) === id;", x, y, edge_id)
        if clear:
            hover(browser, x, y)
            return tooltip_text(browser)
    raise AssertionError(f"no point of edge {edge_id} is clear of the other edges and nodes")


def screenshot(browser, tmp_path: Path, name: str, docs: bool = False) -> Path:
    """Save a screenshot in the test's temp dir; with ``docs``, also as docs/img/<name>.png for
    the README when that is missing or NEWSGRAPH_UPDATE_SCREENSHOTS is set."""
    path = tmp_path / f"{name}.png"
    assert browser.save_screenshot(str(path)), f"could not save {path}"
    target = DOCS_IMG / f"{name}.png"
    if docs and (os.environ.get("NEWSGRAPH_UPDATE_SCREENSHOTS") or not target.exists()):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return path


# --- the network view over the sample corpus ------------------------------------------------------------


def test_view_holds_the_subgraph(browser, app_url, tmp_path):
    expected = get_json(f"{app_url}/subgraph?{query(KIRBY)}")
    open_view(browser, f"{app_url}/view?{query(KIRBY)}")
    assert console_errors(browser) == []
    shown = browser.execute_script(
        "const v = newsgraphView; return {nodes: v.nodes.getIds(), edges: v.edges.get().map(e => [e.id, e.from, e.to, e.label])};")
    assert sorted(shown["nodes"]) == sorted(node["id"] for node in expected["nodes"])
    assert sorted(map(tuple, shown["edges"])) == sorted(
        (edge["id"], edge["source"], edge["target"], edge["type"]) for edge in expected["edges"])
    # the analyst's question: what did Kirby say? His statements are in the view, as arrows from him.
    assert "person:john-kirby" in shown["nodes"]
    assert any(frm == "person:john-kirby" and label == "STATED" for _id, frm, _to, label in shown["edges"])
    assert browser.find_element(By.TAG_NAME, "h1").text == "Around John Kirby"
    legend = browser.find_element(By.ID, "type-legend").text
    assert "Person" in legend and "Claim" in legend
    screenshot(browser, tmp_path, "view")


def test_layout_stabilises_then_stops(browser, app_url):
    open_view(browser, f"{app_url}/view?{query(KIRBY)}")
    assert browser.execute_script("return newsgraphView.network.physics.physicsEnabled") is False
    before = browser.execute_script("return newsgraphView.network.getPositions()")
    time.sleep(0.6)
    assert browser.execute_script("return newsgraphView.network.getPositions()") == before
    assert browser.execute_script("return document.body.dataset.state") == "stable"
    # "Lay out again" runs the physics once more, then stops it again
    browser.find_element(By.ID, "relayout").click()
    wait_for(browser, "return document.body.dataset.state === 'stable' && !newsgraphView.network.physics.physicsEnabled")
    after = browser.execute_script("return newsgraphView.network.getPositions()")
    time.sleep(0.6)
    assert browser.execute_script("return newsgraphView.network.getPositions()") == after


def test_hover_and_select_a_node(browser, app_url):
    kirby = next(node for node in get_json(f"{app_url}/subgraph?{query(KIRBY)}")["nodes"] if node["id"] == "person:john-kirby")
    open_view(browser, f"{app_url}/view?{query(KIRBY)}")
    text = hover_node(browser, "person:john-kirby")
    assert text.splitlines()[0].startswith("John Kirby") and "Person" in text
    for alias in kirby["properties"].get("aliases", []):
        if alias != "John Kirby":
            assert alias in text
    ActionChains(browser).click().perform()
    details = browser.find_element(By.ID, "details")
    wait_for(browser, "return document.getElementById('details').innerText.includes('Centre the view')")
    assert "John Kirby" in details.text
    link = details.find_element(By.PARTIAL_LINK_TEXT, "Centre the view")
    params = urllib.parse.parse_qs(urllib.parse.urlparse(link.get_attribute("href")).query)
    assert params == {"center": ["person:john-kirby"], "depth": ["2"]}
    # the neighbourhood stays bright, the rest fades; nothing is hidden
    faded = browser.execute_script(
        "const v = newsgraphView; const near = new Set([...v.network.getConnectedNodes('person:john-kirby'), 'person:john-kirby']);"
        "return v.nodes.get().map(n => [n.id, !!n.faded, !!n.hidden, near.has(n.id)]);")
    assert all(is_faded != is_near and not hidden for _id, is_faded, hidden, is_near in faded)
    move_away(browser)


def test_hover_a_statement_shows_its_evidence_and_links_the_article(browser, app_url, tmp_path):
    subgraph = get_json(f"{app_url}/subgraph?{query(KIRBY)}")
    stated = next(e for e in subgraph["edges"] if e["type"] == "STATED" and e["source"] == "person:john-kirby")
    evidence = stated["evidence"][0]
    open_view(browser, f"{app_url}/view?{query(KIRBY)}")
    text = hover_edge(browser, stated["id"])
    assert "John Kirby →" in text and "STATED" in text
    assert " ".join(evidence["sentence"].split())[:60] in " ".join(text.split())
    assert evidence["outlet"] in text and evidence["published"] in text
    screenshot(browser, tmp_path, "view", docs=True)
    ActionChains(browser).click().perform()
    wait_for(browser, "return document.querySelector('#details a[href*=\"/articles/\"]')")
    href = browser.find_element(By.CSS_SELECTOR, '#details a[href*="/articles/"]').get_attribute("href")
    assert href == f"{app_url}/articles/{evidence['article_id']}"
    assert get_json(href)["id"] == evidence["article_id"]  # the link leads to the article
    move_away(browser)


def test_filters_fade_or_hide_without_moving_the_graph(browser, app_url):
    open_view(browser, f"{app_url}/view?{query({'center': 'North Korea', 'depth': '2'})}")
    total = browser.execute_script("return newsgraphView.nodes.length")
    positions = browser.execute_script("return newsgraphView.network.getPositions()")
    outlets = [o.get_attribute("value") for o in browser.find_elements(By.CSS_SELECTOR, "#outlet option") if o.get_attribute("value")]
    assert len(outlets) >= 2, "the sample corpus has several outlets"
    browser.execute_script("const s = document.getElementById('outlet'); s.value = arguments[0]; s.dispatchEvent(new Event('change'));", outlets[0])
    state = browser.execute_script(
        "const v = newsgraphView; return v.nodes.get().map(n => [!!n.faded, !!n.hidden, n.meta.facts.some(f => f.outlet === arguments[0])]);", outlets[0])
    assert not any(hidden for _f, hidden, _m in state), "fading keeps the graph whole"
    assert all(faded == (not matches) for faded, _h, matches in state)
    assert 0 < sum(1 for faded, _h, _m in state if not faded) < total
    assert "of %d nodes" % total in browser.find_element(By.ID, "filter-status").text
    # a date range before any article fades everything; "hide" then hides what is filtered out
    browser.execute_script("const d = document.getElementById('date-to'); d.value = '1990-01-01'; d.dispatchEvent(new Event('change'));")
    browser.find_element(By.ID, "hide-filtered").click()
    assert browser.execute_script("return newsgraphView.nodes.get().filter(n => !n.hidden).length") == 0
    browser.find_element(By.ID, "reset").click()
    browser.find_element(By.ID, "hide-filtered").click()
    assert browser.execute_script("return newsgraphView.nodes.get().filter(n => n.hidden || n.faded).length") == 0
    # type filter from the legend
    browser.find_element(By.CSS_SELECTOR, '#type-legend li[data-type="Claim"]').click()
    claims = browser.execute_script("return newsgraphView.nodes.get().filter(n => n.meta.type === 'Claim').map(n => !!n.faded)")
    assert claims and all(claims)
    assert browser.execute_script("return newsgraphView.network.getPositions()") == positions
    # find a node by name
    browser.find_element(By.ID, "reset").click()
    find = browser.find_element(By.ID, "find")
    find.send_keys("North Korea")
    browser.execute_script("document.getElementById('find').dispatchEvent(new Event('change'));")
    assert browser.execute_script("return newsgraphView.network.getSelectedNodes()") == ["state:north-korea"]


def test_unknown_center_is_a_clear_error(app_url):
    try:
        urllib.request.urlopen(f"{app_url}/view?center=no-such-entity-xyz", timeout=30)
    except urllib.error.HTTPError as error:
        assert error.code == 404
        body = json.load(error)
        assert "no-such-entity-xyz" in body["error"]["message"]
    else:
        raise AssertionError("GET /view with an unknown center answered 200")


# --- the landing page -------------------------------------------------------------------------------


def test_landing_search_and_who_said(browser, app_url, tmp_path):
    troops = get_json(f"{app_url}/claims?about=troops&limit=200")
    browser.get(f"{app_url}/")
    wait_for(browser, "return !document.getElementById('claims-status').textContent.includes('loading')")
    rows = browser.find_elements(By.CSS_SELECTOR, "#who-said tbody tr")
    assert [row.get_attribute("data-id") for row in rows] == [claim["id"] for claim in troops["items"]]
    for row, claim in zip(rows, troops["items"]):
        cells = row.find_elements(By.TAG_NAME, "td")
        assert cells[1].text.startswith(claim["speaker"]["name"])
        assert " ".join(claim["sentence"]["text"].split())[:50] in " ".join(cells[5].text.split())
    assert rows, "the sample corpus has troop numbers"
    # a claim's "network" link opens the view around its speaker and subjects
    network = rows[0].find_element(By.LINK_TEXT, "network").get_attribute("href")
    centers = urllib.parse.parse_qs(urllib.parse.urlparse(network).query)["center"]
    claim = troops["items"][0]
    assert centers[0] == (claim["speaker"]["id"] or centers[0])
    assert {about["id"] for about in claim["about"]} <= set(centers)
    with urllib.request.urlopen(network, timeout=60) as response:
        assert response.status == 200 and "text/html" in response.headers["content-type"]
    browser.find_element(By.ID, "q").send_keys("Kirby")
    browser.find_element(By.CSS_SELECTOR, "#search button").click()
    wait_for(browser, "return document.querySelector('#results li')")
    hits = get_json(f"{app_url}/entities?q=Kirby&limit=20")["items"]
    items = browser.find_elements(By.CSS_SELECTOR, "#results li")
    assert [item.get_attribute("data-id") for item in items] == [hit["id"] for hit in hits]
    assert hits[0]["id"] == "person:john-kirby"
    screenshot(browser, tmp_path, "landing", docs=True)
    items[0].find_element(By.TAG_NAME, "a").click()
    wait_for(browser, "return window.newsgraphView && window.newsgraphView.stabilised", timeout=60)
    assert urllib.parse.parse_qs(urllib.parse.urlparse(browser.current_url).query) == {
        "center": ["person:john-kirby"], "depth": ["2"]}
    assert "person:john-kirby" in browser.execute_script("return newsgraphView.nodes.getIds()")
    assert console_errors(browser) == []


# --- hostile text ------------------------------------------------------------------------------------------


def assert_inert(browser) -> None:
    assert browser.execute_script("return window.__xss") is None, "text from an article ran as script"
    assert browser.execute_script(
        "return document.querySelectorAll('#details img, #details script, #details b, .vis-tooltip img,"
        " .vis-tooltip script, #results img, #who-said img, #who-said script, #who-said b').length") == 0


def test_hostile_article_text_stays_text_in_the_view(browser, hostile_url):
    subgraph = get_json(f"{hostile_url}/subgraph?center=North%20Korean%20troops&depth=2")
    claims = [node for node in subgraph["nodes"] if node["type"] == "Claim"]
    hostile = [c for c in claims if "<script>" in c["label"] or "<img" in c["properties"].get("content", "")]
    assert hostile, f"no claim carried the hostile markup into the graph: {[c['label'] for c in claims]}"
    open_view(browser, f"{hostile_url}/view?center=North%20Korean%20troops&depth=2")
    assert_inert(browser)
    for claim in hostile:
        text = hover_node(browser, claim["id"])
        content = claim["properties"].get("content", "")
        assert " ".join(content.split())[:40] in " ".join(text.split()), "the quote shows as written"
        ActionChains(browser).click().perform()
        wait_for(browser, "return document.getElementById('details').innerText.includes('Centre the view')")
        assert_inert(browser)
        move_away(browser)
    # an edge whose evidence comes from the hostile article: its title and outlet show as text
    edges = {edge["id"]: edge for edge in subgraph["edges"] if edge["evidence"]}
    free = browser.execute_script(
        "const n = newsgraphView.network; return arguments[0].filter(id => { const p = n.canvasToDOM("
        "n.body.edges[id].edgeType.getPoint(0.5)); return n.getNodeAt(p) === undefined && n.getEdgeAt(p) === id; });",
        list(edges))
    assert free, "no edge with evidence can be hovered"
    text = hover_edge(browser, free[0])
    assert "Officials split over" in text and "<script>window.__xss='title'</script>" in text
    assert "Hostile</b> Wire" in text
    ActionChains(browser).click().perform()
    assert_inert(browser)
    move_away(browser)
    # the outlet filter lists the hostile outlet name as text
    options = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#outlet option")]
    assert "<b onmouseover=\"window.__xss='outlet'\">Hostile</b> Wire" in options
    assert_inert(browser)
    assert console_errors(browser) == []


def test_hostile_article_text_stays_text_on_the_landing_page(browser, hostile_url):
    browser.get(f"{hostile_url}/")
    wait_for(browser, "return !document.getElementById('claims-status').textContent.includes('loading')")
    browser.find_element(By.ID, "q").send_keys("Kim")
    browser.find_element(By.CSS_SELECTOR, "#search button").click()
    wait_for(browser, "return document.getElementById('search-status').textContent.includes('found')")
    assert_inert(browser)
    troops = get_json(f"{hostile_url}/claims?about=troops")["items"]
    assert troops, "the hostile article gives troop numbers"
    table = browser.find_element(By.ID, "who-said")
    for claim in troops:
        assert " ".join(claim["sentence"]["text"].split())[:40] in " ".join(table.text.split())
        assert claim["speaker"]["name"] in table.text
    assert_inert(browser)


def test_hand_made_hostile_graph_in_a_file(browser, tmp_path):
    """Every field the page shows, hostile, in a page opened from a file (as `newsgraph view` writes)."""
    page = tmp_path / "hostile.html"
    page.write_text(render_network(story_subgraph(), SCRIPT_TITLE), encoding="utf-8")
    open_view(browser, page.as_uri())
    assert_inert(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == SCRIPT_TITLE
    text = hover_node(browser, "person:hostile")
    assert SCRIPT_NAME in text
    ActionChains(browser).click().perform()
    assert_inert(browser)
    move_away(browser)
    text = hover_node(browser, "claim:hostile")
    assert IMG_QUOTE in text
    ActionChains(browser).click().perform()
    assert_inert(browser)
    move_away(browser)
    text = hover_edge(browser, "e-hostile")
    assert SCRIPT_TITLE in text
    assert_inert(browser)
    assert console_errors(browser) == []
