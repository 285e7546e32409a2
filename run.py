"""Run every notebook on one or more articles and render the results as an offline HTML site.

    python run.py                                   # the seed article
    python run.py path/to/article.txt --published 2024-05-01
    python run.py a.txt b.md some/folder/          # several articles, or every article in a folder
    python run.py -- -odd-name.txt                  # a file name starting with '-' goes after '--'
    python run.py --corpus data/articles/ [--name NAME] [--scheduler tcp://HOST:8786] [--render SLUG ...]

For each article, notebooks/NN_*.ipynb are executed with papermill into a staging folder of its
own run (the ones that only read the article side by side, one per core; the comparison notebook
last), on one kernel per worker process that runs notebook after notebook and is reset in between;
this process makes each executed notebook's HTML page while the workers go on. Only when all
succeed are data/<slug>/, figures/<slug>/ and reports/<slug>/ swapped into place, all or nothing
(newslab/staging.py), so a failed or killed run never destroys the previous good outputs. A run
holds a lock on its article (and one on the site index) while it writes: a second run on the same
article waits for the first, runs on different articles go side by side.

With --corpus, no per-article notebook runs: newslab/corpus.py computes every new or changed article's tables on
Dask workers (a local cluster of one worker process per core, or --scheduler ADDRESS) into data/corpus/NAME/,
then notebook 06 reads that store and is rendered to reports/corpus/NAME/; --render SLUG runs notebooks 01-05 on
those articles of the corpus as well.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import ctypes
import functools
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from newslab.articles import article_metadata, distinct_slug, read_article
from newslab.compare import article_numbers
from newslab.errors import ArticleError
from newslab.outputs import write_json, write_text
from newslab.paths import ROOT, SEED
from newslab.staging import clean_stale_stages, held_lock, new_stage, recover_stage, swap_into_place

if TYPE_CHECKING:  # imported where they are used: the command line answers --help without them
    from jupyter_client import KernelManager
    from nbconvert import HTMLExporter

NOTEBOOK_DIR = ROOT / "notebooks"
REPORTS = ROOT / "reports"
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
    """Article files from the command line; a folder stands for the article files inside it (hidden ones skipped)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.iterdir()
                            if p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith("."))
        else:
            found.append(path)
    return found


def shown(text: object) -> str:
    """Text safe to print on one line: undecodable bytes of file names and control characters escaped."""
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m.group())[1:-1], text)


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
    write_text(add_table_of_contents(body), target)


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
    write_text(page(meta["title"], head + f"<ol>\n{items}\n</ol>"), report_dir / "index.html")


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
    then the corpora made with --corpus, if any.

    Written under the site index's lock, to a temporary file renamed into place: never half a page."""
    REPORTS.mkdir(exist_ok=True)
    with held_lock(ROOT, "site-index"):
        items = []
        metas = [(json.loads(p.read_text(encoding="utf-8")), p) for p in sorted(REPORTS.glob("*/article.json"))
                 if not p.parent.name.startswith(".")]  # hidden: a swap of another run under way
        for meta, article_json in sorted(metas, key=lambda pair: (pair[0]["published"], pair[1].parent.name)):
            items.append(
                f'<li><a href="{html.escape(article_json.parent.name)}/index.html">{html.escape(meta["title"])}</a>'
                f" — {html.escape(meta['source'])}, {html.escape(meta['published'])}</li>"
            )
        target = REPORTS / "index.html"
        write_text(page("News articles read by the notebooks", "<ul>\n" + "\n".join(items) + "\n</ul>"
                        + corpus_items()), target)
    return target


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
    """This worker process's kernel, started on first use (when the worker starts) and shut down when it exits."""
    import multiprocessing.util

    from jupyter_client import KernelManager

    # Its clients (run.py's and papermill's) check that it is ready without jupyter_client's fixed 0.2 s wait.
    kernel = KernelManager(kernel_name="python3", client_class="newslab.kernels.PromptClient")
    # No IPython history: cells counted from 1 again after each reset would clash in its database (and print
    # "ERROR! Session/line number was not unique", a different session number each run, into the pages).
    kernel.start_kernel(cwd=str(NOTEBOOK_DIR), stderr=subprocess.DEVNULL,  # ipykernel's start-up chatter
                        extra_arguments=["--HistoryManager.enabled=False"])
    kernel.finalizer = multiprocessing.util.Finalize(kernel, kernel.shutdown_kernel, kwargs={"now": True},
                                                     exitpriority=10)
    return kernel


