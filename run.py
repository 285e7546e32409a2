"""Run every notebook on one or more articles and render the results as an offline HTML site.

    python run.py                                   # the seed article
    python run.py path/to/article.txt --published 2024-05-01
    python run.py a.txt b.md some/folder/          # several articles, or every article in a folder
    python run.py --corpus data/articles/ [--name NAME] [--scheduler tcp://HOST:8786] [--render SLUG ...]

For each article, notebooks/NN_*.ipynb are executed with papermill into a staging folder (the
ones that only read the article side by side, one per core; the comparison notebook last), on
one kernel per worker process that runs notebook after notebook and is reset in between; only
when all of them succeed are data/<slug>/, figures/<slug>/ and reports/<slug>/ swapped into
place, so a failed run never destroys the previous good outputs.

With --corpus, no per-article notebook runs: newslab/corpus.py computes every new or changed article's tables on
Dask workers (a local cluster of one worker process per core, or --scheduler ADDRESS) into data/corpus/NAME/,
then notebook 06 reads that store and is rendered to reports/corpus/NAME/; --render SLUG runs notebooks 01-05 on
those articles of the corpus as well.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from newslab.articles import article_metadata, read_article
from newslab.compare import article_numbers
from newslab.errors import ArticleError
from newslab.outputs import write_json
from newslab.paths import ROOT, SEED

if TYPE_CHECKING:  # imported where they are used: the command line answers --help without them
    from jupyter_client import KernelManager
    from nbconvert import HTMLExporter

NOTEBOOK_DIR = ROOT / "notebooks"
REPORTS = ROOT / "reports"
STAGING = ROOT / ".staging"
OUTPUT_KINDS = ("data", "figures", "reports")
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")


class RunError(RuntimeError):
    """A notebook or an output step failed; the message names the article file, the step and the error."""


# Notebooks that read the tables the other notebooks write, so they run after all of them.
RUN_LAST = {"05_compare_articles.ipynb"}
# Notebooks of a whole corpus: run by --corpus on its store, never on one article.
CORPUS_NOTEBOOKS = {"06_corpus.ipynb"}


def notebooks() -> list[Path]:
    """The notebooks run on each article, in their numbered order (the corpus notebook is not one of them)."""
    return [nb for nb in sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb")) if nb.name not in CORPUS_NOTEBOOKS]


def summary_line(notebook: Path) -> str:
    """The one line under a notebook's title that says what it answers (a markdown line starting '> ')."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("> "):
                    return line[2:].strip()
    return ""


def notebook_title(notebook: Path) -> str:
    """The '# ' heading of a notebook's first markdown cell."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for line in "".join(cell["source"]).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    return notebook.stem


def expand_articles(paths: list[str]) -> list[Path]:
    """Article files from the command line; a folder stands for the article files inside it."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in ARTICLE_SUFFIXES)
        else:
            found.append(path)
    return found


@functools.lru_cache(maxsize=1)
def html_exporter() -> HTMLExporter:
    """The exporter of the offline HTML pages (images embedded, no CDN scripts), made once per process."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="offline", extra_template_basedirs=[str(ROOT / "site_template")],
                        embed_images=True)


def render_html(executed: Path, target: Path) -> None:
    """Render an executed notebook to a self-contained HTML page (images embedded, no CDN scripts)."""
    import nbformat

    body, _ = html_exporter().from_notebook_node(nbformat.read(executed, as_version=4))
    target.write_text(add_table_of_contents(body), encoding="utf-8")


HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="anchor-link"', re.DOTALL)
TOC_MARK = "<!-- table of contents -->"


def add_table_of_contents(page_html: str) -> str:
    """Replace the template's TOC mark with links to the page's own ## and ### headings (escaped)."""
    entries: list[tuple[str, list[str]]] = []  # each ## heading with the ### headings under it
    for level, anchor, inner in HEADING.findall(page_html):
        label = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        link = f'<a href="#{html.escape(html.unescape(anchor), quote=True)}">{html.escape(label)}</a>'
        if level == "3" and entries:
            entries[-1][1].append(link)
        else:
            entries.append((link, []))
    items = [f"<li>{link}" + (f"<ul>{''.join(f'<li>{c}</li>' for c in children)}</ul>" if children else "")
             + "</li>" for link, children in entries]
    toc = ('<nav class="toc" aria-label="Contents"><h2>Contents</h2>\n<ol>\n' + "\n".join(items)
           + "\n</ol>\n</nav>") if items else ""
    # Under the first cell (the notebook's title and question); where the template marked it if no cells.
    cells = [m.start() for m in re.finditer(r'<div class="jp-Cell ', page_html)]
    if len(cells) < 2:
        return page_html.replace(TOC_MARK, toc, 1)
    return page_html[: cells[1]].replace(TOC_MARK, "", 1) + toc + "\n" + page_html[cells[1]:]


