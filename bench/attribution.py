"""Score attribution extraction on PolNeAR, with textacy's direct_quotations as the baseline.

    python bench/attribution.py [--compartment dev|train] [--data DIR] [--write-docs]

PolNeAR (../shared/data/polnear) annotates each attribution as brat ``E`` lines linking a
Source (optional), a Cue and a Content span.  Articles annotated by several annotators (the
agreement checks) are scored against one of them: the annotator id first in sort order.

Measures, on the same parsed docs in one run (the component run apart from the parse and timed), for our ``newsgraph_attribution`` component and
for ``textacy.extract.triples.direct_quotations``:
- cue, source and content spans: precision/recall/F1, exact (same start and end after
  trimming spaces and outer punctuation other than quote marks) and overlap (share a word);
- whole attributions: cue and content both overlap the gold ones; split into direct
  (at least half of the content is inside quote marks, the same test for gold and
  predictions) and indirect.
A span without a word (a headline's colon) overlaps by its characters.
Matching is one-to-one (greedy, largest overlap first).  ``--write-docs`` replaces the
"Attribution (PolNeAR dev)" section of docs/EVALUATION.md with the table.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import DocBin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.attribution import COMPONENT, attributions  # noqa: E402
from ingest.pipeline import MODEL, load_model  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear"
EVALUATION = ROOT / "docs" / "EVALUATION.md"
SECTION_START = "<!-- attribution:start -->"
SECTION_END = "<!-- attribution:end -->"

Range = tuple[int, int]


@dataclass
class Attr:
    cue: list[Range]
    content: list[Range]
    source: list[Range] = field(default_factory=list)
    direct: bool = False


def load_compartment(data: Path, compartment: str) -> list[tuple[str, str, list[Attr]]]:
    """(name, text, gold attributions) per article of the compartment."""
    base = data / compartment
    if not (base / "text").is_dir():
        raise SystemExit(f"{base}: no 'text' folder; is --data the PolNeAR root?")
    by_article = _annotations_by_article(base)
    out = []
    for article in sorted(by_article):
        text = (base / "text" / f"{article}.txt").read_text(encoding="utf-8")
        out.append((article, text, parse_ann(by_article[article][0].read_text(encoding="utf-8"), text)))
    return out


def _annotations_by_article(base: Path) -> dict[str, list[Path]]:
    """Each article's .ann files ("<article>_<annotator>.ann"), in annotator sort order."""
    by_article: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((base / "attributions").glob("*.ann")):
        article, _annotator = ann.stem.rsplit("_", 1)
        by_article[article].append(ann)
    return by_article


def annotator_agreement(data: Path) -> tuple[int, Counts, Counts]:
    """How two PolNeAR annotators agree on the articles both annotated (train and dev), by the
    measures our extractor is scored with: (articles, attribution counts, source overlap
    counts), the first annotator in sort order taken as gold."""
    articles, whole, source = 0, Counts(), Counts()
    for compartment in ("train", "dev"):
        base = data / compartment
        for article, anns in sorted(_annotations_by_article(base).items()):
            if len(anns) < 2:
                continue
            text = (base / "text" / f"{article}.txt").read_text(encoding="utf-8")
            gold, other = (parse_ann(a.read_text(encoding="utf-8"), text) for a in anns[:2])
            articles += 1
            whole.add(score_attributions(text, other, gold)["all"])
            source.add(score_spans(text, [a.source for a in other], [a.source for a in gold], exact=False))
    return articles, whole, source


def parse_ann(ann: str, text: str) -> list[Attr]:
    spans: dict[str, tuple[str, list[Range]]] = {}
    events = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            ranges = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
            spans[parts[0]] = (label, [(s, e) for s, e in ranges])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    out = []
    for event in events:
        roles = {k: spans[v][1] for k, v in event.items() if k in ("Cue", "Content", "Source") and v in spans}
        if "Cue" not in roles or "Content" not in roles:
            continue
        out.append(
            Attr(
                cue=roles["Cue"], content=roles["Content"], source=roles.get("Source", []),
                direct=_mostly_quoted(text, roles["Content"]),
            )
        )
    return out