def discard_worker_kernel() -> None:
    """Shut this worker's kernel down and forget its manager, so that the next notebook gets a new one (a new
    ZeroMQ context, new ports): after a messaging failure nothing of the old messaging is reused."""
    if not worker_kernel.cache_info().currsize:
        return
    kernel = worker_kernel()
    worker_kernel.cache_clear()
    kernel.finalizer.cancel()
    try:
        kernel.shutdown_kernel(now=True)
    except Exception:  # already gone: nothing left to stop
        pass


# A kernel can die or be slow before it answers (under load, kernels started side by side may race for the same
# ports): a new kernel manager starts another on new ports, this many times in all.
KERNEL_STARTS = 3


def ready_kernel() -> KernelManager:
    """This worker's kernel, alive and answering; when it does not answer, a new kernel manager starts another
    (new ports), up to KERNEL_STARTS times in all.

    A new manager, not the same one restarted: shutting a manager's kernel down destroys its ZeroMQ context, and
    restarting it then fails with "ZMQError: Operation not supported" (what CI saw under load)."""
    problem = ""
    for _ in range(KERNEL_STARTS):
        kernel = worker_kernel()
        if not kernel.is_alive():  # the last notebook killed it: its manager is intact
            kernel.restart_kernel(now=True, newports=True)
        client = kernel.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            return kernel
        except RuntimeError as err:  # "Kernel died before replying to kernel_info", or no reply in time
            problem = str(err)
        finally:
            client.stop_channels()
        discard_worker_kernel()
    raise RuntimeError(f"the notebook kernel did not start ({KERNEL_STARTS} tries; last: {problem})")


def fresh_kernel() -> KernelManager:
    """This worker's kernel, reset as if new (and started again if the last notebook killed it)."""
    kernel = ready_kernel()
    client = kernel.client()
    client.start_channels()
    try:
        reply = client.execute_interactive(RESET_KERNEL, silent=True, store_history=False, timeout=60,
                                           output_hook=lambda message: None)
    finally:
        client.stop_channels()
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the kernel could not be reset ({reply['content'].get('evalue', '')})")
    return kernel


def kill_own_kernel(signum: int = 0, frame: object = None) -> None:
    """SIGTERM in a worker (its parent died or shuts the pool down hard): kill the worker's kernel, then exit."""
    if worker_kernel.cache_info().currsize:
        process = getattr(worker_kernel().provisioner, "process", None)
        if process is not None:
            try:
                os.kill(process.pid, signal.SIGKILL)
            except OSError:
                pass
    os._exit(1)


def start_worker(parent: int) -> None:
    """Set up a notebook worker: it dies with its parent (PR_SET_PDEATHSIG), leaves Ctrl-C to it, kills its kernel,
    and starts that kernel now."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C and stops the workers
    signal.signal(signal.SIGTERM, kill_own_kernel)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG (Linux)
    except (AttributeError, OSError):  # not Linux: the parent's shutdown (or its death) still stops the pool
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
    try:  # the kernel boots while the main process reads the article; ready_kernel waits for it
        worker_kernel()
    except Exception:  # it did not start (nothing is cached): ready_kernel starts one, KERNEL_STARTS tries, when wanted
        pass


def kernel_died(notebook: str, path: Path) -> str:
    """The one-line message for a kernel that died in a notebook, with what to do."""
    return (f"{shown(path)}: the kernel running {notebook} died (most often the system ran out of memory: the "
            "article is too long for this machine's memory). Give a shorter article or close other programs, "
            "then run again.")


def describe_failure(err: Exception, nb: Path, path: Path) -> str:
    """The one-line message for a notebook that could not run to its end, with what to do."""
    if type(err).__name__ == "DeadKernelError":
        return kernel_died(nb.name, path)
    if isinstance(err, OSError) and err.filename:
        return disk_message(path, err)
    return (f"{shown(path)}: {nb.name} could not be executed ({type(err).__name__}: {shown(err)}). "
            "Run the notebook in Jupyter to see why.")


def disk_message(path: Path | str, err: OSError) -> str:
    """The one-line message for an output that could not be written: the folder, the reason and what to do."""
    folder = Path(os.fsdecode(err.filename)) if err.filename else ROOT
    folder = folder if folder.is_dir() else folder.parent
    return (f"{shown(path)}: could not write the outputs into {shown(folder)} ({err.strerror or err}). Free some "
            "disk space or make that folder writable, then run again; earlier outputs were left as they were.")


def execute_notebook(nb: Path, executed: Path, params: dict, path: Path, kernel: KernelManager) -> None:
    """Run one notebook with papermill; any failure becomes a RunError naming the article, notebook and cell."""
    import papermill

    try:
        papermill.execute_notebook(
            str(nb), str(executed), parameters=params, cwd=str(NOTEBOOK_DIR), kernel_name="python3",
            progress_bar=False, log_output=False, request_save_on_cell_execute=False, km=kernel,
        )
    except papermill.PapermillExecutionError as err:
        raise RunError(
            f"{shown(path)}: {nb.name} failed in cell {err.cell_index} (execution count {err.exec_count}): "
            f"{err.ename}: {shown(err.evalue)}\n  executed notebook kept at {shown(executed)}"
        ) from None
    except Exception as err:  # kernel died, timeout, unreadable notebook ...: no library traceback
        if messaging_failed(err):
            raise  # run_notebook tries again on a new kernel manager
        raise RunError(describe_failure(err, nb, path)) from None


def zmq_error(err: BaseException | None) -> BaseException | None:
    """The ZeroMQ error in err's chain of causes (err itself, its __cause__ or __context__, …), or None."""
    while err is not None and type(err).__module__.split(".")[0] != "zmq":
        err = err.__cause__ or err.__context__
    return err


