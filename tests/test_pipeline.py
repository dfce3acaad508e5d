"""The pipeline's own parse components: a paragraph break starts a sentence, a wrapped line
does not; a title-case line is parsed in lower case."""
from __future__ import annotations

import pytest

from ingest.pipeline import PARAGRAPHS, TITLE_CASE


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


# a line in title case, its verb (the word the bare model takes for part of a name) and the
# verb's subject and object after the lower-case parse
TITLE_CASE_LINES = [
    ("Senator Praises Budget Deal For Rural Schools\n\nThe senator spoke on Monday.",
     "Praises", "Senator", "Deal"),
    ("This Cable News Panel Just Dismissed The Tax Plan\n\nThe panel met on Monday.",
     "Dismissed", "Panel", "Plan"),
]


@pytest.mark.parametrize("text,verb,subject,obj", TITLE_CASE_LINES)
def test_a_title_case_line_is_parsed_in_lower_case(nlp, text, verb, subject, obj):
    assert TITLE_CASE in nlp.pipe_names
    doc = nlp(text)
    token = next(t for t in doc if t.text == verb)
    assert token.pos_ == "VERB"
    assert {c.text: c.dep_ for c in token.children}.get(subject) == "nsubj"
    assert {c.text: c.dep_ for c in token.children}.get(obj) == "dobj"
    # the words keep their text and offsets; the sentence after the line is untouched
    assert doc.text == text
    assert [s.text.strip() for s in doc.sents][1] == text.split("\n\n")[1]


def test_a_title_case_line_keeps_the_tags_of_its_names(nlp):
    """The lower-case parse would make "obama" a noun; the recogniser's name keeps its tag,
    except for the verb it ran into the name ("Praise Obama")."""
    doc = nlp("Senators Praise Obama For Budget Deal With Mexico\n\nHe spoke on Monday.")
    tokens = {t.text: t for t in doc}
    assert tokens["Obama"].ent_type_ == "PERSON" and tokens["Obama"].pos_ == "PROPN"
    assert tokens["Praise"].pos_ == "VERB"


@pytest.mark.parametrize("text", [
    "Clinton blasts Trump over deportation idea\n\nShe spoke on Monday.",
    "The senator praised the budget deal for rural schools on Monday.",
])
def test_a_line_in_sentence_case_keeps_its_parse(text):
    import spacy
    from ingest.pipeline import MODEL, load_model

    bare = spacy.load(MODEL)
    bare.add_pipe(PARAGRAPHS, before="parser")
    ours = load_model()
    assert [(t.dep_, t.head.i, t.tag_) for t in ours(text)] == [(t.dep_, t.head.i, t.tag_) for t in bare(text)]
