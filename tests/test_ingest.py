"""ingest/ingest_cli.py end to end: real readers, the real spaCy pipeline, the embedded store.

Covers idempotent re-ingest of the sample corpus, SAME_STORY on its near-duplicate pair, new
versions by URL, cross-article entity resolution through NLP, the CLI's exit codes on good and
bad inputs and stdin, and the crash/resume check (kill -9 in the middle of an ingest, run the
same command again: the graph equals that of one clean run)."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.store import GraphStore
from ingest.ingest_cli import EXIT_NOTHING_DONE, EXIT_OK, EXIT_SOME_SKIPPED, ingest_paths
from ingest.sample_corpus import SAMPLE_DIR, load_sample_articles

BBC_DIR = Path("/work/shared/data/bbc_news")


def snapshot(store: GraphStore) -> dict:
    """Counts, and the ids of everything with an id, plus the links that depend on order."""
    def ids(query: str) -> list:
        return sorted(tuple(r.values()) if len(r) > 1 else next(iter(r.values())) for r in store.read(lambda tx: [rec.data() for rec in tx.run(query)]))

    return {
        "counts": store.counts(),
        "articles": ids("MATCH (a:Article) RETURN a.id AS id"),
        "entities": ids("MATCH (e:Entity) RETURN e.id AS id, e.mention_count AS mentions, e.aliases AS aliases"),
        "claims": ids("MATCH (c:Claim) RETURN c.id AS id, c.duplicate_of AS duplicate_of, c.speaker_entity_id AS speaker"),
        "relations": ids("MATCH ()-[r]->() WHERE r.id IS NOT NULL RETURN r.id AS id, type(r) AS type"),
        "sentences": ids("MATCH (s:Sentence) RETURN s.id AS id"),
        "links": ids("MATCH (a)-[r:SAME_STORY|NEW_VERSION_OF|CONFLICTS_WITH|CORROBORATES|DENIES]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b"),
    }


# --- the sample corpus ------------------------------------------------------------------------


def test_sample_corpus_ingests_once_and_again_changes_nothing(ingested_store, ingested_summary, nlp):
    samples = load_sample_articles()
    assert ingested_summary.read == len(samples)
    assert ingested_summary.new == len(samples) and ingested_summary.unchanged == 0
    assert ingested_summary.entities > 0 and ingested_summary.claims > 0
    assert ingested_summary.exit_code == EXIT_OK
    before = snapshot(ingested_store)
    assert before["articles"] == sorted(a.id for a in samples)

    again = ingest_paths(ingested_store, [SAMPLE_DIR], nlp=nlp, progress=False)

    assert (again.read, again.new, again.unchanged, again.skipped) == (len(samples), 0, len(samples), [])
    assert snapshot(ingested_store) == before


def test_near_duplicate_samples_are_one_story_and_their_claims_count_once(ingested_store):
    by_outlet = {
        row["outlet"]: row["id"]
        for row in ingested_store.read(lambda tx: tx.run("MATCH (a:Article) RETURN a.id AS id, a.outlet AS outlet").data())
    }
    first, copy = by_outlet["Harbor Post"], by_outlet["Seaboard Chronicle"]
    links = ingested_store.read(lambda tx: tx.run(
        "MATCH (a:Article)-[r:SAME_STORY]->(b:Article) RETURN a.id AS a, b.id AS b, r.similarity AS s").data())
    assert [(l["a"], l["b"]) for l in links] == [(copy, first)]
    assert 0.5 <= links[0]["s"] < 1.0

    claims = ingested_store.read(lambda tx: tx.run(
        "MATCH (c:Claim) WHERE c.article_id IN [$a, $b] RETURN c {.*} AS c", a=first, b=copy).data())
    by_id = {row["c"]["id"]: row["c"] for row in claims}
    duplicates = [c for c in by_id.values() if c.get("duplicate_of")]
    assert duplicates, "the copied wire story repeats claims of the first one"
    for claim in duplicates:
        original = by_id[claim["duplicate_of"]]
        assert claim["article_id"] == copy and original["article_id"] == first
        assert (claim["speaker_key"], claim["numbers_key"]) == (original["speaker_key"], original["numbers_key"])
    assert not any(c.get("duplicate_of") for c in by_id.values() if c["article_id"] == first)


# --- generated articles -----------------------------------------------------------------------

PEOPLE = [
    ("Margaret Holloway", "the foreign secretary"), ("Daniel Okafor", "the defence minister"),
    ("Elena Marchetti", "the interior minister"), ("Tomasz Wrobel", "the army chief of staff"),
    ("Aiko Tanaka", "the trade minister"), ("Samuel Mensah", "the opposition leader"),
    ("Ingrid Lund", "the health secretary"), ("Rafael Ortega", "the finance minister"),
]
PLACES = ["Manchester", "Lisbon", "Warsaw", "Nairobi", "Osaka", "Lyon", "Gdansk", "Valencia", "Leeds", "Turin"]
TOPICS = [
    ("a new border agreement", "the talks", "delegations"),
    ("plans to expand the regional rail network", "the project", "engineers"),
    ("a rise in hospital waiting times", "the figures", "nurses"),
    ("a disputed fishing quota", "the negotiations", "boats"),
    ("a joint military exercise", "the exercise", "soldiers"),
    ("a cut in fuel duty", "the measure", "hauliers"),
]


def generated_article(n: int) -> str:
    """A plausible news article, different for every ``n``: people, places, numbers, wording."""
    rng = random.Random(n)
    (name, role), (other, other_role) = rng.sample(PEOPLE, 2)
    place, second_place = rng.sample(PLACES, 2)
    topic, subject, counted = rng.choice(TOPICS)
    number = rng.choice([120, 450, 800, 1200, 2500, 3000, 6400]) + 10 * n
    surname = name.split()[-1]
    day = rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
    paragraphs = [
        f"{name}, {role}, has defended {topic} after a week of criticism from business groups and unions.",
        f"Speaking in {place} on {day}, {name} said about {number:,} {counted} would be affected in the first year, "
        f"and that {subject} had been discussed with partners for months.",
        f"{other}, {other_role}, said the government had failed to explain the costs. \"People in {second_place} "
        f"deserve a straight answer,\" {other.split()[-1]} told reporters.",
        f"{surname} later said more details would be published before the end of the month. Officials expect "
        f"at least {number // 2:,} {counted} to take part in a first phase starting in {second_place}.",
        rng.choice([
            "Analysts said the move was unlikely to change the outcome of next year's election.",
            "The announcement comes amid growing pressure on ministers over public spending.",
            "Critics argue the timetable is unrealistic and the budget too small.",
        ]),
    ]
    title = f"{surname} defends {topic}"
    return f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, generated: int, bbc: int = 0) -> int:
    """The sample corpus, ``generated`` generated articles and, when the shared BBC data is
    there, ``bbc`` of its articles (read at test time, never copied into the repo)."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for sample in sorted(SAMPLE_DIR.iterdir()):
        (folder / sample.name).write_bytes(sample.read_bytes())
        count += 1
    for n in range(generated):
        (folder / f"generated-{n:03d}.txt").write_text(generated_article(n), encoding="utf-8")
        count += 1
    if bbc and BBC_DIR.is_dir():
        for path in sorted((BBC_DIR / "politics").glob("*.txt"))[:bbc]:
            (folder / f"bbc-politics-{path.name}").write_bytes(path.read_bytes())
            count += 1
    return count


