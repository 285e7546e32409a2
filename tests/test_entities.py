"""Notebook 02's machinery (entity table, canonical entities, cues, displaCy) and its outputs on the seed."""
from __future__ import annotations

import pandas as pd
import pytest

import helpers
import newslab.articles
import newslab.canonical
import newslab.entities
import newslab.nlp
from conftest import SEED_SLUG, read_and_parse

REQUIRED = ["paragraph", "sentence", "start", "end", "text", "label", "canonical", "canonical_label"]


@pytest.fixture(scope="module")
def seed_entities(seed_article):
    return helpers.entity_table(seed_article)


def mentions(*pairs):
    """A minimal entity table from (text, label) pairs, one paragraph each."""
    return pd.DataFrame([{"paragraph": i, "text": t, "label": l} for i, (t, l) in enumerate(pairs)])


# --------------------------------------------------------------------------- the seed


def test_entity_table_columns_offsets_and_sentences(seed_article, seed_entities):
    assert list(seed_entities.columns) == REQUIRED + ["kind", "excluded"]
    assert len(seed_entities) == 88
    for row in seed_entities.itertuples():
        paragraph = seed_article.paragraphs[row.paragraph]
        assert paragraph.text[row.start:row.end] == row.text
        assert row.text in paragraph.sentences[row.sentence]
        assert row.kind == paragraph.kind
    assert seed_entities[["paragraph", "start"]].equals(
        seed_entities[["paragraph", "start"]].sort_values(["paragraph", "start"]))
    assert set(seed_entities.loc[seed_entities["kind"] == "embed", "text"]) == {
        "Russian General Staff", "Syria", "US Joint Chiefs of Staff", "March 13, 2018"}


def test_no_url_or_handle_is_an_entity(seed_article, seed_entities):
    raw = [row["text"] for p in seed_article.paragraphs for row in newslab.entities.raw_entities(p)]
    assert "https://t.co/TYKzzR5DDXpic.twitter.com/RTlUKIqGVt" in raw  # the model does tag it (as PERSON)
    assert not seed_entities["text"].str.contains(r"https?://|@\w|\.com/", regex=True).any()
    assert newslab.entities.is_url_or_handle("see @RT_com now", 4, 8)
    assert newslab.entities.is_url_or_handle("go to pic.twitter.com/abc today", 6, 12)
    assert not newslab.entities.is_url_or_handle("Joe met @someone", 0, 3)


def test_seed_canonical_entities(seed_entities):
    canonical = helpers.canonical_entities(seed_entities)
    assert list(canonical.columns) == ["canonical", "label", "mentions", "paragraphs"]
    people = canonical[canonical["label"] == "PERSON"]
    top = people.iloc[0]
    assert (top["canonical"], top["mentions"], top["paragraphs"]) == ("Valery Gerasimov", 4, 4)
    assert people["mentions"].iloc[1] < 4
    gpes = canonical[canonical["label"] == "GPE"].head(2)
    assert gpes[["canonical", "mentions"]].values.tolist() == [["US", 11], ["Syria", 10]]
    trump = canonical.set_index("canonical").loc["Donald Trump"]
    assert (trump["label"], trump["mentions"]) == ("PERSON", 3)
    assert "Trump" not in set(canonical["canonical"]) and "the US" not in set(canonical["canonical"])
    assert set(seed_entities.loc[seed_entities["text"] == "Dunford", "canonical"]) == {"Joseph Dunford"}
    assert canonical[["mentions", "canonical"]].equals(
        canonical[["mentions", "canonical"]].sort_values(["mentions", "canonical"], ascending=[False, True]))


