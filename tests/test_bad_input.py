"""Careless or hostile input: clear errors naming the file, warnings where the input is usable, nothing lost."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import helpers
import newslab.articles
import newslab.files
import newslab.metadata
import newslab.nlp
from conftest import (ROOT, SEED_SLUG, article_notebooks, copy_project, copy_seed_outputs, output_files, read_and_parse,
                      run_collection)

ENGLISH_BODY = (
    "The city council met on Monday to discuss the budget for the next year.\n\n"
    "Members of the council said that the plan was a good one, but they asked for more time to read it.\n\n"
    "The mayor will present a new version of the plan to the public at the end of the month.\n"
)
GERMAN = (
    "Die Bundesregierung hat am Mittwoch neue Maßnahmen zur Stabilisierung der Energiepreise beschlossen. Nach "
    "Angaben des Wirtschaftsministeriums sollen private Haushalte und kleine Unternehmen im kommenden Winter "
    "entlastet werden. Kritiker bemängeln jedoch, dass die Hilfen zu spät kämen und nicht zielgenau genug seien."
)
FRENCH = (
    "Le gouvernement a présenté mercredi un nouveau plan pour réduire les prix de l'énergie. Selon le ministère "
    "de l'Économie, les ménages et les petites entreprises seront aidés pendant l'hiver prochain. Les critiques "
    "estiment toutefois que ces aides arrivent trop tard et ne sont pas assez ciblées."
)
RUSSIAN = (
    "Правительство в среду представило новый план по снижению цен на энергию. По данным министерства экономики, "
    "домохозяйства и малые предприятия получат помощь следующей зимой. Критики, однако, считают, что эта помощь "
    "приходит слишком поздно и недостаточно адресна."
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_quietly(path, **kwargs):
    """load_article with every warning turned into a test failure."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return read_and_parse(path, **kwargs)


# --------------------------------------------------------------------------- encodings and odd bytes


def test_windows_1252_text_is_decoded_with_a_warning(tmp_path):
    path = tmp_path / "latin.txt"
    text = "Café owners protest\n\nThe café’s owners – “naïve” critics say – met on Monday.\n\nThey left at noon.\n"
    path.write_bytes(text.encode("cp1252"))
    with pytest.warns(UserWarning, match=r"latin.txt: not UTF-8 \(byte 3\); read it as Windows-1252"):
        article = read_and_parse(path, published="2024-01-01")
    assert article.title == "Café owners protest"
    assert article.slug == "cafe-owners-protest"
    assert article.standfirst == "The café’s owners – “naïve” critics say – met on Monday."


@pytest.mark.parametrize(
    "raw",
    [RUSSIAN.encode("cp1251"),  # Cyrillic in a Windows code page: not Western European text
     b"Caf\xe9 \xff\xfe",  # mostly accented "letters"
     bytes(range(0x80, 0x100)) * 4],  # undefined Windows-1252 bytes
)
def test_text_that_is_neither_utf8_nor_clearly_windows_1252_is_refused(tmp_path, raw):
    path = tmp_path / "odd.txt"
    path.write_bytes(raw)
    with pytest.raises(helpers.ArticleError, match=r"odd.txt: is not UTF-8 text.*Re-save it as UTF-8"):
        read_and_parse(path, published="2024-01-01")


def test_utf16_with_byte_order_mark_is_read_with_a_warning(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(("Council meets\n\n" + ENGLISH_BODY).encode("utf-16"))
    with pytest.warns(UserWarning, match="utf16.txt: read as UTF-16"):
        article = read_and_parse(path, published="2024-01-01")
    assert article.title == "Council meets" and len(article.body) == 2
    assert article.standfirst.startswith("The city council met on Monday")


def test_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(newslab.files, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path, "huge.txt", "Title\n\n" + "Words and words. " * 100)
    with pytest.raises(helpers.ArticleError, match=r"huge.txt: is 2 kB; an article is at most 1 kB of text \(about"):
        read_and_parse(path, published="2024-01-01")


def test_binary_without_nul_bytes_is_refused_as_binary(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(1, 32)) * 20 + b"Title\n\nSome text.")
    with pytest.raises(helpers.ArticleError, match=r"blob.txt: looks like a binary file.*plain-text article"):
        read_and_parse(path, published="2024-01-01")