def page(title: str, body: str) -> str:
    """A small, self-contained HTML page around body (which must already be escaped)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;font-size:18px;line-height:1.5}"
        "li{margin:.5em 0}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )


def write_article_index(report_dir: Path, meta: dict) -> None:
    """reports/<slug>/index.html: the notebooks in order, each with what it answers."""
    items = "\n".join(
        f'<li><a href="{html.escape(nb.stem)}.html">{html.escape(notebook_title(nb))}</a>'
        f" — {html.escape(summary_line(nb))}</li>"
        for nb in notebooks()
    )
    head = (
        f"<p>{html.escape(meta['source'])}, published {html.escape(meta['published'])}"
        f"{' (inferred from the text)' if meta['published_inferred'] else ''}.</p>\n"
        '<p><a href="../index.html">All articles</a></p>\n'
    )
    (report_dir / "index.html").write_text(page(meta["title"], head + f"<ol>\n{items}\n</ol>"), encoding="utf-8")


def corpus_items() -> str:
    """The site index's list of corpora (reports/corpus/NAME/corpus.json), or '' when there is none."""
    items = []
    for info_json in sorted((REPORTS / "corpus").glob("*/corpus.json")):
        info = json.loads(info_json.read_text(encoding="utf-8"))
        items.append(f'<li><a href="corpus/{html.escape(info_json.parent.name)}/06_corpus.html">'
                     f"{html.escape(str(info['name']))}</a> — {html.escape(str(info['ok']))} articles"
                     f"{', ' + html.escape(str(info['failed'])) + ' failed' if info['failed'] else ''}, "
                     f"built {html.escape(str(info['built']))}</li>")
    return "\n<h2>Corpora</h2>\n<ul>\n" + "\n".join(items) + "\n</ul>" if items else ""


def write_site_index() -> Path:
    """reports/index.html: every article analysed so far, in publication order, linking to its own index;
    then the corpora made with --corpus, if any."""
    items = []
    metas = [(json.loads(p.read_text(encoding="utf-8")), p) for p in sorted(REPORTS.glob("*/article.json"))]
    for meta, article_json in sorted(metas, key=lambda pair: (pair[0]["published"], pair[1].parent.name)):
        items.append(
            f'<li><a href="{html.escape(article_json.parent.name)}/index.html">{html.escape(meta["title"])}</a>'
            f" — {html.escape(meta['source'])}, {html.escape(meta['published'])}</li>"
        )
    REPORTS.mkdir(exist_ok=True)
    target = REPORTS / "index.html"
    target.write_text(page("News articles read by the notebooks", "<ul>\n" + "\n".join(items) + "\n</ul>"
                           + corpus_items()), encoding="utf-8")
    return target


def recover_stale_stage(stage: Path, slug: str) -> None:
    """Put back earlier outputs that an interrupted swap left in the staging folder, before it is cleared."""
    for kind in OUTPUT_KINDS:
        old, target = stage / f"old-{kind}", ROOT / kind / slug
        if old.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            old.rename(target)


def swap_into_place(stage: Path, slug: str) -> None:
    """Move stage/{data,figures,reports}/<slug> into the project, replacing earlier outputs of that slug only.

    All earlier outputs are first moved aside into the staging folder, then the new ones moved in; if any move
    fails, everything is moved back, so the project holds either all the old outputs or all the new ones.
    """
    kinds = [kind for kind in OUTPUT_KINDS if (stage / kind / slug).exists()]
    moved_aside, moved_in = [], []
    try:
        for kind in kinds:
            target = ROOT / kind / slug
            if target.exists():
                target.rename(stage / f"old-{kind}")
                moved_aside.append(kind)
        for kind in kinds:
            target = ROOT / kind / slug
            target.parent.mkdir(parents=True, exist_ok=True)
            (stage / kind / slug).rename(target)
            moved_in.append(kind)
    except OSError:
        for kind in moved_in:
            (ROOT / kind / slug).rename(stage / kind / slug)
        for kind in moved_aside:
            (stage / f"old-{kind}").rename(ROOT / kind / slug)
        raise
    for kind in moved_aside:
        shutil.rmtree(stage / f"old-{kind}")


