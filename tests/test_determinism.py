"""Running the collection twice on the same article gives byte-identical tables, figures, notebooks and pages."""
from __future__ import annotations

from pathlib import Path

import pytest

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


def made_up_figure():
    """A small figure with text, a line and a legend, in the project's style."""
    import matplotlib.pyplot as plt

    import newslab.plots

    newslab.plots.use_style()
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([0, 1, 2, 3], [3, 1, 2, 0], label="tension")
    ax.set_title("A made-up figure")
    ax.set_xlabel("days")
    ax.legend()
    return fig


def test_a_saved_png_is_the_file_savefig_writes(tmp_path):
    """save_figure compresses the PNG on a second thread from its own Agg drawing: the same bytes as savefig's own
    PNG, and the figure keeps its canvas."""
    import matplotlib
    import matplotlib.pyplot as plt

    import newslab.plots

    fig = made_up_figure()
    canvas = fig.canvas
    expected = tmp_path / "expected.png"
    fig.savefig(expected, format="png", metadata={"Software": None}, bbox_inches=newslab.plots.tight_box(fig))
    png, svg = newslab.plots.save_figure(fig, tmp_path, "made_up")
    assert png.read_bytes() == expected.read_bytes() and svg.read_bytes().startswith(b"<?xml")
    assert fig.canvas is canvas
    assert sorted(p.name for p in tmp_path.iterdir()) == ["expected.png", "made_up.png", "made_up.svg"]
    plt.close(fig)
    matplotlib.rcdefaults()


def test_a_png_that_cannot_be_written_raises_and_leaves_no_temporary_file(tmp_path):
    import matplotlib
    import matplotlib.pyplot as plt

    import newslab.plots

    fig = made_up_figure()
    (tmp_path / "made_up.png").mkdir()  # a folder where the PNG should go: the rename onto it fails
    with pytest.raises(OSError):
        newslab.plots.save_figure(fig, tmp_path, "made_up")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["made_up.png", "made_up.svg"]
    plt.close(fig)
    matplotlib.rcdefaults()
