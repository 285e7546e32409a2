"""The whole collection executed on the seed from a clean project copy, and the runner's behaviour."""
from __future__ import annotations

import concurrent.futures
import errno
import json
import os
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import zmq

import run
from conftest import ROOT, SEED_SLUG, copy_project, run_collection

ALL_NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NOTEBOOKS = run.notebooks()  # those run on each article (the corpus notebook runs in tests/test_corpus.py)


def test_notebooks_are_committed_clean_with_one_parameters_cell():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "01_load_article.ipynb"
    assert [p.name for p in ALL_NOTEBOOKS if p not in NOTEBOOKS] == sorted(run.CORPUS_NOTEBOOKS)
    for path in ALL_NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), f"{path.name} has outputs"
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, f"{path.name} needs exactly one parameters cell"
        assert "000_dc8b8b8b1f23bca8" not in "".join(c.source for c in nb.cells if c not in tagged), path.name
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        assert "Try it yourself" in "".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_every_notebook_executes_and_renders(seed_project):
    reports = seed_project / "reports" / SEED_SLUG
    for path in NOTEBOOKS:
        executed = nbformat.read(reports / path.name, as_version=4)
        errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{path.name}: {errors}"
        page = (reports / path.with_suffix(".html").name).read_text(encoding="utf-8")
        assert "data:image/png;base64," in page
        assert 'src="http' not in page, f"{path.name} HTML loads something from the network"
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.stem}.html"' in index for p in NOTEBOOKS)
    assert f'href="{SEED_SLUG}/index.html"' in (seed_project / "reports" / "index.html").read_text()


def test_notebook_01_outputs(seed_project):
    data = seed_project / "data" / SEED_SLUG
    table = pd.read_csv(data / "paragraphs.csv")
    assert list(table.columns) == ["paragraph", "kind", "text", "n_words", "n_sentences"]
    assert table["kind"].value_counts().to_dict() == {"body": 13, "title": 1, "standfirst": 1, "embed": 1}
    assert table["paragraph"].tolist() == list(range(16))
    meta = json.loads((data / "article.json").read_text())
    assert meta["published"] == "2018-03-22" and meta["published_inferred"] is False and meta["source"] == "RT"
    for suffix in ("png", "svg"):
        figure = seed_project / "figures" / SEED_SLUG / f"paragraph_lengths.{suffix}"
        assert figure.stat().st_size > 1000


def test_runner_progress_lists_each_notebook(seed_project):
    log = (seed_project / "run.log").read_text()
    for path in NOTEBOOKS:
        assert f"  {path.name} done in" in log


def test_failing_notebook_is_named_and_old_outputs_survive(seed_project, tmp_path):
    project = copy_project(tmp_path / "p")
    run_collection(project, "seeds/000_dc8b8b8b1f23bca8.txt")
    before = (project / "data" / SEED_SLUG / "paragraphs.csv").read_bytes()
    nb_path = project / "notebooks" / "01_load_article.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('deliberate failure')"))
    nbformat.write(nb, nb_path)
    result = run_collection(project, check=False)
    assert result.returncode == 1
    assert "01_load_article.ipynb failed in cell" in result.stderr
    assert "ValueError: deliberate failure" in result.stderr
    assert (project / "data" / SEED_SLUG / "paragraphs.csv").read_bytes() == before
    assert (project / "reports" / SEED_SLUG / "01_load_article.html").exists()


