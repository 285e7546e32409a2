"""Several articles: the data/articles collection run as a batch, outputs kept apart, .html input, the comparison."""
from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import helpers
import newslab.compare
import newslab.files
import run
from conftest import ROOT, SEED_SLUG, copy_project, copy_seed_outputs, output_files, read_and_parse, run_collection

ARTICLES = {  # file in data/articles -> (slug, published, body words)
    "2015-02-06_voa_ukraine-ceasefire-talks.md": ("russia-eu-leaders-agree-to-work-on-ukraine-cease-fire",
                                                  "2015-02-06", 223),
    "2016-02-12_voa_syria-cessation-of-hostilities.md": ("major-powers-agree-to-seek-a-cessation-of-hostilities-in",
                                                         "2016-02-12", 209),
    "2018-05-10_voa_trump-kim-singapore.md": ("trump-to-meet-n-koreas-kim-jong-un-june-12-in-singapore",
                                              "2018-05-10", 227),
}
SEED_WORDS = 699
HTML_SLUG = "harbour-talks-end-without-deal"
NOTEBOOKS = run.notebooks()  # the notebooks run on each article


@pytest.fixture(scope="session")
def articles_project(seed_project, tmp_path_factory):
    """A project whose seed outputs come from a seed run, then `run.py data/articles/ harbour.html` ran on the
    three articles and a made-up saved web page."""
    project = copy_project(tmp_path_factory.mktemp("articles_project"))
    copy_seed_outputs(seed_project, project)
    before = output_files(project)
    write_page(project, "harbour.html")
    result = run_collection(project, "data/articles/", "harbour.html")
    return {"project": project, "seed_before": before, "stdout": result.stdout, "stderr": result.stderr}


def test_the_added_articles_carry_full_front_matter():
    assert sorted(p.name for p in run.expand_articles([str(ROOT / "data" / "articles")])) == sorted(ARTICLES)
    for name, (slug, published, words) in ARTICLES.items():
        meta, _ = newslab.files.split_front_matter(newslab.files.read_text(ROOT / "data" / "articles" / name))
        assert {"title", "source", "published", "licence", "url"} <= set(meta), name
        assert meta["published"] == published and meta["url"].startswith("https://")
        assert "public domain" in meta["licence"]
        assert name in (ROOT / "README.md").read_text(encoding="utf-8")


def test_each_article_gets_its_own_folders(articles_project):
    project = articles_project["project"]
    for slug, published, words in ARTICLES.values():
        meta = json.loads((project / "data" / slug / "article.json").read_text())
        assert meta["published"] == published and meta["published_inferred"] is False
        assert meta["source"].startswith("Voice of America")
        for nb in NOTEBOOKS:
            assert (project / "reports" / slug / nb.with_suffix(".html").name).is_file()
        assert (project / "figures" / slug / "paragraph_lengths.png").is_file()
    meta = json.loads((project / "data" / HTML_SLUG / "article.json").read_text())
    assert (meta["title"], meta["source"], meta["published"]) == (
        "Harbour talks end without deal", "Example Wire", "2024-05-01")
    assert pd.read_csv(project / "data" / HTML_SLUG / "paragraphs.csv")["kind"].tolist() == [
        "title", "standfirst", "body", "body", "body"]
    for nb in NOTEBOOKS:
        assert (project / "reports" / HTML_SLUG / nb.with_suffix(".html").name).is_file()
    assert not (project / ".staging").exists() or not any((project / ".staging").iterdir())


def test_running_other_articles_leaves_the_first_byte_identical(articles_project):
    after = output_files(articles_project["project"])
    assert len(after) > 10
    assert after == articles_project["seed_before"]


def test_batch_shows_progress_and_ends_with_a_summary(articles_project):
    out = articles_project["stdout"]
    n = len(ARTICLES) + 1
    for i in range(1, n):
        assert f"Article {i} of {n}: data/articles/" in out
    assert f"Article {n} of {n}: harbour.html" in out
    for nb in NOTEBOOKS:
        assert out.count(f"{nb.name} done in") == n
    summary = out[out.index("Summary"):].splitlines()
    assert summary[1].split() == ["article", "words", "entities", "dated", "events", "peak", "tension", "date",
                                  "status"]
    rows = {line.split()[0]: line.split() for line in summary[3:] if line.strip()}
    assert len(rows) == n
    for slug, published, words in list(ARTICLES.values()) + [(HTML_SLUG, "2024-05-01", 67)]:
        numbers = newslab.compare.article_numbers(articles_project["project"] / "data" / slug)
        assert rows[slug] == [slug, str(words), str(numbers["entities"]), str(numbers["dated_events"]),
                              str(numbers["peak_tension_date"]), "ok"]


