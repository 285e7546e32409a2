"""Corpus mode: the store made serially, on a local Dask cluster and on a real `dask scheduler` + `dask worker`,
incremental reruns, a bad file among good ones, notebook 06 on the store, and the corpus views on made-up tables."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import matplotlib
import nbformat
import pandas as pd
import pytest

from conftest import ROOT, SEED_SLUG, copy_project, run_collection
from newslab import corpus, corpus_views
from newslab.articles import project_file
from newslab.tension import load_tension_cues

# The small corpus: the three VOA articles of data/articles/ and the seed, with their body words.
SMALL = {"russia-eu-leaders-agree-to-work-on-ukraine-cease-fire": 223,
         "major-powers-agree-to-seek-a-cessation-of-hostilities-in": 209,
         "trump-to-meet-n-koreas-kim-jong-un-june-12-in-singapore": 227,
         SEED_SLUG: 699}


def make_corpus_folder(project: Path) -> Path:
    """project/corpus_in/ holding the small corpus's four article files."""
    folder = project / "corpus_in"
    folder.mkdir()
    for path in sorted((project / "data" / "articles").glob("*.md")) + [project / "seeds" / "000_dc8b8b8b1f23bca8.txt"]:
        shutil.copy2(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    """A project copy on which `run.py --corpus corpus_in --name small --scheduler serial` has run."""
    project = copy_project(tmp_path_factory.mktemp("corpus_project"))
    make_corpus_folder(project)
    result = run_collection(project, "--corpus", "corpus_in", "--name", "small", "--scheduler", "serial")
    (project / "run.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return project


def store_of(project: Path, name: str) -> dict[str, pd.DataFrame]:
    """The corpus store `name` of a project copy, every table."""
    return corpus.read_corpus(project / "data" / "corpus" / name)


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    """Two stores hold identical tables, row for row."""
    assert list(a) == list(b) == ["articles", *corpus.TABLES]
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serial_store_holds_every_table_keyed_by_slug(small_project):
    tables = store_of(small_project, "small")
    articles = tables["articles"]
    assert dict(zip(articles["slug"], articles["words"])) == SMALL
    assert set(articles["status"]) == {"ok"} and set(articles["error"]) == {""}
    assert articles["content_hash"].str.fullmatch(r"[0-9a-f]{24}").all()
    for name in corpus.TABLES:
        assert tables[name].columns[0] == "slug" and set(tables[name]["slug"]) <= set(SMALL), name
    seed = {name: table[table["slug"] == SEED_SLUG] for name, table in tables.items()}
    assert seed["paragraphs"]["kind"].value_counts().to_dict() == {"body": 13, "title": 1, "standfirst": 1, "embed": 1}
    assert len(seed["timeline"]) == seed["paragraphs"].query("kind != 'title'")["n_sentences"].sum()
    assert len(seed["events"]) > 100 and {"cameo_code", "tension", "dated_by"} <= set(seed["events"].columns)
    peak = seed["tension_by_date"].sort_values("tension_max").iloc[-1]
    assert (peak["value"], peak["tension_max"], peak["peak"]) == ("2018-03-13", 1.47, True)
    assert "matches" not in tables["timeline"].columns
    log = (small_project / "run.log").read_text()
    assert "4 article(s) computed (4 ok, 0 failed), 0 unchanged" in log
    assert "Traceback" not in log


def test_store_matches_what_the_notebooks_compute(small_project):
    from newslab.articles import parse_article, read_article
    from newslab.entities import entity_table
    from newslab.timeline import timex_table

    with pytest.warns(UserWarning, match="000_dc8b8b8b1f23bca8.txt: NO PUBLICATION DATE GIVEN. Using 2018-03-13"):
        article = parse_article(read_article(small_project / "corpus_in" / "000_dc8b8b8b1f23bca8.txt"))
    tables = store_of(small_project, "small")
    for name, table in (("entities", entity_table(article)), ("timexes", timex_table(article))):
        stored = tables[name][tables[name]["slug"] == SEED_SLUG].drop(columns="slug").reset_index(drop=True)
        pd.testing.assert_frame_equal(stored, table, check_dtype=False, obj=name)


def test_local_cluster_gives_the_same_tables_as_serial(small_project):
    result = run_collection(small_project, "--corpus", "corpus_in", "--name", "small-local")
    assert f"on {os.cpu_count()} worker(s)" in result.stdout
    assert_same_tables(store_of(small_project, "small"), store_of(small_project, "small-local"))


def test_local_workers_keep_one_blas_thread_not_dasks_malloc_trim_setting_and_take_a_free_port(monkeypatch):
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with socket.socket() as taken, warnings.catch_warnings(record=True) as caught:
        with contextlib.suppress(OSError):  # 8787, Dask's default, busy as in another run at the same time
            taken.bind(("127.0.0.1", 8787))
            taken.listen()
        warnings.simplefilter("always")
        client = corpus.dask_client("local")
        try:
            environs = client.run(lambda: {name: os.environ.get(name) for name in ("MALLOC_TRIM_THRESHOLD_",
                                                                                   "OMP_NUM_THREADS")})
        finally:
            client.close()
            client.cluster.close()
    assert not [w for w in caught if "already in use" in str(w.message)]
    assert len(environs) == (os.cpu_count() or 1)
    assert all(env == {"MALLOC_TRIM_THRESHOLD_": None, "OMP_NUM_THREADS": "1"} for env in environs.values())


def test_a_real_dask_scheduler_and_worker_run_the_corpus(small_project):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(small_project)}
    scheduler = subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                                  str(port), "--no-dashboard"], cwd=small_project, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = None
    try:
        from dask.distributed import Client

        worker = subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nworkers", "1", "--nthreads",
                                   "1", "--no-dashboard"], cwd=small_project, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=120)
        result = run_collection(small_project, "--corpus", "corpus_in", "--name", "remote", "--scheduler", address)
        assert "on 1 worker(s)" in result.stdout
        assert_same_tables(store_of(small_project, "small"), store_of(small_project, "remote"))
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
    assert scheduler.returncode is not None and worker.returncode is not None


