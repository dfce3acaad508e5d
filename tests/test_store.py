"""The graph store: the embedded server's life (start, reuse, stale state, stop, kill -9, port
taken), persistence, the driver path (schema, plain values, transactions, full-text), and the
errors a user sees (bad URI, wrong password).

Set NEWSGRAPH_TEST_NEO4J_URI (and _USER, _PASSWORD, optionally _DATABASE) to run the
server-independent tests against a real Neo4j 5 as well; use a throwaway database: the schema
is applied there and test nodes (ids 'ngtest:...') are written and deleted.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest

from graph import embedded, queries
from graph.errors import ConfigError, QueryNotFound, StoreAuthError, StoreError, StoreUnavailable
from graph.settings import Settings
from graph.store import GraphStore, needs_autocommit, plain, writes
from tests.fixtures.store import embedded_settings

ROOT = Path(__file__).resolve().parents[1]
TEST_QUERIES = {q.name: q.text for q in queries.parse((Path(__file__).parent / "data" / "store_queries.cypher").read_text())}


def run_test_query(tx: neo4j.ManagedTransaction, name: str, /, **params) -> list[dict]:
    return [plain(dict(record.items())) for record in tx.run(TEST_QUERIES[name], params)]


def cli(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """``newsgraph ARGS`` in a child process with only the given NEO4J_*/NEWSGRAPH_HOME."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "NEWSGRAPH_HOME"}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=timeout
    )


def server_pids(home: Path) -> list[int]:
    """Live embedded-server processes of ``home``, found from /proc, not from our state file."""
    return [int(entry.name) for entry in Path("/proc").iterdir() if entry.name.isdigit() and embedded.pid_is_server(int(entry.name), home.resolve())]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def home(tmp_path) -> Path:
    home = tmp_path / "home"
    yield home
    embedded.stop(home)
    for pid in server_pids(home):  # anything a failed test left behind
        os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------
# The embedded server's life