# Each worker process keeps one kernel and runs notebook after notebook on it, so a kernel starts (and imports
# pandas, matplotlib and spaCy) once per worker, not once per notebook. Before each notebook the kernel is reset to
# how a fresh kernel starts: no variables, no open figures, default plot and table settings, cells counted from 1.
RESET_KERNEL = """\
get_ipython().run_line_magic("reset", "-f")
import matplotlib as _mpl, matplotlib.pyplot as _plt, pandas as _pd
_plt.close("all"); _mpl.rcdefaults(); _pd.reset_option("^display|^styler")
del _mpl, _plt, _pd
get_ipython().execution_count = 1
"""


@functools.lru_cache(maxsize=1)
def worker_kernel() -> KernelManager:
    """This worker process's kernel, started on first use and shut down when the worker exits."""
    import multiprocessing.util

    from jupyter_client import KernelManager

    kernel = KernelManager(kernel_name="python3")
    kernel.start_kernel(cwd=str(NOTEBOOK_DIR), stderr=subprocess.DEVNULL)  # ipykernel's start-up chatter
    multiprocessing.util.Finalize(kernel, kernel.shutdown_kernel, kwargs={"now": True}, exitpriority=10)
    return kernel


def fresh_kernel() -> KernelManager:
    """This worker's kernel, reset as if new (and started again if the last notebook killed it)."""
    kernel = worker_kernel()
    if not kernel.is_alive():
        kernel.restart_kernel(now=True)
    client = kernel.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        reply = client.execute_interactive(RESET_KERNEL, silent=True, store_history=False, timeout=60,
                                           output_hook=lambda message: None)
    finally:
        client.stop_channels()
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the kernel could not be reset ({reply['content'].get('evalue', '')})")
    return kernel


def execute_notebook(nb: Path, executed: Path, params: dict, path: Path) -> None:
    """Run one notebook with papermill; any failure becomes a RunError naming the article, notebook and cell."""
    import papermill

    try:
        papermill.execute_notebook(
            str(nb), str(executed), parameters=params, cwd=str(NOTEBOOK_DIR), kernel_name="python3",
            progress_bar=False, log_output=False, request_save_on_cell_execute=False, km=fresh_kernel(),
        )
    except papermill.PapermillExecutionError as err:
        raise RunError(
            f"{path}: {nb.name} failed in cell {err.cell_index} (execution count {err.exec_count}): "
            f"{err.ename}: {err.evalue}\n  executed notebook kept at {executed}"
        ) from None
    except Exception as err:  # kernel died, timeout, unreadable notebook ...: no library traceback
        raise RunError(
            f"{path}: {nb.name} could not be executed ({type(err).__name__}: {err}). "
            "Run the notebook in Jupyter to see why."
        ) from None


def run_notebook(nb: Path, report_dir: Path, params: dict, path: Path) -> float:
    """Execute one notebook into report_dir and render its HTML page; returns the seconds it took."""
    started = time.monotonic()
    executed = report_dir / nb.name
    execute_notebook(nb, executed, params, path)
    try:
        render_html(executed, executed.with_suffix(".html"))
    except Exception as err:
        raise RunError(f"{path}: {nb.name} ran but its HTML page could not be made "
                       f"({type(err).__name__}: {err}).") from None
    return time.monotonic() - started


def run_article(path: Path, published: str | None, pool: concurrent.futures.Executor, log=print) -> dict:
    """Execute every notebook on one article in the pool's workers; swap outputs into place only if all succeed."""
    article = read_article(path, published=published)  # checks the file and gives the slug; no parse
    meta = article_metadata(article)
    slug = article.slug
    stage = STAGING / slug
    if stage.exists():
        recover_stale_stage(stage, slug)
        shutil.rmtree(stage)
    report_dir = stage / "reports" / slug
    report_dir.mkdir(parents=True)
    params = {"article_file": str(path.resolve()), "published": published, "out_root": str(stage)}

    # Notebooks that only read the article run side by side, one per worker; those that read the other
    # notebooks' tables (RUN_LAST) run after them. The first failure stops the article.
    for batch in ([nb for nb in notebooks() if nb.name not in RUN_LAST], [nb for nb in notebooks()
                                                                            if nb.name in RUN_LAST]):
        futures = {pool.submit(run_notebook, nb, report_dir, params, path): nb for nb in batch}
        try:
            for future in concurrent.futures.as_completed(futures):
                log(f"  {futures[future].name} done in {future.result():.1f} s", flush=True)
        except BaseException:
            for future in futures:
                future.cancel()
            concurrent.futures.wait(futures)
            raise
    write_json(meta, report_dir / "article.json")
    write_article_index(report_dir, meta)
    swap_into_place(stage, slug)
    shutil.rmtree(stage, ignore_errors=True)
    return meta


