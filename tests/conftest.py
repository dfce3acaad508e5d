"""Fixtures shared by the tests (and, through the same code, the demo and notebook).

Each fixture module belongs to one area:
- ``tests.fixtures.store``: an embedded store in a temporary home (``store``, ``store_settings``).
- ``tests.fixtures.nlp``: the real spaCy pipeline with our components (``nlp``).
- ``tests.fixtures.corpus``: the bundled sample corpus as ``Article`` objects (``sample_articles``).
- ``tests.fixtures.ingested``: a store holding the ingested sample corpus (``ingested_store``).
- ``tests.fixtures.home_guard``: fails the run if it started the default home's embedded store.
"""
pytest_plugins = [
    "tests.fixtures.store",
    "tests.fixtures.nlp",
    "tests.fixtures.corpus",
    "tests.fixtures.ingested",
    "tests.fixtures.home_guard",
]