def messaging_failed(err: BaseException) -> bool:
    """True when the error came from the ZeroMQ messages between worker and kernel, not from the notebook: the
    notebook's cells are not at fault, so the same notebook on a new kernel manager runs through."""
    return zmq_error(err) is not None


def messaging_origin(err: BaseException) -> str:
    """Where the ZeroMQ error in err's chain was raised, as 'module.py:line in function' (a clue, not a traceback)."""
    err = zmq_error(err)
    frames = traceback.extract_tb(err.__traceback__) if err is not None else []
    calls = [f for f in frames if "zmq" not in f.filename] or frames
    return f"{Path(calls[-1].filename).name}:{calls[-1].lineno} in {calls[-1].name}" if calls else "?"


def stable_notebook(executed: Path, params: dict) -> None:
    """Make an executed notebook the same bytes on every run: fixed id and project-relative parameters in the
    injected cell, no papermill timings, consecutive outputs of one stream joined."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    nb.metadata.pop("papermill", None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
            cell.source = "# Parameters\n" + "".join(f"{key} = {value!r}\n" for key, value in params.items())
        for key in ("outputs",) if cell.cell_type == "code" else ():
            joined: list = []
            for output in cell[key]:
                if (joined and output.output_type == "stream" and joined[-1].output_type == "stream"
                        and joined[-1].name == output.name):
                    joined[-1].text += output.text
                else:
                    joined.append(output)
            cell[key] = joined
    with open(executed, "w", encoding="utf-8") as handle:
        nbformat.write(nb, handle)


def watch_kernel(kernel: KernelManager, stage: Path, nb: Path, done: threading.Event) -> None:
    """While a notebook runs: if its kernel dies (the out-of-memory killer), say so in the stage and end this worker,
    since papermill would wait for the dead kernel's output forever; the main process reports it."""
    process = getattr(kernel.provisioner, "process", None)  # this notebook's kernel process (a Popen)
    while process is not None and not done.wait(1):
        if process.poll() is not None and not done.is_set():
            (stage / "KERNEL_DIED").write_text(nb.name, encoding="utf-8")
            os._exit(1)


# A notebook whose kernel messages failed (messaging_failed) runs again on a new kernel, this many times in all.
MESSAGING_TRIES = 3


def run_on_kernel(nb: Path, executed: Path, stage: Path, params: dict, path: Path) -> None:
    """Execute one notebook on this worker's kernel, reset as if new, watched in case the kernel dies."""
    kernel = fresh_kernel()
    done = threading.Event()
    threading.Thread(target=watch_kernel, args=(kernel, stage, nb, done), daemon=True).start()
    try:
        execute_notebook(nb, executed, params, path, kernel)
    finally:
        done.set()