def test_invisible_characters_go_and_visible_typography_stays(tmp_path):
    title = "Council\u00a0\u201cagrees\u201d on Trump\u2019s plan"
    body = ("The council\u200b met\u2028on Monday \u2013 and agreed.\x07\n\n"
            "Cafe\u0301 owners\u202fwere \u2018pleased\u2019.")
    path = tmp_path / "typo.txt"
    path.write_bytes(("\ufeff" + title + "\r\n\r\n" + body.replace("\n", "\r\n") + "\r\n").encode("utf-8"))
    article = load_quietly(path, published="2024-01-01")
    assert article.title == "Council \u201cagrees\u201d on Trump\u2019s plan"
    assert article.slug == "council-agrees-on-trumps-plan"
    assert article.standfirst == "The council met on Monday \u2013 and agreed."
    assert article.body[0].text == "Caf\u00e9 owners were \u2018pleased\u2019."  # NFC: 'é', not 'e' + accent


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize("language, text", [("German", GERMAN), ("French", FRENCH), ("Russian", RUSSIAN)])
def test_non_english_article_is_refused(tmp_path, language, text):
    path = write(tmp_path, f"{language}.txt", f"{text.split('.')[0]}\n\n{text}\n\n{text}\n")
    with pytest.raises(helpers.ArticleError, match=rf"{language}.txt: does not look like English: only \d+% "):
        read_and_parse(path, published="2024-01-01")


def test_language_check_can_be_overridden_in_front_matter(tmp_path):
    path = write(tmp_path, "de.md", f"---\nlanguage: en\npublished: 2024-01-01\n---\nTitel\n\n{GERMAN}\n")
    assert read_and_parse(path).body[0].text == GERMAN


def test_seed_reads_as_english():
    share, n_words = newslab.articles.english_share(helpers.SEED.read_text(encoding="utf-8"))
    assert n_words == 772 and round(share, 3) == 0.501
    for text in (GERMAN, FRENCH, RUSSIAN):
        assert newslab.articles.english_share(text)[0] < newslab.articles.ENGLISH_MIN_SHARE


def test_the_language_check_uses_spacys_stop_words_without_importing_spacy():
    from spacy.lang.en.stop_words import STOP_WORDS

    assert newslab.articles.ENGLISH_STOP_WORDS == STOP_WORDS
    code = ("import sys; sys.path.insert(0, '.'); from newslab.articles import english_share, read_article; "
            "read_article('seeds/000_dc8b8b8b1f23bca8.txt'); print('spacy' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False"]


def test_seed_loads_without_any_warning():
    article = load_quietly(helpers.SEED)
    assert article.slug == SEED_SLUG and len(article.body) == 13


# --------------------------------------------------------------------------- shape of the text


def test_no_title_line_reads_everything_as_body_with_a_warning(tmp_path):
    first = ("The city council of Springfield met on Monday evening to discuss the budget for the next year, "
             "and after a long debate the members agreed on a plan that the mayor had proposed in March.")
    path = write(tmp_path, "notitle.txt", f"{first} It was late.\n\nThe plan now goes to a public vote.\n")
    with pytest.warns(UserWarning, match="notitle.txt: the first paragraph has more than 30 words"):
        article = read_and_parse(path, published="2024-01-01")
    assert article.title == "The city council of Springfield met on Monday evening to discuss the budget …"
    assert article.slug == "the-city-council-of-springfield-met-on-monday-evening-to"
    assert [p.kind for p in article.paragraphs] == ["body", "body"]
    assert article.standfirst == "" and article.body[0].text.endswith("It was late.")


def test_one_giant_paragraph_is_one_body_paragraph(tmp_path):
    sentences = [f"Sentence number {i} says that the council met again and that nothing was decided." for i in
                 range(200)]
    path = write(tmp_path, "giant.txt", " ".join(sentences) + "\n")
    with pytest.warns(UserWarning, match="not a title line"):
        article = read_and_parse(path, published="2024-01-01")
    (paragraph,) = article.paragraphs
    assert paragraph.kind == "body" and len(paragraph.sentences) == 200
    assert article.title == "Sentence number 0 says that the council met again and that nothing was decided."


