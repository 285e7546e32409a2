"""Corpus mode: every article's tables computed without notebooks, on Dask workers, into one Parquet store
(run.py --corpus; notebook 06 reads the store).

The store of a corpus NAME is data/corpus/NAME/: one folder per table, one Parquet file per article in it
(<table>/<slug>.parquet, every row keyed by `slug`), and the articles table (articles/<file key>.parquet, one row
per article file: title, source, published, words, status, error, content_hash). An article's table files are
written first and its articles row last, each to a temporary file renamed into place, so an interrupted run leaves
a readable store and the next run redoes only what has no up-to-date articles row.

Each table is made by one function of (article, earlier tables) in TABLES, in order; add a table with one line.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import io
import json
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from newslab.articles import Article, paragraph_table, parse_articles, project_file, read_article
from newslab.cameo import Cues
from newslab.entities import entity_table
from newslab.errors import ArticleError
from newslab.metadata import SLUG_PATTERN, read_metadata_table
from newslab.nlp import pipeline_name
from newslab.paths import ROOT
from newslab.sentiment import sentiment_table
from newslab.events import event_table
from newslab.tension import CUE_DIR, CUE_FILES, load_tension_cues, score_events, tension_by_date
from newslab.timeline import timeline_table, timex_table

CORPUS_ROOT = ROOT / "data" / "corpus"
ARTICLE_COLUMNS = ["slug", "file", "title", "source", "published", "published_inferred", "words", "paragraphs",
                   "status", "error", "warnings", "content_hash"]
ARTICLES_PER_TASK = 16  # at most this many articles go to a worker in one task (one nlp.pipe stream)


def paragraphs_of(article: Article, earlier: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Notebook 01's paragraph table."""
    return paragraph_table(article)