def run_notebook(nb: Path, stage: Path, slug: str, params: dict, path: Path) -> float | None:
    """Execute one notebook into the stage (render_page makes its HTML page); the seconds it took, or None when
    skipped because another notebook of the article failed first."""
    if (stage / "FAILED").exists():
        return None
    started = time.monotonic()
    executed = stage / "reports" / slug / nb.name
    for attempt in range(MESSAGING_TRIES):
        try:
            run_on_kernel(nb, executed, stage, params, path)
            break
        except RunError:
            raise
        except Exception as err:  # the kernel did not start or could not be reset, or its messages failed
            if not messaging_failed(err):
                raise RunError(describe_failure(err, nb, path)) from None
            if attempt + 1 == MESSAGING_TRIES:
                raise RunError(describe_failure(err, nb, path).replace(
                    ". Run the notebook", f", {MESSAGING_TRIES} times on new kernels. Run the notebook")) from None
            print(f"note: {nb.name}: its kernel messages failed ({type(err).__name__}: {shown(err)}, in "
                  f"{messaging_origin(err)}); running it again on a new kernel", file=sys.stderr, flush=True)
            discard_worker_kernel()  # the next try starts a new kernel manager
    try:
        stable_notebook(executed, {**params, "out_root": ".."})
    except Exception as err:
        raise step_failed(err, path, nb, "the executed notebook could not be saved") from None
    return time.monotonic() - started


def step_failed(err: Exception, path: Path, nb: Path, what: str) -> RunError:
    """The one-line error of a step after a notebook ran (saving it, making its page): a full disk or a denied
    folder says so; anything else names the notebook, what could not be done and why."""
    if isinstance(err, OSError):
        return RunError(disk_message(path, err))
    return RunError(f"{shown(path)}: {nb.name} ran but {what} ({type(err).__name__}: {shown(err)}).")


def render_page(nb: Path, stage: Path, slug: str, path: Path) -> float:
    """Render an executed notebook of the stage to its HTML page; the seconds it took. Done in the main process
    while the workers execute the next notebooks (a page takes 0.3-1 s that no notebook waits for)."""
    started = time.monotonic()
    executed = stage / "reports" / slug / nb.name
    try:
        render_html(executed, executed.with_suffix(".html"))
    except Exception as err:
        raise step_failed(err, path, nb, "its HTML page could not be made") from None
    return time.monotonic() - started


def notebook_parameters(path: Path, published: str | None, stage: Path) -> dict:
    """Papermill parameters: the article file and the stage relative to the project and notebooks when they can be."""
    try:
        article_file = str(path.relative_to(ROOT))
    except ValueError:
        article_file = str(path)
    return {"article_file": article_file, "published": published, "out_root": os.path.relpath(stage, NOTEBOOK_DIR)}