def test_title_without_any_paragraph_is_refused(tmp_path):
    path = write(tmp_path, "lonely.txt", "Council meets on Monday\n")
    with pytest.raises(helpers.ArticleError, match="lonely.txt: has a title line but no paragraphs after it"):
        read_and_parse(path, published="2024-01-01")
    path = write(tmp_path, "fm.md", "---\npublished: 2024-01-01\n---\n\n")
    with pytest.raises(helpers.ArticleError, match="fm.md: has no paragraphs after the front matter"):
        read_and_parse(path)


def test_one_sentence_without_entities_loads(tmp_path):
    path = write(tmp_path, "tiny.txt", "Rain\n\nit rained and then it stopped.\n")
    article = load_quietly(path, published="2024-01-01")
    (body,) = article.body
    assert body.sentences == ["it rained and then it stopped."] and body.n_words == 6
    assert [p.doc.ents for p in article.paragraphs] == [(), ()]


def test_collection_runs_on_one_sentence_without_entities_or_dates(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "tiny.txt").write_text("Rain\n\nit rained and then it stopped.\n", encoding="utf-8")
    result = run_collection(project, "tiny.txt", "--published", "2024-01-01")
    assert "Traceback" not in result.stderr
    reports = project / "reports" / "rain"
    for name in sorted(p.name for p in article_notebooks(project)):
        assert (reports / name).with_suffix(".html").exists(), name
    data = project / "data" / "rain"
    assert pd.read_csv(data / "entities.csv").empty
    assert pd.read_csv(data / "timexes.csv").empty
    timeline = pd.read_csv(data / "timeline.csv")  # a past event before any date: the news, at publication
    assert timeline[["dated_by", "value"]].values.tolist() == [["news", "2024-01-01"]]


def test_long_article_loads_with_every_word_parsed(seed_article, tmp_path):
    body = [p.text for p in seed_article.body]
    words_per_copy = sum(p.n_words for p in seed_article.body)
    copies = 20_000 // words_per_copy + 1
    text = seed_article.title + "\n\n" + seed_article.standfirst + "\n\n" + "\n\n".join(body * copies) + "\n"
    path = write(tmp_path, "long.txt", text)
    article = read_and_parse(path, published="2018-03-22")
    assert len(article.body) == 13 * copies
    assert sum(p.n_words for p in article.body) == words_per_copy * copies >= 20_000
    assert sum(len(p.sentences) for p in article.body) == 27 * copies
    assert article.body[-1].doc.text == body[-1]


def test_paragraph_longer_than_the_parser_limit_is_parsed_in_pieces(tmp_path, monkeypatch):
    monkeypatch.setattr(newslab.nlp, "MAX_CHUNK_CHARS", 2000)
    long = " ".join(f"The council met for the {i}th time and voted again." for i in range(150))
    path = write(tmp_path, "longpara.txt", f"Council meets\n\n{long}\n")
    article = load_quietly(path, published="2024-01-01")
    (body,) = article.body
    assert len(long) > 3 * 2000
    assert body.doc.text == long and body.text == long
    assert len(body.sentences) == 150 and body.sentences[-1] == "The council met for the 149th time and voted again."


def test_small_batches_keep_paragraphs_in_order(monkeypatch):
    monkeypatch.setattr(newslab.nlp, "BATCH_CHARS", 60)
    monkeypatch.setattr(newslab.nlp, "MAX_CHUNK_CHARS", 40)
    texts = [f"Paragraph {i} is here. It has {'many ' * (i % 4)}words." for i in range(12)]
    docs = newslab.nlp.parse_texts(texts)
    assert [doc.text for doc in docs] == texts
    assert [len(list(doc.sents)) for doc in docs] == [2] * 12


def test_chunk_text_keeps_every_character():
    text = "One two. Three four five? " * 50 + "x" * 130
    for limit in (7, 40, 100):
        pieces = newslab.nlp.chunk_text(text, limit)
        assert "".join(pieces) == text and max(map(len, pieces)) <= limit
    assert newslab.nlp.chunk_text("One two. Three four.", 12) == ["One two. ", "Three four."]


# --------------------------------------------------------------------------- metadata


def test_publication_date_before_the_latest_date_in_the_text_is_a_warning(tmp_path):
    path = write(tmp_path, "early.txt", "Talks resume\n\nTalks resumed on March 2, 2021 after a pause.\n")
    with pytest.warns(UserWarning, match="early.txt: published 2021-01-15, which is before 2021-03-02"):
        article = read_and_parse(path, published="2021-01-15")
    assert article.published == dt.date(2021, 1, 15)
    load_quietly(path, published="2021-03-02")  # same day: no warning