def test_surname_in_a_later_article_is_the_same_person(store_factory, nlp, tmp_path):
    store = store_factory("ingest_people")
    folder = tmp_path / "people"
    folder.mkdir()
    (folder / "1.txt").write_text(
        "Kirby says troops moved\n\nJohn Kirby, the White House national security spokesman, said on Wednesday that "
        "at least 3,000 North Korean soldiers had moved to eastern Russia.\n", encoding="utf-8")
    (folder / "2.txt").write_text(
        "Pentagon update\n\nKirby told reporters on Thursday that the United States was still assessing "
        "what the soldiers would do. He gave no new figure.\n", encoding="utf-8")
    (folder / "3.txt").write_text(
        "Farm prices\n\nJane Kirby, a dairy farmer in Vermont, said on Friday that milk prices had fallen "
        "for the third month in a row.\n", encoding="utf-8")

    summary = ingest_paths(store, [folder], nlp=nlp, progress=False, published="2024-10-24")

    assert summary.new == 3 and summary.exit_code == EXIT_OK
    people = store.read(lambda tx: tx.run(
        "MATCH (p:Person) WHERE p.surname_key = 'kirby' RETURN p.id AS id, p.mention_count AS n, p.aliases AS aliases").data())
    by_id = {p["id"]: p for p in people}
    assert set(by_id) == {"person:john-kirby", "person:jane-kirby"}
    assert by_id["person:john-kirby"]["n"] >= 2 and "Kirby" in by_id["person:john-kirby"]["aliases"]
    articles = store.read(lambda tx: tx.run(
        "MATCH (:Person {id: 'person:john-kirby'})-[:MENTIONED_IN]->(a:Article) RETURN count(a) AS n").single()["n"])
    assert articles == 2