def _mostly_quoted(text: str, ranges: list[Range]) -> bool:
    content = " ".join(text[s:e] for s, e in ranges).replace("''", '"')
    inside, quoted = False, 0
    for ch in content:
        if ch in "“”\"":
            inside = ch == "“" or (ch == '"' and not inside)
            continue
        if inside and not ch.isspace():
            quoted += 1
    letters = sum(1 for ch in content if not ch.isspace())
    return letters > 0 and quoted * 2 >= letters


def parsed_docs(nlp, texts: list[str], cache: Path | None) -> list:
    """The texts parsed by ``nlp``, from (or into) the DocBin ``cache`` when one is given.

    The cache is read only when it holds these texts parsed by a pipeline of the same
    components (one parsed before paragraph breaks started sentences is parsed again)."""
    pipeline = "+".join(nlp.pipe_names)
    if cache is not None and cache.exists():
        docs = list(DocBin(store_user_data=True).from_disk(cache).get_docs(nlp.vocab))
        same_pipeline = all(doc.user_data.get("pipeline") == pipeline for doc in docs)
        if [doc.text for doc in docs] == texts and same_pipeline:
            for doc in docs:
                del doc.user_data["pipeline"]
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache is not None:
        stored = DocBin(store_user_data=True)
        for doc in docs:
            doc.user_data["pipeline"] = pipeline
            stored.add(doc)
            del doc.user_data["pipeline"]
        stored.to_disk(cache)
    return docs


# --- predictions --------------------------------------------------------------------------
def ours(doc, include_nested: bool = False) -> list[Attr]:
    out = []
    for a in attributions(doc):
        if a.nested and not include_nested:
            continue  # PolNeAR is univocal: a token is in at most one attribution
        content = [(c.start_char, c.end_char) for c in a.content]
        out.append(
            Attr(
                cue=[(a.cue.start_char, a.cue.end_char)],
                content=content,
                source=[(a.source.start_char, a.source.end_char)] if a.source is not None else [],
                direct=_mostly_quoted(doc.text, content),
            )
        )
    return out


def textacy_quotes(doc, failures: list[str]) -> list[Attr]:
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError as exc:  # textacy refuses documents with an odd number of quote marks
        failures.append(str(exc))
        return out
    for t in triples:
        content = [(t.content.start_char, t.content.end_char)]
        out.append(
            Attr(
                cue=[(tok.idx, tok.idx + len(tok.text)) for tok in t.cue],
                content=content,
                source=[(tok.idx, tok.idx + len(tok.text)) for tok in t.speaker],
                direct=_mostly_quoted(doc.text, content),
            )
        )
    return out


# --- scoring ------------------------------------------------------------------------------
_WORD = re.compile(r"\w+")


def _words(text: str, ranges: list[Range]) -> set[int]:
    """Offsets of the word starts in the ranges: the unit of overlap.

    A range without a word (the colon of a headline "Name: ...", a dash) counts by its
    characters, or no system could ever match it.
    """
    out = set()
    for s, e in ranges:
        starts = [s + m.start() for m in _WORD.finditer(text[s:e])]
        out.update(starts or (i for i in range(s, e) if not text[i].isspace()))
    return out


def _extent(text: str, ranges: list[Range]) -> Range | None:
    if not ranges:
        return None
    s, e = min(r[0] for r in ranges), max(r[1] for r in ranges)
    strip = " \t\n.,;:!?—–-()"
    while s < e and text[s] in strip:
        s += 1
    while e > s and text[e - 1] in strip:
        e -= 1
    return (s, e)


@dataclass
class Counts:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.n_pred if self.n_pred else 0.0
        r = self.tp / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _match(pairs_score) -> list[tuple[int, int]]:
    """Greedy one-to-one matching on (score, i, j) triples, best first."""
    used_i, used_j, out = set(), set(), []
    for score, i, j in sorted(pairs_score, reverse=True):
        if score > 0 and i not in used_i and j not in used_j:
            used_i.add(i)
            used_j.add(j)
            out.append((i, j))
    return out


