"""Faults, kills and concurrency: real signals and real mounts, no mocks of the runner; every wait is bounded."""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import newslab.outputs
import newslab.staging as staging
from conftest import SEED_SLUG, copy_project, copy_seed_outputs, output_files

VOA = "data/articles/2016-02-12_voa_syria-cessation-of-hostilities.md"
VOA_SLUG = "major-powers-agree-to-seek-a-cessation-of-hostilities-in"
SEED_FILE = "seeds/000_dc8b8b8b1f23bca8.txt"
RUN_TIMEOUT = 300  # seconds: far above a run's 15-30 s, so a hang fails the test instead of blocking the suite


# --------------------------------------------------------------------------- the swap, step by step


class SimulatedKill(BaseException):
    """Raised at a chosen step of the swap: like a SIGKILL, no handler of the swap runs."""


def make_outputs(root: Path, label: str, slug: str = "s") -> None:
    for kind in staging.OUTPUT_KINDS:
        folder = root / kind / slug
        folder.mkdir(parents=True)
        (folder / "f.txt").write_text(f"{label} {kind}")
        (folder / "sub").mkdir()
        (folder / "sub" / "g.txt").write_text(f"{label} {kind} g")


def read_outputs(root: Path, slug: str = "s") -> list[str]:
    return [(root / kind / slug / name).read_text() if (root / kind / slug / name).exists() else "missing"
            for kind in staging.OUTPUT_KINDS for name in ("f.txt", "sub/g.txt")]


ALL_OLD = ["old data", "old data g", "old figures", "old figures g", "old reports", "old reports g"]
ALL_NEW = [label.replace("old", "new") for label in ALL_OLD]


def leftovers(project: Path) -> list[str]:
    """Hidden swap folders in the output folders, and staging folders: what a finished run must not leave."""
    found = [str(p) for kind in staging.OUTPUT_KINDS for p in (project / kind).glob(".*")]
    return found + [str(p) for p in (project / ".staging").glob("*")]


def test_a_kill_at_any_step_of_the_swap_leaves_all_old_or_all_new_after_recovery(tmp_path):
    steps_seen, results = [], []
    for stop_at in range(100):
        project = tmp_path / f"p{stop_at}"
        make_outputs(project, "old")
        stage = staging.new_stage(project, "s")
        make_outputs(stage, "new")
        steps = []

        def checkpoint(step: str) -> None:
            steps.append(step)
            if len(steps) == stop_at + 1:
                raise SimulatedKill(step)

        try:
            staging.swap_into_place(project, stage, "s", checkpoint)
            finished = True
        except SimulatedKill:
            finished = False
        staging.clean_stale_stages(project)  # what the next run does first
        results.append(read_outputs(project))
        assert read_outputs(project) in (ALL_OLD, ALL_NEW), (steps, read_outputs(project))
        assert not leftovers(project), steps
        if finished:
            break
        steps_seen.append(steps[-1])
    assert steps_seen == ["journal prepare", "data beside", "figures beside", "reports beside", "journal commit",
                          "data old aside", "data new in", "figures old aside", "figures new in",
                          "reports old aside", "reports new in"]
    # killed before the journal said "commit": rolled back; after: rolled forward
    commit = steps_seen.index("journal commit")
    assert all(r == ALL_OLD for r in results[:commit]) and all(r == ALL_NEW for r in results[commit:])


def test_swap_copies_when_the_output_folder_is_on_another_file_system_and_rolls_back_when_the_copy_fails(
        tmp_path, monkeypatch):
    project = tmp_path / "p"
    make_outputs(project, "old")
    stage = staging.new_stage(project, "s")
    make_outputs(stage, "new")
    real_rename, real_copy = os.rename, shutil.copy2

    def cross_device_rename(source, target):
        if str(stage) in str(source):  # from the staging folder to an output folder: "another disk"
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_rename(source, target)

    def full_disk_copy(source, target):
        if ".new" in str(target) and "reports" in str(target):  # the last of the three: the disk fills up
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_copy(source, target)

    monkeypatch.setattr(os, "rename", cross_device_rename)
    monkeypatch.setattr(shutil, "copy2", full_disk_copy)
    with pytest.raises(OSError, match="No space left"):
        staging.swap_into_place(project, stage, "s")
    assert read_outputs(project) == ALL_OLD and not leftovers(project)[:-1]  # only the stage itself is left
    monkeypatch.setattr(shutil, "copy2", real_copy)
    staging.swap_into_place(project, stage, "s")
    assert read_outputs(project) == ALL_NEW


def test_staging_folders_of_a_run_still_going_are_left_alone(tmp_path):
    project = tmp_path / "p"
    busy, stale = staging.new_stage(project, "busy"), staging.new_stage(project, "stale")
    with staging.held_lock(project, "busy", log=lambda message: None):
        child = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                                "import newslab.staging as s; from pathlib import Path; "
                                "print(len(s.clean_stale_stages(Path(sys.argv[2]))))",
                                str(Path(__file__).resolve().parents[1]), str(project)],
                               capture_output=True, text=True, timeout=60)
    assert child.stdout.strip() == "1", child.stderr
    assert busy.exists() and not stale.exists()