def test_seed_label_disagreements_and_cue_conflicts(seed_article, seed_entities):
    disagree = seed_entities[seed_entities["label"] != seed_entities["canonical_label"]]
    assert disagree[["paragraph", "text", "label"]].values.tolist() == [
        [0, "Trump", "ORG"], [12, "Gerasimov", "ORG"], [15, "Trump", "ORG"]]
    conflicts = helpers.cue_conflicts(seed_article, seed_entities)
    assert conflicts[["paragraph", "text", "label", "expected"]].values.tolist() == [
        [4, "Nikki Haley", "ORG", "PERSON"], [4, "Khan Sheikhoun", "PERSON", "GPE or LOC or FAC"]]


def test_seed_places_acting_as_governments(seed_article, seed_entities):
    actors = helpers.places_as_actors(seed_article, seed_entities)
    assert actors[["paragraph", "text"]].values.tolist() == [
        [3, "US"], [4, "Washington"], [7, "Moscow"], [8, "Russia"], [14, "US"]]


# --------------------------------------------------------------------------- canonicalisation on made-up mentions


def test_entity_key_strips_the_possessive_and_initial_dots():
    assert helpers.entity_key("the US") == "US"
    assert helpers.entity_key("The  United Nations") == "United Nations"
    assert helpers.entity_key("Trump’s") == "Trump"
    assert helpers.entity_key("NATO's") == "NATO"
    assert helpers.entity_key("U.S.") == "US"
    assert helpers.entity_key("Theresa May") == "Theresa May"


def test_surname_merges_into_the_only_full_name():
    table = helpers.canonicalise(mentions(("Joseph Dunford", "PERSON"), ("Dunford", "PERSON"), ("Dunford", "ORG"),
                                          ("the US", "GPE"), ("US", "GPE"), ("U.S.", "GPE")))
    assert table["canonical"].tolist() == ["Joseph Dunford"] * 3 + ["US"] * 3
    assert table["canonical_label"].tolist() == ["PERSON"] * 3 + ["GPE"] * 3


def test_two_people_sharing_a_surname_are_not_merged():
    table = helpers.canonicalise(mentions(("John Smith", "PERSON"), ("Mary Smith", "PERSON"), ("Smith", "PERSON")))
    assert table["canonical"].tolist() == ["John Smith", "Mary Smith", "Smith"]


def test_a_place_or_a_non_person_full_name_is_not_a_surname():
    table = helpers.canonicalise(mentions(("George Washington", "PERSON"), ("Washington", "GPE"),
                                          ("Eastern Ghouta", "LOC"), ("Ghouta", "ORG")))
    assert table["canonical"].tolist() == ["George Washington", "Washington", "Eastern Ghouta", "Ghouta"]


def test_canonical_label_is_the_word_weighted_majority():
    # 'Donald Trump' (2 words, PERSON) against two bare 'Trump' tagged ORG: a 2-2 tie, the longest mention wins
    table = helpers.canonicalise(mentions(("Trump", "ORG"), ("Donald Trump", "PERSON"), ("Trump", "ORG")))
    assert set(table["canonical"]) == {"Donald Trump"} and set(table["canonical_label"]) == {"PERSON"}
    # three single-word ORG votes outweigh one two-word PERSON
    table = helpers.canonicalise(mentions(("Apple Inc", "PERSON"), ("Apple Inc", "ORG"), ("Apple Inc", "ORG")))
    assert set(table["canonical_label"]) == {"ORG"}
    assert newslab.entities.label_vote(["GPE", "GPE", "ORG"], ["US", "US", "US"]) == "GPE"


def test_made_up_article_end_to_end(tmp_path):
    path = tmp_path / "smiths.txt"
    path.write_text("Talks in Paris\n\nA summary of the talks.\n\n"
                    "John Smith met Mary Smith in Paris on Monday. Smith said the talks went well.\n\n"
                    "President Emmanuel Macron welcomed them. Macron said the US would help.\n", encoding="utf-8")
    article = read_and_parse(path, published="2024-01-01")
    table = helpers.entity_table(article)
    by_text = table.groupby("text")["canonical"].agg(set).to_dict()
    assert by_text["Smith"] == {"Smith"}
    assert by_text["Macron"] == {"Emmanuel Macron"}
    smith = table[table["text"] == "Smith"].iloc[0]
    assert (smith["paragraph"], smith["sentence"]) == (2, 1)
    canonical = helpers.canonical_entities(table)
    assert canonical.set_index("canonical").loc["Paris", "mentions"] == 2
    assert canonical.iloc[0]["canonical"] in {"Paris", "Emmanuel Macron"}