def score_spans(text: str, pred: list[list[Range]], gold: list[list[Range]], exact: bool) -> Counts:
    pred = [p for p in pred if p]
    gold = [g for g in gold if g]
    counts = Counts(n_pred=len(pred), n_gold=len(gold))
    if exact:
        gold_ext = {_extent(text, g) for g in gold}
        pred_ext = [_extent(text, p) for p in pred]
        counts.tp = len({p for p in pred_ext if p in gold_ext})
        return counts
    pw = [_words(text, p) for p in pred]
    gw = [_words(text, g) for g in gold]
    scores = [(len(a & b), i, j) for i, a in enumerate(pw) for j, b in enumerate(gw) if a & b]
    counts.tp = len(_match(scores))
    return counts


def score_attributions(text: str, pred: list[Attr], gold: list[Attr]) -> dict[str, Counts]:
    """Whole attributions: cue and content overlap, one-to-one; overall, direct, indirect."""
    scores = []
    for i, p in enumerate(pred):
        pc, pk = _words(text, p.cue), _words(text, p.content)
        for j, g in enumerate(gold):
            cue_overlap = len(pc & _words(text, g.cue))
            content_overlap = len(pk & _words(text, g.content))
            if cue_overlap and content_overlap:
                scores.append((cue_overlap + content_overlap, i, j))
    matched = _match(scores)
    out = {}
    for name, want in (("all", None), ("direct", True), ("indirect", False)):
        c = Counts(
            n_pred=sum(1 for p in pred if want is None or p.direct == want),
            n_gold=sum(1 for g in gold if want is None or g.direct == want),
        )
        # a match counts for the category of the gold attribution (recall) and of the
        # prediction (precision); count it once when both agree, as is usual for per-class F1
        c.tp = sum(1 for i, j in matched if want is None or (gold[j].direct == want and pred[i].direct == want))
        out[name] = c
    return out


def evaluate(articles, docs, extract) -> dict[str, Counts]:
    totals: dict[str, Counts] = defaultdict(Counts)
    for (_name, text, gold), doc in zip(articles, docs):
        pred = extract(doc)
        for role in ("cue", "source", "content"):
            for mode in ("exact", "overlap"):
                totals[f"{role} {mode}"].add(
                    score_spans(
                        text, [getattr(p, role) for p in pred], [getattr(g, role) for g in gold],
                        exact=mode == "exact",
                    )
                )
        for name, c in score_attributions(text, pred, gold).items():
            totals[f"attribution {name}"].add(c)
    return totals


ROWS = [
    "attribution all", "attribution direct", "attribution indirect",
    "cue overlap", "source overlap", "content overlap",
    "cue exact", "source exact", "content exact",
]


def table(results: dict[str, dict[str, Counts]]) -> str:
    names = list(results)
    head = "| measure | " + " | ".join(f"{n} P | {n} R | {n} F1" for n in names) + " | gold |"
    sep = "|---|" + "---|---|---|" * len(names) + "---|"
    lines = [head, sep]
    for row in ROWS:
        cells = []
        for n in names:
            p, r, f = results[n][row].prf()
            cells.append(f"{p:.3f} | {r:.3f} | {f:.3f}")
        gold = results[names[0]][row].n_gold
        lines.append(f"| {row} | " + " | ".join(cells) + f" | {gold} |")
    return "\n".join(lines)


