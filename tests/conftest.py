"""Shared fixtures: a clean copy of the project, and the whole collection run once on the seed."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED_SLUG = "russian-us-top-generals-discuss-situation-in-syria-following"
# What a fresh clone holds; generated outputs (data/<slug>, figures/<slug>, reports) are left behind.
PROJECT_FILES = ["helpers.py", "newslab", "run.py", "notebooks", "seeds", "site_template", "data/metadata.csv",
                 "data/articles", "data/cameo_codes.csv", "data/cameo_verbs.csv", "data/cameo_patterns.csv",
                 "data/cameo_synsets.csv", "data/cameo_verbs.md", "data/tension_supplement.csv"]
OPTIONAL_DATA: list[str] = []  # files a fresh clone may lack


def copy_project(target: Path) -> Path:
    """Copy the committed parts of the project into target, as a fresh clone would have them."""
    for name in PROJECT_FILES + [n for n in OPTIONAL_DATA if (ROOT / n).exists()]:
        src, dst = ROOT / name, target / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(src, dst)
    (target / "figures").mkdir(exist_ok=True)
    return target


def article_notebooks(project: Path) -> list[Path]:
    """The notebooks of a project copy that run.py runs on each article (not the corpus notebook)."""
    import run

    return [p for p in sorted((project / "notebooks").glob("[0-9][0-9]_*.ipynb")) if p.name not in run.CORPUS_NOTEBOOKS]


def run_collection(project: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run `python run.py ARGS` inside a project copy and return the finished process."""
    result = subprocess.run([sys.executable, "run.py", *args], cwd=project, capture_output=True, text=True,
                            timeout=1800)
    if check and result.returncode != 0:
        raise AssertionError(f"run.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def output_files(project: Path, slug: str = SEED_SLUG) -> dict[str, bytes]:
    """Every output file of one article (under data/, figures/ and reports/ <slug>), by path in the project."""
    files = [p for kind in ("data", "figures", "reports") for p in sorted((project / kind / slug).rglob("*"))]
    return {str(p.relative_to(project)): p.read_bytes() for p in files if p.is_file()}


def copy_seed_outputs(source: Path, target: Path) -> None:
    """Copy the seed's outputs (data, figures, reports and the site index) from one project copy into another."""
    for kind in ("data", "figures", "reports"):
        shutil.copytree(source / kind / SEED_SLUG, target / kind / SEED_SLUG)
    shutil.copy2(source / "reports" / "index.html", target / "reports" / "index.html")


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory) -> Path:
    """A fresh project copy on which `python run.py` has run every notebook on the seed."""
    project = copy_project(tmp_path_factory.mktemp("seed_project"))
    result = run_collection(project)
    project.joinpath("run.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return project


def read_and_parse(path: Path | str, **kwargs):
    """An article file read (and checked) with read_article, then parsed with parse_article."""
    from newslab.articles import parse_article, read_article

    return parse_article(read_article(path, **kwargs))


@pytest.fixture(scope="session")
def seed_article():
    """The seed article, read and parsed."""
    from newslab.paths import SEED

    return read_and_parse(SEED)
