"""The one module the notebooks import: every function they use, by notebook, and where it lives.

The machinery is in the package newslab/ beside this file (newslab/__init__.py lists its modules). Names below
are helpers.NAME in the notebooks; plots.NAME and exercises.NAME are helpers.plots.NAME, helpers.exercises.NAME.

01_load_article      start (here): set-up in one call — style, article read and parsed, output folders
                     read_article, parse_article, split_paragraphs, paragraph_table,
                     article_metadata ............................................ newslab/articles.py
                     write_csv, write_json ....................................... newslab/outputs.py
                     save_and_show, paragraph_ticks, KIND_COLOURS ................. newslab/plots.py
                     exercises.check_most_sentences ............................... newslab/exercises.py
02_named_entities    entity_table, raw_entity_table, canonical_entities, canonicalise, entity_key,
                     mention_grid, cooccurrence, most_shared_pair, entities_html, cue_conflicts,
                     candidate_entities, places_as_actors, NAME_LABELS ........... newslab/entities.py
                     (the merging rule itself: canonical_names ................... newslab/canonical.py)
                     plots.entities_top, plots.entities_by_paragraph, plots.entity_cooccurrence
                     exercises.check_most_distinct_gpes, exercises.check_person_count
03_sentiment         sentiment_table, text_sentiment, word_scores, explain_polarity, unscored_words,
                     entity_sentiment ............................................ newslab/sentiment.py
                     entity_table, NON_NAME_LABELS ............................... newslab/entities.py
                     plots.sentiment_paragraphs, plots.sentiment_sentences, plots.sentiment_words,
                     plots.sentiment_entities
                     exercises.check_positive_rewrite, check_most_negative_sentence, check_lowest_entity
04_timeline_tension  event_table, who_did_what, doubtful_dates, example_sentence, DATED_BY,
                     EVENT_COLUMNS ............................................... newslab/events.py
                     timex_table, timeline_table, flashbacks, told_order,
                     TIMELINE_COLUMNS ............................................ newslab/timeline.py
                     load_tension_cues, read_supplement, score_events, tension_by_date, negated_cues,
                     peak, most_tense_sentence, NEGATION_FACTOR, POLARITY_SHARE,
                     CONFLICT_MIN ................................................ newslab/tension.py
                     find_timexes (the date resolver) ............................ newslab/dates/
                     plots.dependency_picture, plots.narrative_vs_chronological, plots.tension_timeline
                     exercises.check_negated_cue, check_peak_moving_cue, check_present_count
05_compare_articles  analysed_articles, read_article_tables, articles_table, tables_present, short_names,
                     tension_by_article, timeline_span, entity_mentions, shared_entities, shared_grid,
                     body_tone, tone_summary, COMPARE_TABLES, MAX_COMPARED................... newslab/compare.py
                     plots.compare_paragraph_lengths, plots.compare_tension, plots.compare_shared_entities,
                     plots.compare_sentiment, plots.article_colours
                     exercises.check_most_words, exercises.check_published_before
06_corpus            start_corpus (here): set-up in one call — style, the corpus store read, its figure folder
                     read_corpus ................................................. newslab/corpus.py
                     corpus_status, dated_events, tension_by_period, top_entities, entities_over_time,
                     entity_network, tone_by_source, tone_table, most_tense_article,
                     article_close_up ............................................ newslab/corpus_views.py
                     plots.corpus_tension, plots.corpus_entities_over_time, plots.corpus_network,
                     plots.corpus_tone
                     exercises.check_busiest_period, exercises.check_source_count
every notebook       ArticleError (a bad article file) ........................... newslab/errors.py
your own cells       escape_markdown (article text inside Markdown), parse_articles (many at once) ... articles.py
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from newslab import exercises, plots
from newslab.articles import (Article, article_metadata, distinct_slug, escape_markdown, paragraph_table,
                              parse_article, parse_articles, read_article, split_paragraphs)
from newslab.compare import (COMPARE_TABLES, MAX_COMPARED, analysed_articles, articles_table, body_tone,
                             entity_mentions, read_article_tables, shared_entities, shared_grid, short_names,
                             tables_present, tension_by_article, timeline_span, tone_summary)
from newslab.corpus import read_corpus
from newslab.corpus_views import (article_close_up, corpus_status, dated_events, entities_over_time, entity_network,
                                  most_tense_article, tension_by_period, tone_by_source, tone_table, top_entities)
from newslab.dates import find_timexes
from newslab.entities import (NAME_LABELS, NON_NAME_LABELS, candidate_entities, canonical_entities, canonicalise,
                              cooccurrence, cue_conflicts, entities_html, entity_key, entity_table, mention_grid,
                              most_shared_pair, places_as_actors, raw_entity_table)
from newslab.errors import ArticleError
from newslab.outputs import output_dirs, write_csv, write_json
from newslab.paths import ROOT, SEED
from newslab.plots import KIND_COLOURS, paragraph_ticks, save_and_show, use_style
from newslab.sentiment import (entity_sentiment, explain_polarity, sentiment_table, text_sentiment, unscored_words,
                               word_scores)
from newslab.tension import (CONFLICT_MIN, NEGATION_FACTOR, POLARITY_SHARE, load_tension_cues, most_tense_sentence,
                             negated_cues, peak, read_supplement, score_events, tension_by_date)
from newslab.events import DATED_BY, EVENT_COLUMNS, doubtful_dates, event_table, example_sentence, who_did_what
from newslab.timeline import TIMELINE_COLUMNS, flashbacks, timeline_table, timex_table, told_order

__all__ = [
    "exercises", "plots", "start", "start_corpus",
    "Article", "article_metadata", "escape_markdown", "paragraph_table", "parse_article",
    "parse_articles", "read_article", "split_paragraphs",
    "COMPARE_TABLES", "MAX_COMPARED", "analysed_articles", "articles_table", "body_tone", "entity_mentions",
    "read_article_tables", "shared_entities", "shared_grid", "short_names", "tables_present", "tension_by_article",
    "timeline_span", "tone_summary",
    "read_corpus", "article_close_up", "corpus_status", "dated_events", "entities_over_time", "entity_network",
    "most_tense_article", "tension_by_period", "tone_by_source", "tone_table", "top_entities",
    "find_timexes",
    "NAME_LABELS", "NON_NAME_LABELS", "candidate_entities", "canonical_entities", "canonicalise", "cooccurrence",
    "cue_conflicts",
    "entities_html", "entity_key", "entity_table", "mention_grid", "most_shared_pair", "places_as_actors",
    "raw_entity_table",
    "ArticleError", "write_csv", "write_json", "ROOT", "SEED", "KIND_COLOURS", "save_and_show", "paragraph_ticks",
    "entity_sentiment", "explain_polarity", "sentiment_table", "text_sentiment", "unscored_words", "word_scores",
    "CONFLICT_MIN", "NEGATION_FACTOR", "POLARITY_SHARE", "load_tension_cues", "most_tense_sentence", "negated_cues",
    "peak", "read_supplement", "score_events", "tension_by_date",
    "DATED_BY", "EVENT_COLUMNS", "doubtful_dates", "event_table", "example_sentence", "who_did_what",
    "TIMELINE_COLUMNS", "flashbacks", "timeline_table", "timex_table", "told_order",
]


def start(article_file: str | Path, published: str | dt.date | None = None, out_root: str | Path = "..",
          parse: bool = True) -> tuple[Article, Path, Path]:
    """Set a notebook up in one call: one style, the article read (and parsed), its data and figure folders.

    `article_file` is relative to the project folder, `out_root` to the notebook's folder (".." is the project).
    The parse is kept in data/<slug>/parse.spacy, so the next notebook reads it instead of parsing again."""
    use_style()
    pd.set_option("display.max_colwidth", 90)
    pd.set_option("display.max_rows", 200)
    path = Path(article_file) if Path(article_file).is_absolute() else ROOT / article_file
    article = read_article(path.resolve(), published=published)
    article.slug = distinct_slug(article)  # as run.py does: never over another article's outputs
    data_dir, figure_dir = output_dirs(out_root, article.slug)
    if parse:
        parse_article(article, cache=data_dir / "parse.spacy")
    inferred = " (inferred from the text!)" if article.published_inferred else ""
    print(f"{article.title}\n{article.source}, published {article.published:%A %d %B %Y}{inferred}")
    return article, data_dir, figure_dir


def start_corpus(corpus_name: str, out_root: str | Path = "..") -> tuple[dict, Path]:
    """Set notebook 06 up in one call: one style, the store data/corpus/<corpus_name>/ read, its figure folder.

    `out_root` is relative to the notebook's folder (".." is the project); figures go to figures/corpus/<name>/."""
    use_style()
    pd.set_option("display.max_colwidth", 90)
    pd.set_option("display.max_rows", 200)
    tables = read_corpus(Path(out_root) / "data" / "corpus" / corpus_name)
    figure_dir = Path(out_root) / "figures" / "corpus" / corpus_name
    figure_dir.mkdir(parents=True, exist_ok=True)
    articles = tables["articles"]
    print(f"Corpus {corpus_name!r}: {len(articles)} article files, {int((articles['status'] == 'ok').sum())} "
          f"read, published {articles['published'].replace('', None).min()} to {articles['published'].max()}")
    return tables, figure_dir
