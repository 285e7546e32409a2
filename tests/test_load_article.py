"""Reading and parsing an article: the seed (exact values) and small made-up articles."""
from __future__ import annotations

import datetime as dt
import warnings

import pytest

import helpers
import newslab.articles
import newslab.metadata
import newslab.nlp
from conftest import read_and_parse

SEED_TITLE = "Russian & US top generals discuss situation in Syria following Trump\u2019s call to Putin"
SEED_STANDFIRST = (
    "Senior Russian and US military officials have held talks on Syria. Though details remain undisclosed, the "
    "exchanges are seen as a reassuring sign that the military is keeping a cool head amid the tense political "
    "atmosphere."
)


def test_seed_is_the_shared_seed_byte_for_byte():
    shared = helpers.ROOT.parent / "shared" / "seeds" / helpers.SEED.name
    if not shared.exists():
        pytest.skip("../shared/ is not beside this checkout")
    assert helpers.SEED.read_bytes() == shared.read_bytes()


def test_seed_title_standfirst_and_metadata(seed_article):
    assert seed_article.title == SEED_TITLE
    assert seed_article.standfirst == SEED_STANDFIRST
    assert seed_article.published == dt.date(2018, 3, 22)
    assert seed_article.published_inferred is False
    assert seed_article.source == "RT"
    assert seed_article.slug == "russian-us-top-generals-discuss-situation-in-syria-following"


def test_seed_paragraph_structure(seed_article):
    kinds = [p.kind for p in seed_article.paragraphs]
    assert kinds[:2] == ["title", "standfirst"]
    assert len(seed_article.body) == 13
    assert [p.index for p in seed_article.paragraphs] == list(range(16))
    assert kinds.index("embed") == 10


def test_seed_embedded_tweet_is_one_post_with_its_signature(seed_article):
    (embed,) = seed_article.embeds
    assert embed.text.startswith("Russian General Staff head discusses #Syria")
    assert embed.text.endswith("\u2014 RT (@RT_com) March 13, 2018")
    assert all("@RT_com" not in p.text for p in seed_article.body)


def test_seed_sentences_and_words_from_spacy(seed_article):
    assert sum(len(p.sentences) for p in seed_article.body) == 27
    assert sum(len(p.sentences) for p in seed_article.paragraphs) == 31
    first_body = seed_article.body[0]
    assert first_body.sentences[0].endswith("Joseph Dunford, on Wednesday.")
    assert first_body.n_words == 68
    assert seed_article.paragraphs[0].n_words == 14


def test_slugify_is_ascii_lowercase_and_at_most_60_characters():
    assert newslab.metadata.slugify("Caf\u00e9 cr\u00e8me: Trump\u2019s  \u201cdeal\u201d!") == "cafe-creme-trumps-deal"
    long = newslab.metadata.slugify("word " * 40)
    assert len(long) <= 60 and not long.endswith("-")
    assert newslab.metadata.slugify("\u0420\u0443\u0441\u0441\u043a\u0438\u0439") == ""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_gives_metadata_and_blank_line_paragraphs(tmp_path):
    path = write(tmp_path, "a.md", (
        "---\ntitle: Council meets on Monday\nsource: Example Wire\npublished: 2024-05-01\nslug: council\n---\n"
        "Council meets on Monday\n\nThe city council met to discuss the budget.\nIt lasted long.\n\n"
        "Members agreed on a plan. The mayor spoke.\n\nNo vote was held.\n"
    ))
    article = read_and_parse(path)
    assert (article.title, article.source, article.slug) == ("Council meets on Monday", "Example Wire", "council")
    assert article.published == dt.date(2024, 5, 1) and not article.published_inferred
    assert article.standfirst == "The city council met to discuss the budget. It lasted long."
    assert [p.text for p in article.body] == ["Members agreed on a plan. The mayor spoke.", "No vote was held."]
    assert article.body[0].sentences == ["Members agreed on a plan.", "The mayor spoke."]


def test_published_argument_overrides_front_matter(tmp_path):
    path = write(tmp_path, "a.txt", "---\npublished: 2024-05-01\n---\nTitle here\nStandfirst.\nBody text.\n")
    assert read_and_parse(path, published="2023-01-02").published == dt.date(2023, 1, 2)


def test_missing_date_falls_back_loudly_to_latest_full_date(tmp_path):
    path = write(tmp_path, "nodate.txt", (
        "Talks resume\nA summary.\nTalks began on January 5, 2020 and resumed on March 2, 2021.\n"
        "They were first planned for 2019-12-30.\n"
    ))
    with pytest.warns(UserWarning, match="NO PUBLICATION DATE"):
        article = read_and_parse(path)
    assert article.published == dt.date(2021, 3, 2)
    assert article.published_inferred is True
    assert article.slug == "talks-resume"


def test_no_date_anywhere_is_a_clear_error(tmp_path):
    path = write(tmp_path, "undated.txt", "Title\nStandfirst.\nNothing dated happens here.\n")
    with pytest.raises(helpers.ArticleError, match=r"undated.txt: no publication date.*--published"):
        read_and_parse(path)


def test_impossible_date_is_a_clear_error(tmp_path):
    path = write(tmp_path, "bad.txt", "---\npublished: 2024-02-30\n---\nTitle\nStandfirst.\nBody.\n")
    with pytest.raises(helpers.ArticleError, match="bad.txt front matter.*not a real date"):
        read_and_parse(path)