def test_runner_rejects_bad_input_with_the_file_name(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "empty.txt").write_text("")
    result = run_collection(project, "empty.txt", check=False)
    assert result.returncode == 1
    assert "empty.txt: is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_kernels_are_reused_but_every_notebook_starts_fresh(tmp_path):
    project = copy_project(tmp_path / "p")
    probe = ("assert 'leaked' not in globals(), 'a variable of an earlier notebook survived'\n"
             "leaked = 1\nimport os\nprint('kernel', os.getpid())")
    for path in sorted((project / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(probe))
        nbformat.write(nb, path)
    result = run_collection(project, "seeds/000_dc8b8b8b1f23bca8.txt",
                            "data/articles/2016-02-12_voa_syria-cessation-of-hostilities.md")
    kernels, counts = set(), []
    for slug in (SEED_SLUG, "major-powers-agree-to-seek-a-cessation-of-hostilities-in"):
        for path in NOTEBOOKS:
            executed = nbformat.read(project / "reports" / slug / path.name, as_version=4)
            kernels.add(executed.cells[0].outputs[0]["text"].split()[1])
            counts.append(executed.cells[0].execution_count)
    assert result.returncode == 0
    assert len(kernels) < 2 * len(NOTEBOOKS)  # kernels run more than one notebook each ...
    assert counts == [1] * len(counts)  # ... and every notebook counts its cells from 1


def kernel_that_fails_messaging(monkeypatch, failures: int, error: Exception) -> list[str]:
    """Make run_notebook's kernel raise `error` on the first `failures` notebooks it runs; the calls, in order."""
    calls: list[str] = []

    def run_on_kernel(nb, executed, stage, params, path):
        calls.append("run")
        if calls.count("run") <= failures:
            raise error
        executed.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Done")]), executed)

    monkeypatch.setattr(run, "run_on_kernel", run_on_kernel)
    monkeypatch.setattr(run, "discard_worker_kernel", lambda: calls.append("new kernel"))
    return calls


@pytest.mark.parametrize("failures", [1, 2])
def test_a_notebook_whose_kernel_messages_fail_runs_again_on_a_new_kernel(tmp_path, monkeypatch, capsys, failures):
    calls = kernel_that_fails_messaging(monkeypatch, failures, zmq.ZMQError(zmq.ENOTSUP))
    nb = ROOT / "notebooks" / "01_load_article.ipynb"
    seconds = run.run_notebook(nb, tmp_path, "s", {"article_file": "a.txt"}, tmp_path / "a.txt")
    assert seconds is not None and calls == ["run", "new kernel"] * failures + ["run"]
    run.render_page(nb, tmp_path, "s", tmp_path / "a.txt")  # in the main process, as run_batches does
    notes = capsys.readouterr().err.splitlines()  # one line per retry, saying where the error came from
    assert len(notes) == failures and all("(ZMQError: Operation not supported, in test_collection.py:" in n
                                          and n.endswith("running it again on a new kernel") for n in notes)
    assert (tmp_path / "reports" / "s" / "01_load_article.html").exists()


def started_kernel() -> tuple[int, int]:
    """(kernels this worker had started before this task, the pid of its kernel): run in a pool worker."""
    started = run.worker_kernel.cache_info().currsize
    return started, run.worker_kernel().provisioner.process.pid


def test_every_worker_starts_its_kernel_when_the_pool_starts_and_stops_it_at_the_end():
    pool = run.notebook_pool()
    try:
        answers = [pool.submit(started_kernel).result(timeout=120) for _ in range(4)]
    finally:
        pool.shutdown(wait=True)
    assert {started for started, _ in answers} == {1}
    for _, pid in answers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_discarded_kernel_is_stopped_and_the_next_one_is_new():
    old = run.ready_kernel()
    try:
        run.discard_worker_kernel()
        assert not old.is_alive()
        new = run.ready_kernel()
        assert new is not old and new.is_alive()
    finally:
        run.discard_worker_kernel()
    assert run.worker_kernel.cache_info().currsize == 0


def test_a_kernel_that_does_not_answer_is_replaced_by_a_new_one(monkeypatch):
    from newslab.kernels import PromptClient

    waits: list[int] = []
    wait_for_ready = PromptClient.wait_for_ready

    def first_wait_fails(self, timeout=None):
        waits.append(1)
        answered = wait_for_ready(self, timeout=timeout)  # the channels' threads are up before the client stops
        if len(waits) == 1:
            raise RuntimeError("Kernel didn't respond in 60 seconds")  # as under load
        return answered

    monkeypatch.setattr(PromptClient, "wait_for_ready", first_wait_fails)
    try:
        first = run.worker_kernel()
        kernel = run.ready_kernel()  # restarting `first` itself would raise ZMQError: Operation not supported
        assert kernel is not first and kernel.is_alive() and not first.is_alive() and len(waits) == 2
    finally:
        run.discard_worker_kernel()


def test_the_ready_check_ends_with_the_kernels_answer_not_after_a_silence(monkeypatch):
    """jupyter_client's check always ends by waiting for 0.2 s of IOPub silence (its last read finds nothing); the
    runner's kernels' clients stop at the 'idle' status of their info request: their last IOPub read finds it. (A
    read before it may find nothing while a new connection is not up yet; the check then asks again.)"""
    from newslab.kernels import PromptClient

    reads: list[str] = []
    get_iopub_msg = PromptClient.get_iopub_msg

    def recorded(self, *args, **kwargs):
        try:
            message = get_iopub_msg(self, *args, **kwargs)
        except Exception:
            reads.append("nothing")
            raise
        reads.append(message["msg_type"])
        return message

    try:
        kernel = run.ready_kernel()
        monkeypatch.setattr(PromptClient, "get_iopub_msg", recorded)
        client = kernel.client()
        assert isinstance(client, PromptClient)
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            assert reads and reads[-1] == "status"
            assert client.execute_interactive("x = 1", timeout=60)["content"]["status"] == "ok"  # it does answer
        finally:
            client.stop_channels()
    finally:
        run.discard_worker_kernel()


def test_the_ready_check_takes_the_answer_to_an_earlier_question_as_a_slow_kernel_gives_it():
    """Under load a kernel answers an info request after the check has asked again: the reply it reads is the answer
    to an earlier request (CI saw every check fail for 60 s when only the latest request's reply counted)."""
    kernel = run.ready_kernel()
    try:
        client = kernel.client()
        client.start_channels()
        try:
            client.kernel_info()  # an earlier question, whose answer comes first
            client.kernel_info()
            client.wait_for_ready(timeout=20)
            assert client.execute_interactive("x = 1", timeout=60)["content"]["status"] == "ok"
        finally:
            client.stop_channels()
    finally:
        run.discard_worker_kernel()


def test_the_ready_check_of_a_dead_kernel_says_it_died():
    from newslab.kernels import PromptClient

    kernel = run.ready_kernel()
    try:
        client = kernel.client()
        client.start_channels()
        kernel.provisioner.process.kill()
        kernel.provisioner.process.wait()
        with pytest.raises(RuntimeError, match="Kernel died before replying"):
            PromptClient.wait_for_ready(client, timeout=30)
        client.stop_channels()
    finally:
        run.discard_worker_kernel()


@pytest.mark.parametrize("failures, error, expected_calls", [
    (3, zmq.ZMQError(zmq.ENOTSUP), ["run", "new kernel", "run", "new kernel", "run"]),  # the third is reported
    (1, ValueError("bad notebook"), ["run"]),  # any other failure is the notebook's: reported at once
])
def test_kernel_failures_that_persist_or_are_not_messaging_are_reported(tmp_path, monkeypatch, failures, error,
                                                                        expected_calls):
    calls = kernel_that_fails_messaging(monkeypatch, failures, error)
    nb = ROOT / "notebooks" / "01_load_article.ipynb"
    with pytest.raises(run.RunError, match=f"01_load_article.ipynb could not be executed .{type(error).__name__}"):
        run.run_notebook(nb, tmp_path, "s", {"article_file": "a.txt"}, tmp_path / "a.txt")
    assert calls == expected_calls



def fake_notebooks(monkeypatch, events: list[str], broken_page: str = "", hold: dict | None = None) -> None:
    """Stand-ins for run_notebook (skipped once the stage is FAILED, as the real one is; else writes a one-cell
    executed notebook, 0.5 s) and render_html (raises for `broken_page`), recording in `events` what happened in
    which order; hold = {event: condition}: that event waits (at most 10 s) until its condition is true."""
    def wait_for_hold(name: str) -> None:
        deadline = time.monotonic() + 10
        while name in (hold or {}) and not hold[name]() and time.monotonic() < deadline:
            time.sleep(0.01)

    def run_notebook(nb, stage, slug, params, path):
        wait_for_hold(f"run {nb.name[:2]}")
        if (stage / "FAILED").exists():
            return None
        events.append(f"run {nb.name[:2]}")
        executed = stage / "reports" / slug / nb.name
        executed.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Done")]), executed)
        return 0.5

    def render_html(executed, target):
        wait_for_hold(f"page {executed.name[:2]}")
        if executed.name == broken_page:
            events.append(f"broken page {executed.name[:2]}")
            raise ValueError("no template")
        events.append(f"page {executed.name[:2]}")

    monkeypatch.setattr(run, "run_notebook", run_notebook)
    monkeypatch.setattr(run, "render_html", render_html)


def test_pages_are_made_in_the_main_process_and_the_last_notebook_does_not_wait_for_them(tmp_path, monkeypatch):
    first = [nb.name[:2] for nb in NOTEBOOKS if nb.name not in run.RUN_LAST]
    events: list[str] = []
    fake_notebooks(monkeypatch, events, hold={f"page {first[-1]}": lambda: "run 05" in events})  # 05 runs first
    lines: list[str] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        run.run_batches(tmp_path / "a.txt", "s", tmp_path, {}, pool, lambda line, flush=False: lines.append(line))
    assert sorted(e for e in events if e.startswith("page")) == [f"page {nb.name[:2]}" for nb in NOTEBOOKS]
    assert events.index("run 05") < events.index(f"page {first[-1]}")
    assert all(events.index(f"run {n}") < events.index(f"page {n}") for n in first)
    assert sorted(lines) == sorted(f"  {nb.name} done in {0.5:.1f} s" for nb in NOTEBOOKS)


def test_a_page_that_cannot_be_made_stops_the_article_and_no_later_notebook_starts(tmp_path, monkeypatch):
    events: list[str] = []  # 02 runs once 01's page is made, 03 once 02's page has failed the article (04 is skipped)
    fake_notebooks(monkeypatch, events, broken_page="02_named_entities.ipynb",
                   hold={"run 02": lambda: "page 01" in events, "run 03": lambda: (tmp_path / "FAILED").exists()})
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(
            run.RunError, match=r"a\.txt: 02_named_entities\.ipynb ran but its HTML page could not be made "
                                r"\(ValueError: no template\)\."):
        run.run_batches(tmp_path / "a.txt", "s", tmp_path, {}, pool, lambda line, flush=False: None)
    assert events == ["run 01", "page 01", "run 02", "broken page 02"]  # 03 skipped, 04 and 05 not started


def test_a_step_after_the_run_fails_with_one_line_naming_the_notebook_or_the_disk(tmp_path):
    nb = Path("04_timeline.ipynb")
    saved = run.step_failed(ValueError("bad cell\nsecond line"), tmp_path / "a.txt", nb,
                            "the executed notebook could not be saved")
    assert str(saved) == (f"{tmp_path / 'a.txt'}: 04_timeline.ipynb ran but the executed notebook could not be saved "
                          "(ValueError: bad cell\\nsecond line).")  # one line: the newline is shown escaped
    full = run.step_failed(OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.html")),
                           tmp_path / "a.txt", nb, "its HTML page could not be made")
    assert "could not write the outputs into" in str(full) and "(No space left on device)" in str(full)
