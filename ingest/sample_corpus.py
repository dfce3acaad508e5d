"""The bundled sample corpus: dispatches written for this project about North Korean troops
sent to Russia in October 2024, shared by the demo, the tests and the notebooks.

Gold annotations of these texts are in ``bench/gold/samples.json``."""
from __future__ import annotations

from pathlib import Path

from graph.errors import InputError
from graph.model import Article
from ingest.readers import read_path

SAMPLE_DIR = Path(__file__).resolve().parent / "samples"


def load_sample_articles() -> list[Article]:
    """The sample articles, in file-name (publication) order. Raises ``InputError`` if any
    sample cannot be read: the corpus ships with the package and must be whole."""
    result = read_path(SAMPLE_DIR)
    if result.skipped:
        raise InputError(
            "bundled sample corpus is damaged: " + "; ".join(str(s) for s in result.skipped),
            {"skipped": [s.input for s in result.skipped]},
        )
    return result.articles