def run_batches(path: Path, slug: str, stage: Path, params: dict, pool: concurrent.futures.Executor, log) -> None:
    """Run the notebooks in the pool: those that only read the article side by side, then RUN_LAST; the first
    failure stops the article (notebooks not yet started are skipped). This process renders each executed
    notebook's page while the workers go on; the pages of a batch's last notebooks wait until the next batch is
    under way."""
    unrendered: list[tuple[Path, float]] = []  # executed notebooks whose pages are not made yet, with their seconds

    def render_all() -> None:
        while unrendered:
            nb, seconds = unrendered.pop(0)
            log(f"  {nb.name} done in {seconds + render_page(nb, stage, slug, path):.1f} s", flush=True)

    for batch in ([nb for nb in notebooks() if nb.name not in RUN_LAST],
                  [nb for nb in notebooks() if nb.name in RUN_LAST], []):
        futures = {pool.submit(run_notebook, nb, stage, slug, params, path): nb for nb in batch}
        try:
            render_all()  # the previous batch's last pages, while this batch runs
            for future in concurrent.futures.as_completed(futures):
                try:
                    seconds = future.result()
                except concurrent.futures.process.BrokenProcessPool:
                    if (stage / "KERNEL_DIED").exists():
                        raise RunError(kernel_died((stage / "KERNEL_DIED").read_text(encoding="utf-8"), path)) from None
                    raise RunError(
                        f"{shown(path)}: a worker process running the notebooks was killed (by the system when "
                        "memory ran out, or by hand). Give a shorter article or close other programs, then run "
                        "again.") from None
                if seconds is not None:
                    unrendered.append((futures[future], seconds))
                if not all(f.done() for f in futures):  # others still run: make the pages now
                    render_all()
        except BaseException as err:
            (stage / "FAILED").touch()
            for future in futures:
                future.cancel()
            if isinstance(err, Exception):
                concurrent.futures.wait(futures)  # the notebooks already running end, and write no more
            else:  # Ctrl-C: stop the workers now, before the staging folder is removed
                stop_pool(pool)
            raise


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back during the block; one that came meanwhile interrupts right after it."""
    came: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: came.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if came:
        raise KeyboardInterrupt


def run_article(path: Path, published: str | None, pool: concurrent.futures.Executor, log=print) -> dict:
    """Execute every notebook on one article in the pool's workers; swap outputs into place only if all succeed.

    The article's lock is held from choosing its slug to the end of the swap; the run's staging folder is removed
    however the run ends (a swap under way is finished or undone first)."""
    path = path.resolve()  # once: the metadata lookup, the notebooks and the reports all read this file
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        raise ArticleError(f"{shown(path)}: its name is not valid UTF-8, which the notebooks cannot be given. "
                           "Rename the file (letters, digits, '-' and '_' are safe) and run again.") from None
    article = read_article(path, published=published)  # checks the file and gives the slug; no parse
    base = article.slug
    with held_lock(ROOT, base, log=lambda message: log(message, flush=True)):
        clean_stale_stages(ROOT, held=base)
        article.slug = slug = distinct_slug(article, ROOT)
        meta = article_metadata(article)
        stage = new_stage(ROOT, base)
        try:
            report_dir = stage / "reports" / slug
            report_dir.mkdir(parents=True)
            run_batches(path, slug, stage, notebook_parameters(path, published, stage), pool, log)
            write_json(meta, report_dir / "article.json")
            write_article_index(report_dir, meta)
            (stage / "FAILED").unlink(missing_ok=True)
            with signals_held():  # Ctrl-C during the swap takes effect when it is over
                swap_into_place(ROOT, stage, slug)
        finally:
            recover_stage(ROOT, stage)
    return meta


def notebook_pool() -> concurrent.futures.ProcessPoolExecutor:
    """Worker processes for the notebooks, one per core (at most one per notebook that runs side by side).

    papermill is imported here first, so that every worker starts with it (forked) instead of importing it again,
    and nbconvert for the pages this process makes. The workers are forked at once and each starts its kernel, which
    boots while this process reads the first article. Each worker dies with this process (start_worker)."""
    import nbconvert  # noqa: F401 (imported before the workers start, and before the first page is wanted)
    import papermill  # noqa: F401

    workers = max(1, min(os.cpu_count() or 1, len([nb for nb in notebooks() if nb.name not in RUN_LAST])))
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, initializer=start_worker,
                                                 initargs=(os.getpid(),))
    pool.submit(int)  # forks every worker now (the pool forks them all at its first task), so their kernels start
    return pool


def stop_pool(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """Stop the workers now (each kills its kernel on SIGTERM), without waiting for their notebooks."""
    processes = list(getattr(pool, "_processes", None) or {})  # pids; the pool keeps no public list
    for pid in processes:
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in processes:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass


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
            error = disk_message(path, err)
    for warning in caught:
        print(f"WARNING: {shown(str(warning.message).strip())}", file=sys.stderr)
    if error:  # undecodable bytes of a file name escaped, so printing it cannot fail
        print(f"ERROR: {error.encode('utf-8', 'backslashreplace').decode('utf-8')}", file=sys.stderr)
    return meta


def command_line() -> argparse.ArgumentParser:
    """The command line's arguments and help."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="A file name that starts with '-' goes after '--': python run.py -- -notes.txt")
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
    return parser


def run_articles(paths: list[Path], published: str | None,
                 pool: concurrent.futures.Executor) -> tuple[int, list[list[str]], concurrent.futures.Executor]:
    """Run notebooks 01-05 on each article (a new pool when a worker was killed), printing progress; (number of
    failures, summary rows, the pool now in use)."""
    failures, rows = 0, []
    for i, path in enumerate(paths, 1):
        print(f"Article {i} of {len(paths)}: {shown(path)}", flush=True)
        started = time.monotonic()
        meta = run_one(path, published, pool)
        if getattr(pool, "_broken", False):  # a worker was killed: its pool takes no more work
            pool.shutdown(wait=True)
            pool = notebook_pool()
        if meta is None:
            failures += 1
            rows.append([shown(path.name), "-", "-", "-", "-", "FAILED"])
            continue
        print(f"  -> reports/{meta['slug']}/index.html ({time.monotonic() - started:.1f} s)", flush=True)
        rows.append(summary_row(meta["slug"], "ok"))
    return failures, rows, pool