def write_section(body: str) -> None:
    section = f"{SECTION_START}\n## Attribution (PolNeAR dev)\n\n{body}\n{SECTION_END}\n"
    current = EVALUATION.read_text(encoding="utf-8") if EVALUATION.exists() else "# Evaluation\n\n"
    if SECTION_START in current and SECTION_END in current:
        before, rest = current.split(SECTION_START, 1)
        after = rest.split(SECTION_END, 1)[1].lstrip("\n")
        current = before + section + ("\n" + after if after else "")
    else:
        current = current.rstrip("\n") + "\n\n" + section
    EVALUATION.write_text(current, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compartment", default="dev", choices=["dev", "train"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--cache", type=Path, default=None,
        help="DocBin of the parsed articles: read when it holds them, written otherwise",
    )
    args = parser.parse_args(argv)

    articles = load_compartment(args.data, args.compartment)[: args.limit]
    nlp = load_model()
    started = time.perf_counter()
    docs = parsed_docs(nlp, [text for _, text, _ in articles], args.cache)
    parse_seconds = time.perf_counter() - started
    component = nlp.add_pipe(COMPONENT)
    started = time.perf_counter()
    docs = [component(doc) for doc in docs]
    component_seconds = time.perf_counter() - started
    timing = (
        f"attribution component {component_seconds:.1f} s" if args.cache is not None else
        f"parse {parse_seconds:.1f} s, attribution component {component_seconds:.1f} s "
        f"({100 * component_seconds / parse_seconds:.1f}% of the parse)"
    )

    textacy_failures: list[str] = []
    results = {
        "newsgraph": evaluate(articles, docs, ours),
        "textacy": evaluate(articles, docs, lambda doc: textacy_quotes(doc, textacy_failures)),
    }
    n_gold = sum(len(g) for _, _, g in articles)
    attribution_f1 = results["newsgraph"]["attribution all"].prf()[2]
    source_f1 = results["newsgraph"]["source overlap"].prf()[2]
    agreed_articles, agreed, agreed_source = annotator_agreement(args.data)
    n_direct = sum(1 for _, _, gold in articles for g in gold if g.direct)
    body = (
        f"PolNeAR `{args.compartment}`: {len(articles)} articles, {n_gold} gold attributions "
        f"({n_direct} direct, {n_gold - n_direct} indirect); one annotator per article (the id "
        f"first in sort order where several annotated it). Same parsed docs ({MODEL}) for both "
        f"systems; {timing}. Produced by "
        f"`python bench/attribution.py --compartment {args.compartment} --write-docs`.\n\n"
        "Overlap: the spans share a word (a span without one, such as a headline's colon, by "
        "its characters); exact: same start and end (outer spaces and punctuation "
        "other than quote marks trimmed). An attribution matches when its cue and its content "
        "both overlap the gold ones (one-to-one). Direct: at least half of the content is "
        "inside quote marks (the same test for gold and predicted attributions); textacy only extracts direct quotations (it gave up on "
        f"{len(textacy_failures)} of the {len(articles)} articles, which have an odd number of "
        "quote marks: it bails out rather than guess; those count as empty output). Ours: "
        "attributions nested in another one's content within the same sentence are left out, "
        "since PolNeAR puts each token in at most one attribution.\n\n"
        + table(results)
        + "\n\n"
        "How ours decides: the parse is the model's, with each paragraph break starting a "
        "sentence (`newsgraph_paragraphs`, before the parser) and a line in title case parsed "
        "again with its capitalised words in lower case (`newsgraph_title_case`: the model took "
        "'Senator Praises Budget Deal' for one long name); the syntax offers candidates "
        "(every verb but 'be' with a clause, "
        "object or content preposition, the preposition's object possibly a clause ('railed "
        "against what he calls ...'; of, about, against, on, for, as, at, with, over, and 'to' "
        "for a few verbs), complement clauses the parse hangs on as adverbials ('asked if ...', "
        "'called for X to ...') or after a colon; nouns with a content clause, an owner or a "
        "content preposition ('concerns about ...') or a clause the copula gives it ('Her argument "
        "is that ...'); adjectives with a complement or a 'to'/'in' object ('sympathetic to'); 'according "
        "to' (set off by commas, the sentence around it); 'as' clauses ('As The Hill reported, "
        "...'); a passive verb with nothing else to say, its subject ('The tariff was criticized by "
        "farm groups'); an answer ('said yes'); headline and transcript labels 'Name: ...'; a "
        "colon that ends its paragraph, whose last verb before it (or speaker label) says the "
        "next paragraph ('In a speech, he declared:', 'TAPPER:'); 'in' with a poll or survey as "
        "its object, the poll the source ('Trump leads 57 to 33 in the poll'); a phrase giving "
        "someone's view ('In Seoul's view, ...', 'in the words of one official', 'By the agency's "
        "count', a fronted 'To many economists,'); a stance the subject receives, its giver the "
        "source ('The plan drew criticism from rivals', 'has the support of', 'came under fire "
        "from'), and a backing someone gets from a group ('Trump's support among evangelicals'); a "
        "headline's verb the parse took for a name ('Union Slams Plan')), and a logistic regression over "
        "sparse features of the cue, its construction, its source, its content, its neighbours "
        "and how it sits among the sentence's other candidates (held in another's content, "
        "holding cues in its own, hanging below a content the parse cut short), and how the cue "
        "word behaves in unlabelled news: the share of "
        "its occurrences in the 2,225 BBC articles and the PolNeAR train texts that take a "
        "complement clause and an animate subject (`bench/lemma_propensity.py`, "
        "ingest/data/lemma_propensity.tsv: numbers for 4,578 words, no text), so that a word "
        "PolNeAR has too seldom still counts as a verb of saying or thinking, and the WordNet "
        "class of the cue word's and of the source noun's most frequent sense (communication, "
        "cognition, motion, person, group, ...: `bench/wordnet_classes.py`, "
        "ingest/data/wordnet_classes.tsv, derived from WordNet 3.1 with its licence) "
        "(ingest/data/attribution_cues.tsv, pure Python at run time; the cue word's own "
        "features, the most numerous, are penalised more: they enter the fit scaled 0.8) "
        "keeps those above its threshold. A cue held in another one's content is kept when "
        "its own words pass, and an attribution left inside another one's content in the same "
        "sentence is then either a report inside the report or a second attribution the outer "
        "content ran into ('Critics said the plan, which the mayor defended, would fail'; "
        "'She said ..., noting that ...'): a second small logistic regression "
        "(ingest/data/attribution_nesting.tsv) decides, and a second one is taken out of the "
        "outer content, keeping the outer source when it has no subject of its own; a weak cue "
        "that is not a claim verb gives way to a much surer one in its content ('started the "
        "session by denouncing the cuts'). Quotes "
        "nobody claimed are then attributed to a speech verb next to them, or to any verb right "
        "after a quote next to its subject ('beamed a delegate'), and a quote is what a verb "
        "next to it said when the verb's object was taken for its content ('\"...,\" she said "
        "of the plan'); a quote after a paragraph break is not joined to the last speaker's "
        "(on train it was someone else's 93 times in 116). The source is the "
        "cue's subject, a passive's by-agent, or the subject of the verb a participle, gerund, "
        "conjunct or infinitive speaks for, the one quoted for 'quoted X as saying'; none for "
        "raising verbs ('appeared to') and a fronted "
        "'Asked about ...'. Both models, the regularisation and the threshold were fitted on "
        "PolNeAR train only (five-fold cross-validation over train articles: "
        "`python bench/train_attribution_cues.py --cache /tmp/polnear-train.spacy` retrains "
        "them and prints the cross-validated component score on train, attribution F1 0.789 "
        "(P 0.812, R 0.768), source overlap F1 0.799 (P 0.829, R 0.771)); dev was only scored. "
        "History, on dev as attribution and source overlap F1 (train cross-validated in "
        "brackets): a fixed cue lexicon 0.748 and 0.762; the first cue model 0.762 and 0.769; "
        "wider candidates and the nesting model 0.771 and 0.772 (0.758, 0.761); structure "
        "features, more candidates, the nesting cut and source rules 0.775 and 0.784 (0.768, "
        "0.781); passive subjects, answers, parenthetical cues and weak outer cues giving way "
        "0.782 and 0.789 (0.771, 0.783); quotes next to verbs, no quote joined across a "
        "paragraph, trailing speakers, headline verbs and light-verb sources 0.782 and 0.790 "
        "(0.776, 0.786). This round, on train, one after the other: the content's head word and "
        "entity type as features, a cue noun the copula gives a clause, adjectives of stance "
        "towards a 'to'/'in' object and no 'That said,' connective 0.778 and 0.788 (candidate "
        "F1 0.773 to 0.776); a verb's object after it over a clause the parse hung before it "
        "(not for verbs of telling), a 'that' clause parsed as an adverbial ('reassuring her "
        "that ...') and an object with its infinitive 0.779 and 0.788; sources from a noun's "
        "'from' ('criticism from rivals'), the holder of a belief ('holds the view that'), 'To "
        "many economists, it seemed', the subject after an inverted cue the parse gave two "
        "('The plan, said the mayor, would fail', which gave the plan as the speaker before) "
        "and no apposition fallback to a name's description ('a swing state') 0.780 and 0.789; "
        "the cue word's behaviour in unlabelled news 0.781 and 0.790 (dev 0.784 and 0.792 "
        "before it, 0.787 and 0.794 with it); the apposition fallback kept for common nouns "
        "('her adviser, a former teacher, said') and refused only for what describes a place "
        "0.780 and 0.790 (dev unchanged); a cue the parse hung below another candidate's content "
        "without putting it in ('she said she had not asked for it because she believed ...': "
        "the content was cut short) as a feature 0.781 and 0.790 (dev 0.789 and 0.796); then "
        "more candidates and sources from parses that lose them: a report after its content "
        "('..., the Chicago Tribune reports.'), a trailing speaker with a long description "
        "('said Geert Wilders, founder of ...'), the writer's 'It is unclear whether ...', a "
        "quote set off after the verb's object ('As she put it, \"...\"', 'issued a statement: "
        "\"...\"'), a quote right after a sentence whose verb of saying says nothing ('X agreed. "
        "\"...\"'), of two cues sharing a word the wider one ('seemed certain to'), a name after an "
        "inverted verb the parse hung elsewhere and a capitalised modal before a finite verb "
        "('Will wrote') as the speaker 0.782 and 0.792 (dev 0.791 and 0.799). The round before: "
        "a paragraph break starts a sentence before the parser runs (the parser had run 8% of "
        "train's sentences across one, and built one tree over both paragraphs; the usage counts "
        "were counted again on the new parse) 0.784 and 0.794; the content's second word as a "
        "feature ('that he', 'to be') 0.785 and 0.794 (dev 0.790 and 0.798: within dev's noise, "
        "the cue threshold moved from 0.33 to 0.42 on dev, not to choose it, gives 0.788 to 0.792 "
        "and 0.794 to 0.800); the regularisation chosen again by cross-validation over train "
        "among 0.1, 0.2, 0.3, 0.5 and 1.0, now the script's default list: C 0.2 (candidate F1 "
        "0.783, against 0.782 for 0.3) 0.7852 and 0.7944 against 0.7848 and 0.7943 (dev 0.795 "
        "and 0.801). The round after it, on train, one after the other: a colon ending its paragraph "
        "introduces the next one 0.7855 and 0.7944; 'in' a poll or survey as a cue (train: 'in' "
        "was part of a gold cue for 58 of the 179 such phrases; no longer left out, as an earlier "
        "broader version was) 0.7859 and 0.7948; the cue word's features scaled 0.8 in the fit "
        "(candidate F1 0.7840 against 0.7834 at 1.0; 0.6 to 0.9 were all above 1.0) 0.7866 and "
        "0.7954 (dev 0.794 and 0.802); title-case lines parsed in lower case (272 of the 840 "
        "train articles changed) 0.7876 and 0.7961 (dev 0.796 and 0.802); the usage counts "
        "counted again with it 0.7872 and 0.7960 (dev 0.793 and 0.800: dev "
        "moves by 0.003 either way with changes that move train by 0.0004). The round after "
        "that, mostly speakers an analyst would have seen wrong, on train, one after the other: a "
        "stance noun in a phrase of the verb speaks for the verb's subject ('voted in favor of', "
        "'roused the crowd with criticism of') 0.7869 and 0.7963; a noun's infinitive for its "
        "owner ('Trump's failure to denounce') or for whoever holds the noun ('held a briefing to "
        "brag that ...') 0.7866 and 0.7965 (dev 0.795 and 0.802); no headline verb inside a "
        "place's name ('The United States has ...' in a lede gave 'States' as a cue and "
        "'United' as the speaker) and a dateline cut from the content ('WASHINGTON — ...') "
        "0.7869 and 0.7964; a gerund set off after what a speech verb says speaks for the "
        "speaker ('said the deployment would be lawful, without confirming ...' had the "
        "deployment not confirming) 0.7871 and 0.7968; a passive conjunct takes no speaker from "
        "the subject it shares ('They are staying at bases and are expected to be sent') 0.7868 "
        "and 0.7966 (dev 0.795 and 0.802). Latest round, on train, one after the other: the "
        "WordNet class of the cue word and of the source's head noun as features (of the most "
        "frequent sense: the classes of the three most frequent, the verb's WordNet frames, its "
        "hypernyms and the content head's class added nothing to it) 0.7882 and 0.7982 (dev "
        "0.797 and 0.805); a phrase giving someone's view as a candidate 0.7884 and 0.7988 (dev "
        "0.796 and 0.805); a stance the subject receives ('The proposal drew criticism from "
        "rivals' had the proposal as the speaker and the criticism as what it said) 0.7885 and "
        "0.7991; 'quoted an official as saying' said by the official (it was the one quoting), "
        "no received stance where its 'of' names what it is about ('sparked criticism of the "
        "policy'), and the regularisation chosen again among the default list (C 0.2) "
        "0.7889 and 0.7988 (dev 0.795 and 0.804); a backing someone gets from a group "
        "('Trump's support among evangelicals' is the evangelicals'; it was Trump's) 0.7890 "
        "and 0.7990 (dev 0.795 and 0.803); a noun no longer kept inside another one's content "
        "for sharing a claim verb's word, whatever its score ('said the reports were \"fake "
        "news\"' gave the reports as a speakerless report of it) 0.7891 and 0.7991 (dev 0.795 "
        "and 0.804); in review, a stance noun the verb does not receive ('sparked criticism of "
        "the policy') given back its own candidate, which the received-stance check had taken "
        "from it, 0.7891 and 0.7991 (dev 0.795 and 0.804, the table above: dev has moved by "
        "0.003 either way on each of these steps, as it did before). Tried and left out in the "
        "latest round: the WordNet features penalised less (scaled 1.5 or 2.5: 0.7885 and "
        "0.7882, against 0.7882 unscaled), their conjunctions with the content's opener and the "
        "source's type, or with the usage bucket, the passive and the content's size (0.7878 and "
        "0.7877), the two cues' WordNet classes in the nesting model (0.7887 against 0.7889), "
        "a name before a colon that opens a quote inside a line as its speaker ('Polls were "
        "early - Carl Bialik: \"...\"': 7 more candidates, 6 right, 0.7888 and 0.7991 against "
        "0.7890 and 0.7990, the threshold moving from 0.361 to 0.392). "
        "Tried and left out in the round before: article-level features (length, "
        "share of first-person words, of quote marks; "
        "the article's length with the cue's kind; the cue's position with its kind: candidate "
        "F1 within 0.0004 of none), an average of regressions fitted on articles drawn with "
        "replacement or with several penalties (0.7844 and 0.7850 against 0.7848), a cue noun's "
        "copula content only as a 'that' clause or after a colon ('the reports were \"fake "
        "news\"' is no report saying it: 0.0005 lower, recall lost). Tried and left out "
        "two rounds before: more features for the nesting model (the distance between the two "
        "cues, a relative or adverbial clause or conjunct on the way to the inner cue, a quoted "
        "outer content, the pair of cue kinds, the inner source's type, the length of the outer "
        "part and where in it the inner cue sits: all within 0.0004), other feature groups "
        "scaled (structure, usage, source, content: below the cue word's scaling alone), "
        "pairwise conjunctions of the construction features (candidate F1 0.7834 to 0.7792, "
        "lower), and dropping any one feature group (none gained more than 0.0005: not "
        "chosen on so little). Tried and left out three rounds before: a cue set off by "
        "commas after the subject it was hung on ('Trump, Sexton said, has created ...': no "
        "change), a closing quote mark kept in the sentence it closes (0.0003 lower), a "
        "participle or an object "
        "relative clause saying the noun it modifies ('a practice criticized by ...', 'the "
        "approach he has advocated': 2,966 more candidates, 171 right ones, no change, and lower "
        "for verbs of saying only), the subcategorisation frame of the cue, its modal, the side "
        "and distance of its content, the source's length, number and first word, the content's "
        "first, third and last words, the paragraph and sentence position (calibrated already), "
        "a quote in the sentence (each within 0.001 of candidate F1, most lower), a beam parse "
        "(the model's parser gave the same trees). Tried and left "
        "out four rounds before: a light verb's preposition in its content ('paid tribute "
        "to'), the "
        "object noun's usage in news as a feature, a preposition's gerund speaking for an "
        "adjective or a light verb's subject, a participle on an object speaking for the clause's "
        "subject (each within 0.0005 of it on train, or lower), a minimum feature count of 2 or "
        "3 (no change). Tried five rounds before and left out: stacking, a second regression "
        "that also weighs the first "
        "one's probabilities of the cue, of the candidates around it and of the same word "
        "elsewhere in the article (candidate F1 0.779 against 0.778 when the first stage is "
        "refitted inside each fold; the 0.785 it seemed to give otherwise was leakage); the same "
        "feature with the cue's dependency (no change); the content head's word and the "
        "source's word "
        "with the cue lemma, the word after the cue with the cue lemma, the cue's modals and "
        "adverbs, the content preposition's object as the content head, a fronted preposition "
        "never content (candidate F1 0.3 to 0.9 points lower or no change); a relative clause "
        "with no object saying the noun it describes ('an offer the leaders rebuffed': 549 more "
        "candidates, 48 more right ones, no change); a passive that is not a verb of saying "
        "saying its subject beyond a preposition (lower); whether the source speaks elsewhere in "
        "the article (no change); two more usage signals, a quote mark next to the word and an "
        "infinitive (no change at three decimals); a one-layer network over the same features "
        "(candidate F1 0.770 against the regression's 0.773), C 0.2, 0.4, 0.6 (0.3 is best), the "
        "cue threshold 0.32 to 0.40 and the nesting threshold 0.4 to 0.6 for the whole component "
        "(0.357 and 0.5 are best, within 0.002). Earlier rounds found the threshold does not "
        "limit it (0.30 to 0.46 moved it by at most 0.006 on train), nor the model: "
        "gradient-boosted trees over the same features scored below the regression (candidate "
        "F1 0.741 against 0.747), and the parser's 96-wide token vectors added nothing. The "
        "component's time on the dev docs is printed above (1.0 to 1.6 s for 84 articles in this "
        "round's runs, 0.7 to 0.8 s in the last one's; not timed side by side, so not a measured "
        "slowdown); it moves with the load on the machine.\n\n"
        "What is still missed (train, cross-validated, by the missed gold attribution, one to "
        "one; counted for the model of three rounds before): 4,870 of 19,831. 50% have a candidate "
        "with the right "
        "cue and content that the model turns down, a long tail of attitude and action cues "
        "PolNeAR counts ('support', 'want', 'see', 'take', 'passed referendums'; many held "
        "inside another attribution's content, where PolNeAR, giving a token to one attribution "
        "only, keeps the outer one); 33% have no candidate at all (a copula: 'It's not clear "
        "that', 'is confident in'; phrasal verbs; headlines and newsletter labels; parses that lose "
        "the clause); 13% have a candidate with the cue but another content (light verbs whose "
        "content is a preposition's object: 'pay attention to', 'took offense when'; a "
        "passive's subject); 4% were kept and then nested in, or dropped for, another one. Of "
        "our 3,337 unmatched attributions, 67% have no gold cue near them (action verbs with an "
        "object, and reports PolNeAR left out: 'The paper reported it obtained 72 emails'), 25% "
        "lie inside a gold content and 8% have the gold cue with another content. Of the "
        "attributions we match, the source is missing for 3% and another one for 2%. "
        f"For scale, two PolNeAR annotators of the same article agree to attribution F1 "
        f"{agreed.prf()[2]:.3f} and source overlap F1 {agreed_source.prf()[2]:.3f} by these "
        f"measures ({agreed_articles} articles annotated twice, train and dev). "
        f"Against the targets (attribution and source overlap F1 of 0.8 on dev): attribution "
        f"{'reaches' if attribution_f1 >= 0.8 else 'does not reach'} it ({attribution_f1:.3f}), "
        f"source {'reaches' if source_f1 >= 0.8 else 'does not reach'} it ({source_f1:.3f}), "
        "both within dev's noise of 0.8 (above); recall, not precision, is what holds them down. "
        "Multi-word cues "
        "('said in a statement') are found by their verb, so exact cue scores trail the overlap "
        "ones; content boundaries come from the parse (exact content is the weakest measure).\n"
    )
    print(body)
    if args.write_docs:
        if args.compartment != "dev":
            raise SystemExit("--write-docs reports the dev compartment only")
        write_section(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
