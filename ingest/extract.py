"""Article -> ArticleGraph: run the pipeline, then the pure extractors, in contract order
(entities, relations with the events they create, claims with the unnamed sources they create).

``extract_article`` is pure (an annotated ``Doc`` and its ``Article`` in, an ``ArticleGraph``
out); ``extract_articles`` streams articles through ``nlp.pipe`` (``as_tuples``, so the doc
and its article stay paired across processes).
"""
from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from graph.model import Article, ArticleGraph, Sentence
from ingest.claims import claims_and_sources_from_doc
from ingest.entities import entities_from_doc
from ingest.pipeline import load_pipeline
from ingest.relations import relations_from_doc


def sentences_from_doc(doc: Doc) -> list[Sentence]:
    return [
        Sentence(index=i, start=sent.start_char, end=sent.end_char, text=sent.text)
        for i, sent in enumerate(doc.sents)
    ]


def extract_article(doc: Doc, article: Article) -> ArticleGraph:
    """Everything the extractors find in one annotated doc (``doc.text == article.text``)."""
    if doc.text != article.text:
        raise ValueError(f"doc text is not the text of article {article.id}")
    entities = entities_from_doc(doc, article)
    relations, events = relations_from_doc(doc, article, entities)
    # claims_from_doc's claims, plus the unnamed-source entities their speakers are
    claims, sources = claims_and_sources_from_doc(doc, article, entities + events)
    return ArticleGraph(
        article=article,
        sentences=sentences_from_doc(doc),
        entities=entities + events + sources,
        relations=relations,
        claims=claims,
    )


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent() -> None:
    """In a forked NLP worker: be killed when the process that forked it dies.

    spaCy's ``nlp.pipe(n_process=2)`` workers block on their input queue forever once the parent
    is gone, so a ``kill -9`` of the ingest alone would leave them behind; the kernel's parent-death
    signal ends them instead.  SIGKILL, not SIGTERM: a forked worker inherits the parent's Python
    signal handlers (uvicorn's, say), which would not end it, and it holds nothing to clean up.
    Linux only; elsewhere this does nothing.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return


_worker_hook_installed = False


def _install_worker_hook() -> None:
    global _worker_hook_installed
    if not _worker_hook_installed and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_die_with_parent)
        _worker_hook_installed = True


def extract_articles(
    articles: Iterable[Article], *, nlp: Language | None = None, n_process: int = 1, batch_size: int = 32
) -> Iterator[ArticleGraph]:
    """Extract a stream of articles, in order; ``nlp`` defaults to :func:`load_pipeline`."""
    nlp = nlp or load_pipeline()
    if n_process > 1:
        _install_worker_hook()
    pairs = ((article.text, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, n_process=n_process, batch_size=batch_size):
        yield extract_article(doc, article)
