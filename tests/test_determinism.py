"""Running the collection twice on the same article gives byte-identical tables, figures, notebooks and pages."""
from __future__ import annotations

from pathlib import Path

from conftest import SEED_SLUG, copy_project, output_files, run_collection


def outputs(project: Path) -> dict[str, bytes]:
    """Every output file of the seed (data/, figures/, reports/ <slug>) and the site index, by relative path."""
    files = output_files(project)
    files["reports/index.html"] = (project / "reports" / "index.html").read_bytes()
    return files


def test_two_runs_on_the_seed_give_byte_identical_outputs_html_included(seed_project, tmp_path):
    second = copy_project(tmp_path / "second")
    run_collection(second)
    first_files, second_files = outputs(seed_project), outputs(second)
    for name in (f"data/{SEED_SLUG}/paragraphs.csv", f"figures/{SEED_SLUG}/paragraph_lengths.svg",
                 f"figures/{SEED_SLUG}/paragraph_lengths.png", f"reports/{SEED_SLUG}/02_named_entities.html",
                 f"reports/{SEED_SLUG}/02_named_entities.ipynb", f"reports/{SEED_SLUG}/index.html"):
        assert name in first_files
    assert sorted(first_files) == sorted(second_files)
    changed = [name for name in first_files if first_files[name] != second_files[name]]
    assert not changed, f"differ between two runs: {changed}"
    for name, content in first_files.items():  # no trace of where or when it ran
        if name.endswith((".html", ".ipynb", ".json")):
            text = content.decode("utf-8")
            assert str(seed_project) not in text and ".staging" not in text, name
            assert '"start_time"' not in text and '"duration"' not in text, name
