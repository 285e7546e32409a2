"""Every article analysed so far, side by side: its article.json and whichever per-article tables exist
(notebook 05, run.py)."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd

from newslab.entities import counted_mentions
from newslab.paths import ROOT


# The per-article tables the comparison reads, and the notebook that writes each.
COMPARE_TABLES = {
    "paragraphs": "01",
    "entities": "02",
    "sentiment": "03",
    "timeline": "04",
    "tension_by_date": "04",
}


# More articles than this are too many to read side by side: notebook 05 shows the most recent, and points to
# notebook 06 (corpus mode) for the rest.
MAX_COMPARED = 8


def analysed_articles(out_root: str | Path) -> dict[str, Path]:
    """slug -> data folder of every analysed article: the project's data/ first, then out_root/data (which wins)."""
    found: dict[str, Path] = {}
    for base in (ROOT / "data", Path(out_root).resolve() / "data"):
        for article_json in sorted(base.glob("*/article.json")):
            if not article_json.parent.name.startswith("."):  # hidden: another run's swap under way
                found[article_json.parent.name] = article_json.parent
    return dict(sorted(found.items()))


def read_article_tables(data_dir: str | Path) -> dict:
    """The per-article tables (COMPARE_TABLES) present in one data folder, as DataFrames by name."""
    return {name: pd.read_csv(Path(data_dir) / f"{name}.csv") for name in COMPARE_TABLES
            if (Path(data_dir) / f"{name}.csv").exists()}


