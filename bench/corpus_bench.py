"""Corpus mode against raw single-process spaCy, side by side in one run (README, Performance).

Not a test and not part of CI. From the project root:

    python bench/corpus_bench.py                 # 256 TBAQ documents and 2,560 (the same texts ten times)
    python bench/corpus_bench.py --sizes 256     # the small corpus only

For each size the TBAQ documents (plain text from ../shared/tempeval/TBAQ/, their creation time as publication
date) are written as article files, the 2,560 as ten copies under distinct names and slugs. Then, in this order:
raw `nlp.pipe` over the same paragraph texts in this one process (the same pipeline, load_nlp), then the same
texts dealt out to one process per core parsing at once (the ceiling of any corpus run: what the workers could do
if they only parsed; its column is its throughput against the one process); `build_corpus`
on a local Dask cluster (one worker process per core; the time includes starting the cluster and spaCy in each
worker, every table and writing the store); and a second, incremental `build_corpus` over the unchanged corpus.
Targets: corpus throughput >= 1.6x raw single-process spaCy on 2 cores, cost linear from 256 to 2,560 documents,
peak memory per worker < 1.5 GiB, incremental rerun < 10 % of the first.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
import warnings
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
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


def article_texts(paths: list[Path]) -> list[str]:
    """Every paragraph text of the articles, as the corpus run reads them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [p.text for path in paths for p in read_article(path).paragraphs]


def raw_pipe(texts: list[str]) -> tuple[float, int]:
    """Seconds of raw nlp.pipe over the texts in this process, and their words."""
    nlp = load_nlp()
    started = time.perf_counter()
    words = sum(count_words(doc) for doc in nlp.pipe(texts))
    return time.perf_counter() - started, words


def parse_share(texts: list[str], ready: Barrier, finished: Queue) -> None:
    """In a process of raw_pipe_parallel: load spaCy, warm it up, wait for the others, parse, say when done."""
    nlp = load_nlp()
    list(nlp.pipe(texts[:20]))
    ready.wait()
    for _ in nlp.pipe(texts):
        pass
    finished.put(time.perf_counter())


def raw_pipe_parallel(texts: list[str], processes: int) -> float:
    """Seconds of raw nlp.pipe over the texts dealt out to `processes` processes parsing at once, from the moment
    all have spaCy loaded until the last is done: the most that many workers could do with the parse alone."""
    context = multiprocessing.get_context("spawn")  # new processes: nothing of this one's threads comes along
    ready, finished = context.Barrier(processes + 1), context.Queue()
    workers = [context.Process(target=parse_share, args=(texts[i::processes], ready, finished))
               for i in range(processes)]
    for worker in workers:
        worker.start()
    ready.wait()
    started = time.perf_counter()
    ends = [finished.get() for _ in workers]
    for worker in workers:
        worker.join()
    return max(ends) - started


def measure(paths: list[Path], store: Path) -> dict:
    """Raw spaCy (one process, then one per core at once), the corpus run and the incremental rerun on one corpus,
    one after the other."""
    texts = article_texts(paths)
    raw_s, words = raw_pipe(texts)
    cores = os.cpu_count() or 1
    parallel_s = raw_pipe_parallel(texts, cores)
    print(f"  {len(paths)} documents: raw nlp.pipe {raw_s:.1f} s, in {cores} processes at once {parallel_s:.1f} s",
          file=sys.stderr, flush=True)
    first = corpus.build_corpus(paths, store, scheduler="local", progress=False)
    print(f"  corpus mode {first.seconds:.1f} s", file=sys.stderr, flush=True)
    assert not first.failed, first.failed[:3]
    again = corpus.build_corpus(paths, store, scheduler="local", progress=False)
    assert again.computed == 0 and again.unchanged == len(paths)
    return {"documents": len(paths), "words": words, "raw_s": raw_s, "corpus_s": first.seconds,
            "workers": first.workers, "ratio": raw_s / first.seconds, "rerun_s": again.seconds,
            "peak_gib": max(first.peak_memory.values()) / 2**30, "ceiling": raw_s / parallel_s}


def row_text(r: dict) -> str:
    """One result as a row of the README's Markdown table."""
    return (f"| {r['documents']:,} | {r['words']:,} | {r['raw_s']:.1f} s | {r['corpus_s']:.1f} s | {r['workers']} | "
            f"{r['ratio']:.2f}x | {1000 * r['corpus_s'] / r['documents']:.1f} s | {r['peak_gib']:.2f} GiB | "
            f"{r['rerun_s']:.1f} s ({100 * r['rerun_s'] / r['corpus_s']:.1f} %) | {r['ceiling']:.2f}x |")


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
          "s per 1,000 docs | peak RSS per worker | incremental rerun | raw nlp.pipe, one process per core |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
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
