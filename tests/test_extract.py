"""The whole extraction on golden articles: extract_article(s), the extract command, the
entity scores against the gold annotations of the sample corpus."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from api.cli import main
from ingest.extract import extract_article, extract_articles
from ingest.readers import read_path
from ingest.sample_corpus import SAMPLE_DIR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_graphs(nlp, sample_articles):
    return list(extract_articles(sample_articles, nlp=nlp))


def test_every_offset_points_into_the_article(sample_graphs):
    assert sample_graphs
    for graph in sample_graphs:
        text = graph.article.text
        assert graph.sentences[0].start == 0 and graph.sentences[-1].end <= len(text)
        for sentence in graph.sentences:
            assert text[sentence.start:sentence.end] == sentence.text
        for entity in graph.entities:
            for mention in entity.mentions:
                assert text[mention.start:mention.end] == mention.text, (entity.id, mention)
                sentence = graph.sentences[mention.sentence]
                assert sentence.start <= mention.start < sentence.end
        for relation in graph.relations:
            assert {relation.source, relation.target} <= {e.id for e in graph.entities}


def test_ids_are_unique_and_typed(sample_graphs):
    for graph in sample_graphs:
        ids = [e.id for e in graph.entities]
        assert len(ids) == len(set(ids))
        for entity in graph.entities:
            assert entity.id.split(":", 1)[0] == entity.type.lower()


def test_extract_article_refuses_a_doc_of_another_text(nlp, sample_articles):
    article = sample_articles[0]
    with pytest.raises(ValueError, match=article.id):
        extract_article(nlp("Some other text."), article)


def test_two_processes_give_the_same_graphs(nlp, sample_articles, sample_graphs):
    two = list(extract_articles(sample_articles[:3], nlp=nlp, n_process=2, batch_size=1))
    assert [g.model_dump() for g in two] == [g.model_dump() for g in sample_graphs[:3]]


def test_extract_command_json(capsys):
    path = SAMPLE_DIR / "2024-10-23-capitol-bulletin-kirby.md"
    assert main(["extract", str(path), "--published", "2024-10-23", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert "text" not in data["article"]
    assert data["article"]["published"] == "2024-10-23"
    text = read_path(path).articles[0].text  # offsets are into the text as the reader reads it
    kirby = next(e for e in data["entities"] if e["id"] == "person:john-kirby")
    assert kirby["type"] == "Person" and "Kirby" in kirby["aliases"]
    for entity in data["entities"]:
        assert {"id", "name", "type", "aliases", "mentions"} <= set(entity)
        for mention in entity["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    for claim in data["claims"]:
        assert text[claim["cue"]["start"]:claim["cue"]["end"]] == claim["cue"]["text"]
    assert {r["type"] for r in data["relations"]} >= {"DEPLOYED_TO"}


def test_extract_command_bad_input(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "missing.txt"), "--json"]) == 1
    err = capsys.readouterr().err
    assert "missing.txt" in err and "no such file" in err


def test_entity_scores_on_the_gold_samples():
    """The scorer of bench/score_entities.py on bench/gold/samples.json (the figures in
    docs/EVALUATION.md): no junk, no wrongly merged people, high precision and recall."""
    spec = importlib.util.spec_from_file_location("score_entities", ROOT / "bench" / "score_entities.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.score(ROOT / "bench" / "gold" / "samples.json")
    assert result["junk"] == []
    assert result["wrong_people"] == [] and result["wrong_merges"] == []
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95
    for type_ in ("Person", "Unit"):
        assert result["per_type"][type_]["recall"] == 1.0, result["misses"]
    for type_ in ("State", "Place", "Organization"):
        assert result["per_type"][type_]["recall"] >= 0.95, result["misses"]
    assert result["pairs_merged"] >= 0.9 * result["pairs"]