def notebook_pool() -> concurrent.futures.ProcessPoolExecutor:
    """Worker processes for the notebooks, one per core (at most one per notebook that runs side by side).

    papermill and nbconvert are imported here first, so every worker starts with them (forked) instead of
    importing them again."""
    import nbconvert  # noqa: F401 (imported for the workers)
    import papermill  # noqa: F401

    workers = max(1, min(os.cpu_count() or 1, len([nb for nb in notebooks() if nb.name not in RUN_LAST])))
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers)


SUMMARY_COLUMNS = ("article", "words", "entities", "dated events", "peak tension date", "status")


def summary_row(slug: str, status: str) -> list[str]:
    """One row of the batch summary, with numbers read from the article's output tables ('-' when absent)."""
    try:
        numbers = article_numbers(ROOT / "data" / slug)
    except (OSError, ValueError, KeyError):  # a damaged table: the run itself succeeded
        numbers = dict.fromkeys(("words", "entities", "dated_events", "peak_tension_date"), "-")
    return [slug, str(numbers["words"]), str(numbers["entities"]), str(numbers["dated_events"]),
            str(numbers["peak_tension_date"]), status]


def summary_table(rows: list[list[str]]) -> str:
    """The batch summary as a plain-text table with aligned columns."""
    widths = [max(len(str(row[i])) for row in [list(SUMMARY_COLUMNS)] + rows) for i in range(len(SUMMARY_COLUMNS))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip()
             for row in [list(SUMMARY_COLUMNS), ["-" * w for w in widths]] + rows]
    return "\n".join(lines)


def run_one(path: Path, published: str | None, pool: concurrent.futures.Executor) -> dict | None:
    """Run the collection on one article; warnings, then any error, go to stderr as single lines. None on error."""
    meta, error = None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            meta = run_article(path, published, pool)
        except (ArticleError, RunError) as err:
            error = str(err)
        except OSError as err:
            error = (f"{path}: could not write the outputs ({err}). Check the disk space and the folders' "
                     "permissions; earlier outputs were left in place.")
    for warning in caught:
        print(f"WARNING: {str(warning.message).strip()}", file=sys.stderr)
    if error:
        print(f"ERROR: {error}", file=sys.stderr)
    return meta


def run_articles(paths: list[Path], published: str | None,
                 pool: concurrent.futures.Executor) -> tuple[int, list[list[str]]]:
    """Run notebooks 01-05 on each article in the pool, printing progress; (number of failures, summary rows)."""
    failures, rows = 0, []
    for i, path in enumerate(paths, 1):
        print(f"Article {i} of {len(paths)}: {path}", flush=True)
        started = time.monotonic()
        meta = run_one(path, published, pool)
        if meta is None:
            failures += 1
            rows.append([path.name, "-", "-", "-", "-", "FAILED"])
            continue
        print(f"  -> reports/{meta['slug']}/index.html ({time.monotonic() - started:.1f} s)", flush=True)
        rows.append(summary_row(meta["slug"], "ok"))
    return failures, rows


def finish(failures: int) -> int:
    """Write the site index (any error on one line); the exit code for `failures` plus that."""
    try:
        index = write_site_index()
    except (OSError, ValueError, KeyError) as err:
        print(f"ERROR: {REPORTS / 'index.html'}: could not be written ({type(err).__name__}: {err}). "
              "Check reports/*/article.json, or delete reports/ and run again.", file=sys.stderr)
        failures, index = failures + 1, None
    if index is not None:
        print(f"Site index: {index.relative_to(ROOT)}")
    return failures


def render_corpus_notebook(name: str, store: Path, pool: concurrent.futures.Executor) -> Path:
    """Execute notebook 06 on a corpus store (in a pool worker's kernel) into reports/corpus/NAME/, with its page."""
    report_dir = REPORTS / "corpus" / name
    report_dir.mkdir(parents=True, exist_ok=True)
    for nb in sorted(NOTEBOOK_DIR / n for n in CORPUS_NOTEBOOKS):
        pool.submit(run_notebook, nb, report_dir, {"corpus_name": name, "out_root": str(ROOT)}, store).result()
    return report_dir


