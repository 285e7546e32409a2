"""Tension peaks against the hand-made development set (bench/data/tension_devset.csv, read before tuning).

For each of its 51 TBAQ articles: does the date flagged as notebook 04's tension peak agree with the date of the
most tense event a reader named (or one of the dates also accepted), and does an article without any conflict get
no peak at all? Run it on this project, or with --project on an older checkout of it (git worktree add DIR COMMIT)
to put today's numbers beside an earlier version's, side by side in one run:

    .venv/bin/python bench/tension_bench.py --project /tmp/before --project .

An older version has no `peak` column: its peak is the date of the highest tension_max, as its notebook said.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEVSET = HERE / "data" / "tension_devset.csv"
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "tempeval" / "TBAQ"


def iso_week(value: str) -> str:
    """The ISO week ('1998-W32') of a day value ('1998-08-04'); a week value without its part ('-WE'); else ''."""
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        return value[:8]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        year, week, _ = dt.date.fromisoformat(value).isocalendar()
        return f"{year}-W{week:02d}"
    return ""


def compatible(system: str, gold: str) -> bool:
    """Whether two TIMEX3 values name the same time at their common granularity ('2013-03' and '2013-03-22'; a
    week and a day in it, as the dev set's notes ask: '1998-W32' and '1998-08-04')."""
    system, gold = system.split("T")[0], gold.split("T")[0]
    if "W" in system + gold and iso_week(system) and iso_week(system) == iso_week(gold):
        return True
    return bool(system) and bool(gold) and (system.startswith(gold) or gold.startswith(system))


def score(rows: list[dict], flagged: dict[str, list[str]]) -> dict:
    """Peak agreement on articles with conflict, no-peak rate on articles without, and how many peaks are ties."""
    tense = [r for r in rows if r["conflict"] != "none"]
    calm = [r for r in rows if r["conflict"] == "none"]
    agree = sum(any(compatible(v, g) for v in flagged[r["document"]]
                    for g in [r["peak_value"], *filter(None, r["also_accept"].split(";"))]) for r in tense)
    quiet = sum(not flagged[r["document"]] for r in calm)
    ties = sum(len(flagged[r["document"]]) > 1 for r in rows)
    return {"n_tense": len(tense), "agree": agree, "n_calm": len(calm), "quiet": quiet, "ties": ties}


def flagged_peaks(project: Path, corpus: Path) -> dict[str, list[str]]:
    """document -> the peak value(s) that the project at `project` flags, computed in a child process there."""
    code = f"""
import json, sys
sys.path.insert(0, {str(project)!r})
import helpers  # the project's own, before the bench modules put this checkout on the path
assert helpers.__file__.startswith({str(project)!r}), helpers.__file__
sys.path.insert(1, {str(HERE)!r})
from timex_bench import load_tbaq
from run_bench import tbaq_articles
import csv, tempfile, pathlib
rows = list(csv.DictReader(open({str(DEVSET)!r}, encoding="utf-8")))
wanted = {{pathlib.Path(r["document"]).name for r in rows}}
documents = [d for d in load_tbaq({str(corpus)!r}) if d["name"] in wanted]
cues = helpers.load_tension_cues()
out = {{}}
with tempfile.TemporaryDirectory() as work:
    for document, path in zip(documents, tbaq_articles(documents, pathlib.Path(work), title=True)):
        article = helpers.parse_article(helpers.read_article(path))
        timexes, entities = helpers.timex_table(article), helpers.entity_table(article)
        by_date = helpers.tension_by_date(helpers.timeline_table(article, timexes, entities, cues))
        if "peak" in by_date:
            values = list(by_date.loc[by_date["peak"], "value"])
        else:
            values = [] if by_date.empty else [by_date.loc[by_date["tension_max"].idxmax(), "value"]]
        out[document["name"]] = values
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project)
    if result.returncode != 0:
        raise SystemExit(f"{project}: {result.stderr[-2000:]}")
    by_name = json.loads(result.stdout.strip().splitlines()[-1])
    rows = list(csv.DictReader(DEVSET.open(encoding="utf-8")))
    return {r["document"]: by_name.get(Path(r["document"]).name, []) for r in rows}


def main(argv: list[str] | None = None) -> list[dict]:
    """Score each project given (default: this one) on the development set and print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", action="append", help="a checkout of the project (repeat to compare)")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="the TBAQ folder")
    parser.add_argument("--errors", action="store_true", help="list the articles each project gets wrong")
    args = parser.parse_args(argv)
    projects = [Path(p).resolve() for p in (args.project or [HERE.parent])]
    rows = list(csv.DictReader(DEVSET.open(encoding="utf-8")))
    results = []
    for project in projects:
        flagged = flagged_peaks(project, Path(args.corpus))
        numbers = score(rows, flagged)
        results.append({"project": str(project), **numbers})
        print(f"{project}: peak agrees on {numbers['agree']}/{numbers['n_tense']} articles with conflict "
              f"({100 * numbers['agree'] / numbers['n_tense']:.1f} %); no peak on {numbers['quiet']}/"
              f"{numbers['n_calm']} without ({100 * numbers['quiet'] / numbers['n_calm']:.1f} %); "
              f"{numbers['ties']} tied peak(s)")
        if args.errors:
            for r in rows:
                accepted = [r["peak_value"], *filter(None, r["also_accept"].split(";"))]
                got = flagged[r["document"]]
                right = not got if r["conflict"] == "none" else any(compatible(v, g) for v in got for g in accepted)
                if not right:
                    print(f"    {r['document']} [{r['conflict']}] gold {'|'.join(accepted)} -> {got}")
    return results


if __name__ == "__main__":
    main()
