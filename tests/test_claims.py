"""claims_from_doc on small hand-made articles through the real pipeline (entities included)."""
from __future__ import annotations

import datetime as dt

import pytest

from graph.model import Article
from ingest.claims import EXTRACTOR_VERSION, claim_id, claims_and_sources_from_doc, claims_from_doc
from ingest.entities import entities_from_doc

PUBLISHED = dt.date(2024, 10, 25)


def _claims(nlp, text):
    article = Article(id="0123456789abcdef", title="t", text=text, published=PUBLISHED)
    doc = nlp(text)
    entities = entities_from_doc(doc, article)
    claims, sources = claims_and_sources_from_doc(doc, article, entities)
    return article, claims, sources


def _by_cue(claims, cue):
    found = [c for c in claims if c.cue.text == cue]
    assert found, f"no claim with cue {cue!r}: {[c.cue.text for c in claims]}"
    return found[0]


# text, cue, kind, speaker entity id (None: must stay unresolved)
KIND_AND_SPEAKER = [
    ("John Kirby said at least 3,000 troops had moved to eastern Russia.",
     "said", "STATED", "person:john-kirby"),
    ("South Korea's National Intelligence Service estimated that 10,000 troops would be sent.",
     "estimated", "ASSESSED", "organization:national-intelligence-service"),
    ("US intelligence says the troops are already in Kursk.", "says", "ASSESSED", None),
    ("The Pentagon confirmed that the troops had arrived.", "confirmed", "CONFIRMED",
     "organization:pentagon"),
    ("Moscow denied that any troops had arrived.", "denied", "DENIED", None),
    ("Russia's foreign ministry called the reports \"fake news\".", "called", "DENIED", None),
    ("Zelensky warned that 10,000 soldiers were being prepared.", "warned", "WARNED",
     "person:zelensky"),
    ("Reports indicate that the troops left Wonsan by sea.", "indicate", "REPORTED", None),
    ("The Pentagon did not confirm that the troops had arrived.", "did not confirm", "CONFIRMED",
     "organization:pentagon"),
]


@pytest.mark.parametrize("text,cue,kind,speaker", KIND_AND_SPEAKER)
def test_kind_and_speaker(nlp, text, cue, kind, speaker):
    _, claims, _ = _claims(nlp, text)
    claim = _by_cue(claims, cue)
    assert claim.kind == kind
    if speaker is not None:
        assert claim.speaker.entity_id == speaker


# a negated cue keeps the kind of its verb, with the flag set: the claim is kept (who would not
# confirm what), and readers and stance linking know it asserts nothing
NEGATED = [
    ("The Pentagon did not confirm that 10,000 troops had arrived.", "did not confirm", "CONFIRMED", "confirm"),
    ("The Pentagon would not confirm that 10,000 troops had arrived.", "would not confirm", "CONFIRMED", "confirm"),
    ("The Kremlin did not deny that 10,000 troops had arrived.", "did not deny", "DENIED", "deny"),
    ("The Kremlin did not say that the reports of 10,000 troops were fake news.", "did not say", "STATED", "say"),
]


@pytest.mark.parametrize("text,cue,kind,lemma", NEGATED)
def test_negated_cue_keeps_its_kind_with_the_flag(nlp, text, cue, kind, lemma):
    _, claims, _ = _claims(nlp, text)
    claim = _by_cue(claims, cue)
    assert (claim.kind, claim.cue.negated, claim.cue.lemma) == (kind, True, lemma)
    # the number is what was not confirmed: kept on the claim, still a troop count
    assert [(q.value, q.is_troop_count) for q in claim.quantities] == [(10000, True)]


@pytest.mark.parametrize("text", [
    "The Pentagon declined to confirm that 10,000 troops had arrived.",
    "The Pentagon refused to confirm that 10,000 troops had arrived.",
    "The Pentagon was unable to confirm that 10,000 troops had arrived.",
])
def test_cue_negated_by_its_governing_verb(nlp, text):
    _, claims, _ = _claims(nlp, text)
    (claim,) = claims  # "declined"/"refused" themselves are not claims
    assert claim.kind == "CONFIRMED" and claim.cue.negated and claim.cue.lemma == "confirm", claim