def test_empty_entity_table_has_the_columns(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("nothing here\n\nit is quiet.\n\nwe sat and waited.\n", encoding="utf-8")
    table = helpers.entity_table(read_and_parse(path, published="2024-01-01"))
    assert len(table) == 0 and list(table.columns) == REQUIRED + ["kind", "excluded"]
    assert list(helpers.canonical_entities(table).columns) == ["canonical", "label", "mentions", "paragraphs"]


# --------------------------------------------------------------------------- the merging rule, case by case (issue 15)


def canonical_of(*pairs, **kwargs):
    """The canonical names of made-up (text, label) mentions."""
    return newslab.canonical.canonical_names([t for t, _ in pairs], [l for _, l in pairs], **kwargs)


def test_a_title_is_stripped_for_matching_and_votes_person():
    pairs = [("Smith", "PERSON")] * 6 + [("Ann Smith", "PERSON")] * 2 + [("Mrs Smith", "ORG"), ("Mrs. Smith", "GPE")]
    names, labels = canonical_of(*pairs, ("Bob Jones", "PERSON"), ("Jones", "PERSON"), ("Jones", "PERSON"))
    assert names == ["Ann Smith"] * 10 + ["Bob Jones"] * 3 and set(labels) == {"PERSON"}
    table = helpers.canonicalise(mentions(*pairs, ("Bob Jones", "PERSON")))
    top = helpers.canonical_entities(table).iloc[0]
    assert (top["canonical"], top["mentions"]) == ("Ann Smith", 10)
    assert helpers.canonicalise(mentions(("Prime Minister Theresa May", "PERSON"), ("May", "PERSON")))[
        "canonical"].tolist() == ["Theresa May"] * 2
    # 'General' is a title only before a person: the company keeps its name (and 'Motors' is its last word)
    assert canonical_of(("General Motors", "ORG"), ("Motors", "ORG"))[0] == ["General Motors"] * 2
    # a royal title is part of the name, a first name is no title, a surname is not in capitals
    assert canonical_of(("Saddam Hussein", "PERSON"), ("King Hussein", "PERSON"), ("Hussein", "PERSON"))[0] == [
        "Saddam Hussein", "King Hussein", "Hussein"]
    assert canonical_of(("Dean Acheson", "PERSON"), ("Acheson", "PERSON"))[0] == ["Dean Acheson"] * 2
    assert canonical_of(("Steven Snyder TWA", "PERSON"), ("TWA", "ORG"))[0] == ["Steven Snyder TWA", "TWA"]
    # a title right before the mention ('President Macron', outside the span) is a PERSON vote too
    assert canonical_of(("Macron", "GPE"), titled=[True])[1] == ["PERSON"]


def test_a_title_does_not_merge_two_people_who_share_a_surname():
    assert canonical_of(("John Smith", "PERSON"), ("Mary Smith", "PERSON"), ("Mrs Smith", "PERSON"))[0] == [
        "John Smith", "Mary Smith", "Smith"]


def test_first_name_alone_goes_to_the_only_full_name_with_it():
    names, _ = canonical_of(("Maria Lopez", "PERSON"), ("Tom Lopez", "PERSON"), ("Maria", "PERSON"),
                            ("Tom", "ORG"), ("Lopez", "PERSON"))
    assert names == ["Maria Lopez", "Tom Lopez", "Maria Lopez", "Tom Lopez", "Lopez"]
    # a first name only ever tagged as a place stays the place
    assert canonical_of(("Jordan Smith", "PERSON"), ("Jordan", "GPE"))[0] == ["Jordan Smith", "Jordan"]


def test_name_without_the_middle_and_surname_with_a_particle():
    names, _ = canonical_of(("Juan Miguel Gonzalez", "PERSON"), ("Juan Gonzalez", "PERSON"), ("Gonzalez", "PERSON"),
                            ("Philippe de Cholet", "PERSON"), ("de Cholet", "PERSON"),
                            ("James M. Trotter III", "PERSON"),
                            ("Willam E. Trotter II", "PERSON"), ("Trotter", "PERSON"))
    assert names == ["Juan Miguel Gonzalez"] * 3 + ["Philippe de Cholet"] * 2 + [
        "James M. Trotter III", "Willam E. Trotter II", "Trotter"]
    # a middle initial tells two people apart (notebook 02's exercise 3)
    assert canonical_of(("George Bush", "PERSON"), ("George W. Bush", "PERSON"), ("Bush", "PERSON"))[0] == [
        "George Bush", "George W. Bush", "Bush"]


def test_a_surname_tagged_as_a_group_or_once_as_a_place_still_merges():
    names, labels = canonical_of(("James Kopp", "PERSON"), ("Kopp", "GPE"), ("Kopp", "PERSON"),
                                 ("Barnett Slepian", "PERSON"), ("Slepian", "NORP"))
    assert names == ["James Kopp"] * 3 + ["Barnett Slepian"] * 2 and set(labels) == {"PERSON"}


def test_acronyms_from_initials_or_parentheses():
    names, _ = canonical_of(("the World Health Organization", "ORG"), ("WHO", "ORG"), ("United Nations", "ORG"),
                            ("UN", "GPE"), ("General Motors Acceptance Corp.", "ORG"), ("GMAC", "ORG"),
                            ("U.S. Senate", "ORG"), ("US", "GPE"))
    assert names == ["World Health Organization"] * 2 + ["United Nations"] * 2 + [
        "General Motors Acceptance Corp."] * 2 + ["U.S. Senate", "US"]
    # given in parentheses (inside the span, as the model often tags it, or as an alias found in the text)
    names, _ = canonical_of(("the Centre for Rural Aid (CRA", "ORG"), ("CRA", "ORG"), ("Naral", "ORG"),
                            ("National Abortion Rights League", "ORG"),
                            aliases={"Naral": "National Abortion Rights League"})
    assert names == ["Centre for Rural Aid"] * 2 + ["National Abortion Rights League"] * 2
    # two names with the same initials: the acronym stays alone; a dateline's '(AP)' after a place is no alias
    assert canonical_of(("Central Bank", "ORG"), ("Civic Board", "ORG"), ("CB", "ORG"))[0][-1] == "CB"
    assert canonical_of(("Kenya", "GPE"), ("AP", "ORG"), aliases={"AP": "Kenya"})[0] == ["Kenya", "AP"]


def test_country_variants_are_one_country():
    names, labels = canonical_of(("U.S.", "GPE"), ("the United States", "GPE"), ("US", "ORG"), ("America", "GPE"),
                                 ("U.S.", "GPE"), ("United Nations", "ORG"))
    assert names == ["US"] * 5 + ["United Nations"] and labels[:5] == ["GPE"] * 5


def test_company_short_names_and_what_is_not_one():
    names, _ = canonical_of(("Ford Motor Co.", "ORG"), ("Ford", "ORG"), ("Ford Motor", "ORG"),
                            ("Reed International PLC", "ORG"), ("Reed", "PERSON"), ("British Petroleum Co.", "ORG"),
                            ("British", "NORP"), ("UN Security Council", "ORG"), ("UN", "ORG"))
    assert names == ["Ford Motor Co."] * 3 + ["Reed International PLC"] * 2 + [
        "British Petroleum Co.", "British", "UN Security Council", "UN"]


def test_an_organisation_or_event_named_again_by_its_last_words_or_its_head():
    names, labels = canonical_of(("Syrian Observatory for Human Rights", "ORG"), ("Observatory", "PERSON"),
                                 ("German People's Union", "ORG"), ("the People's Union", "ORG"),
                                 ("Hurricane Hugo", "EVENT"), ("Hugo", "EVENT"))
    assert names == ["Syrian Observatory for Human Rights"] * 2 + ["German People's Union"] * 2 + ["Hurricane Hugo"] * 2
    assert labels[:2] == ["ORG", "ORG"]  # the full name's words outvote the model's PERSON for 'Observatory'
    # not the words after 'of'; not another body; not a span that joins two names; not an article in front
    assert canonical_of(("University of Texas", "ORG"), ("Texas", "ORG"))[0] == ["University of Texas", "Texas"]
    assert canonical_of(("White House", "ORG"), ("House", "ORG"))[0] == ["White House", "House"]
    assert canonical_of(("Centennial Journal", "ORG"), ("Journal", "ORG"))[0] == ["Centennial Journal", "Journal"]
    assert canonical_of(("Reno and Naturalization Service", "ORG"), ("Naturalization Service", "ORG"))[0] == [
        "Reno and Naturalization Service", "Naturalization Service"]
    assert canonical_of(("a Khmer Rouge", "ORG"), ("Khmer Rouge", "ORG"))[0] == ["a Khmer Rouge", "Khmer Rouge"]
    # two longer names end the same way: neither is chosen
    assert canonical_of(("U.S. Navy", "ORG"), ("Russian Navy", "ORG"), ("Navy", "ORG"))[0][2] == "Navy"


def test_upper_case_and_plural_forms():
    names, _ = canonical_of(("NAIROBI", "GPE"), ("Nairobi", "GPE"), ("American", "NORP"), ("Americans", "NORP"),
                            ("Russia", "GPE"), ("Russian", "NORP"))
    assert names == ["Nairobi", "Nairobi", "Americans", "Americans", "Russia", "Russian"]
    # the plural must be a group too: 'Philippine' is not the country 'Philippines'
    assert canonical_of(("Philippine", "NORP"), ("Philippines", "GPE"))[0] == ["Philippine", "Philippines"]


def test_numbers_dates_and_headline_fragments_are_not_names():
    not_a_name = newslab.canonical.not_a_name
    for text, label in [("105", "PERSON"), ("65", "CARDINAL"), ("22-year-old", "DATE"), ("$5 million", "ORG"),
                        ("40%", "PERCENT"), ("1990s", "NORP"), ("Friday", "DATE")]:
        assert not_a_name(text, label) == "number or date", text
    assert not_a_name("Mayor Resigns", "PERSON") == "headline fragment"
    assert not_a_name("Gov. Quits", "PERSON") == "headline fragment"
    for text, label in [("Apollo 11", "PRODUCT"), ("Ann Smith", "PERSON"), ("G7", "ORG"), ("Smith Says", "PERSON")]:
        assert not_a_name(text, label) == "", text
    # a name the headline glued a verb to is still the name
    assert canonical_of(("Ann Smith Dies", "PERSON"), ("Smith", "PERSON"))[0] == ["Ann Smith", "Ann Smith"]


def test_obituary_end_to_end(tmp_path):
    path = tmp_path / "obituary.txt"
    path.write_text("Ann Smith Dies at 105\n\nA teacher remembered.\n\n"
                    "Ann Smith, a teacher, died on Monday. Smith was 105. Mrs Smith taught for 65 years.\n\n"
                    "Smith loved the sea. Her neighbour Bob Jones said Smith was kind.\n", encoding="utf-8")
    table = helpers.entity_table(read_and_parse(path, published="2024-01-01"))
    canonical = helpers.canonical_entities(table)
    assert canonical.iloc[0][["canonical", "label", "mentions"]].tolist() == ["Ann Smith", "PERSON", 6]
    assert not canonical["canonical"].str.contains(r"\d").any()
    assert set(table.loc[table["text"].isin(["105", "65 years", "Monday"]), "excluded"]) == {"number or date"}


def test_a_hyphenated_group_is_one_mention(tmp_path):
    path = tmp_path / "exiles.txt"
    path.write_text("Exiles\n\nA summary.\n\nCuban-Americans in Miami met the Cuban leader. "
                    "Many Cuban-Americans stayed.\n", encoding="utf-8")
    table = helpers.entity_table(read_and_parse(path, published="2024-01-01"))
    norp = table[table["label"] == "NORP"]
    assert norp["text"].tolist() == ["Cuban-Americans", "Cuban", "Cuban-Americans"]
    assert norp["canonical"].tolist() == ["Cuban-Americans", "Cuban", "Cuban-Americans"]


def cue_of(text: str, name: str):
    """The label cue of the first occurrence of `name` in a one-sentence made-up paragraph."""
    paragraph = newslab.articles.add_parse(newslab.articles.Paragraph(0, "body", text), newslab.nlp.load_nlp()(text))
    start = text.index(name)
    found = newslab.entities.label_cue(paragraph, start, start + len(name))
    return found and found[1]


def test_label_cues_from_the_name_itself():
    assert cue_of("Officers of the Puerto Rico Police arrived.", "Puerto Rico Police") == ("ORG",)
    assert cue_of("The County District Attorney spoke.", "County District") == ("ORG",)
    assert cue_of("She was born in Yorkshire in 1950.", "Yorkshire") == ("GPE", "LOC", "FAC")
    assert cue_of("Scientists went to the Arctic last year.", "Arctic") == ("GPE", "LOC", "FAC")
    assert cue_of("They saw Mrs Smith at home.", "Mrs Smith") == ("PERSON",)
    assert cue_of("They met Mayor Brown at home.", "Brown") == ("PERSON",)
    assert cue_of("The Russian troops left.", "Russian") == ("NORP",)
    assert cue_of("They went to Paris at dawn.", "Paris") is None
    assert cue_of("It is a Biblical story.", "Biblical") is None  # an adjective, but not a nationality


def test_cue_conflicts_list_the_flags_with_their_cue(tmp_path):
    path = tmp_path / "cues.txt"
    path.write_text("Police news\n\nA summary.\n\nThe County District Attorney said the Puerto Rico Police "
                    "were ready. Scientists in the Arctic agreed.\n", encoding="utf-8")
    article = read_and_parse(path, published="2024-01-01")
    conflicts = helpers.cue_conflicts(article, helpers.entity_table(article))
    assert conflicts[["text", "label", "expected"]].values.tolist() == [
        ["The County District", "GPE", "ORG"]]
    assert conflicts["cue"].tolist() == ["'Attorney' right after it (name cut short)"]


def test_candidate_entities_are_repeated_capitalised_names_the_model_missed(tmp_path):
    path = tmp_path / "ferry.txt"
    path.write_text("Ferry Towed Home\n\nA summary of the story.\n\n"
                    "The ferry Silver Gull was towed. Later the Silver Gull was empty.\n\n"
                    "Old Harbour Road is closed. Nobody saw the Silver Gull again.\n", encoding="utf-8")
    article = read_and_parse(path, published="2024-01-01")
    table = helpers.entity_table(article)
    assert "Silver Gull" not in set(table["text"])  # the model misses it
    candidates = helpers.candidate_entities(article, table)
    assert candidates.values.tolist() == [["Silver Gull", 3, 2]]  # 'Old Harbour Road' opens a sentence, once


# --------------------------------------------------------------------------- displaCy rendering is escaped


def test_entities_html_escapes_markup_in_text_entities_and_labels():
    text = "Joe said <script>alert(1)</script> and then <img src=x onerror=alert(1)> in Paris."
    start = text.index("<img")
    rows = pd.DataFrame([{"start": 0, "end": 3, "label": "PERSON"},
                         {"start": start, "end": text.index(">", start) + 1, "label": "<b>ORG</b>"},
                         {"start": text.index("Paris"), "end": len(text) - 1, "label": "GPE"}])
    page = helpers.entities_html(text, rows)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;ORG&lt;/b&gt;" in page
    assert page.count("<mark") == 3


# --------------------------------------------------------------------------- notebook 02 outputs


def test_notebook_02_outputs(seed_project):
    data = seed_project / "data" / SEED_SLUG
    table = pd.read_csv(data / "entities.csv", keep_default_na=False)
    assert list(table.columns) == REQUIRED + ["kind", "excluded"]
    assert len(table) == 88
    assert not table["text"].str.contains("http|@", regex=True).any()
    assert set(table.loc[table["text"] == "Trump", "canonical"]) == {"Donald Trump"}
    assert set(table.loc[table["label"].isin(["DATE", "CARDINAL", "ORDINAL", "TIME"]), "excluded"]) == {
        "number or date"}
    assert set(table.loc[table["label"].isin(["PERSON", "GPE", "ORG", "NORP"]), "excluded"]) == {""}
    canonical = pd.read_csv(data / "canonical_entities.csv", keep_default_na=False)
    assert len(canonical) == 28 and "Wednesday" not in set(canonical["canonical"])  # "General Staff" is the Russian
    assert canonical.iloc[:2][["canonical", "label", "mentions"]].values.tolist() == [
        ["US", "GPE", 11], ["Syria", "GPE", 10]]
    people = canonical[canonical["label"] == "PERSON"]
    assert people.iloc[0][["canonical", "mentions", "paragraphs"]].tolist() == ["Valery Gerasimov", 4, 4]
    for name in ("entities_top", "entities_by_paragraph", "entity_cooccurrence"):
        for suffix in ("png", "svg"):
            assert (seed_project / "figures" / SEED_SLUG / f"{name}.{suffix}").stat().st_size > 1000
    page = (seed_project / "reports" / SEED_SLUG / "02_named_entities.html").read_text(encoding="utf-8")
    assert 'class="entities"' in page  # the displaCy rendering made it into the report
    assert "Candidate entities the model missed (not in the entity table): 0" in page


def test_the_entity_map_writes_its_counts_white_on_dark_cells_and_black_on_light_ones(tmp_path, monkeypatch):
    import newslab.plots

    grid = pd.DataFrame({0: [0, 1], 1: [23, 2]}, index=["Iraq", "Kuwait"])
    drawn = []
    save = newslab.plots.save_and_show
    monkeypatch.setattr(newslab.plots, "save_and_show", lambda fig, *args: drawn.append(fig) or save(fig, *args))
    newslab.plots.entities_by_paragraph(grid, ["title", "body"], tmp_path)
    colours = {text.get_text(): text.get_color() for text in drawn[0].axes[0].texts}
    assert colours == {"23": "white", "1": "black", "2": "black"}


def test_the_entity_map_of_a_long_article_numbers_every_2nd_paragraph_without_overlap(tmp_path, monkeypatch):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    import newslab.plots

    kinds = ["title", "standfirst"] + ["body"] * 44
    grid = pd.DataFrame([[1 if (j + i) % 3 == 0 else 0 for j in range(len(kinds))] for i in range(3)],
                        index=["Iraq", "Kuwait", "Bush"], columns=range(len(kinds)))
    drawn = []
    save = newslab.plots.save_and_show
    monkeypatch.setattr(newslab.plots, "save_and_show", lambda fig, *args: drawn.append(fig) or save(fig, *args))
    newslab.plots.use_style()
    newslab.plots.entities_by_paragraph(grid, kinds, tmp_path)
    FigureCanvasAgg(drawn[0]).draw()
    ax, renderer = drawn[0].axes[0], drawn[0].canvas.get_renderer()
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    assert [t.get_text() for t in labels[:3]] == ["0\nT", "2\nB", "4\nB"] and len(labels) == 23
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))
