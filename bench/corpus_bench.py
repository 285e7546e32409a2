"""Corpus mode against raw single-process spaCy, side by side in one run (README, Performance).

Not a test and not part of CI. From the project root:

    python bench/corpus_bench.py                 # 256 TBAQ documents and 2,560 (the same texts ten times)
    python bench/corpus_bench.py --sizes 256     # the small corpus only

For each size the TBAQ documents (plain text from ../shared/tempeval/TBAQ/, their creation time as publication
date) are written as article files, the 2,560 as ten copies under distinct names and slugs. Then, in this order:
raw `nlp.pipe` over the same paragraph texts in this one process (the same pipeline, load_nlp); `build_corpus`
on a local Dask cluster (one worker process per core; the time includes starting the cluster and spaCy in each
worker, every table and writing the store); and a second, incremental `build_corpus` over the unchanged corpus.
Targets: corpus throughput >= 1.6x raw single-process spaCy on 2 cores, cost linear from 256 to 2,560 documents,
peak memory per worker < 1.5 GiB, incremental rerun < 10 % of the first.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from newslab import corpus  # noqa: E402 (importable once the project is on sys.path)
from newslab.articles import read_article  # noqa: E402
from newslab.metadata import slugify  # noqa: E402
from newslab.nlp import count_words, load_nlp  # noqa: E402
from timex_bench import load_tbaq  # noqa: E402

TBAQ_PLACES = [ROOT.parent / "shared" / "tempeval" / "TBAQ", ROOT.parents[1] / "shared" / "tempeval" / "TBAQ"]


def tbaq_folder() -> Path:
    """The TBAQ corpus beside the project (../shared/tempeval/TBAQ, from the main checkout or a worktree)."""
    for place in TBAQ_PLACES:
        if place.is_dir():
            return place
    raise SystemExit(f"TBAQ not found in {', '.join(map(str, TBAQ_PLACES))}")


def write_corpus(documents: list[dict], folder: Path, copies: int) -> list[Path]:
    """Each document as an article file with front matter, `copies` times under distinct names and slugs."""
    folder.mkdir(parents=True)
    paths = []
    for copy in range(copies):
        for doc in documents:
            slug = slugify(Path(doc["name"]).stem) + (f"-copy{copy}" if copies > 1 else "")
            path = folder / f"{slug}.txt"
            path.write_text(f"---\npublished: {doc['dct'].isoformat()}\nlanguage: en\nslug: {slug}\n---\n"
                            f"{doc['text'].strip()}\n", encoding="utf-8")
            paths.append(path)
    return paths


def raw_pipe(paths: list[Path]) -> tuple[float, int]:
    """Seconds of raw nlp.pipe over every paragraph text of the articles in this process, and their words."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        texts = [p.text for path in paths for p in read_article(path).paragraphs]
    nlp = load_nlp()
    started = time.perf_counter()
    words = sum(count_words(doc) for doc in nlp.pipe(texts))
    return time.perf_counter() - started, words


def measure(paths: list[Path], store: Path) -> dict:
    """Raw spaCy, the corpus run and the incremental rerun on one corpus, one after the other."""
    raw_s, words = raw_pipe(paths)
    print(f"  {len(paths)} documents: raw nlp.pipe {raw_s:.1f} s", file=sys.stderr, flush=True)
    first = corpus.build_corpus(paths, store, scheduler="local", progress=False)
    print(f"  corpus mode {first.seconds:.1f} s", file=sys.stderr, flush=True)
    assert not first.failed, first.failed[:3]
    again = corpus.build_corpus(paths, store, scheduler="local", progress=False)
    assert again.computed == 0 and again.unchanged == len(paths)
    return {"documents": len(paths), "words": words, "raw_s": raw_s, "corpus_s": first.seconds,
            "workers": first.workers, "ratio": raw_s / first.seconds, "rerun_s": again.seconds,
            "peak_gib": max(first.peak_memory.values()) / 2**30}


def row_text(r: dict) -> str:
    """One result as a row of the README's Markdown table."""
    return (f"| {r['documents']:,} | {r['words']:,} | {r['raw_s']:.1f} s | {r['corpus_s']:.1f} s | {r['workers']} | "
            f"{r['ratio']:.2f}x | {1000 * r['corpus_s'] / r['documents']:.1f} s | {r['peak_gib']:.2f} GiB | "
            f"{r['rerun_s']:.1f} s ({100 * r['rerun_s'] / r['corpus_s']:.1f} %) |")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for each size, printing each row of one table as soon as it is measured."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256,2560", help="corpus sizes, multiples of the TBAQ documents")
    args = parser.parse_args(argv)
    documents = load_tbaq(tbaq_folder())
    load_nlp()  # raw spaCy starts warm, as it would in a long process; the corpus run pays its own start-up
    workdir = Path(tempfile.mkdtemp(prefix="corpus_bench_"))
    print(f"cores: {os.cpu_count()}; load average before: {os.getloadavg()[0]:.1f}")
    print("| documents | words | raw nlp.pipe, 1 process | corpus mode | workers | corpus / raw throughput | "
          "s per 1,000 docs | peak RSS per worker | incremental rerun |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            copies = max(1, size // len(documents))
            paths = write_corpus(documents, workdir / f"in-{size}", copies)
            print(row_text(measure(paths, workdir / f"store-{size}")), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