def entities_of(article: Article, earlier: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Notebook 02's entity table (mentions with canonical names)."""
    return entity_table(article)


def sentiment_of(article: Article, earlier: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Notebook 03's sentiment table (paragraphs and sentences)."""
    return sentiment_table(article)


def timexes_of(article: Article, earlier: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Notebook 04's date expressions."""
    return timex_table(article)


def events_of(article: Article, earlier: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Notebook 04's events table (who did what to whom, when), scored by the tension cues."""
    events = event_table(article, earlier["timexes"], earlier["entities"])
    return score_events(article, events, earlier["tension_cues"])


def timeline_of(article: Article, earlier: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Notebook 04's timeline (every sentence dated by its main event and scored), reusing the tables made before
    it; its `matches` column (the cues of each sentence) serves tension_by_date and is not stored (UNSTORED)."""
    return timeline_table(article, earlier["timexes"], earlier["entities"], earlier["tension_cues"],
                          sentiment=earlier["sentiment"], events=earlier["events"])


def tension_of(article: Article, earlier: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Notebook 04's tension per described date."""
    return tension_by_date(earlier["timeline"])


UNSTORED = ("matches",)  # columns of Python objects that serve later tables but are not written to the store
# name -> function(article, earlier tables) -> DataFrame, in the order they are made; `earlier` holds the cue table
# ("tension_cues") and every table made before. A new table (e.g. events) is one more line here.
TABLES: dict[str, Callable[[Article, dict[str, pd.DataFrame]], pd.DataFrame]] = {
    "paragraphs": paragraphs_of,
    "entities": entities_of,
    "sentiment": sentiment_of,
    "timexes": timexes_of,
    "events": events_of,
    "timeline": timeline_of,
    "tension_by_date": tension_of,
}


def code_version() -> str:
    """A fingerprint of the code that makes the tables: newslab's source files, spaCy and its pipeline."""
    import spacy

    name = pipeline_name()
    digest = hashlib.sha256(f"{spacy.__version__}|{name}|{importlib.metadata.version(name)}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:16]


def content_hash(path: Path, published: str | None, metadata: dict, cues: bytes, code: str) -> str:
    """What an article's tables depend on: its file's bytes, its metadata.csv row, --published, cues, code."""
    digest = hashlib.sha256(code.encode() + b"\x00" + cues + b"\x00")
    digest.update(json.dumps([published, metadata.get(project_file(path), {})], sort_keys=True).encode() + b"\x00")
    try:
        digest.update(path.read_bytes())
    except OSError as err:  # recorded as this article's error when it is read
        digest.update(f"unreadable {err}".encode())
    return digest.hexdigest()[:24]


def file_key(path: Path) -> str:
    """The name of an article file's row in the articles folder: a short hash of its absolute path."""
    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]


def one_line(err: BaseException) -> str:
    """An error as one line: an ArticleError's own message, anything else with its type."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return text if isinstance(err, ArticleError) else f"{type(err).__name__}: {text}"


def article_row(path: Path, article: Article | None, status: str, error: str, caught: list[str]) -> dict:
    """One row of the articles table (content_hash is added by the caller that knows it)."""
    body_words = sum(p.n_words for p in article.body) if article is not None and status == "ok" else 0
    return {"slug": article.slug if article else "", "file": str(path.resolve()),
            "title": article.title if article else "", "source": article.source if article else "",
            "published": article.published.isoformat() if article else "",
            "published_inferred": bool(article.published_inferred) if article else False,
            "words": int(body_words), "paragraphs": len(article.paragraphs) if article else 0,
            "status": status, "error": error, "warnings": " | ".join(caught)}


def analyse_batch(files: list[str], published: str | None, code: str, cues: Cues) -> list[dict]:
    """Run on a worker: read, parse (one nlp.pipe stream) and tabulate a few articles; one result per file.

    Each result is {"row": articles-table row, "tables": name -> the bytes of its Parquet file}; a bad file gets
    status 'failed' and its one-line error, and the others go on. `code` is the client's code_version: a worker
    running other code fails every file instead of writing tables the hash would not describe. `cues` are the
    client's tension cues, loaded once per run (not once per task) and sent to each worker once."""
    mine = code_version()
    if mine != code:
        message = (f"the Dask worker runs other project code (version {mine}, this run {code}): start the workers "
                   "from the same project checkout")
        return [{"row": article_row(Path(f), None, "failed", message, []), "tables": {}} for f in files]
    read: list[tuple[Path, Article | None, str, list[str]]] = []
    for name in files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                article, error = read_article(name, published=published), ""
            except (ArticleError, OSError, ValueError) as err:
                article, error = None, one_line(err)
        read.append((Path(name), article, error, [" ".join(str(w.message).split()) for w in caught]))
    parse_articles([article for _, article, _, _ in read if article is not None])
    results = []
    for path, article, error, caught in read:
        tables: dict[str, pd.DataFrame] = {}
        if article is not None:
            earlier = {"tension_cues": cues}
            try:
                for table_name, make in TABLES.items():
                    earlier[table_name] = tables[table_name] = make(article, earlier)
            except Exception as err:  # one article's failure must not stop the others
                error, tables = f"{next(iter(set(TABLES) - set(tables)), '?')}: {one_line(err)}", {}
        row = article_row(path, article, "failed" if error else "ok", error, caught)
        # Each table leaves the worker as its Parquet file, keyed by slug: the encoding is done here, on all the
        # workers at once, and the client only writes files. An empty table has no file: no rows to key, no
        # column types to guess.
        files = {name: stored_bytes(table, row["slug"]) for name, table in tables.items() if len(table)}
        results.append({"row": row, "tables": files})
    return results


def stored_bytes(table: pd.DataFrame, slug: str) -> bytes:
    """A table as the bytes of its Parquet file in the store: the article's slug first, UNSTORED columns left out."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    kept = [column for column in table.columns if column not in UNSTORED]
    stored = table[kept] if len(kept) < len(table.columns) else table.copy(deep=False)  # the caller's stays whole
    stored.insert(0, "slug", slug)
    buffer = io.BytesIO()
    # the same bytes as before with DataFrame.to_parquet(index=False) on a concatenated copy, in about a fifth less
    # time (the tables of the 256 TBAQ documents: 3.1 s -> 2.4 s)
    pq.write_table(pa.Table.from_pandas(stored, preserve_index=False), buffer)
    return buffer.getvalue()


def article_row_bytes(row: dict) -> bytes:
    """One articles-table row as the bytes of a Parquet file, made with pyarrow (a fifth of pandas' time: the client
    writes one per article while the workers compute)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"published_inferred": pa.bool_(), "words": pa.int64(), "paragraphs": pa.int64()}
    schema = pa.schema([(name, types.get(name, pa.string())) for name in ARTICLE_COLUMNS])
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist([row], schema=schema), buffer)
    return buffer.getvalue()


def write_bytes(data: bytes, path: Path) -> None:
    """Write one file through a temporary file renamed into place (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def remove_slug(store: Path, slug: str) -> None:
    """Delete one article's files from every table of the store."""
    for name in TABLES:
        (store / name / f"{slug}.parquet").unlink(missing_ok=True)


def write_result(store: Path, result: dict) -> None:
    """Put one article's tables (Parquet files made by analyse_batch) into the store, then its articles row (last,
    so it vouches for the tables)."""
    row = result["row"]
    if row["status"] == "ok":
        remove_slug(store, row["slug"])
        for name, data in result["tables"].items():
            write_bytes(data, store / name / f"{row['slug']}.parquet")
    write_bytes(article_row_bytes(row), store / "articles" / f"{file_key(Path(row['file']))}.parquet")


def read_articles(store: Path) -> pd.DataFrame:
    """The store's articles table (empty, with its columns, when there is none yet), read as one pyarrow dataset
    (a fifth of the time of reading its one-row files one by one: 1.1 s against 5.3 s for 2,560)."""
    import pyarrow.dataset as ds

    files = sorted(str(p) for p in (store / "articles").glob("*.parquet"))
    if not files:
        return pd.DataFrame(columns=ARTICLE_COLUMNS)
    return ds.dataset(files, format="parquet").to_table().to_pandas()


def read_table(store: Path, name: str) -> pd.DataFrame:
    """One table of the store, every article's rows, in slug order (empty if no article has rows)."""
    import pyarrow.dataset as ds

    folder = store / name
    files = sorted(str(p) for p in folder.glob("*.parquet")) if folder.is_dir() else []
    if not files:
        return pd.DataFrame(columns=["slug"])
    return ds.dataset(files, format="parquet").to_table().to_pandas()


def read_corpus(store: str | Path) -> dict[str, pd.DataFrame]:
    """The whole store: 'articles' (every file, failed ones too) and each of TABLES for the articles that are ok."""
    store = Path(store)
    if not (store / "articles").is_dir():
        raise ArticleError(f"{store}: no corpus store here. Make one with `python run.py --corpus FOLDER`.")
    articles = read_articles(store).sort_values(["published", "slug", "file"], kind="stable").reset_index(drop=True)
    ok = set(articles.loc[articles["status"] == "ok", "slug"])
    tables = {"articles": articles}
    for name in TABLES:
        table = read_table(store, name)
        tables[name] = table[table["slug"].isin(ok)].reset_index(drop=True)
    return tables


@dataclass
class Plan:
    """What a corpus run will do: the files to compute (with their content hashes), those up to date, those gone."""

    todo: list[Path] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)  # absolute file path -> content hash
    unchanged: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # absolute paths of stored files no longer in the corpus


def plan_run(paths: list[Path], stored: pd.DataFrame, published: str | None, code: str) -> Plan:
    """Compare each file's content hash with its row in the store's articles table (`stored`): unchanged files are
    skipped."""
    metadata = read_metadata_table()
    cues = b"".join((CUE_DIR / name).read_bytes() for name in CUE_FILES if (CUE_DIR / name).exists())
    known = dict(zip(stored["file"], stored["content_hash"]))
    plan = Plan()
    for path in paths:
        name = str(path.resolve())
        plan.hashes[name] = content_hash(path, published, metadata, cues, code)
        (plan.unchanged if known.get(name) == plan.hashes[name] else plan.todo).append(path)
    plan.removed = sorted(set(known) - set(plan.hashes))
    return plan


def batches(paths: list[Path], workers: int) -> list[list[str]]:
    """The files cut into tasks: about four per worker, at most ARTICLES_PER_TASK files each, in order."""
    size = max(1, min(ARTICLES_PER_TASK, -(-len(paths) // max(1, 4 * workers))))
    return [[str(p) for p in paths[i:i + size]] for i in range(0, len(paths), size)]


def run_serial(tasks: list[list[str]], published: str | None, code: str, cues: Cues) -> Iterator[list[dict]]:
    """Every task in this process, one after the other (no Dask)."""
    for files in tasks:
        yield analyse_batch(files, published, code, cues)


def dask_client(scheduler: str) -> object:
    """A Dask client: 'local' starts a cluster of one worker process per core here; else the scheduler's address."""
    import logging

    import dask
    from dask.distributed import Client, LocalCluster

    if scheduler == "local":
        # Dask's statistical profiler samples each worker's stack every 10 ms for its dashboard, which this
        # cluster does not have: off, it no longer costs the analysis several per cent of its time. Dask also
        # starts its workers with MALLOC_TRIM_THRESHOLD_=65536 (to give memory back to the system sooner); with it,
        # spaCy's parse ran about 15 % slower in each worker (bench/corpus_bench.py, README), and the memory of a
        # worker stays far under its target without it. The other variables (one BLAS thread each) stay.
        environ = {name: value for name, value in dask.config.get("distributed.nanny.pre-spawn-environ").items()
                   if name != "MALLOC_TRIM_THRESHOLD_"}
        with dask.config.set({"distributed.worker.profile.enabled": False,
                              "distributed.nanny.pre-spawn-environ": environ}):
            # No dashboard, and the scheduler's small HTTP server (health checks) on a free port of this machine:
            # its default, 8787, is taken by any other corpus run at the same time (a warning, then another port).
            cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR,
                                   scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
        return Client(cluster)
    try:
        return Client(scheduler, timeout="15s")
    except (OSError, TimeoutError, ValueError) as err:
        raise ArticleError(f"--scheduler {scheduler}: no Dask scheduler answers there ({one_line(err)}). Start one "
                           "with `dask scheduler` and at least one `dask worker ADDRESS` (see the README).") from None


def run_dask(client: object, tasks: list[list[str]], published: str | None, code: str,
             cues: Cues) -> Iterator[list[dict]]:
    """Every task on the client's workers (the first task of each worker loads spaCy), results in task order.

    In task order, not as they finish, so that the store is the same as a serial run's even where the order
    matters (of two files with one slug, the first keeps it); workers take tasks in about that order anyway."""
    # Sent to each worker once, not with every task; hash=False: naming the data by its hash would walk the
    # whole cue table on the client (seconds) for nothing.
    shared_cues = client.scatter(cues, broadcast=True, hash=False)
    futures = client.map(analyse_batch, tasks, published=published, code=code, cues=shared_cues, pure=False)
    for i in range(len(futures)):
        future, futures[i] = futures[i], None  # released once read: the worker may drop its result
        yield future.result()


def worker_memory(client: object) -> dict[str, int]:
    """Peak resident memory (bytes) of each Dask worker process so far."""
    import resource

    def peak_rss() -> int:
        """This process's peak resident set size in bytes (Linux reports KiB)."""
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    return client.run(peak_rss)


@dataclass
class Summary:
    """What a corpus run did."""

    store: Path
    computed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, error)
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    workers: int = 0
    peak_memory: dict[str, int] = field(default_factory=dict)


def claim_slugs(results: list[dict], owners: dict[str, str]) -> None:
    """Fail an article whose slug another file of the corpus already has (`owners`: slug -> file, updated)."""
    for result in results:
        row = result["row"]
        if row["status"] != "ok":
            continue
        owner = owners.setdefault(row["slug"], row["file"])
        if owner != row["file"]:
            row.update(status="failed", error=f"{row['file']}: its slug {row['slug']!r} is already the slug of "
                                              f"{owner}. Give it its own with 'slug: ...' in its front matter.")
            result["tables"] = {}


def build_corpus(paths: list[Path], store: Path, scheduler: str = "local", published: str | None = None,
                 progress: bool = True) -> Summary:
    """Compute every new or changed article's tables on Dask (or 'serial': in this process) into the store."""
    from tqdm import tqdm

    started = time.monotonic()
    store.mkdir(parents=True, exist_ok=True)
    code = code_version()
    stored = read_articles(store)
    plan = plan_run(paths, stored, published, code)
    gone = stored[stored["file"].isin(plan.removed)]
    for key_file, slug in zip(gone["file"], gone["slug"]):  # files no longer in the corpus leave the store
        (store / "articles" / f"{file_key(Path(key_file))}.parquet").unlink(missing_ok=True)
        if slug and slug not in set(stored.loc[~stored["file"].isin(plan.removed), "slug"]):
            remove_slug(store, slug)
    kept = stored[~stored["file"].isin(plan.removed) & (stored["status"] == "ok")]
    todo_files = {str(p.resolve()) for p in plan.todo}
    owners = {slug: f for slug, f in zip(kept["slug"], kept["file"]) if f not in todo_files}
    previous = dict(zip(stored["file"], stored["slug"]))
    summary = Summary(store, unchanged=len(plan.unchanged), removed=len(gone))
    client = None if scheduler == "serial" or not plan.todo else dask_client(scheduler)
    try:
        summary.workers = 0 if not plan.todo else 1 if client is None else len(client.scheduler_info()["workers"])
        tasks = batches(plan.todo, summary.workers)
        cues = load_tension_cues()
        results = (run_serial(tasks, published, code, cues) if client is None
                   else run_dask(client, tasks, published, code, cues))
        with tqdm(total=len(plan.todo), unit="article", disable=not progress, file=sys.stderr) as bar:
            for batch in results:
                claim_slugs(batch, owners)
                for result in batch:
                    row = result["row"]
                    row["content_hash"] = plan.hashes[row["file"]]
                    old_slug = previous.get(row["file"])
                    if old_slug and old_slug != row["slug"] and owners.get(old_slug) in (None, row["file"]):
                        remove_slug(store, old_slug)  # the file's title (so its slug) changed
                    write_result(store, result)
                    summary.computed += 1
                    if row["status"] != "ok":
                        summary.failed.append((row["file"], row["error"]))
                    bar.update(1)
        if client is not None:
            summary.peak_memory = worker_memory(client)
    finally:
        if client is not None:
            cluster = getattr(client, "cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    summary.seconds = time.monotonic() - started
    return summary


def summary_text(summary: Summary) -> str:
    """The end-of-run summary: what was computed, skipped, removed and failed, and how long it took."""
    lines = [f"Corpus store {summary.store}: {summary.computed} article(s) computed "
             f"({summary.computed - len(summary.failed)} ok, {len(summary.failed)} failed), {summary.unchanged} "
             f"unchanged (skipped), {summary.removed} removed, in {summary.seconds:.1f} s"
             + (f" on {summary.workers} worker(s)" if summary.workers else "") + "."]
    lines += [f"  FAILED {Path(file).name}: {error}" for file, error in summary.failed]
    return "\n".join(lines)


def corpus_name(inputs: list[str], name: str | None) -> str:
    """The corpus's name: --name, else the single folder's name, else 'corpus'; an ArticleError if unusable."""
    if name is None:
        folders = [Path(i) for i in inputs if Path(i).is_dir()]
        name = folders[0].resolve().name.lower() if len(inputs) == 1 and folders else "corpus"
    if not SLUG_PATTERN.fullmatch(name) or len(name) > 80:
        raise ArticleError(f"--name {name!r}: a corpus name must be lower-case letters, digits and '-' "
                           "(it names the folder data/corpus/NAME/).")
    return name


def corpus_info(summary: Summary, name: str) -> dict:
    """What reports/corpus/NAME/corpus.json says about a corpus: its name, article counts and build time."""
    articles = read_articles(summary.store)
    return {"name": name, "articles": int(len(articles)), "ok": int((articles["status"] == "ok").sum()),
            "failed": int((articles["status"] != "ok").sum()),
            "built": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