def test_comparison_notebook_reads_earlier_articles_and_the_staged_one(articles_project):
    project = articles_project["project"]
    last_slug = list(ARTICLES.values())[-1][0]  # run third: sees the seed, the two before it, and itself (staged)
    table = pd.read_csv(project / "data" / last_slug / "compare_articles.csv")
    assert table["slug"].tolist() == [ARTICLES[n][0] for n in sorted(ARTICLES)[:2]] + [SEED_SLUG, last_slug]
    assert table["published"].tolist() == ["2015-02-06", "2016-02-12", "2018-03-22", "2018-05-10"]
    assert table["words"].tolist() == [223, 209, SEED_WORDS, 227]
    executed = nbformat.read(project / "reports" / last_slug / "05_compare_articles.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "Articles analysed so far: 4" in text
    assert "Articles with entities.csv: 4 of 4" in text and "Articles with sentiment.csv: 4 of 4" in text
    assert (project / "figures" / last_slug / "compare_sentiment.png").stat().st_size > 1000
    shared = pd.read_csv(project / "data" / last_slug / "compare_shared_entities.csv")
    in_articles = dict(zip(shared["entity"], shared["articles"]))
    assert in_articles["Russia"] == 3 and in_articles["Syria"] == 2
    assert in_articles["Vladimir Putin"] == 2 and in_articles["Donald Trump"] == 2
    assert shared["articles"].min() == 2 and not {"DATE", "CARDINAL", "TIME"} & set(shared["label"])
    assert len(pd.read_csv(project / "data" / HTML_SLUG / "compare_articles.csv")) == 5  # run after all of them
    first_slug = ARTICLES[sorted(ARTICLES)[0]][0]  # run first: saw only the seed and itself
    assert len(pd.read_csv(project / "data" / first_slug / "compare_articles.csv")) == 2


def test_comparison_notebook_on_the_seed_alone_says_so(seed_project):
    executed = nbformat.read(seed_project / "reports" / SEED_SLUG / "05_compare_articles.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "Articles analysed so far: 1" in text and "There is one article so far" in text
    table = pd.read_csv(seed_project / "data" / SEED_SLUG / "compare_articles.csv")
    assert table[["slug", "published", "words"]].values.tolist() == [[SEED_SLUG, "2018-03-22", SEED_WORDS]]
    assert pd.read_csv(seed_project / "data" / SEED_SLUG / "compare_shared_entities.csv").empty
    assert (seed_project / "figures" / SEED_SLUG / "compare_paragraph_lengths.png").stat().st_size > 1000


def test_article_numbers_reads_the_tables_and_marks_missing_ones(tmp_path):
    pd.DataFrame({"kind": ["title", "body", "body"], "n_words": [5, 10, 20]}).to_csv(tmp_path / "paragraphs.csv")
    assert newslab.compare.article_numbers(tmp_path) == {"words": 30, "entities": "-", "dated_events": "-",
                                                 "peak_tension_date": "-"}
    pd.DataFrame({"canonical": ["Putin", "Putin", "Syria", "Friday"],
                  "canonical_label": ["PERSON", "PERSON", "GPE", "DATE"]}).to_csv(tmp_path / "entities.csv")
    pd.DataFrame({"value": ["2018-03-21", "2018-W11", "2018-03-14"],
                  "sort_key": ["2018-03-21", "2018-03-15", "2018-03-14"], "tension_max": [1.0, 9.0, 2.5]}).to_csv(
        tmp_path / "tension_by_date.csv")
    pd.DataFrame({"value": ["2018-03-21", "undated", "2018-03"],
                  "dated_by": ["own", "undated", "paragraph"]}).to_csv(tmp_path / "timeline.csv")
    assert newslab.compare.article_numbers(tmp_path) == {"words": 30, "entities": 2, "dated_events": 2,
                                                 "peak_tension_date": "2018-W11"}


def test_tension_series_is_in_date_order_and_skips_undated_rows():
    table = pd.DataFrame({"value": ["2018-03-21", "2014", "PAST_REF"], "sort_key": ["2018-03-21", "2014-01-01", None],
                          "tension_max": [0.5, 1.5, 2.0]})
    dates, tension = newslab.compare.tension_series(table)
    assert [d.date().isoformat() for d in dates] == ["2014-01-01", "2018-03-21"]
    assert tension.tolist() == [1.5, 0.5]


def test_analysed_articles_prefers_the_staged_copy(tmp_path, monkeypatch):
    project, out_root = tmp_path / "project", tmp_path / "out"
    for folder in (project / "data" / "some-slug", project / "data" / "older-slug", out_root / "data" / "some-slug"):
        folder.mkdir(parents=True)
        (folder / "article.json").write_text("{}")
    monkeypatch.setattr(newslab.compare, "ROOT", project)
    found = helpers.analysed_articles(out_root)
    assert found == {"older-slug": project / "data" / "older-slug", "some-slug": out_root / "data" / "some-slug"}


# --------------------------------------------------------------------------- .html articles

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour talks end without deal | Example Wire</title>
{date_tag}
<meta name="description" content="Negotiators from two port cities failed to agree on fishing rights.">
<meta property="og:site_name" content="Example Wire">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour talks end without deal</h1>
<p>Negotiators from Northport and Southport ended two days of talks on Tuesday without an agreement on fishing
rights, the mayor of Northport, Anna Berg, said.</p>
<p>Berg said the two sides would meet again next month in Geneva. "We are closer than we were, but not close
enough," she told reporters.</p>
<p>The dispute began in March 2023, when Southport's fleet was turned away from the northern grounds.</p>
<script>var tracking = "do not keep";</script>
</article>
<footer>Copyright Example Wire. <a href="/about">About us</a></footer>
</body></html>
"""
DATE_TAG = '<meta property="article:published_time" content="2024-05-01T09:30:00Z">'


def write_page(folder: Path, name: str, dated: bool = True) -> Path:
    path = folder / name
    path.write_text(PAGE.format(date_tag=DATE_TAG if dated else ""), encoding="utf-8")
    return path


def test_read_html_article_extracts_title_date_and_main_text(tmp_path):
    meta, text = newslab.files.read_html_article(write_page(tmp_path, "harbour.html"))
    assert meta == {"title": "Harbour talks end without deal", "source": "Example Wire", "published": "2024-05-01"}
    paragraphs = helpers.split_paragraphs(text)
    assert paragraphs[0] == "Harbour talks end without deal"
    assert paragraphs[1] == "Negotiators from two port cities failed to agree on fishing rights."
    assert paragraphs[2].startswith("Negotiators from Northport and Southport ended two days of talks on Tuesday")
    assert len(paragraphs) == 5
    assert not any(word in text for word in ("Home", "Sport", "Copyright", "tracking", "About us"))


def test_load_article_reads_a_saved_web_page(tmp_path):
    article = read_and_parse(write_page(tmp_path, "harbour.htm"))
    assert (article.title, article.source, article.slug) == (
        "Harbour talks end without deal", "Example Wire", "harbour-talks-end-without-deal")
    assert article.published == dt.date(2024, 5, 1) and not article.published_inferred
    assert [p.kind for p in article.paragraphs] == ["title", "standfirst", "body", "body", "body"]
    assert article.body[1].sentences == [
        "Berg said the two sides would meet again next month in Geneva.",
        '"We are closer than we were, but not close enough," she told reporters.']


def test_html_without_a_date_needs_published(tmp_path):
    page = write_page(tmp_path, "undated.html", dated=False)
    with pytest.raises(helpers.ArticleError, match=r"undated.html: no publication date.*--published"):
        read_and_parse(page)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_and_parse(page, published="2024-05-02").published == dt.date(2024, 5, 2)


def test_runner_explains_a_missing_date_in_a_web_page(tmp_path):
    project = copy_project(tmp_path / "p")
    write_page(project, "undated.html", dated=False)
    result = run_collection(project, "undated.html", check=False)
    assert result.returncode == 1
    assert "undated.html: no publication date" in result.stderr and "--published" in result.stderr
    assert "Traceback" not in result.stderr
    assert "undated.html  -" in result.stdout and result.stdout.rstrip().endswith("FAILED")


def test_html_page_with_no_article_text_is_a_clear_error(tmp_path):
    page = tmp_path / "empty_page.html"
    page.write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>")
    with pytest.raises(helpers.ArticleError, match="empty_page.html: no article text found"):
        read_and_parse(page, published="2024-01-01")


def test_html_page_missing_a_folder_or_too_big_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(helpers.ArticleError, match="gone.html: no such file"):
        read_and_parse(tmp_path / "gone.html", published="2024-01-01")
    (tmp_path / "folder.html").mkdir()
    with pytest.raises(helpers.ArticleError, match="folder.html: is a folder"):
        read_and_parse(tmp_path / "folder.html", published="2024-01-01")
    monkeypatch.setattr(newslab.files, "MAX_PAGE_BYTES", 100)
    page = tmp_path / "big.html"
    page.write_text("<html><body><p>" + "Words and words. " * 80 + "</p></body></html>")
    with pytest.raises(helpers.ArticleError, match=r"big.html: is 1 kB, too big for one article page"):
        read_and_parse(page, published="2024-01-01")
    monkeypatch.setattr(newslab.files, "MAX_PAGE_BYTES", 10_000)
    monkeypatch.setattr(newslab.files, "MAX_FILE_BYTES", 1000)  # the page fits, its text does not
    with pytest.raises(helpers.ArticleError, match=r"big.html: its text is over 1 kB, more than the notebooks"):
        read_and_parse(page, published="2024-01-01")


# --------------------------------------------------------------------------- the HTML pages


def test_solution_cells_are_folded_and_headings_listed(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 99 · Demo\n\n> A question.\n"),
        nbformat.v4.new_markdown_cell("## Tom & Jerry's `<step>`\n### A detail"),
        nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("## Try it yourself"),
    ]
    source = tmp_path / "99_demo.ipynb"
    nbformat.write(nb, source)
    run.render_html(source, tmp_path / "99_demo.html")
    page = (tmp_path / "99_demo.html").read_text(encoding="utf-8")
    folded = page[page.index('<details class="solution">'):page.index("</details>")]
    assert "<summary>Solution (click to show)</summary>" in folded and "answer" in folded and "42" in folded
    toc = page[page.index('<nav class="toc"'):page.index("</nav>", page.index('<nav class="toc"'))]
    assert "Tom &amp; Jerry&#x27;s &lt;step&gt;</a><ul><li>" in toc and ">A detail</a>" in toc
    assert ">Try it yourself</a>" in toc and "Demo</a>" not in toc
    assert page.index('<nav class="toc"') > page.index("99 · Demo")


def test_site_index_links_every_article_and_all_links_resolve(articles_project):
    from test_browser import hrefs

    reports = articles_project["project"] / "reports"
    site_links = hrefs(reports / "index.html")
    in_date_order = [ARTICLES[n][0] for n in sorted(ARTICLES)[:2]] + [SEED_SLUG, ARTICLES[sorted(ARTICLES)[2]][0],
                                                                       HTML_SLUG]
    assert site_links == [f"{slug}/index.html" for slug in in_date_order]
    for page in [reports / "index.html"] + sorted(reports.glob("*/index.html")):
        for href in hrefs(page):
            assert (page.parent / href).is_file(), f"{page} links to missing {href}"


@pytest.mark.parametrize("count, step", [(16, 1), (46, 2), (120, 10)])
def test_paragraph_numbers_are_all_shown_when_they_fit_else_every_2nd_5th_or_10th(count, step):
    import matplotlib.pyplot as plt

    helpers.plots.use_style()
    fig, ax = plt.subplots(figsize=(11, 6))
    helpers.paragraph_ticks(ax, list(range(count)))
    ax.set_xlim(-1, count)
    fig.canvas.draw()
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert [int(t.get_text()) for t in labels] == list(range(0, count, step))
    boxes = [t.get_window_extent() for t in labels]
    assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))
    plt.close(fig)