def test_latest_full_date_reads_us_british_and_iso_forms_and_skips_impossible_ones():
    text = "On March 13, 2018, on 14 March 2018 and on 2018-03-12; not on 31 February 2019 or 2019-02-30."
    assert newslab.metadata.latest_full_date(text) == dt.date(2018, 3, 14)
    assert newslab.metadata.latest_full_date(helpers.SEED.read_text(encoding="utf-8")) == dt.date(2018, 3, 13)


def test_publication_date_in_the_future_is_a_warning(tmp_path):
    path = write(tmp_path, "future.txt", "Talks resume\n\nTalks resumed after a pause.\n")
    future = dt.date.today() + dt.timedelta(days=3)
    with pytest.warns(UserWarning, match=f"future.txt: published {future.isoformat()}, which is in the future"):
        read_and_parse(path, published=future.isoformat())


def test_iso_date_time_is_accepted_as_a_date(tmp_path):
    path = write(tmp_path, "dt.md", "---\npublished: 2024-05-01T10:30:00\n---\nTitle\n\nBody text here.\n")
    assert load_quietly(path).published == dt.date(2024, 5, 1)


@pytest.mark.parametrize("slug", ["../../escape", "Upper", "a/b", "articles", "-x", "x" * 81])
def test_unsafe_slug_in_front_matter_is_refused(tmp_path, slug):
    path = write(tmp_path, "slug.md", f"---\nslug: '{slug}'\npublished: 2024-01-01\n---\nTitle\n\nBody text.\n")
    with pytest.raises(helpers.ArticleError, match="slug.md front matter: slug .* is not allowed"):
        read_and_parse(path)


def test_title_that_slugifies_to_a_reserved_folder_gets_another_slug(tmp_path):
    path = write(tmp_path, "a.txt", "Articles\n\nSome articles were written.\n")
    assert load_quietly(path, published="2024-01-01").slug == "articles-article"


@pytest.mark.parametrize(
    "name, content, problem",
    [
        ("yaml.md", "---\ntitle: [unclosed\n---\nTitle\n\nBody.\n", "unreadable front matter"),
        ("list.md", "---\ntitle: [a, b]\n---\nTitle\n\nBody.\n", "unreadable front matter"),
        ("date.md", "---\npublished: yesterday\n---\nTitle\n\nBody.\n", "publication date 'yesterday' is not"),
        ("colon.md", "---\nsource: RT\ntitle: Analysis: why talks failed\n---\nTitle\n\nBody.\n",
         "on line 3: a value that holds ': ' goes in quotes, title: \"Analysis: why talks failed\""),
    ],
)
def test_front_matter_errors_name_the_file_and_the_fix(tmp_path, name, content, problem):
    path = write(tmp_path, name, content)
    with pytest.raises(helpers.ArticleError) as info:
        read_and_parse(path)
    message = str(info.value)
    assert message.startswith(f"{path}") and problem in message
    assert re.search(r"\. [A-Z][^.]+", message), "the message must say what to do"


def test_a_quoted_front_matter_value_may_hold_a_colon(tmp_path):
    path = write(tmp_path, "colon.md", '---\npublished: 2024-01-01\ntitle: "Analysis: why talks failed"\n---\n'
                                       'Why talks failed\n\nThe talks failed on Monday.\n')
    assert load_quietly(path).title == "Analysis: why talks failed"


@pytest.mark.parametrize("content, problem", [("name,source\na.txt,X\n", "has no 'file' column"),
                                              ("file,source\n\"a.txt,X\n", "unreadable")])
def test_broken_metadata_table_is_a_clear_error(tmp_path, content, problem):
    table = write(tmp_path, "metadata.csv", content)
    with pytest.raises(helpers.ArticleError, match=f"metadata.csv: {problem}"):
        newslab.metadata.read_metadata_table(table)
    assert newslab.metadata.read_metadata_table(write(tmp_path, "ok.csv", "file,slug\na.txt\n")) == {
        "a.txt": {"file": "a.txt", "slug": ""}}