@pytest.mark.parametrize(
    "content, problem",
    [(b"", "is empty"), (b"  \n\t\n", "is empty"), (b"Caf\xe9 \xff\xfe", "not UTF-8"),
     (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"), (b"<html><body><p>Hi</p></body></html>", "HTML page")],
)
def test_bad_files_raise_article_error_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "bad_input.txt"
    path.write_bytes(content)
    with pytest.raises(helpers.ArticleError, match=f"bad_input.txt.*{problem}"):
        read_and_parse(path, published="2024-01-01")


def test_missing_file_and_folder_are_clear_errors(tmp_path):
    with pytest.raises(helpers.ArticleError, match="nope.txt: no such file"):
        read_and_parse(tmp_path / "nope.txt")
    with pytest.raises(helpers.ArticleError, match="is a folder"):
        read_and_parse(tmp_path)


def test_windows_line_endings_and_nbsp_are_normalised(tmp_path):
    path = tmp_path / "win.txt"
    path.write_bytes("Title\r\nStand\u00a0first.\r\nBody one.\r\nBody two.\r\n".encode("utf-8"))
    article = read_and_parse(path, published="2024-01-01")
    assert article.standfirst == "Stand first."
    assert [p.text for p in article.body] == ["Body one.", "Body two."]


def test_load_nlp_is_loaded_once_and_english():
    assert newslab.nlp.load_nlp() is newslab.nlp.load_nlp()
    assert newslab.nlp.load_nlp().lang == "en"
    assert "ner" in newslab.nlp.load_nlp().pipe_names


def test_parse_articles_parses_many_articles_like_one_at_a_time(seed_article):
    voa = sorted((helpers.ROOT / "data" / "articles").glob("*.md"))[0]
    together = helpers.parse_articles([helpers.read_article(helpers.SEED), helpers.read_article(voa)])
    for article in (seed_article, read_and_parse(voa)):
        other = together.pop(0)
        assert (other.slug, other.title, other.published) == (article.slug, article.title, article.published)
        assert [p.sentences for p in other.paragraphs] == [p.sentences for p in article.paragraphs]
        assert [p.n_words for p in other.paragraphs] == [p.n_words for p in article.paragraphs]
        assert [[e.text for e in p.doc.ents] for p in other.paragraphs] == [
            [e.text for e in p.doc.ents] for p in article.paragraphs]


def test_paragraph_spans_are_its_sentences(seed_article):
    for paragraph in seed_article.paragraphs:
        assert [span.text.strip() for span in paragraph.spans] == paragraph.sentences
        assert all(span.doc is paragraph.doc for span in paragraph.spans)


def test_read_article_reads_without_parsing(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("A title\n\nOne sentence here. And a second one.\n", encoding="utf-8")
    article = helpers.read_article(path, published="2024-01-01")
    assert [p.text for p in article.paragraphs] == ["A title", "One sentence here. And a second one."]
    assert article.paragraphs[1].doc is None and article.paragraphs[1].sentences == []
    newslab.articles.add_parse(article.paragraphs[1], newslab.nlp.load_nlp()(article.paragraphs[1].text))
    assert article.paragraphs[1].sentences == ["One sentence here.", "And a second one."]
    assert article.paragraphs[1].n_words == 7


def test_warnings_point_at_the_caller_not_at_helpers(tmp_path):
    path = tmp_path / "undated.txt"
    path.write_text("A title here\n\nThe talks on March 14, 2018 went well and both sides were pleased.\n",
                    encoding="utf-8")
    for load in (helpers.read_article, lambda p: helpers.parse_articles([helpers.read_article(p)])[0]):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load(path)
        assert [w.filename for w in caught] == [__file__], [str(w.message) for w in caught]


def test_parse_cache_is_reused_and_rebuilt_when_the_text_changes(tmp_path, monkeypatch):
    path, cache = tmp_path / "a.txt", tmp_path / "parse.spacy"
    path.write_text("A title\n\nThe council met on Monday. It agreed on the budget.\n", encoding="utf-8")
    first = helpers.parse_article(helpers.read_article(path, published="2024-01-01"), cache=cache)
    assert cache.is_file()
    calls = []
    monkeypatch.setattr(newslab.nlp, "parse_texts", lambda texts: calls.append(texts) or [])
    again = helpers.parse_article(helpers.read_article(path, published="2024-01-01"), cache=cache)
    assert calls == []  # read from the cache, not parsed
    for old, new in zip(first.paragraphs, again.paragraphs):
        assert (new.sentences, new.n_words) == (old.sentences, old.n_words)
        assert [(t.text, t.lemma_, t.pos_, t.dep_, t.head.i, t.ent_type_) for t in new.doc] == [
            (t.text, t.lemma_, t.pos_, t.dep_, t.head.i, t.ent_type_) for t in old.doc]
    monkeypatch.undo()
    path.write_text("A title\n\nThe council met on Tuesday instead.\n", encoding="utf-8")
    changed = helpers.parse_article(helpers.read_article(path, published="2024-01-01"), cache=cache)
    assert changed.paragraphs[1].sentences == ["The council met on Tuesday instead."]
    written = cache.stat().st_ino
    helpers.parse_article(helpers.read_article(path, published="2024-01-01"), cache=cache)
    assert cache.stat().st_ino == written  # nothing rewritten when nothing changed


def test_parse_cache_key_names_the_pipeline(monkeypatch):
    key = newslab.nlp.parse_key(["One text."])
    assert key == newslab.nlp.parse_key(["One text."]) and key != newslab.nlp.parse_key(["Another text."])
    monkeypatch.setattr(newslab.nlp, "CACHE_FORMAT", newslab.nlp.CACHE_FORMAT + 1)
    assert newslab.nlp.parse_key(["One text."]) != key
