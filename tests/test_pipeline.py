"""The pipeline's paragraph component: a paragraph break starts a sentence, a wrapped line
does not."""
from __future__ import annotations

import pytest

from ingest.pipeline import PARAGRAPHS


def _sentences(nlp, text):
    return [s.text.strip() for s in nlp(text).sents]


# text, the sentences the parse must keep apart or together (stripped)
CASES = [
    # a closing quote and the next paragraph ran together as one sentence before
    ("How about the issues people care about?”\n\nCruz was articulate as he spoke.",
     ["How about the issues people care about?”", "Cruz was articulate as he spoke."]),
    # a headline without a full stop is a sentence of its own
    ("Troops Move To Russia\nNorth Korea sent troops to Vladivostok, officials said.",
     ["Troops Move To Russia", "North Korea sent troops to Vladivostok, officials said."]),
    # a colon before a quote in the next paragraph
    ("Cruz continued:\n\n“You look at the questions.”",
     ["Cruz continued:", "“You look at the questions.”"]),
]

# a single line break that wraps a sentence (next line in lower case, a comma or a
# lower-case word before it) leaves the sentence whole
WRAPPED = [
    "The troops\nwere moved to the port, officials said.",
    "The spokesman met with\nJohn Kirby on Tuesday.",
    "The troops were moved,\nOfficials in Seoul said on Tuesday.",
]


@pytest.mark.parametrize("text,sentences", CASES)
def test_a_paragraph_break_starts_a_sentence(nlp, text, sentences):
    assert PARAGRAPHS in nlp.pipe_names
    assert nlp.pipe_names.index(PARAGRAPHS) < nlp.pipe_names.index("parser")
    assert _sentences(nlp, text) == sentences


@pytest.mark.parametrize("text", WRAPPED)
def test_a_wrapped_line_is_no_break(nlp, text):
    doc = nlp(text)
    after_break = next(t for t in doc if t.idx > text.index("\n"))
    assert not after_break.is_sent_start