@pytest.mark.parametrize("text,outer,inner_speaker", [
    ("Austin did not confirm the figures given by South Korea's intelligence service, "
     "which estimates that 10,000 troops will be sent by December.", "did not confirm", "which"),
    ("The minister rejected the estimate of Ukraine's intelligence agency, which says 10,000 "
     "soldiers are in Kursk.", "rejected", "which"),
])
def test_numbers_of_a_relative_clause_attribution_are_not_the_outer_speakers(nlp, text, outer, inner_speaker):
    _, claims, _ = _claims(nlp, text)
    assert _by_cue(claims, outer).quantities == []
    inner = next(c for c in claims if c.speaker.text == inner_speaker)
    assert [q.value for q in inner.quantities] == [10000]


def test_numbers_of_a_negated_nested_cue_are_not_the_outer_speakers(nlp):
    _, claims, _ = _claims(nlp, "North Korea's foreign ministry said that any such deployment would be "
                                "lawful, without confirming that 3,000 troops had been sent.")
    assert _by_cue(claims, "said").quantities == []
    confirming = _by_cue(claims, "confirming")
    assert confirming.cue.negated and [q.value for q in confirming.quantities] == [3000]


def test_nested_reported_numbers_stay_with_the_reporting_speaker(nlp):
    """'X said the agency believed N': X reports N (only a relative clause is set apart)."""
    _, claims, _ = _claims(nlp, "South Korean lawmakers said the agency now believed that more than 3,000 "
                                "North Korean soldiers were in Russia.")
    said = _by_cue(claims, "said")
    assert [(q.value, q.qualifier) for q in said.quantities] == [(3000, "more than")]


def test_evidence_offsets_point_into_the_article(nlp):
    text = "Fighting continued.\n\n“At least 3,000 have gone,” John Kirby said on Monday."
    article, claims, _ = _claims(nlp, text)
    (claim,) = claims
    for span in (claim.speaker, claim.cue, claim.content):
        assert text[span.start : span.end] == span.text
    assert claim.direct and claim.sentence == 1
    assert claim.id == claim_id(article.id, claim.cue.start, claim.cue.end)
    assert claim.article_id == article.id and claim.extractor_version == EXTRACTOR_VERSION


def test_extractor_version_names_the_models(tmp_path, monkeypatch):
    """Retraining the cue model gives claims another extractor version."""
    import ingest.claims as claims_module

    shipped = claims_module._models_digest()
    assert EXTRACTOR_VERSION.endswith(f"+{shipped}")
    retrained = tmp_path / "attribution_cues.tsv"
    retrained.write_bytes(claims_module.CUE_MODEL_TSV.read_bytes() + b"lemma=muse\t0.5\n")
    monkeypatch.setattr(claims_module, "CUE_MODEL_TSV", retrained)
    assert claims_module._models_digest() != shipped


def test_troop_quantity_and_about(nlp):
    _, claims, _ = _claims(
        nlp, "John Kirby said at least 3,000 North Korean troops had moved to eastern Russia."
    )
    (claim,) = claims
    (quantity,) = [q for q in claim.quantities if q.is_troop_count]
    assert (quantity.value, quantity.qualifier) == (3000, "at least")
    assert "state:north-korea" in claim.about
    assert quantity.unit_entity_id and quantity.unit_entity_id in claim.about


def test_pronoun_takes_the_only_person_before_it(nlp):
    text = "John Kirby spoke in Washington. He said 3,000 troops had moved to Russia."
    _, claims, _ = _claims(nlp, text)
    claim = _by_cue(claims, "said")
    assert claim.speaker.entity_id == "person:john-kirby"
    assert claim.speaker.text == "He"


def test_pronoun_with_two_candidates_stays_unresolved(nlp):
    text = "John Kirby met Lloyd Austin on Monday. He said 3,000 troops had moved to Russia."
    _, claims, _ = _claims(nlp, text)
    assert _by_cue(claims, "said").speaker.entity_id is None


def test_pronoun_prefers_the_previous_speaker_among_candidates(nlp):
    text = (
        "John Kirby said the troops had moved. Kirby also spoke about Lloyd Austin's visit. "
        "He added that 3,000 had gone."
    )
    _, claims, _ = _claims(nlp, text)
    assert _by_cue(claims, "added").speaker.entity_id == "person:john-kirby"