def finish(failures: int) -> int:
    """Write the site index (any error on one line); the number of failures, that one included."""
    try:
        index = write_site_index()
    except OSError as err:
        print(f"ERROR: {disk_message(REPORTS / 'index.html', err)}", file=sys.stderr)
        failures, index = failures + 1, None
    except (ValueError, KeyError) as err:
        print(f"ERROR: {REPORTS / 'index.html'}: could not be made ({type(err).__name__}: {shown(err)}). "
              "Check or delete the damaged reports/<slug>/article.json, then run again; the earlier index was "
              "left as it was.", file=sys.stderr)
        failures, index = failures + 1, None
    if index is not None:
        print(f"Site index: {index.relative_to(ROOT)}")
    return failures


def run_all(paths: list[Path], published: str | None) -> int:
    """Run every article, then the site index and the summary; the exit code."""
    pool = notebook_pool()  # one pool, and so one kernel per worker, for every article of the run
    try:
        failures, rows, pool = run_articles(paths, published, pool)
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    failures = finish(failures)
    print("\nSummary (numbers from each article's tables in data/<slug>/; '-' = table not made)")
    print(summary_table(rows))
    return 1 if failures else 0


def render_corpus_notebook(name: str, store: Path, pool: concurrent.futures.Executor) -> Path:
    """Execute notebook 06 on a corpus store (in a pool worker's kernel) into reports/corpus/NAME/, with its page."""
    report_dir = REPORTS / "corpus" / name
    stage = REPORTS / "corpus" / f".stage-{name}-{os.getpid()}"  # like an article's: executed there, then moved
    (stage / "reports" / name).mkdir(parents=True, exist_ok=True)
    try:
        for nb in sorted(NOTEBOOK_DIR / n for n in CORPUS_NOTEBOOKS):
            pool.submit(run_notebook, nb, stage, name, {"corpus_name": name, "out_root": str(ROOT)}, store).result()
            render_page(nb, stage, name, store)
        report_dir.mkdir(parents=True, exist_ok=True)
        for made in sorted((stage / "reports" / name).iterdir()):
            os.replace(made, report_dir / made.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
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
        print(f"ERROR: {shown(', '.join(args.corpus))}: no article files ({', '.join(ARTICLE_SUFFIXES)}) found. "
              "Give article files, or a folder that holds some.", file=sys.stderr)
        return 1
    rows: list[list[str]] = []
    try:
        name = corpus.corpus_name(args.corpus, args.name)
        store = corpus.CORPUS_ROOT / name
        print(f"Corpus {name!r}: {len(paths)} article file(s) -> {store.relative_to(ROOT)}/", flush=True)
        summary = corpus.build_corpus(paths, store, scheduler=args.scheduler, published=args.published)
        print(corpus.summary_text(summary), flush=True)
        render = corpus_slugs(store, args.render or [])
        pool = notebook_pool()  # notebook 06, then notebooks 01-05 on the articles asked for
        try:
            report_dir = render_corpus_notebook(name, store, pool)
            write_json(corpus.corpus_info(summary, name), report_dir / "corpus.json")
            print(f"  -> {(report_dir / '06_corpus.html').relative_to(ROOT)}", flush=True)
            failures, rows, pool = run_articles(render, args.published, pool) if render else (0, [], pool)
        except BaseException:
            stop_pool(pool)
            raise
        pool.shutdown(wait=True)
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
    """Command line: run the collection on the articles given (default: the seed), or --corpus on a corpus;
    Ctrl-C ends it with 130."""
    parser = command_line()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        print(f"ERROR: {shown(unknown[0])}: not an option of run.py. If it is a file name, put '--' before it: "
              f"python run.py -- {shown(unknown[0])}", file=sys.stderr)
        return 1
    if args.corpus and args.articles:
        parser.error("give articles either as --corpus DIR_OR_FILE ... or on their own, not both")
    if not args.corpus and (args.render or args.name):
        parser.error("--render and --name belong to --corpus")
    paths = [] if args.corpus else expand_articles(args.articles) if args.articles else [SEED]
    if not args.corpus and not paths:
        print(f"ERROR: {shown(', '.join(args.articles))}: no article files ({', '.join(ARTICLE_SUFFIXES)}) found. "
              "Give article files, or a folder that holds some.", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a polite kill cleans up like Ctrl-C
    try:
        return corpus_main(args) if args.corpus else run_all(paths, args.published)
    except KeyboardInterrupt:
        print("ERROR: interrupted. The article being analysed was left as it was before this run (earlier "
              "articles are done); run again to finish.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