def test_no_scheduler_at_the_address_is_one_clear_line(small_project):
    result = run_collection(small_project, "--corpus", "corpus_in", "--name", "nowhere", "--scheduler",
                            f"tcp://127.0.0.1:{free_port()}", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no Dask scheduler answers there" in result.stderr and "dask scheduler" in result.stderr


def test_rerun_skips_unchanged_articles_and_recomputes_a_changed_one(tmp_path):
    project = copy_project(tmp_path / "p")
    folder = make_corpus_folder(project)
    store = project / "data" / "corpus" / "inc"
    paths = sorted(folder.iterdir())
    first = corpus.build_corpus(paths, store, scheduler="serial", progress=False)
    assert (first.computed, first.unchanged, first.failed) == (4, 0, [])
    files = {p: p.stat().st_mtime_ns for p in sorted(store.rglob("*.parquet"))}
    again = corpus.build_corpus(paths, store, scheduler="serial", progress=False)
    assert (again.computed, again.unchanged) == (0, 4)
    assert {p: p.stat().st_mtime_ns for p in sorted(store.rglob("*.parquet"))} == files
    changed = folder / "2016-02-12_voa_syria-cessation-of-hostilities.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe talks failed and the fighting resumed.\n",
                       encoding="utf-8")
    third = corpus.build_corpus(paths, store, scheduler="serial", progress=False)
    assert (third.computed, third.unchanged) == (1, 3)
    tables = corpus.read_corpus(store)
    slug = "major-powers-agree-to-seek-a-cessation-of-hostilities-in"
    assert tables["paragraphs"].query("slug == @slug")["text"].iloc[-1] == "The talks failed and the fighting resumed."
    assert dict(zip(tables["articles"]["slug"], tables["articles"]["words"]))[slug] == 209 + 7
    untouched = {p: t for p, t in files.items() if slug not in p.name and "articles" not in p.parent.name}
    assert untouched and all(p.stat().st_mtime_ns == t for p, t in untouched.items())


def test_a_removed_file_leaves_the_store_and_a_retitled_one_moves(tmp_path):
    project = copy_project(tmp_path / "p")
    folder = make_corpus_folder(project)
    store = project / "data" / "corpus" / "moves"
    corpus.build_corpus(sorted(folder.iterdir()), store, scheduler="serial", progress=False)
    (folder / "2015-02-06_voa_ukraine-ceasefire-talks.md").unlink()
    seed = folder / "000_dc8b8b8b1f23bca8.txt"
    seed.write_text("A new title for the seed\n\n" + seed.read_text(encoding="utf-8"), encoding="utf-8")
    summary = corpus.build_corpus(sorted(folder.iterdir()), store, scheduler="serial", progress=False)
    assert (summary.computed, summary.unchanged, summary.removed) == (1, 2, 1)
    tables = corpus.read_corpus(store)
    expected = {"major-powers-agree-to-seek-a-cessation-of-hostilities-in",
                "trump-to-meet-n-koreas-kim-jong-un-june-12-in-singapore", "a-new-title-for-the-seed"}
    assert set(tables["articles"]["slug"]) == expected
    assert sorted(p.stem for p in (store / "paragraphs").glob("*.parquet")) == sorted(expected)