def corpus_slugs(store: Path, slugs: list[str]) -> list[Path]:
    """The article files of the corpus with these slugs (status ok); an ArticleError names any unknown slug."""
    from newslab.corpus import read_articles

    articles = read_articles(store)
    ok = articles[articles["status"] == "ok"]
    files = dict(zip(ok["slug"], ok["file"]))
    unknown = [slug for slug in slugs if slug not in files]
    if unknown:
        raise ArticleError(f"--render {' '.join(unknown)}: no such article in {store} (its articles table lists "
                           "the slugs; a failed article has to be fixed first).")
    return [Path(files[slug]) for slug in slugs]


def corpus_main(args: argparse.Namespace) -> int:
    """--corpus: the store, then notebook 06 and its page, then the articles asked for with --render."""
    from newslab import corpus

    paths = expand_articles(args.corpus)
    if not paths:
        print(f"ERROR: {', '.join(args.corpus)}: no article files ({', '.join(ARTICLE_SUFFIXES)}) found. "
              "Give article files, or a folder that holds some.", file=sys.stderr)
        return 1
    try:
        name = corpus.corpus_name(args.corpus, args.name)
        store = corpus.CORPUS_ROOT / name
        print(f"Corpus {name!r}: {len(paths)} article file(s) -> {store.relative_to(ROOT)}/", flush=True)
        summary = corpus.build_corpus(paths, store, scheduler=args.scheduler, published=args.published)
        print(corpus.summary_text(summary), flush=True)
        render = corpus_slugs(store, args.render or [])
        with notebook_pool() as pool:  # notebook 06, then notebooks 01-05 on the articles asked for
            report_dir = render_corpus_notebook(name, store, pool)
            write_json(corpus.corpus_info(summary, name), report_dir / "corpus.json")
            print(f"  -> {(report_dir / '06_corpus.html').relative_to(ROOT)}", flush=True)
            failures, rows = run_articles(render, args.published, pool) if render else (0, [])
    except (ArticleError, RunError) as err:
        print(f"ERROR: {err}", file=sys.stderr)
        finish(0)
        return 1
    failures = finish(failures + len(summary.failed))
    if rows:
        print("\nSummary (numbers from each article's tables in data/<slug>/; '-' = table not made)")
        print(summary_table(rows))
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    """Command line: run the collection on the articles given (default: the seed), or --corpus on a corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="*", help="article files (.txt, .md, .html) or folders "
                                                    "(default: the seed article)")
    parser.add_argument("--published", help="publication date YYYY-MM-DD, for articles that do not carry one")
    parser.add_argument("--corpus", nargs="+", metavar="DIR_OR_FILE",
                        help="corpus mode: compute the tables of every article in these folders or files into "
                             "data/corpus/NAME/ (no per-article notebooks) and render notebook 06 on them")
    parser.add_argument("--name", help="the corpus's name (default: the folder's name)")
    parser.add_argument("--scheduler", default="local",
                        help="where the corpus runs: 'local' (a Dask cluster of one worker per core, default), "
                             "'serial' (this process, no Dask) or a Dask scheduler's address tcp://HOST:8786")
    parser.add_argument("--render", nargs="+", metavar="SLUG",
                        help="with --corpus: also run notebooks 01-05 on these articles of the corpus")
    args = parser.parse_args(argv)
    if args.corpus:
        if args.articles:
            parser.error("give articles either as --corpus DIR_OR_FILE ... or on their own, not both")
        return corpus_main(args)
    if args.render or args.name:
        parser.error("--render and --name belong to --corpus")
    paths = expand_articles(args.articles) if args.articles else [SEED]
    if not paths:
        print(f"ERROR: {', '.join(args.articles)}: no article files ({', '.join(ARTICLE_SUFFIXES)}) found. "
              "Give article files, or a folder that holds some.", file=sys.stderr)
        return 1
    with notebook_pool() as pool:  # one pool, and so one kernel per worker, for every article of the run
        failures, rows = run_articles(paths, args.published, pool)
    failures = finish(failures)
    print("\nSummary (numbers from each article's tables in data/<slug>/; '-' = table not made)")
    print(summary_table(rows))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