def test_new_text_at_a_known_url_is_a_new_version(store_factory, nlp, tmp_path):
    store = store_factory("ingest_versions")
    url = "https://news.example/2024/10/25/harbour-strike"
    first = {"title": "Harbour strike", "url": url, "published": "2024-10-25", "outlet": "News Example",
             "text": "Dock workers in Rotterdam began a 48-hour strike on Friday over pay, the union said."}
    update = {**first, "text": first["text"] + " The port authority said 30 ships were delayed."}
    (tmp_path / "v1.json").write_text(json.dumps(first), encoding="utf-8")
    (tmp_path / "v2.json").write_text(json.dumps(update), encoding="utf-8")

    one = ingest_paths(store, [tmp_path / "v1.json"], nlp=nlp, progress=False)
    two = ingest_paths(store, [tmp_path / "v2.json"], nlp=nlp, progress=False)
    again = ingest_paths(store, [tmp_path / "v1.json", tmp_path / "v2.json"], nlp=nlp, progress=False)

    assert (one.new, two.new, two.new_versions, again.unchanged) == (1, 1, 1, 2)
    rows = store.read(lambda tx: tx.run(
        "MATCH (new:Article)-[:NEW_VERSION_OF]->(old:Article) RETURN new.id AS new, old.id AS old, new.url AS url").data())
    assert rows == [{"new": two.article_ids[0], "old": one.article_ids[0], "url": url}]


# --- the command line -------------------------------------------------------------------------


def run_cli(store_settings: Settings, database: str, *args: str, stdin: bytes | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "ingest", *args],
        input=stdin, capture_output=True, timeout=timeout, env=cli_env(store_settings, database),
    )