def test_bad_published_argument_names_the_file(tmp_path):
    path = write(tmp_path, "a.txt", "Title\n\nBody.\n")
    with pytest.raises(helpers.ArticleError, match=rf"^{re.escape(str(path))}: --published: publication date"):
        read_and_parse(path, published="2024-13-01")


# --------------------------------------------------------------------------- run.py


def test_runner_gives_one_error_line_per_bad_file_and_no_traceback(tmp_path):
    project = copy_project(tmp_path / "p")
    bad = project / "bad"
    bad.mkdir()
    (bad / "a_empty.txt").write_text("   \n")
    (bad / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (bad / "c_german.txt").write_text(f"Titel\n\n{GERMAN}\n", encoding="utf-8")
    (bad / "d_page.txt").write_text("<html><body><p>Hi</p></body></html>")
    (bad / "e_slug.md").write_text("---\nslug: ../../x\npublished: 2024-01-01\n---\nTitle\n\nBody.\n")
    result = run_collection(project, "bad", "missing.txt", "--published", "2024-01-01", check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR: ")]
    names = ["a_empty.txt", "b_binary.txt", "c_german.txt", "d_page.txt", "e_slug.md", "missing.txt"]
    assert len(errors) == len(names)
    for line, name in zip(errors, names):
        assert re.match(rf"ERROR: \S*{name}( front matter)?: .+\. [A-Z].+", line), line
    assert not (project / "data" / "x").exists() and not list(project.glob("reports/*/article.json"))


def test_runner_prints_warnings_as_single_lines(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "a.txt").write_text("Rain\n\nIt rained on March 2, 2021.\n")
    (project / "notebooks").rename(project / "no-notebooks")
    (project / "notebooks").mkdir()  # no notebooks: only loading and the index run, quickly
    result = run_collection(project, "a.txt", "--published", "2021-01-15")
    assert "WARNING: a.txt: published 2021-01-15, which is before 2021-03-02" in result.stderr
    assert "UserWarning" not in result.stderr


def test_failure_in_the_last_notebook_leaves_earlier_outputs_byte_identical(seed_project, tmp_path):
    project = copy_project(tmp_path / "p")
    copy_seed_outputs(seed_project, project)
    before = output_files(project)
    assert len(before) >= 6
    last = article_notebooks(project)[-1]
    nb = nbformat.read(last, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure at the very end')"))
    nbformat.write(nb, last)
    result = run_collection(project, check=False)
    assert result.returncode == 1
    assert f"{last.name} failed in cell" in result.stderr and "Traceback" not in result.stderr
    assert output_files(project) == before


# --------------------------------------------------------------------------- untrusted text in the HTML

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
            "[x](javascript:alert(1))"]
HOSTILE = f"""---
source: Wire <img src=x onerror=alert(1)>
published: 2024-05-01
---
Council {PAYLOADS[0]} meets on the budget

Critics {PAYLOADS[1]} said the Springfield council plan was bad for schools in Springfield.

Mayor {PAYLOADS[2]} Jane Smith of Springfield said on Monday that the plan was a good one.

Critics {PAYLOADS[3]} said that they would fight the plan in court in Springfield on May 10, 2024.

Governor Tom Brown <script>alert(2)</script> met Jane Smith and the Springfield council on Tuesday.

Acme Corporation, the biggest employer in Springfield, said it backed Jane Smith and Tom Brown.

The members of the Springfield council will vote on the budget at the end of the month, Jane Smith said.
"""


class PageScan(HTMLParser):
    """Collects what a browser would run or show: script texts, on* attributes, link targets, visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.handlers, self.urls, self.text, self.title = [], [], [], [], ""
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._stack.append(tag)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.append((tag, name, value))
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href") and value:
                self.urls.append(value)

    def handle_endtag(self, tag):
        while self._stack and self._stack.pop() != tag:
            pass

    def handle_data(self, data):
        where = self._stack[-1] if self._stack else ""
        if where == "script":
            self.scripts.append(data)
        elif where == "title":
            self.title += data
        elif where != "style":
            self.text.append(data)


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> tuple[Path, str]:
    project = copy_project(tmp_path_factory.mktemp("hostile"))
    (project / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    run_collection(project, "hostile.md")
    (slug,) = [p.parent.name for p in (project / "reports").glob("*/article.json")]
    return project, slug


def test_hostile_article_runs_and_gets_a_plain_slug(hostile_project):
    _, slug = hostile_project
    assert slug == "council-script-alert-1-script-meets-on-the-budget"


def test_untrusted_text_is_visible_text_only_in_every_page(hostile_project):
    project, slug = hostile_project
    pages = sorted((project / "reports" / slug).glob("*.html")) + [project / "reports" / "index.html"]
    notebooks = article_notebooks(project)
    assert len(pages) == len(notebooks) + 2
    for page in pages:
        found = scan(page)
        assert not [s for s in found.scripts if "alert" in s], f"{page.name}: a script runs the article's code"
        assert not found.handlers, f"{page.name}: event handler attributes {found.handlers[:3]}"
        assert not [u for u in found.urls if u.strip().lower().startswith(("javascript:", "vbscript:"))], page.name
    visible = {page.name: " ".join(scan(page).text) for page in pages}
    for payload in PAYLOADS:
        assert payload in visible["01_load_article.html"], payload
    assert f"Council {PAYLOADS[0]} meets on the budget" in visible["index.html"]
    assert scan(project / "reports" / slug / "index.html").title == f"Council {PAYLOADS[0]} meets on the budget"


@pytest.mark.parametrize("text", PAYLOADS + ["Trump\u2019s *deal*: 5 > 3 & `x` \\ see http://example.com/a_b $1"])
def test_escape_markdown_renders_as_the_same_visible_text(text):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    found = PageScan()
    found.feed(markdown2html_mistune(f"Quoted: {helpers.escape_markdown(text)}"))
    assert not found.scripts and not found.handlers and not found.urls
    assert "".join(found.text).strip() == f"Quoted: {text}"


# --------------------------------------------------------------------------- odd files, slugs, names (issue 18)


def quick_project(tmp_path: Path) -> Path:
    """A project copy without notebooks: run.py only reads the articles, swaps and writes the indexes, quickly."""
    project = copy_project(tmp_path / "p")
    (project / "notebooks").rename(project / "no-notebooks")
    (project / "notebooks").mkdir()
    return project


def test_a_fifo_and_a_device_are_refused_within_seconds(tmp_path):
    project = quick_project(tmp_path)
    os.mkfifo(project / "pipe.txt")  # opening it would wait for a writer forever
    result = subprocess.run([sys.executable, "run.py", "pipe.txt", "/dev/zero"], cwd=project, capture_output=True,
                            text=True, timeout=60)
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR: ")]
    assert result.returncode == 1 and len(errors) == 2 and "Traceback" not in result.stderr
    assert "pipe.txt: is a named pipe (FIFO), not a file on disk. Save" in errors[0]
    assert errors[1].startswith("ERROR: /dev/zero: is a device, not a file on disk.")


@pytest.mark.parametrize("name, content, kind", [
    ("data.json", '{"title": "Budget"}', "is a JSON data file"),
    ("table.csv", "a,b\n1,2\n", "is a table (CSV)"),
    ("data.txt", '{"title": "Budget", "text": "The council met on Monday."}', "holds JSON data"),
    ("table.txt", "name,party,votes\nSmith,Red,120\nJones,Blue,98\nBrown,Green,12\n",
     "holds a table (3 comma-separated columns on every line)"),
    ("paper.txt", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "is a PDF"),
])
def test_data_files_are_refused_with_a_hint(tmp_path, name, content, kind):
    path = write(tmp_path, name, content)
    with pytest.raises(helpers.ArticleError) as info:
        read_and_parse(path, published="2024-01-01")
    assert str(info.value) == (f"{path}: {kind}, not {'a text file' if kind == 'is a PDF' else 'an article'}. "
                               "Copy the article's text into a .txt file (title on the first line) and give that.")


def test_unclosed_front_matter_and_a_key_given_twice_name_the_line(tmp_path):
    unclosed = write(tmp_path, "u.md", "---\ntitle: Budget\n\nThe council met on Monday to talk.\n")
    with pytest.raises(helpers.ArticleError, match="the '---' on line 1 opens front matter that no '---' line"):
        read_and_parse(unclosed)
    twice = write(tmp_path, "t.md", "---\ntitle: A\nsource: X\ntitle: B\n---\nTitle\n\nBody text.\n")
    with pytest.raises(helpers.ArticleError, match="key 'title' on line 4 was already given on line 2"):
        read_and_parse(twice)


def test_articles_with_the_same_title_keep_both_outputs(tmp_path):
    project = quick_project(tmp_path)
    (project / "a.txt").write_text("Council meets\n\nThe council met on Monday about the budget.\n")
    (project / "b.txt").write_text("Council meets\n\nThe council met again on Friday about the schools.\n")
    result = run_collection(project, "a.txt", "b.txt", "--published", "2024-05-01")
    digest = newslab.articles.read_article(project / "b.txt", published="2024-05-01").digest
    slugs = sorted(p.parent.name for p in (project / "reports").glob("*/article.json"))
    assert slugs == ["council-meets", f"council-meets-{digest[:8]}"]
    assert f"this one's outputs go to 'council-meets-{digest[:8]}'" in result.stderr
    index = (project / "reports" / "index.html").read_text()
    assert all(f'href="{slug}/index.html"' in index for slug in slugs)
    again = run_collection(project, "a.txt", "b.txt", "--published", "2024-05-01")  # the same two folders again
    assert sorted(p.parent.name for p in (project / "reports").glob("*/article.json")) == slugs
    assert f"-> reports/council-meets-{digest[:8]}/index.html" in again.stdout


def test_a_title_of_only_punctuation_or_emoji_gets_a_slug_from_its_text(tmp_path):
    one = load_quietly(write(tmp_path, "a.txt", "!!! ???\n\nThe council met on Monday.\n"), published="2024-01-01")
    two = load_quietly(write(tmp_path, "b.txt", "\U0001f525\U0001f525\n\nThe mayor spoke.\n"), published="2024-01-01")
    assert re.fullmatch(r"article-[0-9a-f]{8}", one.slug) and re.fullmatch(r"article-[0-9a-f]{8}", two.slug)
    assert one.slug != two.slug and one.slug == f"article-{one.digest[:8]}"


def test_a_symlinked_article_is_read_and_looked_up_as_its_target(tmp_path):
    project = copy_project(tmp_path / "p")
    (project / "link.txt").symlink_to(project / "seeds" / "000_dc8b8b8b1f23bca8.txt")
    run_collection(project, "link.txt")
    data = json.loads((project / "data" / SEED_SLUG / "article.json").read_text())
    assert json.loads((project / "reports" / SEED_SLUG / "article.json").read_text()) == data
    assert (data["source"], data["published"], data["published_inferred"]) == ("RT", "2018-03-22", False)
    assert data["file"] == "seeds/000_dc8b8b8b1f23bca8.txt"


def test_a_file_elsewhere_named_like_the_seed_does_not_get_the_seeds_metadata(tmp_path):
    copy = tmp_path / "000_dc8b8b8b1f23bca8.txt"
    copy.write_bytes(helpers.SEED.read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        article = newslab.articles.read_article(copy)
    assert article.source == "unknown" and article.published_inferred
    assert newslab.articles.read_article(helpers.SEED).source == "RT"


def test_a_file_name_starting_with_a_dash_goes_after_two_dashes(tmp_path):
    project = quick_project(tmp_path)
    (project / "-odd.txt").write_text("Rain\n\nIt rained on Monday in the city.\n")
    refused = run_collection(project, "-odd.txt", check=False)
    assert refused.returncode == 1 and refused.stderr.strip() == (
        "ERROR: -odd.txt: not an option of run.py. If it is a file name, put '--' before it: "
        "python run.py -- -odd.txt")
    assert "after '--'" in run_collection(project, "--help").stdout
    assert run_collection(project, "--published", "2024-01-01", "--", "-odd.txt").returncode == 0
    assert (project / "reports" / "rain" / "article.json").exists()


def test_a_file_name_that_is_not_utf8_is_shown_escaped_and_refused_with_a_fix(tmp_path):
    project = quick_project(tmp_path)
    name = os.fsdecode(b"caf\xe9.txt")
    (project / name).write_text("Rain\n\nIt rained on Monday in the city.\n")
    result = subprocess.run([sys.executable.encode(), b"run.py", b"caf\xe9.txt", b"--published", b"2024-01-01"],
                            cwd=project, capture_output=True, timeout=120)
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 1 and "Traceback" not in stderr
    assert "caf\\udce9.txt: its name is not valid UTF-8" in stderr and "Rename the file" in stderr
