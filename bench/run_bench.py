"""How fast the collection runs, how it scales, and how close the date resolver is to its target.

Not a test and not part of CI. From the project root:

    python bench/run_bench.py                 # everything, prints one table
    python bench/run_bench.py --skip-scale    # leave out the 100,000-word article
    python bench/run_bench.py --parts 1 --baseline COMMIT   # part 1 only, beside the project as it was at COMMIT

1. Collection overhead: `python run.py` on the seed (every notebook + HTML) against bench/bare_run.py, which
   runs the same notebook code in one plain process (no kernels, no HTML). Target: ratio <= 1.5. With
   --baseline, the same two are measured on an earlier commit in the same run, alternately, so the bare run of
   the two versions can be compared (target: a third faster than before the front-door restructure).
2. Corpus throughput: the analysis (parse + NER + sentiment + dates + tension, no notebooks) over the 256 TBAQ
   documents against raw `nlp.pipe` of the same texts with the same pipeline. Target: >= 0.8 of raw spaCy.
   spaCy is warmed up on the corpus first; each side runs twice, alternately, and its best time counts.
3. Scale: articles of 10k, 30k and 100k words made by concatenating TBAQ texts, each analysed in a fresh
   process: wall time and peak RSS. Target: peak RSS < 2 GiB, time growing linearly.
4. Dates: strict-span, relaxed-span and value F1 of find_timexes on TBAQ. Target: value F1 >= 80.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import newslab.files  # noqa: E402 (importable once the project is on sys.path)
import newslab.nlp  # noqa: E402
from timex_bench import DEFAULT_CORPUS, load_tbaq, run, score  # noqa: E402 (importable once bench/ is on sys.path)

PYTHON = sys.executable


def timed(command: list[str], cwd: Path) -> float:
    """Wall-clock seconds of a command run to completion (its output discarded; failure raises)."""
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - started


def baseline_project(commit: str, target: Path) -> Path:
    """The project as it was at a git commit (git archive into target), to measure side by side."""
    target.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def collection_overhead(workdir: Path, baseline: str | None = None, repeat: int = 2) -> dict:
    """Seconds of run.py on the seed and of the bare one-process run of the same notebooks, and their ratio.

    With `baseline` (a git commit), that commit's project is measured too, side by side: each side runs once to warm
    the file cache, then `repeat` times, alternately, and its best time counts. Every bare run starts with an empty
    output folder, so the parse cache of one run never helps the next."""
    from conftest import copy_project

    projects = {"new": copy_project(workdir / "project-new")}
    if baseline:
        projects["baseline"] = baseline_project(baseline, workdir / "project-baseline")
    times: dict[str, dict[str, list[float]]] = {side: {"runner": [], "bare": []} for side in projects}
    for attempt in range(repeat + 1):
        for side, project in projects.items():
            shutil.rmtree(project / "reports", ignore_errors=True)
            runner = timed([PYTHON, "run.py"], project)
            out_root = workdir / f"bare-{side}-{attempt}"
            source = ROOT if side == "new" else project  # the project copy of run.py has no bench/
            bare = timed([PYTHON, str(source / "bench" / "bare_run.py"), "--out-root", str(out_root)], source)
            if attempt:  # the first round only warms the file cache
                times[side]["runner"].append(runner)
                times[side]["bare"].append(bare)
    result = {side: {kind: min(values) for kind, values in kinds.items()} for side, kinds in times.items()}
    for side in result:
        result[side]["ratio"] = result[side]["runner"] / result[side]["bare"]
    return result


def tbaq_articles(documents: list[dict], workdir: Path, title: bool = False) -> list[Path]:
    """Each TBAQ document as an article file with front matter (its DCT as the publication date).

    TBAQ's TEXT has no headline, so its short first paragraph would be read as the title; with `title`, the
    document's name goes in front as the title line and every paragraph of TEXT stays in the story."""
    paths = []
    for doc in documents:
        path = workdir / "tbaq" / (Path(doc["name"]).stem + ".txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        head = f"TBAQ {Path(doc['name']).stem}\n\n" if title else ""
        path.write_text(f"---\npublished: {doc['dct'].isoformat()}\nlanguage: en\n---\n{head}{doc['text'].strip()}\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def analyse(article, cues) -> int:
    """The collection's analysis of one loaded article, without notebooks; returns the number of timeline rows."""
    import helpers

    entities = helpers.entity_table(article)
    helpers.canonical_entities(entities)
    sentiment = helpers.sentiment_table(article)
    timexes = helpers.timex_table(article)
    timeline = helpers.timeline_table(article, timexes, entities, cues, sentiment=sentiment)
    helpers.tension_by_date(timeline)
    return len(timeline)


def corpus_throughput(paths: list[Path], repeat: int = 2) -> dict:
    """Words per second of the full analysis and of raw nlp.pipe over the same paragraph texts.

    spaCy is warmed up on the whole corpus first (the first pass over a corpus is slower than later ones), then the
    analysis and the raw parse run `repeat` times each, alternately; the best time of each counts."""
    import warnings

    import helpers

    nlp = newslab.nlp.load_nlp()
    warnings.simplefilter("ignore")
    texts = [p.text for path in paths for p in helpers.read_article(path).paragraphs]
    for _ in nlp.pipe(texts):
        pass
    analysis_times, raw_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        cues = helpers.load_tension_cues()
        articles = helpers.parse_articles([helpers.read_article(path) for path in paths])
        for article in articles:
            analyse(article, cues)
        analysis_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in nlp.pipe(texts):
            pass
        raw_times.append(time.perf_counter() - started)
    words = sum(p.n_words for article in articles for p in article.paragraphs)
    analysis_s, raw_s = min(analysis_times), min(raw_times)
    return {"words": words, "analysis_wps": words / analysis_s, "raw_wps": words / raw_s,
            "ratio": raw_s / analysis_s}


def scale_child(path: str) -> None:
    """In a fresh process: load and analyse one article, print seconds, words and peak RSS as JSON."""
    import warnings

    import helpers

    warnings.simplefilter("ignore")
    newslab.nlp.load_nlp()
    started = time.perf_counter()
    article = helpers.parse_article(helpers.read_article(path))
    analyse(article, helpers.load_tension_cues())
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "words": sum(p.n_words for p in article.paragraphs),
                      "peak_rss_mib": peak_kib / 1024}))