def cli_env(store_settings: Settings, database: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(NEWSGRAPH_HOME=str(store_settings.home), NEO4J_DATABASE=database)
    return env


def test_cli_exit_codes_on_good_and_bad_inputs(store_settings, store_factory, tmp_path):
    store = store_factory("cli_mixed")
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "good.txt").write_text(generated_article(101), encoding="utf-8")
    (mixed / "empty.txt").write_bytes(b"")
    (mixed / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (mixed / "notes.docx").write_bytes(b"PK\x03\x04 not an article")
    (mixed / "feed.jsonl").write_text(
        json.dumps({"title": "Line one", "text": generated_article(102)}) + "\n{not json\n", encoding="utf-8")

    mixed_run = run_cli(store_settings, "cli_mixed", str(mixed))
    out = mixed_run.stdout.decode()

    assert mixed_run.returncode == EXIT_SOME_SKIPPED, mixed_run.stderr.decode()
    assert "articles read: 2" in out and "new: 2" in out
    for name in ("empty.txt", "binary.txt", "notes.docx", "feed.jsonl:2"):
        assert name in out, f"{name} is not named in the summary:\n{out}"
    assert len(_ids_in(store)) == 2

    good_only = tmp_path / "good"
    good_only.mkdir()
    (good_only / "good.txt").write_text(generated_article(101), encoding="utf-8")
    again = run_cli(store_settings, "cli_mixed", str(good_only))
    assert again.returncode == EXIT_OK and "unchanged (already stored): 1" in again.stdout.decode()

    nothing = run_cli(store_settings, "cli_mixed", str(mixed / "empty.txt"), str(tmp_path / "missing.txt"))
    assert nothing.returncode == EXIT_NOTHING_DONE
    assert "missing.txt" in nothing.stdout.decode()

    bad_date = run_cli(store_settings, "cli_mixed", str(good_only), "--published", "yesterday-ish")
    assert bad_date.returncode == 1 and "yesterday-ish" in bad_date.stderr.decode()


def _ids_in(store: GraphStore) -> list[str]:
    return [row["id"] for row in store.read(lambda tx: tx.run("MATCH (a:Article) RETURN a.id AS id").data())]


def test_cli_reads_stdin_with_overrides(store_settings, store_factory):
    store = store_factory("cli_stdin")
    text = generated_article(7).encode("utf-8")

    result = run_cli(store_settings, "cli_stdin", "-", "--published", "2024-10-30", "--source", "Stdin Gazette", stdin=text)

    assert result.returncode == EXIT_OK, result.stderr.decode()
    rows = store.read(lambda tx: tx.run("MATCH (a:Article) RETURN a.published AS published, a.outlet AS outlet, a.title AS title").data())
    assert len(rows) == 1
    assert rows[0]["published"].to_native().isoformat() == "2024-10-30" and rows[0]["outlet"] == "Stdin Gazette"
    assert rows[0]["title"] == text.decode().splitlines()[0]


# --- crash and resume -------------------------------------------------------------------------


def test_kill_9_mid_ingest_then_the_same_command_gives_the_clean_graph(store_settings, store_factory, tmp_path):
    corpus = tmp_path / "corpus"
    total = write_corpus(corpus, generated=36, bbc=24)
    assert total >= 45
    crashed, clean = store_factory("crash_resumed"), store_factory("crash_clean")
    # Small write batches so that many transactions commit before the kill.
    command = [str(corpus), "--batch-size", "4", "--quiet"]

    # Its own process group: the kill takes the command and its NLP worker processes at once,
    # as a crash of the machine or an OOM kill of the group would.
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "ingest", *command],
        env=cli_env(store_settings, "crash_resumed"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 600
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        stored = len(_ids_in(crashed))
        if stored >= 12:
            break
        time.sleep(0.2)
    assert process.poll() is None, f"the ingest ended before it could be killed ({stored} articles stored)"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    partial = len(_ids_in(crashed))
    assert 12 <= partial < total
    # Every stored article is whole: each has all its sentences and mentions.
    broken = crashed.read(lambda tx: tx.run(
        "MATCH (a:Article) WHERE NOT EXISTS { (a)-[:HAS_SENTENCE]->(:Sentence) } RETURN a.id AS id").data())
    assert broken == []

    resumed = run_cli(store_settings, "crash_resumed", *command)
    clean_run = run_cli(store_settings, "crash_clean", *command)

    assert resumed.returncode == EXIT_OK and clean_run.returncode == EXIT_OK, resumed.stderr.decode() + clean_run.stderr.decode()
    assert snapshot(crashed) == snapshot(clean)
    assert len(_ids_in(clean)) == total


def _children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # the command name may hold spaces and parentheses: the fields follow the last ')'
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_kill_9_of_the_ingest_alone_ends_its_nlp_workers(store_settings, store_factory, tmp_path):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, generated=30, bbc=30)
    store_factory("orphans")
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "ingest", str(corpus), "--processes", "2", "--batch-size", "2", "--quiet"],
        env=cli_env(store_settings, "orphans"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and process.poll() is None and len(workers) < 2:
            time.sleep(0.2)
            workers = _children_of(process.pid)
        assert process.poll() is None and len(workers) >= 2, f"no NLP workers seen (children: {workers})"
        process.kill()  # the ingest alone, not its process group
        process.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.2)
        assert [pid for pid in workers if _alive(pid)] == [], "NLP workers outlived the killed ingest"
    finally:
        process.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
