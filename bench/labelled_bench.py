"""Tension peaks and sentence dates on a folder of article files labelled by a reader (not a test, not in CI).

    python bench/labelled_bench.py --articles DIR --labels LABELS.csv [--sentences SENTENCES.csv] \
        [--project /tmp/before --project .] [--errors]

LABELS.csv has one row per article file: `file` (its name in DIR), `conflict` (none, mild or strong), `peak` (the
date value of the most tense event the article describes, empty when there is no conflict) and `also_accept`
(other values a reader accepts, separated by ';'); bench/data/realnews_labels.csv is one, made as its note says.
SENTENCES.csv (optional) has `file`, `sentence` (copied from the article) and `expected` (the date of the main event
the sentence reports): the sentence's date in notebook 04's timeline must be compatible with it. Values are
compared as tension_bench.py compares them (at their common granularity). With --project, each checkout of the
project is measured in a child process of its own, side by side in one run.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from tension_bench import compatible  # noqa: E402 (importable once bench/ is on sys.path)

CHILD = """
import json, sys, warnings
sys.path.insert(0, {project!r})
import helpers
assert helpers.__file__.startswith({project!r}), helpers.__file__
files = json.loads({files!r})
cues = helpers.load_tension_cues()
out = {{}}
for name in files:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        article = helpers.parse_article(helpers.read_article({folder!r} + "/" + name))
    timexes, entities = helpers.timex_table(article), helpers.entity_table(article)
    timeline = helpers.timeline_table(article, timexes, entities, cues)
    by_date = helpers.tension_by_date(timeline)
    peaks = list(by_date.loc[by_date["peak"], "value"]) if "peak" in by_date else []
    sentences = [[" ".join(str(text).split()), str(value)] for text, value in zip(timeline["text"], timeline["value"])]
    out[name] = {{"peaks": peaks, "sentences": sentences}}
print(json.dumps(out))
"""


def accepted(row: dict) -> list[str]:
    """The values a reader accepts as the peak of a labelled article."""
    return [row["peak"], *filter(None, row["also_accept"].split(";"))]


def analyse(project: Path, folder: Path, files: list[str]) -> dict:
    """file -> {'peaks': flagged peak values, 'sentences': [[text, date value]]}, computed by the project there."""
    code = CHILD.format(project=str(project), files=json.dumps(files), folder=str(folder))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project)
    if result.returncode != 0:
        raise SystemExit(f"{project}: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def sentence_date(found: list[list[str]], sentence: str) -> str | None:
    """The date value of the timeline sentence that is (or holds, or is held by) a labelled sentence."""
    wanted = " ".join(sentence.split()).strip("\"“” ")
    for text, value in found:
        text = text.strip("\"“” ")
        if text and (text == wanted or wanted in text or text in wanted):
            return value
    return None


def main(argv: list[str] | None = None) -> None:
    """Score each project on the labelled articles and print the numbers side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", required=True, help="the folder of labelled article files")
    parser.add_argument("--labels", required=True, help="the CSV of peaks (file, conflict, peak, also_accept)")
    parser.add_argument("--sentences", help="the CSV of sentences and their expected dates")
    parser.add_argument("--project", action="append", help="a checkout of the project (repeat to compare)")
    parser.add_argument("--errors", action="store_true", help="list what each project gets wrong")
    args = parser.parse_args(argv)
    folder = Path(args.articles).resolve()
    rows = list(csv.DictReader(open(args.labels, encoding="utf-8")))
    sentences = list(csv.DictReader(open(args.sentences, encoding="utf-8"))) if args.sentences else []
    for project in [Path(p).resolve() for p in (args.project or [HERE.parent])]:
        found = analyse(project, folder, [r["file"] for r in rows])
        tense = [r for r in rows if r["conflict"] != "none"]
        agree = [r for r in tense if any(compatible(v, g) for v in found[r["file"]]["peaks"] for g in accepted(r))]
        calm = [r for r in rows if r["conflict"] == "none"]
        quiet = [r for r in calm if not found[r["file"]]["peaks"]]
        dated = [s for s in sentences if compatible(sentence_date(found[s["file"]]["sentences"], s["sentence"]) or "",
                                                    s["expected"])]
        line = (f"{project}: peak agrees on {len(agree)}/{len(tense)} articles with conflict, no peak on "
                f"{len(quiet)}/{len(calm)} without")
        print(line + (f"; sentences dated right {len(dated)}/{len(sentences)}" if sentences else ""))
        if args.errors:
            for r in rows:
                if r in tense and r not in agree or r in calm and r not in quiet:
                    reader = accepted(r) if r in tense else "none"
                    print(f"  peak {r['file']}: flagged {found[r['file']]['peaks']}, reader {reader}")
            for s in sentences:
                if s not in dated:
                    got = sentence_date(found[s["file"]]["sentences"], s["sentence"])
                    print(f"  date {s['file']} [{s['kind']}] got {got}, reader {s['expected']}: {s['sentence'][:100]}")


if __name__ == "__main__":
    main()
