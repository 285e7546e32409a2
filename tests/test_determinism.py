"""Running the collection twice on the same article gives byte-identical tables and figures."""
from __future__ import annotations

from pathlib import Path

from conftest import SEED_SLUG, copy_project, run_collection


def outputs(project: Path) -> dict[str, bytes]:
    """Every file under data/<slug>/ and every SVG and PNG under figures/<slug>/, by relative path."""
    files = sorted((project / "data" / SEED_SLUG).rglob("*"))
    files += sorted(p for p in (project / "figures" / SEED_SLUG).rglob("*") if p.suffix in (".svg", ".png"))
    return {str(p.relative_to(project)): p.read_bytes() for p in files if p.is_file()}


def test_two_runs_on_the_seed_give_byte_identical_tables_and_figures(seed_project, tmp_path):
    second = copy_project(tmp_path / "second")
    run_collection(second)
    first_files, second_files = outputs(seed_project), outputs(second)
    assert f"data/{SEED_SLUG}/paragraphs.csv" in first_files
    assert f"figures/{SEED_SLUG}/paragraph_lengths.svg" in first_files
    assert f"figures/{SEED_SLUG}/paragraph_lengths.png" in first_files
    assert sorted(first_files) == sorted(second_files)
    changed = [name for name in first_files if first_files[name] != second_files[name]]
    assert not changed, f"differ between two runs: {changed}"