def test_concurrent_starts_share_one_server_which_stops_cleanly(home):
    env = {"NEWSGRAPH_HOME": str(home)}
    starters = [
        subprocess.Popen(
            [sys.executable, "-m", "api.cli", "store", "start"], cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [starter.communicate(timeout=120)[0] for starter in starters]
    assert [starter.returncode for starter in starters] == [0, 0], outputs
    state = embedded.read_state(home)
    assert state is not None
    assert all(f"pid {state.pid}," in output for output in outputs), outputs
    assert server_pids(home) == [state.pid]

    store = GraphStore.open(embedded_settings(home))  # a third process reuses it too
    assert store.server.pid == state.pid
    assert store.uri == f"bolt://127.0.0.1:{state.bolt_port}"
    assert server_pids(home) == [state.pid]

    status = cli("store", "status", "--json", env=env)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["pid"] == state.pid

    stopped = cli("store", "stop", env=env)
    assert stopped.returncode == 0, stopped.stderr
    assert f"was pid {state.pid}" in stopped.stdout
    assert not (home / embedded.STATE_FILE).exists()
    assert server_pids(home) == []
    assert "server stopped" in (home / embedded.LOG_FILE).read_text()  # SIGTERM ran the clean stop
    with pytest.raises(StoreUnavailable, match="was stopped"):  # stopped on purpose: no restart
        store.query("store_ping")
    store.close()
    assert server_pids(home) == []

    not_running = cli("store", "status", env=env)
    assert not_running.returncode == 3
    assert "not running" in not_running.stdout


def test_a_stale_state_file_is_replaced_and_its_pid_left_alone(home):
    """The state names a live process that is not our server (this test runner) and a port that
    does not answer: a new server starts, and the named process is not killed."""
    home.mkdir()
    stale = embedded.ServerState(
        pid=os.getpid(), bolt_port=free_port(), http_port=free_port(), https_port=free_port(),
        database="newsgraph", version="0", started_at=0.0,
    )
    (home / embedded.STATE_FILE).write_text(json.dumps(dataclasses.asdict(stale)))
    with GraphStore.open(embedded_settings(home)) as store:
        assert store.server.pid != os.getpid()
        assert store.query("store_ping") == [{"ok": 1}]
    assert embedded.read_state(home).pid == store.server.pid

    # A server whose home is deleted under it does not live on as an orphan.
    shutil.rmtree(home)
    assert embedded._wait_for_exit(store.server.pid, 20)


def test_committed_data_survives_restart_port_taken_and_kill_9(home):
    settings = embedded_settings(home)
    env = {"NEWSGRAPH_HOME": str(home)}
    with GraphStore.open(settings) as store:
        store.apply_schema()
        store.write(lambda tx: run_test_query(tx, "put_person", id="ngtest:kirby", name="John Kirby", search_text="john kirby", first_seen="2024-10-18"))
        first = store.server
    embedded.stop(home)

    # The last run's port is taken by someone else: the server moves to another one.
    with socket.socket() as squatter:
        # the stopped server's connections may still sit in TIME_WAIT on that port
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", first.bolt_port))
        squatter.listen()
        with GraphStore.open(settings) as store:
            second = store.server
            assert second.bolt_port != first.bolt_port
            assert store.read(lambda tx: run_test_query(tx, "count_test_entities")) == [{"n": 1}]
            store.write(lambda tx: run_test_query(tx, "put_state", id="ngtest:dprk", name="North Korea", search_text="north korea"))

            os.kill(second.pid, signal.SIGKILL)
            assert embedded._wait_for_exit(second.pid, 10)
            status = cli("store", "status", env=env)
            assert status.returncode == 3 and "not running" in status.stdout  # noticed, not restarted
            restarted = cli("store", "start", env=env)  # the next command restarts it on the same data
            assert restarted.returncode == 0, restarted.stderr
            third = embedded.read_state(home)
            assert third.pid not in (first.pid, second.pid)
            assert third.bolt_port == second.bolt_port  # the last run's ports again: a stable URI

            # The store opened before the kill notices on its next call and carries on.
            assert store.read(lambda tx: run_test_query(tx, "count_test_entities")) == [{"n": 2}]
            assert store.server.pid == third.pid

    # kill -9 again, and this time the next GraphStore.open restarts it.
    os.kill(third.pid, signal.SIGKILL)
    assert embedded._wait_for_exit(third.pid, 10)
    with GraphStore.open(settings) as store:
        assert store.server.pid != third.pid
        assert store.read(lambda tx: run_test_query(tx, "count_test_entities")) == [{"n": 2}]
        row = store.read(lambda tx: run_test_query(tx, "entity_with_labels", id="ngtest:kirby"))[0]
        assert row["first_seen"] == dt.date(2024, 10, 18)
        # the schema came through too: the unique constraint still refuses a duplicate
        with pytest.raises(StoreError, match="(?i)duplicate|already exists|constraint"):
            store.write(lambda tx: run_test_query(tx, "create_entity", id="ngtest:kirby", name="again"))
        assert store.fulltext("entity_search", "kirby", 5)[0]["id"] == "ngtest:kirby"


def test_the_root_password_is_generated_private_and_stable(tmp_path):
    first = embedded.root_password(tmp_path / "a")
    second = embedded.root_password(tmp_path / "b")
    assert first != second and len(first) >= 24
    assert embedded.root_password(tmp_path / "a") == first
    path = tmp_path / "a" / embedded.PASSWORD_FILE
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_session_server_uses_the_generated_password(store, store_settings):
    password_file = store_settings.home / embedded.PASSWORD_FILE
    assert password_file.stat().st_mode & 0o777 == 0o600
    # The server accepts the generated password and nothing guessable.
    for guess in ("root", "password", "playwithdata", "neo4j"):
        with pytest.raises(StoreAuthError):
            GraphStore.open(Settings.from_env({"NEO4J_URI": store.uri, "NEO4J_USER": "root", "NEO4J_PASSWORD": guess, "NEO4J_DATABASE": "newsgraph"}))


# ---------------------------------------------------------------------------------------------
# Errors a user sees


@pytest.mark.parametrize("uri", ["bolt://127.0.0.1:{port}", "neo4j://nowhere.invalid:7687"])
def test_a_uri_with_nothing_behind_it_fails_clearly_within_10_s(uri, tmp_path):
    uri = uri.format(port=free_port())
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as raised:
        GraphStore.open(Settings.from_env({"NEO4J_URI": uri, "NEO4J_PASSWORD": "x"}))
    assert time.monotonic() - started < 10
    assert uri in raised.value.message and "\n" not in raised.value.message

    started = time.monotonic()
    done = cli("store", "status", env={"NEO4J_URI": uri, "NEO4J_PASSWORD": "x", "NEWSGRAPH_HOME": str(tmp_path)})
    assert time.monotonic() - started < 10
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "NG100" in done.stderr and uri in done.stderr


def test_a_home_that_is_a_file_or_a_server_that_cannot_start_fails_clearly(tmp_path):
    not_a_directory = tmp_path / "home-file"
    not_a_directory.write_text("x")
    done = cli("store", "start", env={"NEWSGRAPH_HOME": str(not_a_directory)})
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "NG001" in done.stderr and str(not_a_directory) in done.stderr

    home = tmp_path / "home"  # the JVM refuses its options: the start fails, and says where to look
    done = cli("store", "start", env={"NEWSGRAPH_HOME": str(home), embedded.HEAP_ENV: "not-a-size"})
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "failed to start" in done.stderr and str(home / embedded.LOG_FILE) in done.stderr
    assert embedded.read_state(home) is None and server_pids(home) == []


def test_a_uri_that_is_not_bolt_is_refused():
    with pytest.raises(ConfigError, match="http://localhost:7474"):
        GraphStore.open(Settings.from_env({"NEO4J_URI": "http://localhost:7474"}))


@pytest.mark.parametrize(
    ("statement", "is_write", "is_batched"),
    [
        ("MATCH (e:Entity {id: $id}) RETURN e", False, False),
        ("MATCH (e:Entity) WHERE e.name = 'Set Delete Merge' RETURN e // create nothing", False, False),
        ("MATCH (e:Entity) RETURN e.`set` AS x", False, False),
        ("MATCH (e:Entity) WHERE e.delete = $merge RETURN e.set AS x", False, False),
        ("SHOW INDEXES YIELD name RETURN name", False, False),
        ("MERGE (e:Entity {id: $id})", True, False),
        ("MATCH (e) detach delete e", True, False),
        ("MATCH (e:Entity) SET e.seen = true", True, False),
        ("MATCH (e) REMOVE e:Person", True, False),
        ("UNWIND $rows AS row CALL (row) { CREATE (:Article {id: row.id}) } IN TRANSACTIONS OF 100 ROWS", True, True),
        ("UNWIND $rows AS row CALL { WITH row MERGE (:Article {id: row.id}) } in 2 concurrent transactions", True, True),
        ("RETURN 'IN TRANSACTIONS' AS text", False, False),
    ],
)
def test_write_and_batched_statements_are_recognised(statement, is_write, is_batched):
    assert writes(statement) is is_write
    assert needs_autocommit(statement) is is_batched


def test_an_unknown_query_name_is_an_error(store):
    with pytest.raises(QueryNotFound, match="no_such_query"):
        store.query("no_such_query")


# ---------------------------------------------------------------------------------------------
# The driver path, on the embedded store and (optionally) a real Neo4j


def neo4j_test_settings() -> Settings | None:
    uri = os.environ.get("NEWSGRAPH_TEST_NEO4J_URI")
    if not uri:
        return None
    return Settings.from_env(
        {
            "NEO4J_URI": uri,
            "NEO4J_USER": os.environ.get("NEWSGRAPH_TEST_NEO4J_USER", "neo4j"),
            "NEO4J_PASSWORD": os.environ.get("NEWSGRAPH_TEST_NEO4J_PASSWORD", ""),
            "NEO4J_DATABASE": os.environ.get("NEWSGRAPH_TEST_NEO4J_DATABASE", "neo4j"),
        }
    )


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def server_store(request, store_factory):
    """A store with the schema applied: the embedded server, or a real Neo4j when configured."""
    if request.param == "embedded":
        yield store_factory("store_tests")
        return
    settings = neo4j_test_settings()
    if settings is None:
        pytest.skip("set NEWSGRAPH_TEST_NEO4J_URI (and _USER, _PASSWORD) to run against a real Neo4j")
    with GraphStore.open(settings) as opened:
        opened.apply_schema()
        yield opened
        opened.write(lambda tx: run_test_query(tx, "delete_test_data"))


@pytest.fixture
def any_store(server_store) -> GraphStore:
    server_store.write(lambda tx: run_test_query(tx, "delete_test_data"))
    return server_store


def test_info_names_the_server_and_its_dialect(any_store):
    info = any_store.info()
    assert info["uri"] == any_store.uri and info["database"] == any_store.database
    if info["embedded"]:
        assert info["dialect"] == "arcadedb" and "ArcadeDB" in info["agent"]
        assert info["server_version"][:2].isdigit()
    else:
        assert info["dialect"] == "neo4j" and info["agent"].startswith("Neo4j/")


def test_the_schema_is_idempotent(any_store):
    before = (any_store.query("store_show_indexes"), any_store.query("store_show_constraints"))
    any_store.apply_schema()
    after = (any_store.query("store_show_indexes"), any_store.query("store_show_constraints"))
    assert after == before
    indexes = {row["name"]: row for row in after[0]}
    constraints = {row["name"] for row in after[1]}
    assert {"entity_id", "article_id", "sentence_id", "claim_id", "quantity_id"} <= constraints
    assert {"entity_name", "entity_name_key", "entity_type", "claim_kind", "article_url", "article_published"} <= set(indexes)
    assert indexes["entity_search"]["type"] == "FULLTEXT"
    assert indexes["entity_search"]["labelsOrTypes"] == ["Entity"] and indexes["entity_search"]["properties"] == ["search_text"]


def test_rows_are_plain_python(any_store):
    row = any_store.read(lambda tx: run_test_query(tx, "temporal_values", day="2024-10-18", moment="2024-10-18T09:30:00Z"))[0]
    assert row["day"] == dt.date(2024, 10, 18) and type(row["day"]) is dt.date
    assert row["moment"] == dt.datetime(2024, 10, 18, 9, 30, tzinfo=dt.timezone.utc)
    assert row["duration"] == dt.timedelta(days=2, hours=3)
    assert row["days"] == [dt.date(2024, 10, 18)] and row["nested"] == {"day": dt.date(2024, 10, 18)}

    any_store.write(lambda tx: run_test_query(tx, "put_person", id="ngtest:kirby", name="John Kirby", search_text="john kirby", first_seen="2024-10-18"))
    any_store.write(lambda tx: run_test_query(tx, "put_state", id="ngtest:us", name="United States", search_text="united states"))
    any_store.write(lambda tx: run_test_query(tx, "link_allies", a="ngtest:kirby", b="ngtest:us", id="ngtest:rel"))
    entity = any_store.read(lambda tx: run_test_query(tx, "entity_with_labels", id="ngtest:kirby"))[0]
    assert entity["e"] == {"id": "ngtest:kirby", "name": "John Kirby", "type": "Person", "search_text": "john kirby", "first_seen": dt.date(2024, 10, 18)}
    assert sorted(entity["labels"]) == ["Entity", "Person"]
    path = any_store.read(lambda tx: run_test_query(tx, "path_between", a="ngtest:kirby", b="ngtest:us"))[0]
    assert [node["id"] for node in path["p"]["nodes"]] == ["ngtest:kirby", "ngtest:us"]
    assert path["p"]["relationships"] == [{"id": "ngtest:rel", "confidence": 0.9}] == [path["rel"]]


def test_a_failed_write_leaves_nothing_behind(any_store):
    def write_then_fail(tx):
        run_test_query(tx, "put_person", id="ngtest:kirby", name="John Kirby", search_text="john kirby", first_seen="2024-10-18")
        raise RuntimeError("half-way")

    with pytest.raises(RuntimeError, match="half-way"):
        any_store.write(write_then_fail)

    def write_then_violate(tx):
        run_test_query(tx, "put_state", id="ngtest:dprk", name="North Korea", search_text="north korea")
        run_test_query(tx, "create_entity", id="ngtest:dprk", name="duplicate")

    with pytest.raises(StoreError) as raised:
        any_store.write(write_then_violate)
    assert any_store.uri in raised.value.message
    assert any_store.read(lambda tx: run_test_query(tx, "count_test_entities")) == [{"n": 0}]


def test_query_refuses_statements_that_write(any_store):
    any_store.write(lambda tx: run_test_query(tx, "put_state", id="ngtest:dprk", name="North Korea", search_text="north korea"))
    with pytest.raises(StoreError, match="store_delete_all.*execute"):
        any_store.query("store_delete_all")
    assert any_store.read(lambda tx: run_test_query(tx, "count_test_entities")) == [{"n": 1}]


def test_fulltext_finds_words_prefixes_and_folded_accents(any_store):
    any_store.write(lambda tx: run_test_query(tx, "put_person", id="ngtest:kirby", name="John Kirby", search_text="john kirby", first_seen="2024-10-18"))
    any_store.write(lambda tx: run_test_query(tx, "put_state", id="ngtest:dprk", name="North Korea", search_text="north korea dprk"))
    any_store.write(lambda tx: run_test_query(tx, "put_person", id="ngtest:zelensky", name="Volodymyr Zelensky", search_text="volodymyr zelensky", first_seen="2024-10-18"))

    def ids(text: str, limit: int = 10) -> list[str]:
        return [row["id"] for row in any_store.fulltext("entity_search", text, limit)]

    assert ids("Kirby") == ["ngtest:kirby"]
    assert ids("kir") == ["ngtest:kirby"]  # a partly typed name
    assert ids("Zelénsky") == ["ngtest:zelensky"]  # accents folded like search_text
    assert ids("north korea")[0] == "ngtest:dprk"
    assert ids('kirby" OR (x:') == ["ngtest:kirby"]  # Lucene syntax in user text is inert
    assert ids("?!") == [] and ids("nobody") == []
    assert len(ids("john volodymyr", limit=1)) == 1
    hit = any_store.fulltext("entity_search", "kirby", 1)[0]
    assert hit["name"] == "John Kirby" and sorted(hit["labels"]) == ["Entity", "Person"] and hit["score"] > 0


def test_counts_per_label_and_type(any_store):
    any_store.write(lambda tx: run_test_query(tx, "put_person", id="ngtest:kirby", name="John Kirby", search_text="john kirby", first_seen="2024-10-18"))
    any_store.write(lambda tx: run_test_query(tx, "put_state", id="ngtest:us", name="United States", search_text="united states"))
    any_store.write(lambda tx: run_test_query(tx, "link_allies", a="ngtest:kirby", b="ngtest:us", id="ngtest:rel"))
    counts = any_store.counts()
    if any_store.info()["embedded"]:  # a database of its own: exact counts
        assert counts == {"nodes": {"Entity": 2, "Person": 1, "State": 1}, "relationships": {"ALLIED_WITH": 1}}
    else:
        assert counts["nodes"]["Person"] >= 1 and counts["relationships"]["ALLIED_WITH"] >= 1


def test_a_wrong_password_fails_clearly(any_store, tmp_path):
    settings = any_store.settings
    wrong = {"NEO4J_URI": any_store.uri, "NEO4J_USER": "root" if settings.embedded else settings.neo4j_user, "NEO4J_PASSWORD": "not-the-password", "NEO4J_DATABASE": any_store.database}
    with pytest.raises(StoreAuthError) as raised:
        GraphStore.open(Settings.from_env(wrong))
    assert any_store.uri in raised.value.message
    done = cli("store", "status", env={**wrong, "NEWSGRAPH_HOME": str(tmp_path)})
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "NG101" in done.stderr and any_store.uri in done.stderr


# ---------------------------------------------------------------------------------------------
# newsgraph store status / init on the session store


def test_store_status_reports_where_what_and_how_much(store, store_settings):
    env = {"NEWSGRAPH_HOME": str(store_settings.home)}
    done = cli("store", "status", "--json", env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["running"] is True and report["embedded"] is True
    assert report["uri"] == store.uri and report["pid"] == store.server.pid
    assert report["home"] == str(store_settings.home) and report["database"] == "newsgraph"
    assert report["dialect"] == "arcadedb" and report["server_version"] == store.info()["server_version"]
    counts = store.counts()
    assert report["nodes"] == counts["nodes"] and report["relationships"] == counts["relationships"]

    text = cli("store", "status", env=env)
    assert text.returncode == 0
    for expected in ("running", store.uri, str(store_settings.home), f"pid:      {store.server.pid}", "ArcadeDB"):
        assert expected in text.stdout


def test_store_init_applies_the_schema_again(store, store_settings):
    before = store.query("store_show_indexes")
    done = cli("store", "init", env={"NEWSGRAPH_HOME": str(store_settings.home)})
    assert done.returncode == 0, done.stderr
    assert f"{len(before)} indexes" in done.stdout
    assert store.query("store_show_indexes") == before


def test_clean_store_is_an_empty_database_of_its_own(clean_store, store):
    assert clean_store.database != store.database
    assert clean_store.counts() == {"nodes": {}, "relationships": {}}
    clean_store.write(lambda tx: run_test_query(tx, "put_state", id="ngtest:dprk", name="North Korea", search_text="north korea"))
    assert clean_store.counts()["nodes"] == {"Entity": 1, "State": 1}
    assert store.read(lambda tx: run_test_query(tx, "count_test_entities")) == [{"n": 0}]
    assert {row["name"] for row in clean_store.query("store_show_indexes")} == {row["name"] for row in store.query("store_show_indexes")}