def test_unnamed_source_becomes_a_source_entity(nlp):
    text = "A senior South Korean official said the troops had arrived in Vladivostok."
    article, claims, sources = _claims(nlp, text)
    claim = _by_cue(claims, "said")
    (source,) = sources
    assert source.type == "Source" and claim.speaker.entity_id == source.id
    assert source.affiliation == "state:south-korea"
    assert article.id[:8] in source.id
    assert source.mentions[0].text == "A senior South Korean official"


def test_two_speakers_in_one_sentence(nlp):
    text = "John Kirby said 3,000 troops arrived, while Volodymyr Zelensky said 10,000 were ready."
    _, claims, _ = _claims(nlp, text)
    speakers = {c.speaker.entity_id: c.content.text for c in claims}
    assert speakers["person:john-kirby"] == "3,000 troops arrived"
    assert speakers["person:volodymyr-zelensky"] == "10,000 were ready"


@pytest.mark.parametrize(
    "text",
    [
        # numbers in a headline with no cue, then a plain sentence: no claim is invented
        "North Korea sends 10,000 troops to Russia\n\nThe ships left Wonsan on Tuesday.",
        # a quote with no speaker
        "“We will never surrender.” The crowd cheered.",
        # a wish, not a claim
        "Kim wants to send more troops.",
    ],
)
def test_no_claim(nlp, text):
    assert _claims(nlp, text)[1] == []


def test_headline_with_a_cue_is_a_claim(nlp):
    text = "10,000 North Korean troops in Russia, says Zelensky\n\nThe ships left Wonsan."
    _, claims, _ = _claims(nlp, text)
    claim = _by_cue(claims, "says")
    assert claim.speaker.text == "Zelensky"
    assert any(q.value == 10000 for q in claim.quantities)


def test_doc_of_another_text_is_refused(nlp):
    article = Article(id="0123456789abcdef", title="t", text="Officials said it.")
    with pytest.raises(ValueError, match="0123456789abcdef"):
        claims_from_doc(nlp("Something else entirely."), article, [])


# a definite description as speaker: the nearest earlier organisation whose name fits it, or
# nobody when unsure (text, cue, how the speaker's entity id ends, or None)
DESCRIPTIONS = [
    ("South Korea's National Intelligence Service briefed lawmakers on Friday. "
     "The agency said 1,500 troops had arrived.", "said", "national-intelligence-service"),
    ("NATO Secretary General Mark Rutte said the alliance could not confirm that troops were fighting.",
     "could not confirm", "nato"),
    ("South Korea's Foreign Ministry summoned the ambassador. The ministry said the troops must leave.",
     "said", "foreign-ministry"),
    # the nearest organisation is a ministry: 'the agency' is not it, nor a fresh unnamed source
    ("Russia's foreign ministry issued a statement. The agency said 1,500 troops had arrived.", "said", None),
    # two agencies named in the nearest sentence: unsure
    ("The Central Intelligence Agency and the National Security Agency briefed Congress. "
     "The agency said 1,500 troops had arrived.", "said", None),
    # nothing named before it
    ("The agency said 1,500 troops had arrived.", "said", None),
    # 'the government' is not the state named last
    ("Her husband was killed in South Africa. The government said the law would pass.", "said", None),
    # a company is not a public body; no word of its name need say it is a company
    ("Russia's foreign ministry summoned diplomats. Royal Dutch Shell halted work on Monday. "
     "The company said it would leave.", "said", "royal-dutch-shell"),
    # ... so with two organisations in the nearest sentence, either may be it
    ("Russia's foreign ministry met Royal Dutch Shell on Monday. The company said it would leave.", "said", None),
    # the nearest organisation may be meant under a name that does not say 'bank'
    ("Citizens Bank was bought by JP Morgan in 2004. JP Morgan apologised on Monday. "
     "The bank said it was sorry.", "said", None),
]


@pytest.mark.parametrize("text,cue,speaker", DESCRIPTIONS)
def test_definite_description_speaker(nlp, text, cue, speaker):
    _, claims, sources = _claims(nlp, text)
    claim = _by_cue(claims, cue)
    if speaker is None:
        assert claim.speaker.entity_id is None, claim.speaker
    else:
        assert (claim.speaker.entity_id or "").endswith(":" + speaker), claim.speaker
    assert not any(s.id == claim.speaker.entity_id for s in sources)
