"""The corpus read as a whole: tension per week or month of the events, entities over time, who appears with
whom, tone by source, and one article up close (notebook 06, on the store newslab/corpus.py writes)."""
from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd

from newslab.entities import NON_NAME_LABELS

# Dates precise enough to put in a week or a month; a bare year ('in 2014') or a decade is not.
PRECISE_GRANULARITIES = {"time", "day", "week", "weekend", "month"}
PERIOD_NAMES = {"W": "week", "M": "month", "Y": "year"}
# With many dated sentences, the earliest and latest TAIL_SHARE of them (old history, far future plans) are left
# out of the calendar so that the months the corpus is about are not squeezed into a corner.
TAIL_SHARE = 0.02
TAIL_MIN_ROWS = 50


def ok_articles(articles: pd.DataFrame) -> pd.DataFrame:
    """The rows of the articles table whose tables were made (status ok): one per slug."""
    return articles[articles["status"] == "ok"]


def corpus_status(articles: pd.DataFrame) -> pd.DataFrame:
    """How many article files are ok and how many failed, and the failed ones with their errors."""
    failed = articles[articles["status"] != "ok"]
    counts = articles["status"].value_counts().rename("articles").to_frame()
    print(f"{int((articles['status'] == 'ok').sum())} article(s) ok, {len(failed)} failed.")
    for file, error in zip(failed["file"], failed["error"]):
        print(f"  failed: {Path(file).name}: {error}")
    return counts


def period_for(span_days: int) -> str:
    """The period to count by for a calendar of span_days: weeks up to half a year, months up to 8 years, else years."""
    return "W" if span_days <= 183 else "M" if span_days <= 8 * 366 else "Y"