def test_a_bad_file_is_recorded_and_the_others_finish(tmp_path):
    project = copy_project(tmp_path / "p")
    folder = make_corpus_folder(project)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "german.txt").write_text("Die Verhandlungen\n\n" + "Die Gespräche über den Waffenstillstand wurden "
                                       "am Freitag in der Hauptstadt ohne eine Einigung beendet, sagte ein Sprecher "
                                       "der Regierung. " * 3, encoding="utf-8")
    twin = folder / "twin.md"  # the same article under another name: same title, so the same slug
    shutil.copy2(folder / "2018-05-10_voa_trump-kim-singapore.md", twin)
    result = run_collection(project, "--corpus", "corpus_in", "--name", "bad", "--scheduler", "serial",
                            "--render", "russia-eu-leaders-agree-to-work-on-ukraine-cease-fire", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "4 ok, 3 failed" in result.stdout
    articles = store_of(project, "bad")["articles"].set_index("file")
    errors = {Path(f).name: e for f, e in zip(articles.index, articles["error"]) if e}
    assert set(errors) == {"empty.txt", "german.txt", "twin.md"}
    assert "is empty" in errors["empty.txt"] and "does not look like English" in errors["german.txt"]
    assert "is already the slug of" in errors["twin.md"]
    assert all(f"FAILED {name}: " in result.stdout for name in errors)
    ok = articles[articles["status"] == "ok"]
    assert dict(zip(ok["slug"], ok["words"])) == SMALL
    assert set(store_of(project, "bad")["timeline"]["slug"]) == set(SMALL)
    rendered = project / "reports" / "russia-eu-leaders-agree-to-work-on-ukraine-cease-fire"
    assert (rendered / "04_timeline_tension.html").is_file() and not (rendered / "06_corpus.html").exists()
    assert (project / "reports" / "corpus" / "bad" / "06_corpus.html").is_file()


def test_notebook_06_executes_on_the_store_and_writes_its_figures(small_project):
    report = small_project / "reports" / "corpus" / "small"
    executed = nbformat.read(report / "06_corpus.ipynb", as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    page = (report / "06_corpus.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 4 and 'src="http' not in page
    for name in ("corpus_tension", "corpus_entities_over_time", "corpus_network", "corpus_tone"):
        assert (small_project / "figures" / "corpus" / "small" / f"{name}.png").stat().st_size > 5000, name
    index = (small_project / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="corpus/small/06_corpus.html"' in index
    assert not (small_project / "reports" / SEED_SLUG).exists()  # corpus mode runs no per-article notebook


def test_the_network_writes_each_name_beside_its_node_never_on_one(tmp_path, monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PathCollection
    from matplotlib.text import Annotation

    from newslab import plots

    names = pd.DataFrame({"canonical": [f"A rather long organisation name {i}" if i % 3 else f"Name {i}"
                                        for i in range(16)],
                          "label": ["ORG", "PERSON", "GPE", "NORP"] * 4, "articles": [1 + i % 5 for i in range(16)]})
    edges = pd.DataFrame({"a": names["canonical"][:8].tolist(), "b": names["canonical"][8:].tolist(),
                          "articles": [1, 2, 3, 4, 1, 2, 3, 4]})
    drawn = []
    monkeypatch.setattr(plots, "save_and_show", lambda fig, *args: drawn.append(fig))
    plots.use_style()
    plots.corpus_network(names, edges, tmp_path)
    fig = drawn[0]
    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    nodes = [(ax.transData.transform(dots.get_offsets()[0]), (dots.get_sizes()[0] ** 0.5) / 2 * fig.dpi / 72)
             for dots in ax.collections if isinstance(dots, PathCollection)]  # (centre, radius) in pixels
    labels = [a.get_window_extent(renderer) for a in ax.texts if isinstance(a, Annotation)]
    assert len(nodes) == len(labels) == 16
    for box in labels:  # the box's nearest point to each node's centre lies outside the node's disc
        for (x, y), radius in nodes:
            dx, dy = max(box.x0 - x, 0, x - box.x1), max(box.y0 - y, 0, y - box.y1)
            assert dx * dx + dy * dy > radius * radius, box
    assert not any(a.overlaps(b) for i, a in enumerate(labels) for b in labels[i + 1:])


def test_notebook_06_solutions_pass_its_checks(small_project, monkeypatch):
    from test_exercises import cells, run_cells, with_solutions_first

    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT / "notebooks")
    code = [(tags, source.replace('corpus_name = "articles"', 'corpus_name = "small"'))
            for tags, source in cells(ROOT / "notebooks" / "06_corpus.ipynb")]
    verdicts = "".join(output for _, output in run_cells(with_solutions_first(code), small_project))
    assert verdicts.count("Correct!") == 2 and "Not quite" not in verdicts, verdicts


def test_corpus_names_are_checked_and_the_index_escapes_them(tmp_path):
    from newslab.errors import ArticleError

    assert corpus.corpus_name([str(ROOT / "data" / "articles")], None) == "articles"
    assert corpus.corpus_name(["a.txt", "b.txt"], None) == "corpus"
    with pytest.raises(ArticleError, match="lower-case letters"):
        corpus.corpus_name(["a.txt"], "../escape")
    import run

    info = tmp_path / "corpus" / "x" / "corpus.json"
    info.parent.mkdir(parents=True)
    info.write_text('{"name": "<script>alert(1)</script>", "ok": 2, "failed": 1, "built": "today"}')
    old, run.REPORTS = run.REPORTS, tmp_path
    try:
        items = run.corpus_items()
    finally:
        run.REPORTS = old
    assert "<script>" not in items and "&lt;script&gt;" in items and "2 articles, 1 failed" in items


# --------------------------------------------------------------------------- the views, on made-up tables


def made_up_timeline(rows: list[tuple[str, str, str, str, float]]) -> pd.DataFrame:
    """A timeline table of (slug, sort_key, granularity, dated_by, tension) rows."""
    return pd.DataFrame(rows, columns=["slug", "sort_key", "granularity", "dated_by", "tension"])


def test_only_precisely_dated_sentences_go_on_the_calendar():
    timeline = made_up_timeline([("a", "2018-03-13", "day", "own", 1.0), ("a", "2014-01-01", "year", "own", 2.0),
                                 ("b", "", "", "undated", 3.0), ("b", "2018-03-01", "month", "present", 0.5)])
    events, left_out = corpus_views.dated_events(timeline)
    assert events["tension"].tolist() == [1.0, 0.5] and left_out == 0


def test_long_tails_are_left_out_of_the_calendar():
    rows = [("a", f"2018-03-{day:02d}", "day", "own", 0.0) for day in range(1, 29)] * 2
    rows += [("old", "1945-05-08", "day", "own", 1.0), ("future", "2040-01-01", "day", "own", 1.0)]
    events, left_out = corpus_views.dated_events(made_up_timeline(rows))
    assert left_out == 2 and set(events["slug"]) == {"a"}


def test_tension_per_period_counts_the_articles_behind_each():
    events, _ = corpus_views.dated_events(made_up_timeline([
        ("a", "2018-03-13", "day", "own", 1.0), ("b", "2018-03-14", "day", "own", 0.0),
        ("b", "2018-03-15", "day", "paragraph", 0.5), ("c", "2018-04-20", "day", "own", -1.0)]))
    weekly, period = corpus_views.tension_by_period(events)
    assert period == "W"
    assert weekly["period"].dt.strftime("%Y-%m-%d").tolist() == ["2018-03-12", "2018-04-16"]
    assert weekly["articles"].tolist() == [2, 1] and weekly["sentences"].tolist() == [3, 1]
    assert weekly["tension_mean"].tolist() == [0.5, -1.0] and weekly["tension_max"].tolist() == [1.0, -1.0]
    monthly, period = corpus_views.tension_by_period(events, "M")
    assert period == "M" and monthly["articles"].tolist() == [2, 1]
    assert corpus_views.period_for(400) == "M" and corpus_views.period_for(9 * 366) == "Y"


def made_up_entities() -> pd.DataFrame:
    """Mentions in three articles: Putin in all, Trump in two (many times in one), Syria in one; a date."""
    rows = [("a", "Vladimir Putin", "PERSON"), ("a", "Donald Trump", "PERSON"), ("a", "Friday", "DATE"),
            ("b", "Vladimir Putin", "PERSON"), ("b", "Syria", "GPE"), ("c", "Vladimir Putin", "PERSON")]
    rows += [("c", "Donald Trump", "PERSON")] * 5
    return pd.DataFrame(rows, columns=["slug", "canonical", "canonical_label"])


def test_top_names_are_ranked_by_articles_not_mentions_and_joined_by_shared_articles():
    names = corpus_views.top_entities(made_up_entities())
    assert names.values.tolist() == [["Vladimir Putin", "PERSON", 3, 3], ["Donald Trump", "PERSON", 2, 6],
                                     ["Syria", "GPE", 1, 1]]
    edges = corpus_views.entity_network(made_up_entities(), names["canonical"].tolist())
    assert edges.values.tolist() == [["Donald Trump", "Vladimir Putin", 2], ["Syria", "Vladimir Putin", 1]]


def test_names_over_time_count_articles_per_publication_month():
    articles = pd.DataFrame({"slug": ["a", "b", "c", "b"], "published": ["2018-01-05", "2018-01-20", "2018-03-02", ""],
                             "status": ["ok", "ok", "ok", "failed"]})  # a failed file whose slug is taken
    grid, period = corpus_views.entities_over_time(made_up_entities(), articles, ["Vladimir Putin", "Donald Trump"])
    assert period == "W"
    grid, period = corpus_views.entities_over_time(made_up_entities(), articles, ["Vladimir Putin", "Donald Trump"],
                                                   "M")
    assert [c.strftime("%Y-%m") for c in grid.columns] == ["2018-01", "2018-02", "2018-03"]
    assert grid.loc["Vladimir Putin"].tolist() == [2, 0, 1] and grid.loc["Donald Trump"].tolist() == [1, 0, 1]


def test_tone_by_source_averages_body_paragraphs_per_article():
    sentiment = pd.DataFrame({"slug": ["a", "a", "a", "b", "c"], "level": ["paragraph"] * 4 + ["sentence"],
                              "kind": ["body", "body", "title", "body", "body"],
                              "polarity": [0.2, 0.4, -1.0, -0.5, 1.0]})
    articles = pd.DataFrame({"slug": ["a", "b", "c", "a"], "source": ["RT", "VOA", "VOA", "X"],
                             "status": ["ok", "ok", "ok", "failed"]})
    tone = corpus_views.tone_by_source(sentiment, articles)
    assert {s: [round(v, 3) for v in t] for s, t in tone.items()} == {"RT": [0.3], "VOA": [-0.5]}
    assert corpus_views.tone_table(tone)["articles"].tolist() == [1, 1]


def test_content_hash_changes_with_text_metadata_cues_and_code(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nText.\n", encoding="utf-8")
    base = corpus.content_hash(path, None, {}, b"cues", "code")
    assert corpus.content_hash(path, None, {}, b"cues", "code") == base
    variants = [corpus.content_hash(path, "2024-01-01", {}, b"cues", "code"),
                corpus.content_hash(path, None, {project_file(path): {"source": "X"}}, b"cues", "code"),
                corpus.content_hash(path, None, {}, b"other cues", "code"),
                corpus.content_hash(path, None, {}, b"cues", "new code")]
    path.write_text("Title\n\nText!\n", encoding="utf-8")
    variants.append(corpus.content_hash(path, None, {}, b"cues", "code"))
    assert len(set(variants + [base])) == 6


def test_tasks_are_small_batches_in_order():
    paths = [Path(f"{i}.txt") for i in range(100)]
    tasks = corpus.batches(paths, 2)
    assert [len(t) for t in tasks] == [13] * 7 + [9] and tasks[0][0] == "0.txt" and tasks[-1][-1] == "99.txt"
    assert [len(t) for t in corpus.batches(paths[:3], 2)] == [1, 1, 1]
    assert max(len(t) for t in corpus.batches([Path(f"{i}") for i in range(5000)], 2)) == corpus.ARTICLES_PER_TASK


def test_a_worker_with_other_code_fails_its_files_instead_of_writing_tables(tmp_path):
    results = corpus.analyse_batch([str(ROOT / "seeds" / "000_dc8b8b8b1f23bca8.txt")], None, "not-this-code",
                                    load_tension_cues())
    assert results[0]["row"]["status"] == "failed" and "other project code" in results[0]["row"]["error"]
    assert results[0]["tables"] == {}


def test_an_interrupted_run_is_finished_by_the_next(tmp_path):
    project = copy_project(tmp_path / "p")
    folder = make_corpus_folder(project)
    store = project / "data" / "corpus" / "interrupted"
    paths = sorted(folder.iterdir())
    corpus.build_corpus(paths, store, scheduler="serial", progress=False)
    # As if the run had stopped after writing one article's tables but before its articles row.
    row = next(store.glob("articles/*.parquet"))
    row.unlink()
    assert len(corpus.read_corpus(store)["articles"]) == 3  # still readable
    started = time.monotonic()
    summary = corpus.build_corpus(paths, store, scheduler="serial", progress=False)
    assert (summary.computed, summary.unchanged) == (1, 3) and time.monotonic() - started < 120
    assert len(corpus.read_corpus(store)["articles"]) == 4
