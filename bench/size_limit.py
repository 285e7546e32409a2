"""Peak memory and time of the whole collection (run.py and every worker and kernel) on articles of given sizes.

    python bench/size_limit.py 100000 400000 1000000   # article sizes in bytes; default: the size limit

Each article is TBAQ news text (../shared/tempeval/TBAQ), one document after another as paragraphs under one
title, cut at a paragraph end near the size asked for. run.py runs it in a fresh project copy while the resident
memory of its whole process tree is summed every 0.2 s. Not a test; the numbers go in README's Performance section.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from conftest import copy_project  # noqa: E402
from newslab.files import MAX_FILE_BYTES  # noqa: E402
from timex_bench import DEFAULT_CORPUS, load_tbaq  # noqa: E402


CORPUS = DEFAULT_CORPUS if DEFAULT_CORPUS.is_dir() else Path("/work/shared/tempeval/TBAQ")


def article_text(size: int, corpus: Path = CORPUS) -> str:
    """A title and TBAQ paragraphs, repeated if need be, up to about `size` bytes of UTF-8."""
    paragraphs = [p.strip() for doc in load_tbaq(corpus) for p in doc["text"].split("\n") if len(p.split()) > 5]
    parts, total, i = ["Long article made of news reports", ""], 40, 0
    while total < size:
        paragraph = " ".join(paragraphs[i % len(paragraphs)].split())
        parts.append(paragraph)
        total += len(paragraph.encode("utf-8")) + 2
        i += 1
    return "\n\n".join(parts[:1] + parts[2:]) + "\n"


def tree_rss(pid: int) -> int:
    """Resident memory in bytes of pid and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(proc.name))
                rss[int(proc.name)] = int(fields[21]) * 4096
            except (OSError, IndexError, ValueError):
                continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def measure(size: int) -> tuple[float, float, int, str]:
    """(peak memory in GiB, seconds, exit code, last stderr line) of run.py on an article of about `size` bytes."""
    with tempfile.TemporaryDirectory() as folder:
        project = copy_project(Path(folder) / "p")
        (project / "long.txt").write_text(article_text(size), encoding="utf-8")
        started, peak = time.monotonic(), 0
        process = subprocess.Popen([sys.executable, "run.py", "long.txt", "--published", "2024-01-01"],
                                   cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.2)
        stderr = process.stderr.read().strip().splitlines()
        return peak / 2**30, time.monotonic() - started, process.returncode, (stderr or [""])[-1][:200]


def main() -> None:
    """Measure each size given on the command line and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[MAX_FILE_BYTES])
    for size in parser.parse_args().sizes:
        peak, seconds, code, last = measure(size)
        print(f"{size:>10,} bytes: peak {peak:.2f} GiB, {seconds:.0f} s, exit {code} {last}", flush=True)


if __name__ == "__main__":
    main()