def test_an_old_runners_interrupted_swap_is_put_back(tmp_path):
    project = tmp_path / "p"
    make_outputs(project, "old")
    stage = project / ".staging" / "s"  # the runner before journals: one staging folder per slug
    stage.mkdir(parents=True)
    (project / "data" / "s").rename(stage / "old-data")
    staging.clean_stale_stages(project)
    assert read_outputs(project) == ALL_OLD and not (project / ".staging" / "s").exists()


def test_a_failed_write_leaves_the_earlier_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    target.write_text("old page")

    def failing_write(self, text, encoding=None):
        Path.write_bytes(self, text[:10].encode())
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", failing_write)
    with pytest.raises(OSError):
        newslab.outputs.write_text("new page " * 1000, target)
    assert target.read_text() == "old page" and sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


# --------------------------------------------------------------------------- real runs, real signals


def started(project: Path, *args: str) -> subprocess.Popen:
    """`python run.py ARGS` in its own process group (as a shell starts it), stdout and stderr to files."""
    number = len(list(project.glob("run*.out")))
    log = project / f"run{number}.out", project / f"run{number}.err"
    with open(log[0], "w") as out, open(log[1], "w") as err:
        # Ctrl-C as a terminal gives it: a job started in the background of a script (bench/stress.sh runs two
        # suites that way) inherits SIGINT ignored, and Python then keeps ignoring it.
        process = subprocess.Popen([sys.executable, "run.py", *args], cwd=project, stdout=out, stderr=err,
                                   start_new_session=True,
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    process.logs = log
    return process


def output_of(process: subprocess.Popen) -> tuple[str, str]:
    """(stdout, stderr) of a process started by `started`, so far."""
    return process.logs[0].read_text(), process.logs[1].read_text()


def wait_for(predicate, timeout: float = RUN_TIMEOUT, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


def finish(process: subprocess.Popen) -> tuple[int, str, str]:
    process.wait(timeout=RUN_TIMEOUT)
    return (process.returncode, *output_of(process))


def processes_of(project: Path, group: int | None = None) -> list[str]:
    """Live processes working in the project (cwd inside it: run.py, its workers, their kernels) or in the group."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] == "Z":
                continue
            in_group = group is not None and int(stat.rsplit(")", 1)[1].split()[2]) == group
            if in_group or str(project) in os.readlink(proc / "cwd"):
                found.append(f"{proc.name} {(proc / 'cmdline').read_bytes()[:120]!r}")
        except (OSError, IndexError, ValueError):
            continue
    return found


def no_processes_left(project: Path, group: int) -> None:
    wait_for(lambda: not processes_of(project, group), timeout=20, what="the run's processes to end")


def children(pid: int) -> list[int]:
    """The child processes of pid."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR: ")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.fixture
def project_with_seed(seed_project, tmp_path) -> Path:
    project = copy_project(tmp_path / "p")
    copy_seed_outputs(seed_project, project)
    return project


def test_a_killed_worker_ends_in_one_error_line_and_the_next_run_succeeds(project_with_seed):
    project = project_with_seed
    before = output_files(project)
    run = started(project)
    wait_for(lambda: "done in" in output_of(run)[0], what="a first notebook to finish")
    worker = children(run.pid)[0]
    os.kill(worker, signal.SIGKILL)
    code, _, stderr = finish(run)
    assert code == 1
    assert "a worker process running the notebooks was killed" in one_error_line(stderr)
    no_processes_left(project, run.pid)
    assert output_files(project) == before and not leftovers(project)
    code, stdout, stderr = finish(started(project))
    assert code == 0, stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_or_killed_run_leaves_earlier_outputs_and_no_process(project_with_seed, sig):
    project = project_with_seed
    before, index = output_files(project), (project / "reports" / "index.html").read_bytes()
    run = started(project)
    wait_for(lambda: "done in" in output_of(run)[0], what="a first notebook to finish")
    os.killpg(run.pid, sig)  # Ctrl-C in a terminal goes to the whole process group
    code, _, stderr = finish(run)
    if sig == signal.SIGINT:
        assert code == 130 and "ERROR: interrupted" in one_error_line(stderr)
        assert not leftovers(project)
    else:
        assert code == -signal.SIGKILL
    no_processes_left(project, run.pid)  # the workers saw their parent die, and took their kernels with them
    assert output_files(project) == before
    assert (project / "reports" / "index.html").read_bytes() == index
    code, _, stderr = finish(started(project))
    assert code == 0, stderr
    assert not leftovers(project)  # the killed run's staging folder was cleaned up by this one


def site_index_links(project: Path) -> list[str]:
    page = (project / "reports" / "index.html").read_text(encoding="utf-8")
    return [line.split('"')[1] for line in page.splitlines() if line.startswith("<li><a href=")]


def test_two_runs_on_the_same_article_at_once_both_succeed_one_after_the_other(tmp_path):
    project = copy_project(tmp_path / "p")
    first = started(project)
    wait_for(lambda: (project / ".staging").is_dir() and any((project / ".staging").iterdir()),
             what="the first run to start its notebooks")
    second = started(project)
    (code1, _, err1), (code2, out2, err2) = finish(first), finish(second)
    assert (code1, code2) == (0, 0), err1 + err2
    assert "waiting: another run is writing" in out2
    assert site_index_links(project) == [f"{SEED_SLUG}/index.html"]
    files = output_files(project)
    assert f"reports/{SEED_SLUG}/05_compare_articles.html" in files and f"data/{SEED_SLUG}/timeline.csv" in files
    assert not leftovers(project)


def test_runs_on_two_articles_at_once_go_side_by_side(tmp_path):
    project = copy_project(tmp_path / "p")
    first, second = started(project, SEED_FILE), started(project, VOA)
    (code1, out1, err1), (code2, out2, err2) = finish(first), finish(second)
    assert (code1, code2) == (0, 0), err1 + err2
    assert "waiting" not in out1 + out2
    assert sorted(site_index_links(project)) == sorted([f"{SEED_SLUG}/index.html", f"{VOA_SLUG}/index.html"])
    for slug in (SEED_SLUG, VOA_SLUG):
        files = output_files(project, slug)
        assert json.loads(files[f"data/{slug}/article.json"])["slug"] == slug
        assert json.loads(files[f"reports/{slug}/article.json"]) == json.loads(files[f"data/{slug}/article.json"])
        for name in ("01_load_article", "02_named_entities", "03_sentiment", "04_timeline_tension",
                     "05_compare_articles", "index"):
            assert f"reports/{slug}/{name}.html" in files
        assert {f"data/{slug}/paragraphs.csv", f"data/{slug}/timeline.csv", f"figures/{slug}/paragraph_lengths.png"
                } <= set(files)
    assert not leftovers(project)


# --------------------------------------------------------------------------- read-only and full output folders


def mount(*args: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only or tmpfs output folder needs root")
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"mount {' '.join(args)} is not allowed here: {result.stderr.strip()}")


@pytest.fixture
def mounted(project_with_seed):
    mounts: list[Path] = []
    yield project_with_seed, mounts
    for point in reversed(mounts):
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_read_only_figures_folder_is_named_and_nothing_changes(mounted):
    project, mounts = mounted
    before = output_files(project)
    figures = project / "figures"
    mount("--bind", str(figures), str(figures))
    mounts.append(figures)
    mount("-o", "remount,ro,bind", str(figures))
    code, _, stderr = finish(started(project))
    assert code == 1
    line = one_error_line(stderr)
    assert f"could not write the outputs into {figures}" in line and "Read-only file system" in line
    assert "make that folder writable" in line
    assert output_files(project) == before and not list((project / ".staging").iterdir())


def test_outputs_on_another_file_system_and_a_full_disk(mounted):
    project, mounts = mounted
    before = output_files(project)
    figures = project / "figures"
    saved = project / "figures-saved"
    shutil.copytree(figures, saved)
    size = sum(p.stat().st_size for p in saved.rglob("*") if p.is_file())
    mount("-t", "tmpfs", "-o", f"size={size * 3 // 2}", "tmpfs", str(figures))  # no room for a second copy
    mounts.append(figures)
    shutil.copytree(saved / SEED_SLUG, figures / SEED_SLUG)
    code, _, stderr = finish(started(project))
    assert code == 1
    line = one_error_line(stderr)
    assert f"could not write the outputs into {figures}" in line and "No space left on device" in line
    assert output_files(project) == before  # nothing truncated, nothing half-swapped
    assert not leftovers(project)
    subprocess.run(["mount", "-o", f"remount,size={size * 4}", str(figures)], check=True)
    code, _, stderr = finish(started(project))
    assert code == 0, stderr  # renames across file systems: the new figures were copied beside the old
    assert (figures / SEED_SLUG / "paragraph_lengths.png").stat().st_size > 1000
    assert not leftovers(project)


def test_a_kernel_that_dies_mid_notebook_is_reported_and_no_later_notebook_starts(project_with_seed):
    import nbformat

    project = project_with_seed
    before = output_files(project)
    path = project / "notebooks" / "02_named_entities.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"))
    nbformat.write(nb, path)
    code, stdout, stderr = finish(started(project))
    assert code == 1
    line = one_error_line(stderr)
    assert "the kernel running 02_named_entities.ipynb died (most often the system ran out of memory" in line
    assert "05_compare_articles.ipynb done" not in stdout  # the comparison never started
    assert output_files(project) == before and not leftovers(project)