def tension_series(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(dates, tension) from a tension_by_date table: each date's sort_key and its tension_max, in date order."""
    dates = pd.to_datetime(table["sort_key"].astype(str), format="%Y-%m-%d", errors="coerce")
    keep = dates.notna() & table["tension_max"].notna()
    order = dates[keep].sort_values(kind="stable").index
    return dates[order].reset_index(drop=True), table.loc[order, "tension_max"].astype(float).reset_index(drop=True)


def article_numbers(data_dir: str | Path) -> dict:
    """Headline numbers from an article's tables ('-' if absent): words, entities, dated events, peak tension date.

    Body words, distinct named entities (no dates or numbers), dated events (timeline rows with a date) and the
    date(s) flagged as peak tension ('none' when the article describes no conflict).
    """
    tables = read_article_tables(data_dir)
    numbers = {"words": "-", "entities": "-", "dated_events": "-", "peak_tension_date": "-"}
    if "paragraphs" in tables:
        paragraphs = tables["paragraphs"]
        numbers["words"] = int(paragraphs.loc[paragraphs["kind"] == "body", "n_words"].sum())
    if "entities" in tables:
        entities = tables["entities"]
        names = counted_mentions(entities)
        numbers["entities"] = int(names["canonical"].nunique())
    if "timeline" in tables:
        numbers["dated_events"] = int((tables["timeline"]["dated_by"] != "undated").sum())
    if "tension_by_date" in tables and len(tables["tension_by_date"]):
        by_date = tables["tension_by_date"]
        if "peak" in by_date:  # the flagged peak(s); none when the article describes no conflict
            flagged = [str(v) for v, p in zip(by_date["value"], by_date["peak"]) if str(p).lower() == "true"]
            numbers["peak_tension_date"] = ", ".join(flagged) or "none"
        else:  # outputs of an older version
            numbers["peak_tension_date"] = str(by_date.loc[by_date["tension_max"].idxmax(), "value"])
    return numbers


def articles_table(folders: dict[str, Path], current: str) -> pd.DataFrame:
    """One row per analysed article: published, slug, source and its article_numbers, earliest first; `current`
    marks the article this notebook runs for."""
    rows = []
    for slug, folder in folders.items():
        meta = json.loads((folder / "article.json").read_text(encoding="utf-8"))
        numbers = article_numbers(folder)
        rows.append({"published": meta["published"], "slug": slug, "source": meta["source"],
                     "words": numbers["words"], "entities": numbers["entities"],
                     "dated events": numbers["dated_events"], "peak tension": numbers["peak_tension_date"],
                     "current": "◀" if slug == current else ""})
    return pd.DataFrame(rows).sort_values(["published", "slug"], kind="stable").reset_index(drop=True)


def tables_present(tables: dict[str, dict], slugs: list[str]) -> pd.DataFrame:
    """Which of the COMPARE_TABLES each article has ('yes' or '-'), one row per slug."""
    present = pd.DataFrame({f"{name}.csv": ["yes" if name in tables[slug] else "-" for slug in slugs]
                            for name in COMPARE_TABLES}, index=slugs)
    present.index.name = "slug"
    return present


def short_names(articles: pd.DataFrame) -> dict[str, str]:
    """slug -> a short label for figures: its publication day and the start of its slug."""
    return {slug: f"{day} · " + textwrap.shorten(slug.replace("-", " "), 28, placeholder="…")
            for slug, day in zip(articles["slug"], articles["published"])}


def tension_by_article(tables: dict[str, dict], slugs: list[str]) -> dict[str, tuple[pd.Series, pd.Series]]:
    """slug -> (dates, tension) of every article whose tension_by_date table has at least one calendar day."""
    series = {slug: tension_series(tables[slug]["tension_by_date"]) for slug in slugs
              if "tension_by_date" in tables[slug]}
    return {slug: s for slug, s in series.items() if len(s[0])}


def timeline_span(series: dict[str, tuple[pd.Series, pd.Series]]) -> int:
    """Days between the earliest and the latest date any of the series describes (0 for none)."""
    if not series:
        return 0
    return (max(d.max() for d, _ in series.values()) - min(d.min() for d, _ in series.values())).days


MENTION_COLUMNS = ["entity", "label", "slug", "mentions"]


def entity_mentions(tables: dict[str, dict], slugs: list[str]) -> pd.DataFrame:
    """One row per (canonical name, label, article): how often the article mentions it; no dates or numbers."""
    mentions = []
    for slug in slugs:
        entities = tables[slug].get("entities")
        if entities is None or entities.empty:
            continue
        names = counted_mentions(entities)
        for (name, label), n in names.groupby(["canonical", "canonical_label"]).size().items():
            mentions.append({"entity": name, "label": label, "slug": slug, "mentions": int(n)})
    return pd.DataFrame(mentions, columns=MENTION_COLUMNS)


def shared_entities(mentions: pd.DataFrame) -> pd.DataFrame:
    """The names that two or more articles mention: in how many articles, and how often in all; most shared first."""
    return (mentions.groupby(["entity", "label"])
            .agg(articles=("slug", "nunique"), mentions=("mentions", "sum"))
            .reset_index()
            .query("articles >= 2")
            .sort_values(["articles", "mentions", "entity"], ascending=[False, False, True], kind="stable")
            .reset_index(drop=True))


def shared_grid(mentions: pd.DataFrame, shared: pd.DataFrame, slugs: list[str], top: int = 12) -> pd.DataFrame:
    """Mentions of the `top` most shared names (rows) in each article (columns, in the order of `slugs`)."""
    top_rows = shared.head(top)
    return (mentions[mentions["entity"].isin(top_rows["entity"])]
            .pivot_table(index="entity", columns="slug", values="mentions", aggfunc="sum", fill_value=0)
            .reindex(index=top_rows["entity"].drop_duplicates(), columns=list(slugs), fill_value=0))


def body_tone(tables: dict[str, dict], slugs: list[str]) -> dict[str, pd.Series]:
    """slug -> the polarity of each body paragraph, for the articles that have sentiment.csv."""
    tone = {}
    for slug in slugs:
        sentiment = tables[slug].get("sentiment")
        if sentiment is None or "polarity" not in sentiment.columns:
            continue
        if "level" in sentiment.columns:
            sentiment = sentiment[sentiment["level"] == "paragraph"]
        if "kind" in sentiment.columns:
            sentiment = sentiment[sentiment["kind"] == "body"]
        tone[slug] = sentiment["polarity"].dropna()
    return tone


def tone_summary(tone: dict[str, pd.Series]) -> pd.DataFrame:
    """Per article: how many body paragraphs, their median, lowest and highest polarity; sorted by slug."""
    return pd.DataFrame({slug: {"paragraphs": len(p), "median polarity": round(p.median(), 3),
                                "most negative": round(p.min(), 3), "most positive": round(p.max(), 3)}
                         for slug, p in tone.items()}).T.sort_index()
