"""Benchmark notebook 02's canonical merging against the hand-made dev set bench/data/entities_devset.csv.

Not a test and not run in CI. Usage, from the project root:

    python bench/entity_bench.py                      # reads ../shared/tempeval/TBAQ (or the first one up)
    python bench/entity_bench.py --corpus PATH --errors

How a mention is matched to the dev set: every surface form of the dev set is found in the article's paragraphs
as a whole, case-sensitive word, each stretch of text going to the longest form that covers it (the way the dev
set's counts were checked). A mention of the project's entity table belongs to the gold referent whose
occurrence it overlaps most; forms the dev set gives to two referents (`Hughes`) are left out. Only mentions the
canonical table counts (a name label and, where the table says so, not excluded) take part.

- a referent is **one entity** when its matched mentions all carry one canonical name, **split** when they carry
  two or more, **missed** when the model found none of its occurrences;
- a **wrong merge** is a canonical name (within one article) whose mentions belong to two or more referents.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import helpers  # noqa: E402
from timex_bench import DEFAULT_CORPUS, strip_tags  # noqa: E402

DEVSET = ROOT / "bench" / "data" / "entities_devset.csv"
# ../shared beside the project; from a git worktree (one more folder down) the first such folder further up
CORPUS = next((folder / "shared" / "tempeval" / "TBAQ" for folder in ROOT.parents
               if (folder / "shared" / "tempeval" / "TBAQ").is_dir()), DEFAULT_CORPUS)


def load_devset(path: Path = DEVSET) -> dict[str, dict[str, set[str]]]:
    """document -> surface form -> the referents it names (two for an ambiguous form)."""
    gold: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            gold[row["document"]][row["mention"]].add(row["referent"])
    return gold


def load_article(corpus: Path, document: str, workdir: Path):
    """The TBAQ document's TEXT as a parsed project Article (its DCT as the publication date)."""
    markup = (corpus / document).read_text(encoding="utf-8")
    text, _ = strip_tags(re.search(r"<TEXT>(.*)</TEXT>", markup, re.DOTALL).group(1))
    path = workdir / (Path(document).stem + ".txt")
    path.write_text(f"---\npublished: 2000-01-01\nlanguage: en\n---\n{text.strip()}\n", encoding="utf-8")
    return helpers.parse_article(helpers.read_article(path))


def gold_spans(text: str, forms: dict[str, set[str]]) -> list[tuple[int, int, str]]:
    """(start, end, form) of every whole-word occurrence of a form, the longest form winning where they overlap."""
    found = []
    for form in forms:
        for match in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            found.append((match.start(), match.end(), form))
    found.sort(key=lambda span: (-(span[1] - span[0]), span[0]))
    kept: list[tuple[int, int, str]] = []
    for start, end, form in found:
        if not any(start < k_end and k_start < end for k_start, k_end, _ in kept):
            kept.append((start, end, form))
    return sorted(kept)


def counted(table):
    """The rows of an entity table that the canonical table counts."""
    keep = table["canonical_label"].isin(helpers.NAME_LABELS)
    if "excluded" in table.columns:
        keep &= table["excluded"] == ""
    return table[keep]


def score_document(article, forms: dict[str, set[str]]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(referent -> (canonical, text, label) of its mentions, canonical name -> referents of its mentions)."""
    table = counted(helpers.entity_table(article))
    names: dict[str, set[str]] = {ref for refs in forms.values() for ref in refs}
    names = {ref: set() for ref in names}
    holders: dict[str, set[str]] = defaultdict(set)
    for paragraph in article.paragraphs:
        spans = gold_spans(paragraph.text, forms)
        for row in table[table["paragraph"] == paragraph.index].itertuples():
            overlap = [(min(end, row.end) - max(start, row.start), form) for start, end, form in spans
                       if start < row.end and row.start < end]
            if not overlap:
                continue
            form = max(overlap)[1]
            if len(forms[form]) != 1:  # an ambiguous form: no gold answer
                continue
            referent = next(iter(forms[form]))
            names[referent].add((row.canonical, row.text, row.label))
            holders[row.canonical].add(referent)
    return names, holders


def main() -> None:
    """Score every dev-set article and print the share of one-entity referents and the wrong merges."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--errors", action="store_true", help="list every split, missed referent and wrong merge")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    gold = load_devset()
    one = split = missed = 0
    merges, problems = [], []
    with tempfile.TemporaryDirectory() as workdir:
        for document, forms in sorted(gold.items()):
            names, holders = score_document(load_article(args.corpus, document, Path(workdir)), forms)
            for referent, mentions in sorted(names.items()):
                found = {canonical for canonical, _, _ in mentions}
                if len(found) == 1:
                    one += 1
                elif found:
                    split += 1
                    problems.append(f"split   {document}: {referent} -> {sorted(found)}, from {sorted(mentions)}")
                else:
                    missed += 1
                    problems.append(f"missed  {document}: {referent}")
            for name, referents in sorted(holders.items()):
                if len(referents) > 1:
                    merges.append(f"merge   {document}: {name!r} holds {sorted(referents)}")
    total = one + split + missed
    if args.errors:
        print("\n".join(problems + merges))
    print(f"referents: {total} in {len(gold)} articles")
    print(f"one canonical entity: {one} ({100 * one / total:.1f} %); of the {one + split} the model found: "
          f"{100 * one / max(one + split, 1):.1f} %")
    print(f"split: {split}; missed by the model: {missed}")
    print(f"wrong merges: {len(merges)}")


if __name__ == "__main__":
    main()
