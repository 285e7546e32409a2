"""Runs that never collide and never half-write (run.py, which runs the notebooks): a lock per article and one for
the site index, a staging folder per run, and the all-or-nothing swap of a run's outputs into data/, figures/ and
reports/.

The swap keeps a journal, swap.json, in the run's staging folder. It first brings the new outputs beside their
targets (renamed, or copied when the output folder is on another file system) under hidden names; a kill or a
failure in that phase rolls back. Then the journal says "commit", and the old outputs are moved aside and the new
ones moved in by renames within each output folder; a kill in that phase is rolled forward by the next run. Either
way the project holds all the old outputs or all the new ones, never a mix.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

from newslab.outputs import write_json

OUTPUT_KINDS = ("data", "figures", "reports")
JOURNAL = "swap.json"


def no_checkpoint(step: str) -> None:
    """The default checkpoint of swap_into_place: nothing (tests pass one that stops the swap at a chosen step)."""


@contextlib.contextmanager
def held_lock(root: Path, name: str, log: Callable[[str], None] = print) -> Iterator[None]:
    """Hold root/.locks/<name>.lock (fcntl.flock) for the with block; when another run holds it, say so and wait."""
    folder = root / ".locks"
    folder.mkdir(exist_ok=True)
    with open(folder / f"{name}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"  waiting: another run is writing '{name}' in this project; this run goes on when it ends")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # the lock goes with the file's closing, also when the process is killed


def try_lock(root: Path, name: str) -> object | None:
    """The open lock file root/.locks/<name>.lock, locked, if no run holds it now; else None (never waits)."""
    folder = root / ".locks"
    folder.mkdir(exist_ok=True)
    handle = open(folder / f"{name}.lock", "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def new_stage(root: Path, lock_name: str) -> Path:
    """A new, empty staging folder for one run: .staging/<lock name>.<process id>.<random>."""
    stage = root / ".staging" / f"{lock_name}.{os.getpid()}.{secrets.token_hex(4)}"
    stage.mkdir(parents=True)
    return stage


def swap_places(root: Path, stage: Path, slug: str, kind: str) -> tuple[Path, Path, Path]:
    """(target, new, old) of one output kind: the new and old outputs sit beside the target under hidden names."""
    folder = root / kind
    return folder / slug, folder / f".{stage.name}.new", folder / f".{stage.name}.old"


def bring_beside(source: Path, new: Path) -> None:
    """Move a staged output folder to `new` (beside its target), copying it when `new` is on another file system."""
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(source, new)
        except OSError as err:
            if err.errno != errno.EXDEV:
                raise
            copy_folder(source, new)
    except OSError as err:  # named by the output folder the user knows (not the hidden folder beside its target)
        raise OSError(err.errno, err.strerror, str(new.parent)) from None


def copy_folder(source: Path, target: Path) -> None:
    """Copy a folder tree, stopping at the first error (an OSError naming the file; shutil.copytree collects them)."""
    for folder, _, files in os.walk(source):
        here = target / Path(folder).relative_to(source)
        here.mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copy2(Path(folder) / name, here / name)


def roll_forward(root: Path, stage: Path, slug: str, kinds: list[str], checkpoint: Callable[[str], None]) -> None:
    """The commit phase, from wherever a killed run stopped: old outputs aside, new ones in, old ones removed."""
    for kind in kinds:
        target, new, old = swap_places(root, stage, slug, kind)
        if new.exists():
            if target.exists():
                os.rename(target, old)
                checkpoint(f"{kind} old aside")
            os.rename(new, target)
            checkpoint(f"{kind} new in")
    for kind in kinds:
        shutil.rmtree(swap_places(root, stage, slug, kind)[2], ignore_errors=True)
    (stage / JOURNAL).unlink(missing_ok=True)


def roll_back(root: Path, stage: Path, slug: str, kinds: list[str]) -> None:
    """Undo the preparing phase: remove the new outputs brought beside their targets (the targets were untouched)."""
    for kind in kinds:
        shutil.rmtree(swap_places(root, stage, slug, kind)[1], ignore_errors=True)
    (stage / JOURNAL).unlink(missing_ok=True)


def swap_into_place(root: Path, stage: Path, slug: str, checkpoint: Callable[[str], None] = no_checkpoint) -> None:
    """Replace data/, figures/ and reports/<slug> by the staged ones, all or nothing (see the module docstring)."""
    kinds = [kind for kind in OUTPUT_KINDS if (stage / kind / slug).exists()]
    write_json({"slug": slug, "kinds": kinds, "state": "prepare"}, stage / JOURNAL)
    checkpoint("journal prepare")
    try:
        for kind in kinds:
            bring_beside(stage / kind / slug, swap_places(root, stage, slug, kind)[1])
            checkpoint(f"{kind} beside")
    except OSError:
        roll_back(root, stage, slug, kinds)
        raise
    write_json({"slug": slug, "kinds": kinds, "state": "commit"}, stage / JOURNAL)
    checkpoint("journal commit")
    roll_forward(root, stage, slug, kinds, checkpoint)


def recover_stage(root: Path, stage: Path) -> None:
    """Finish (journal says commit) or undo (prepare) the swap a killed run left in `stage`, then remove `stage`."""
    journal = stage / JOURNAL
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:  # killed while the journal was written: it was the "prepare" one (written atomically)
            entry = None
        if entry and entry["state"] == "commit":
            roll_forward(root, stage, entry["slug"], entry["kinds"], no_checkpoint)
        elif entry:
            roll_back(root, stage, entry["slug"], entry["kinds"])
    for kind in OUTPUT_KINDS:  # the runner before journals moved earlier outputs to <stage>/old-<kind>
        old, target = stage / f"old-{kind}", root / kind / stage.name
        if old.is_dir() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(old, target)
    shutil.rmtree(stage, ignore_errors=True)


def clean_stale_stages(root: Path, held: str | None = None) -> list[Path]:
    """Recover and remove the staging folders of runs that ended without cleaning up (no run holds their lock).

    `held` names the lock this process holds: its staging folders are stale too (this run has not made one yet)."""
    cleaned = []
    staging = root / ".staging"
    for stage in sorted(staging.iterdir()) if staging.is_dir() else []:
        if stage.name.split(".")[0] == held:
            recover_stage(root, stage)
            cleaned.append(stage)
            continue
        handle = try_lock(root, stage.name.split(".")[0])
        if handle is None:
            continue  # that article's run is still going: its staging folder is in use
        try:
            recover_stage(root, stage)
            cleaned.append(stage)
        finally:
            handle.close()
    return cleaned
