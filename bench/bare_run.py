"""The collection's analysis without Jupyter: every notebook's code cells run in one plain Python process.

    python bench/bare_run.py [ARTICLE] [--published YYYY-MM-DD] --out-root DIR

This is the baseline that bench/run_bench.py compares run.py against: the same helpers, the same analysis
and the same figures (the code is taken from the notebooks themselves, so the two cannot drift apart), but
no kernels, no papermill and no HTML. Display calls are no-ops.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def notebook_code(path: Path) -> list[str]:
    """The code cells of a notebook, in order, with the parameters cell left out (read as plain JSON)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"]
            if c["cell_type"] == "code" and "parameters" not in c.get("metadata", {}).get("tags", [])]


def run_notebooks(article_file: str, published: str | None, out_root: str) -> None:
    """Execute every per-article notebook's code in this process, each in a fresh namespace with the run's
    parameters."""
    import matplotlib

    matplotlib.use("Agg")
    os.chdir(ROOT / "notebooks")
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if "article_file" not in path.read_text(encoding="utf-8"):
            continue  # a corpus notebook (06): not part of a run on one article
        namespace = {"__name__": "__main__", "article_file": article_file, "published": published,
                     "out_root": out_root, "display": lambda *args, **kwargs: None}
        for source in notebook_code(path):
            exec(compile(source, f"{path.name}", "exec"), namespace)
        import matplotlib.pyplot as plt

        plt.close("all")


def main(argv: list[str] | None = None) -> int:
    """Command line: run the bare analysis on one article."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(ROOT / "seeds" / "000_dc8b8b8b1f23bca8.txt"))
    parser.add_argument("--published")
    parser.add_argument("--out-root", required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # notebooks print for students
        run_notebooks(str(Path(args.article).resolve()), args.published, str(Path(args.out_root).resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