def scale(paths: list[Path], workdir: Path, sizes=(10_000, 30_000, 100_000)) -> list[dict]:
    """Articles of the given word counts, concatenated from real texts, each analysed in its own process."""
    bodies = [newslab.files.split_front_matter(p.read_text(encoding="utf-8"))[1] for p in paths]
    results = []
    for size in sizes:
        parts, words, i = [], 0, 0
        while words < size:
            body = bodies[i % len(bodies)]
            parts.append(body)
            words += len(body.split())
            i += 1
        path = workdir / f"long_{size}.txt"
        path.write_text("---\npublished: 2000-01-01\nlanguage: en\n---\nA long article\n\n"
                        + "\n\n".join(parts), encoding="utf-8")
        out = subprocess.run([PYTHON, __file__, "--scale-child", str(path)], check=True, capture_output=True,
                             text=True).stdout
        results.append({"target_words": size, **json.loads(out.strip().splitlines()[-1])})
    return results


def dates(documents: list[dict]) -> dict:
    """Strict, relaxed and value (P, R, F1) of the date resolver on the TBAQ documents."""
    return score([d["gold"] for d in documents], run(documents))


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--parts", default="1,2,3,4", help="which parts to run, e.g. 1 or 2,4 (default: all)")
    parser.add_argument("--baseline", help="a git commit whose project part 1 also measures, side by side")
    parser.add_argument("--scale-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_child:
        scale_child(args.scale_child)
        return 0
    if not args.corpus.exists():
        print(f"TBAQ corpus not found at {args.corpus}; pass --corpus", file=sys.stderr)
        return 2
    documents = load_tbaq(args.corpus)
    parts = {int(part) for part in args.parts.split(",")}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if 1 in parts:
            overhead = collection_overhead(workdir, args.baseline)
            for side, label in (("new", ""), ("baseline", f" (baseline {args.baseline})")):
                if side not in overhead:
                    continue
                numbers = overhead[side]
                rows += [("1 collection", f"run.py on the seed (5 notebooks + HTML){label}",
                          f"{numbers['runner']:.1f} s", "abs"),
                         ("1 collection", f"bare one-process run, same code{label}", f"{numbers['bare']:.1f} s", "abs"),
                         ("1 collection", f"ratio runner / bare{label} (target <= 1.5)", f"{numbers['ratio']:.2f}",
                          "ratio")]
            if "baseline" in overhead:
                rows.append(("1 collection", "bare run, new / baseline (target <= 0.67: a third faster)",
                             f"{overhead['new']['bare'] / overhead['baseline']['bare']:.2f}", "ratio"))
        paths = tbaq_articles(documents, workdir)
        throughput = corpus_throughput(paths) if 2 in parts else None
        rows += [] if throughput is None else [
                 ("2 throughput", f"analysis, {len(paths)} TBAQ docs, {throughput['words']} words",
                  f"{throughput['analysis_wps']:.0f} words/s", "abs"),
                 ("2 throughput", "raw nlp.pipe, same texts and pipeline", f"{throughput['raw_wps']:.0f} words/s",
                  "abs"),
                 ("2 throughput", "ratio analysis / raw, best of 2 after a warm-up (target >= 0.8)",
                  f"{throughput['ratio']:.2f}", "ratio")]
        if 3 in parts and not args.skip_scale:
            results = scale(paths, workdir)
            for r in results:
                rows.append(("3 scale", f"{r['words']} words: time, peak RSS (target < 2048 MiB)",
                             f"{r['seconds']:.1f} s, {r['peak_rss_mib']:.0f} MiB", "abs"))
            first, last = results[0], results[-1]
            per_word = (last["seconds"] / last["words"]) / (first["seconds"] / first["words"])
            rows.append(("3 scale", "time per word, 100k vs 10k (1.0 = linear)", f"{per_word:.2f}", "ratio"))
    scores = dates(documents) if 4 in parts else {}
    for name in scores and ("strict", "relaxed", "value"):
        p, r, f = scores[name]
        rows.append(("4 dates", f"{name} span P / R / F1" if name != "value" else "value P / R / F1 (target >= 80)",
                     f"{p:.1f} / {r:.1f} / {f:.1f}", "stable"))
    print(f"\nBenchmarks on {platform.node() or 'this machine'}: {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}\n")
    print("| part | measure | value | kind |\n|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