def dated_events(timeline: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The timeline's sentences dated precisely enough for a calendar, with a `date`; (rows, rows left out as tails).

    With at least TAIL_MIN_ROWS of them, the earliest and latest TAIL_SHARE are left out."""
    rows = timeline[(timeline["dated_by"] != "undated") & timeline["granularity"].isin(PRECISE_GRANULARITIES)]
    rows = rows.assign(date=pd.to_datetime(rows["sort_key"].astype(str).str[:10], format="%Y-%m-%d",
                                           errors="coerce")).dropna(subset=["date"])
    if len(rows) < TAIL_MIN_ROWS:
        return rows.reset_index(drop=True), 0
    low, high = rows["date"].quantile(TAIL_SHARE), rows["date"].quantile(1 - TAIL_SHARE)
    kept = rows[(rows["date"] >= low) & (rows["date"] <= high)]
    return kept.reset_index(drop=True), len(rows) - len(kept)


def tension_by_period(events: pd.DataFrame, period: str | None = None) -> tuple[pd.DataFrame, str]:
    """Tension per week, month or year of the events: mean and max sentence tension, sentences, articles behind it.

    `period` is 'W', 'M' or 'Y' (default: period_for the span of the dates)."""
    columns = ["period", "tension_mean", "tension_max", "sentences", "articles"]
    if events.empty:
        return pd.DataFrame(columns=columns), period or "M"
    period = period or period_for((events["date"].max() - events["date"].min()).days)
    starts = events["date"].dt.to_period(period).dt.start_time
    table = (events.assign(period=starts).groupby("period")
             .agg(tension_mean=("tension", "mean"), tension_max=("tension", "max"), sentences=("tension", "size"),
                  articles=("slug", "nunique")).reset_index())
    table["tension_mean"] = table["tension_mean"].round(3)
    return table[columns], period


def name_mentions(entities: pd.DataFrame) -> pd.DataFrame:
    """The entity mentions that are names (no dates, times or numbers)."""
    return entities[~entities["canonical_label"].isin(NON_NAME_LABELS)]


def top_entities(entities: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """The names in the most articles: canonical, label, articles, mentions; ties by mentions, then by name."""
    names = name_mentions(entities)
    table = (names.groupby(["canonical", "canonical_label"])
             .agg(articles=("slug", "nunique"), mentions=("slug", "size")).reset_index()
             .rename(columns={"canonical_label": "label"}))
    # One row per name: a name spaCy labels two ways in two articles keeps the label with more articles.
    table = table.sort_values(["articles", "mentions", "canonical"], ascending=[False, False, True], kind="stable")
    return table.drop_duplicates("canonical").head(top).reset_index(drop=True)


def entities_over_time(entities: pd.DataFrame, articles: pd.DataFrame, names: list[str],
                       period: str | None = None) -> tuple[pd.DataFrame, str]:
    """How many articles published in each period mention each name: names (rows) x periods (columns)."""
    published = pd.to_datetime(ok_articles(articles).set_index("slug")["published"], format="%Y-%m-%d",
                               errors="coerce")
    if published.dropna().empty:
        return pd.DataFrame(index=names), period or "M"
    period = period or period_for((published.max() - published.min()).days)
    starts = published.dt.to_period(period).dt.start_time
    mentions = name_mentions(entities)[["slug", "canonical"]].drop_duplicates()
    mentions = mentions[mentions["canonical"].isin(names)].assign(period=lambda t: t["slug"].map(starts))
    all_periods = pd.period_range(published.min(), published.max(), freq=period).start_time
    grid = (mentions.groupby(["canonical", "period"]).size().unstack(fill_value=0)
            .reindex(index=names, columns=all_periods, fill_value=0))
    return grid.fillna(0).astype(int), period


def entity_network(entities: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Pairs of the given names that appear in the same article: a, b, articles (how many articles have both)."""
    mentions = name_mentions(entities)
    per_article = mentions[mentions["canonical"].isin(names)].groupby("slug")["canonical"].agg(
        lambda values: sorted(set(values)))
    counts: dict[tuple[str, str], int] = {}
    for present in per_article:
        for pair in itertools.combinations(present, 2):
            counts[pair] = counts.get(pair, 0) + 1
    edges = pd.DataFrame([(a, b, n) for (a, b), n in counts.items()], columns=["a", "b", "articles"])
    return edges.sort_values(["articles", "a", "b"], ascending=[False, True, True], kind="stable").reset_index(
        drop=True)


def article_tone(sentiment: pd.DataFrame) -> pd.Series:
    """slug -> the mean polarity of the article's body paragraphs."""
    body = sentiment[(sentiment["level"] == "paragraph") & (sentiment["kind"] == "body")]
    return body.groupby("slug")["polarity"].mean()


def tone_by_source(sentiment: pd.DataFrame, articles: pd.DataFrame, top: int = 10) -> dict[str, pd.Series]:
    """source -> the mean body polarity of each of its articles, the `top` sources with most articles first;
    the other sources together as 'other sources'."""
    tone = article_tone(sentiment)
    source = ok_articles(articles).set_index("slug")["source"].reindex(tone.index)
    ranked = source.value_counts().index.tolist()
    kept = source.where(source.isin(ranked[:top]), "other sources")
    order = ranked[:top] + (["other sources"] if len(ranked) > top else [])
    return {name: tone[kept == name].sort_index() for name in order}


def tone_table(by_source: dict[str, pd.Series]) -> pd.DataFrame:
    """Per source: articles, median, lowest and highest article tone."""
    return pd.DataFrame([{"source": name, "articles": len(t), "median tone": round(t.median(), 3),
                          "most negative": round(t.min(), 3), "most positive": round(t.max(), 3)}
                         for name, t in by_source.items()])


def most_tense_article(tables: dict[str, pd.DataFrame]) -> str | None:
    """The slug of the article with the highest tension on any described date (None if none has a date)."""
    by_date = tables["tension_by_date"]
    if by_date.empty:
        return None
    return str(by_date.sort_values(["tension_max", "slug"], ascending=[False, True], kind="stable")["slug"].iloc[0])


def article_close_up(tables: dict[str, pd.DataFrame], slug: str, top: int = 5) -> pd.DataFrame:
    """One article of the corpus up close: its most tense sentences, with their dates and cues."""
    articles = ok_articles(tables["articles"])
    if slug not in set(articles["slug"]):
        raise ValueError(f"{slug!r} is not an article of this corpus: pick a slug from the articles table.")
    row = articles.set_index("slug").loc[slug]
    print(f"{row['title']}\n{row['source']}, published {row['published']}; {row['words']} words; status "
          f"{row['status']}")
    timeline = tables["timeline"][tables["timeline"]["slug"] == slug]
    return timeline.sort_values("tension", ascending=False, kind="stable").head(top)[
        ["paragraph", "sentence", "value", "dated_by", "tension", "cues", "text"]]
