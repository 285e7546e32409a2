"""The notebooks' figures: one style, one palette, and one function per figure (notebooks 01-06).

Each figure function takes tables a notebook has already computed, draws the figure, saves it as PNG and SVG in
the article's figure folder (figures/<slug>/) and returns the saved PNG to show, with its alt text. Notebook 01
draws its one figure in the notebook itself, as the worked example of how every function here works.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import matplotlib.dates as mdates
import matplotlib.font_manager
import matplotlib.image
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
from IPython.display import SVG, Image
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from newslab.dates import timex_granularity, timex_period, timex_text
from newslab.outputs import atomic_path, write_text
from newslab.tension import event_label, most_tense_sentence
from newslab.timeline import calendar_ranks, flashbacks, time_panels, timeline_moment

if TYPE_CHECKING:
    from spacy.tokens import Span

# The palette: one colour per paragraph kind, per entity label (other labels grey) and per sign.
KIND_COLOURS = {"title": "#4c72b0", "standfirst": "#8172b2", "body": "#55a868", "embed": "#c44e52"}
ENTITY_COLOURS = {"PERSON": "#c44e52", "ORG": "#4c72b0", "GPE": "#55a868", "LOC": "#8c8c3c", "NORP": "#8172b2",
                  "FAC": "#937860"}
POSITIVE, NEGATIVE, NEUTRAL = "#4c72b0", "#c44e52", "#888888"


def use_style() -> None:
    """One figure and table style for every notebook: large type for projectors, stable SVG ids, escaped tables."""
    pd.set_option("styler.format.escape", "html")  # article text in a styled table stays text
    matplotlib.rcParams.update(
        {
            "figure.figsize": (11, 6),
            "figure.dpi": 100,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "font.size": 14,
            "axes.titlesize": 18,
            "axes.labelsize": 15,
            "xtick.labelsize": 12,
            "ytick.labelsize": 12,
            "legend.fontsize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "news-notebooks",
            "svg.fonttype": "path",
            "text.parse_math": False,  # a '$' in an article title is text, not maths
        }
    )


def tight_box(fig: Figure) -> Bbox:
    """The box round everything a figure draws, padded, measured at the PNG's resolution: what savefig's 'tight'
    finds by drawing the whole figure once more before each file, found once, without a draw, for both files."""
    dpi = fig.dpi
    saved = matplotlib.rcParams["savefig.dpi"]
    fig.set_dpi(dpi if saved == "figure" else saved)
    try:
        box = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.set_dpi(dpi)
    return box.padded(matplotlib.rcParams["savefig.pad_inches"])


def encode_png(pixels: bytes, size: tuple[int, int], dpi: float, path: Path) -> None:
    """Write RGBA pixels drawn by Agg as the PNG file savefig would write from them (the same bytes), atomically."""
    width, height = size
    with atomic_path(path) as temporary:
        matplotlib.image.imsave(temporary, np.frombuffer(pixels, np.uint8).reshape(height, width, 4), format="png",
                                origin="upper", dpi=dpi, metadata={"Software": None})


def save_figure(fig: Figure, figure_dir: str | Path, name: str) -> list[Path]:
    """Save a figure as <name>.png and <name>.svg, cut to one tight box, with no timestamps in their metadata.

    The PNG is drawn first; Pillow compresses it on a second thread (it lets go of Python's lock meanwhile) while
    this one draws the SVG, so a notebook waits for the slower of the two, not for both. The PNG's bytes are those
    savefig writes (tests/test_determinism.py)."""
    figure_dir = Path(figure_dir)
    png, svg = figure_dir / f"{name}.png", figure_dir / f"{name}.svg"
    box = tight_box(fig)
    pixels, canvas = io.BytesIO(), fig.canvas
    agg = FigureCanvasAgg(fig)  # what savefig draws a PNG with, whatever canvas the figure has
    try:
        fig.savefig(pixels, format="rgba", bbox_inches=box)
    finally:
        fig.set_canvas(canvas)
    size, dpi = (int(agg.renderer.width), int(agg.renderer.height)), agg.renderer.dpi
    with ThreadPoolExecutor(max_workers=1) as pool:
        png_written = pool.submit(encode_png, pixels.getvalue(), size, dpi, png)
        with atomic_path(svg) as temporary:
            fig.savefig(temporary, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=box)
        png_written.result()
    return [png, svg]


def save_and_show(fig: Figure, figure_dir: str | Path, name: str, alt: str) -> Image:
    """Save a figure as PNG and SVG (save_figure), close it, and return the saved PNG to show, with alt text."""
    png, _ = save_figure(fig, figure_dir, name)
    plt.close(fig)
    return Image(data=png.read_bytes(), format="png", metadata={"alt": alt})


def axes_width_points(ax: Axes) -> float:
    """An axes' width on its figure, in points."""
    return ax.get_position().width * ax.figure.get_figwidth() * 72


def text_width_points(text: str, size: float) -> float:
    """About how wide a line of text is, in points, at a font size: 0.64 em a character (a digit's width)."""
    return len(text) * 0.64 * size


def paragraph_ticks(ax: Axes, paragraphs: Iterable[int], labels: list[str] | None = None) -> None:
    """Number the paragraphs on the x axis: every one when their labels fit side by side, else every 2nd, 5th,
    10th … (a long article's 45 numbers would run into each other)."""
    paragraphs = [int(p) for p in paragraphs]
    size = matplotlib.font_manager.FontProperties(size=matplotlib.rcParams["xtick.labelsize"]).get_size_in_points()
    widest = max((text_width_points(str(p), size) for p in paragraphs), default=text_width_points("0", size))
    fits = max(1, int(axes_width_points(ax) / (widest + 6)))  # 6 points between two numbers
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if len(paragraphs) <= fits * s), 1000)
    kept = [i for i, p in enumerate(paragraphs) if p % step == 0]
    ax.set_xticks([paragraphs[i] for i in kept], [labels[i] for i in kept] if labels is not None else None)


def short(text: str, width: int) -> str:
    """A title or label cut at a word boundary to at most `width` characters."""
    return textwrap.shorten(text, width)


# --------------------------------------------------------------------------- notebook 02: entities


def entities_top(names: pd.DataFrame, title: str, figure_dir: str | Path) -> Image:
    """Horizontal bars of the 15 most-mentioned canonical names, coloured by label (figures/<slug>/entities_top)."""
    top_n = names.head(15).iloc[::-1]
    colours = [ENTITY_COLOURS.get(label, "#999999") for label in top_n["label"]]
    fig, ax = plt.subplots(figsize=(11, 7))
    ax.barh(top_n["canonical"], top_n["mentions"], color=colours)
    labels_shown = [label for label in ENTITY_COLOURS if label in set(top_n["label"])]
    ax.legend(handles=[Patch(color=ENTITY_COLOURS[label], label=label) for label in labels_shown], title="label",
              loc="lower right")
    ax.set_title(f"Most-mentioned named entities\n{short(title, 70)}")
    ax.set_xlabel("mentions (count, all paragraphs)")
    ax.set_ylabel("canonical entity")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", visible=False)
    alt = ("Horizontal bar chart of the most-mentioned canonical entities in the article, coloured by label: "
           + ", ".join(f"{r.canonical} ({r.label}, {r.mentions})" for r in top_n.iloc[::-1].itertuples()) + ".")
    return save_and_show(fig, figure_dir, "entities_top", alt)


def entities_by_paragraph(grid: pd.DataFrame, kinds: list[str], figure_dir: str | Path) -> Image:
    """Entity x paragraph map of mention counts, embedded posts shaded (figures/<slug>/entities_by_paragraph)."""
    map_names = list(grid.index)
    fig, ax = plt.subplots(figsize=(12, 0.5 * len(map_names) + 2.5))
    top = grid.values.max(initial=0) + 1
    ax.imshow(np.where(grid.values > 0, grid.values, np.nan).reshape(len(map_names), len(kinds)),
              cmap="Blues", vmin=0, vmax=top, aspect="auto")
    if not map_names:
        ax.text(0.5, 0.5, "no named entities in this article", transform=ax.transAxes, ha="center", fontsize=16)
    for (i, j), n in np.ndenumerate(grid.values):
        if n:  # white on the dark blues of the most mentions, black on the light ones
            ax.text(j, i, str(n), ha="center", va="center", fontsize=11, color="white" if n / top > 0.6 else "black")
    for j, kind in enumerate(kinds):
        if kind == "embed":
            ax.axvspan(j - 0.5, j + 0.5, color=KIND_COLOURS["embed"], alpha=0.15)
    paragraph_ticks(ax, list(range(len(kinds))), [f"{j}\n{k[0].upper()}" for j, k in enumerate(kinds)])
    ax.set_yticks(range(len(map_names)), map_names)
    ax.grid(False)
    ax.set_xticks(np.arange(len(kinds) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(map_names) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="#dddddd", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.set_title("Who appears where: mentions per paragraph, in story order")
    ax.set_xlabel("paragraph (reading order; T = title, S = standfirst, B = body, E = embedded post)")
    ax.set_ylabel("canonical entity")
    where = {name: ", ".join(str(j) for j in grid.columns[grid.loc[name] > 0]) for name in map_names}
    alt = (f"Grid of {len(map_names)} entities by {len(kinds)} paragraphs showing in which paragraphs each entity "
           "is mentioned: " + "; ".join(f"{name}: paragraphs {where[name]}" for name in map_names) + ".")
    return save_and_show(fig, figure_dir, "entities_by_paragraph", alt)


def entity_cooccurrence(cooc: pd.DataFrame, figure_dir: str | Path) -> Image:
    """Matrix of paragraphs shared by each pair of top entities, grey diagonal (figures/<slug>/entity_cooccurrence)."""
    top_cooc = list(cooc.index)
    fig, ax = plt.subplots(figsize=(10, 8.5))
    off_diagonal = np.where(np.eye(len(top_cooc), dtype=bool), np.nan, cooc.values.astype(float))
    image = ax.imshow(off_diagonal.reshape(len(top_cooc), len(top_cooc)), cmap="Purples", vmin=0,
                      vmax=max(1, np.nanmax(off_diagonal, initial=0)))
    if len(top_cooc) < 2:
        ax.text(0.5, 0.5, "fewer than two named entities: no pairs", transform=ax.transAxes, ha="center",
                fontsize=16)
    for (i, j), n in np.ndenumerate(cooc.values):
        if i == j:  # the diagonal (paragraphs the entity is in at all) is grey, so it does not swamp the colours
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, color="#dddddd"))
        ax.text(j, i, str(n), ha="center", va="center", fontsize=11, fontweight="bold" if i == j else "normal",
                color="white" if i != j and n > np.nanmax(off_diagonal, initial=0) * 0.6 else "black")
    ax.set_xticks(range(len(top_cooc)), top_cooc, rotation=45, ha="right")
    ax.set_yticks(range(len(top_cooc)), top_cooc)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label="paragraphs shared (count)", shrink=0.8)
    ax.set_title("Co-occurrence of the top entities within paragraphs")
    ax.set_xlabel("canonical entity")
    ax.set_ylabel("canonical entity")
    alt = (f"Matrix of the {len(top_cooc)} most-mentioned entities showing for each pair the number of paragraphs "
           "in which both are mentioned.")
    return save_and_show(fig, figure_dir, "entity_cooccurrence", alt)


# --------------------------------------------------------------------------- notebook 03: sentiment


def paragraph_label(row: pd.Series, width: int = 42) -> str:
    """'¶5 She praised the US air…' — a short label for one paragraph row."""
    return f"¶{row['paragraph']} " + textwrap.shorten(row["text"].replace("\n", " "), width, placeholder="…")


def sentiment_paragraphs(paragraph_rows: pd.DataFrame, title: str, figure_dir: str | Path) -> Image:
    """Polarity and subjectivity bars of every paragraph in story order (figures/<slug>/sentiment_paragraphs)."""
    labels = [paragraph_label(row) for _, row in paragraph_rows.iterrows()]
    colours = [KIND_COLOURS[k] for k in paragraph_rows["kind"]]
    positions = np.arange(len(paragraph_rows))
    limit = max(0.3, paragraph_rows["polarity"].abs().max() * 1.15)
    fig, (ax_pol, ax_sub) = plt.subplots(1, 2, sharey=True, figsize=(15, 0.5 * len(paragraph_rows) + 2.5),
                                         gridspec_kw={"width_ratios": [3, 2]})
    ax_pol.barh(positions, paragraph_rows["polarity"], color=colours)
    ax_pol.axvline(0, color="black", linewidth=1.2)
    ax_pol.set_xlim(-limit, limit)
    ax_pol.set_xlabel("polarity (−1 negative … +1 positive)")
    ax_pol.set_yticks(positions, labels)
    ax_pol.invert_yaxis()
    ax_sub.barh(positions, paragraph_rows["subjectivity"], color=colours)
    ax_sub.set_xlim(0, 1)
    ax_sub.set_xlabel("subjectivity (0 factual … 1 opinion)")
    kinds_present = [k for k in KIND_COLOURS if k in set(paragraph_rows["kind"])]
    ax_sub.legend(handles=[Patch(color=KIND_COLOURS[k], label=k) for k in kinds_present],
                  title="paragraph kind", loc="lower right")
    fig.suptitle(f"TextBlob sentiment per paragraph, in story order\n{textwrap.shorten(title, 80, placeholder='…')}")
    fig.subplots_adjust(top=max(0.88, 1 - 1.3 / fig.get_figheight()))  # a tall figure: no wide gap under the title
    alt = (f"Two horizontal bar charts sharing the {len(paragraph_rows)} paragraphs of '{title}' in story order: "
           "TextBlob polarity (left, with a zero line) and subjectivity (right), bars coloured by paragraph kind.")
    return save_and_show(fig, figure_dir, "sentiment_paragraphs", alt)


def sentiment_sentences(sentence_rows: pd.DataFrame, title: str, figure_dir: str | Path) -> Image:
    """Strip chart of every sentence's polarity in reading order, paragraphs banded (sentiment_sentences)."""
    order = np.arange(len(sentence_rows))
    fig, ax = plt.subplots(figsize=(15, 6))
    # points per sentence along the axis, to name only the paragraphs whose label has room beside the last one named
    scale = axes_width_points(ax) / max(len(sentence_rows), 1)
    named_until = -np.inf  # where the last label named ends, in sentences
    for number, (paragraph, group) in enumerate(sentence_rows.groupby("paragraph", sort=True)):
        start, end = group.index.min() - 0.5, group.index.max() + 0.5
        if number % 2 == 0:
            ax.axvspan(start, end, color="grey", alpha=0.12, linewidth=0)
        half = (text_width_points(f"¶{paragraph}", 11) + 4) / 2 / scale  # half the label's width, in sentences
        if (start + end) / 2 - half >= named_until:
            ax.text((start + end) / 2, 1.02, f"¶{paragraph}", transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom", fontsize=11)
            named_until = (start + end) / 2 + half
    signs = np.sign(sentence_rows["polarity"])
    dot_colours = np.where(signs > 0, POSITIVE, np.where(signs < 0, NEGATIVE, NEUTRAL))
    ax.vlines(order, 0, sentence_rows["polarity"], color=dot_colours, linewidth=2)
    ax.scatter(order, sentence_rows["polarity"], c=dot_colours, s=60, zorder=3)
    ax.axhline(0, color="black", linewidth=1.2)
    sentence_limit = max(0.3, sentence_rows["polarity"].abs().max() * 1.15)
    ax.set_ylim(-sentence_limit, sentence_limit)
    ax.set_xlim(-0.5, len(sentence_rows) - 0.5)
    ax.set_xlabel("sentence (reading order, counted from 0)")
    ax.set_ylabel("polarity (−1 … +1)")
    ax.set_title("TextBlob polarity of every sentence", pad=30)
    alt = (f"Strip chart of the TextBlob polarity of each of the {len(sentence_rows)} sentences of '{title}' in "
           "reading order, positive in blue, negative in red, zero in grey, with shaded bands marking paragraphs.")
    return save_and_show(fig, figure_dir, "sentiment_sentences", alt)


MAX_WORD_BARS = 25  # the most words one panel of sentiment_words shows, one readable label each


def sentiment_words(panels: list[tuple[pd.DataFrame, pd.Series]], figure_dir: str | Path) -> Image:
    """The scored words of two paragraphs side by side, each with its mean (figures/<slug>/sentiment_words); one
    panel when both are the same paragraph. A panel with more than MAX_WORD_BARS words shows the strongest ones.

    `panels` holds (word_scores table, paragraph row of the sentiment table) for the left and the right panel."""
    if panels[0][1]["paragraph"] == panels[1][1]["paragraph"]:  # e.g. an article of one paragraph
        panels = panels[:1]
    rows = max(min(len(words), MAX_WORD_BARS) for words, _ in panels)
    cut = [str(row["paragraph"]) for words, row in panels if len(words) > MAX_WORD_BARS]  # shown by their strongest
    fig, axes = plt.subplots(1, len(panels), figsize=(15 if len(panels) == 2 else 9, max(6.0, 0.32 * rows + 2)),
                             sharex=True, squeeze=False)  # a row of 12-point text each
    axes = axes[0]
    for ax, (words, row) in zip(axes, panels):
        heading = f"¶{row['paragraph']}: {textwrap.shorten(row['text'], 34, placeholder='…')}"
        if words.empty:
            ax.text(0.5, 0.5, "no scored words", ha="center", va="center", transform=ax.transAxes)
        else:
            if len(words) > MAX_WORD_BARS:  # the strongest, still in reading order
                heading += f"\n(the {MAX_WORD_BARS} strongest of its {len(words)} scored words)"
                words = words.loc[sorted(words["polarity"].abs().sort_values(ascending=False, kind="stable")
                                         .index[:MAX_WORD_BARS])]
            bar_colours = [POSITIVE if p > 0 else NEGATIVE if p < 0 else NEUTRAL for p in words["polarity"]]
            ax.barh(np.arange(len(words)), words["polarity"], color=bar_colours)
            ax.set_yticks(np.arange(len(words)), [f"{w} ({p:+.2f})" for w, p in zip(words["words"],
                                                                                    words["polarity"])])
            ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=1.2)
        ax.axvline(row["polarity"], color="black", linestyle="--", linewidth=1.5,
                   label=f"mean = {row['polarity']:+.2f}")
        ax.set_xlim(-1.05, 1.05)
        ax.set_xlabel("word polarity (−1 … +1)")
        ax.set_title(heading, fontsize=14)
        ax.legend(loc="best")  # where it covers the fewest bars
    axes[0].set_ylabel("scored words (reading order)")
    fig.suptitle("The words TextBlob scored, and their mean (the paragraph's polarity)")
    if cut:  # room for the title above a two-line heading, the same on a figure of any height
        fig.subplots_adjust(top=1 - 1.5 / fig.get_figheight())
    left = panels[0][1]
    shown = (f"; paragraph {' and '.join(cut)} shows only its {MAX_WORD_BARS} strongest words" if cut else "")
    if len(panels) == 1:
        alt = (f"A bar chart of the polarity of each word TextBlob scored in paragraph {left['paragraph']} (both the "
               "most negative paragraph and the one chosen by a word), with a dashed line at its mean "
               f"polarity{shown}.")
    else:
        alt = (f"Two bar charts of the polarity of each word TextBlob scored in paragraph {left['paragraph']} (the "
               f"most negative) and paragraph {panels[1][1]['paragraph']} (chosen by a word), with a dashed line "
               f"at each paragraph's mean polarity{shown}.")
    return save_and_show(fig, figure_dir, "sentiment_words", alt)


def sentiment_entities(entity_scores: pd.DataFrame, title: str, figure_dir: str | Path) -> Image:
    """Mean polarity of the sentences naming each entity, with their range (figures/<slug>/sentiment_entities)."""
    ranked = entity_scores.sort_values(["mean_polarity", "canonical"]).reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(13, 0.55 * len(ranked) + 2.5))
    y = np.arange(len(ranked))
    bar_colours = [POSITIVE if p > 0 else NEGATIVE if p < 0 else NEUTRAL for p in ranked["mean_polarity"]]
    alphas = [0.4 if n == 1 else 1.0 for n in ranked["sentences"]]
    for yi, value, colour, alpha in zip(y, ranked["mean_polarity"], bar_colours, alphas):
        ax.barh(yi, value, color=colour, alpha=alpha)
    ax.hlines(y, ranked["min_polarity"], ranked["max_polarity"], color="black", linewidth=1.5,
              label="range of its sentences")
    ax.scatter(ranked["min_polarity"], y, color="black", marker="|", s=120)
    ax.scatter(ranked["max_polarity"], y, color="black", marker="|", s=120)
    ax.axvline(0, color="black", linewidth=1.2)
    ax.set_yticks(y, [f"{row.canonical} ({row.label}, {row.sentences} sent.)" for row in ranked.itertuples()])
    entity_limit = max(0.3, ranked[["min_polarity", "max_polarity"]].abs().max().max() * 1.1)
    ax.set_xlim(-entity_limit, entity_limit)
    ax.set_xlabel("mean polarity of the sentences naming the entity (−1 … +1)")
    ax.set_title("Mood of the sentences around each entity")
    handles = [plt.Line2D([], [], color="black", label="range over its sentences")]
    if (ranked["sentences"] == 1).any():
        handles.append(Patch(color=NEUTRAL, alpha=0.4, label="mean of one sentence only"))
    ax.legend(handles=handles, loc="lower right")
    alt = (f"Horizontal bar chart of the mean TextBlob polarity of the sentences that name each of the "
           f"{len(ranked)} most mentioned entities in '{title}', with the range over those sentences as a black line.")
    return save_and_show(fig, figure_dir, "sentiment_entities", alt)


# --------------------------------------------------------------------------- notebook 04: timeline and tension

DATED_BY_STYLES = {"own": ("o", "#c44e52", "full"), "clause": ("o", "#c44e52", "none"),
                   "saying": ("^", "#55a868", "full"), "present": ("s", "#4c72b0", "full"),
                   "sentence": ("v", "#c44e52", "none"), "narrative": ("D", "#8172b2", "none"),
                   "same event": ("P", "#c44e52", "full"), "story year": ("*", "#c44e52", "full"),
                   "news": ("^", "#4c72b0", "none"),
                   "undated": ("x", "#777777", "full")}  # one per rule of newslab.events.DATED_BY


def narrative_vs_chronological(timeline: pd.DataFrame, title: str, figure_dir: str | Path) -> Image:
    """Each sentence by reading order against its date's calendar rank; flash-backs in orange
    (figures/<slug>/narrative_vs_chronological)."""
    dated = timeline[timeline["dated_by"] != "undated"]
    dates_in_order = dated[["value", "sort_key"]].drop_duplicates().sort_values(["sort_key", "value"])
    n_in_paragraph = timeline.groupby("paragraph")["sentence"].transform("max") + 1
    x = timeline["paragraph"] + timeline["sentence"] / n_in_paragraph * 0.7
    y = calendar_ranks(timeline)
    fig, ax = plt.subplots(figsize=(12, 6.5))
    ax.plot(x, y, color="#999999", linewidth=1.2, zorder=1)
    for rule, (marker, colour, fill) in DATED_BY_STYLES.items():
        rows = timeline["dated_by"] == rule
        if rows.any():
            ax.plot(x[rows], y[rows], linestyle="none", marker=marker, markersize=10, color=colour, fillstyle=fill,
                    markeredgewidth=2, label=f"{rule} ({int(rows.sum())})", zorder=2)
    back = flashbacks(timeline)
    for n, i in enumerate(back):
        ax.plot(x.iloc[i - 1:i + 1], y.iloc[i - 1:i + 1], color="#dd8452", linewidth=3, zorder=1.5,
                label="flash-back" if n == 0 else None)
    mods = dated.drop_duplicates(["value", "sort_key"]).set_index(["value", "sort_key"])["mod"]
    labels = ["undated"] + [f"{v} {mods.get((v, k), '')}".strip()
                            for v, k in zip(dates_in_order["value"], dates_in_order["sort_key"])]
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(-0.7 if (timeline["dated_by"] == "undated").any() else 0.5, len(labels) - 0.3)
    paragraph_ticks(ax, sorted(timeline["paragraph"].unique()))
    ax.set_xlabel("paragraph (reading order; sentences spread within a paragraph)")
    ax.set_ylabel("date described (calendar order)")
    ax.set_title(f"Narrative order vs chronological order\n{short(title, 70)}")
    ax.legend(title="dated by", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    alt = (f"Line and point chart: each of the {len(timeline)} body sentences of '{title}' placed by paragraph "
           f"(reading order) against the date it describes (calendar order, {len(dates_in_order)} distinct dates); "
           f"downward steps are flash-backs ({len(back)} of them).")
    return save_and_show(fig, figure_dir, "narrative_vs_chronological", alt)


def tension_in_reading_order(timeline: pd.DataFrame, title: str) -> tuple[Figure, str]:
    """When no sentence is dated: the tension of each body sentence in reading order, and the alt text."""
    fig, ax = plt.subplots(figsize=(12, 5.5))
    ax.axhline(0, color="#333333", linewidth=1)
    ax.bar(range(len(timeline)), timeline["tension"],
           color=["#c44e52" if t > 0 else "#4c72b0" for t in timeline["tension"]])
    if len(timeline) <= 40:
        ax.set_xticks(range(len(timeline)), [f"{p}.{s}" for p, s in zip(timeline["paragraph"], timeline["sentence"])])
    ax.set_xlabel("body sentence (paragraph.sentence, reading order)")
    ax.set_ylabel("tension (CAMEO cue weight, −Goldstein ÷ 10)")
    ax.set_title(f"No dated sentences: tension in reading order instead\n{short(title, 70)}")
    alt = (f"Bar chart of the tension of each of the {len(timeline)} body sentences in reading order; "
           "no sentence could be placed in time.")
    return fig, alt


def marker_box(point: Line2D) -> Bbox:
    """The box the round marker of a one-point plot line draws, in display pixels."""
    centre = point.axes.transData.transform(point.get_xydata()[0])
    radius = point.get_markersize() / 2 * point.figure.dpi / 72
    return Bbox.from_extents(centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius)


def words_box(label: Text, renderer: object) -> Bbox:
    """The box of an annotation's words alone, without its arrow, where the annotation now stands."""
    label.get_window_extent(renderer)  # places the words for the annotation's current offset
    return Text.get_window_extent(label, renderer)


def spread_labels(fig: Figure, labels: list, points: list[Bbox] = (), step: float = 14.0, tries: int = 8,
                  left: float | None = None) -> None:
    """Move text labels (annotations in offset points) right of `left` (a display x, e.g. the y axis, whose tick
    labels are left of it), then up or down, one step at a time, until none overlaps an earlier one or a title,
    its words cover none of the `points` (marker boxes, in display pixels) and it stays inside the figure; where no
    step is free, to the one with the fewest clashes. Measured with the renderer, so it holds for any text on any
    article."""
    renderer = fig.canvas.get_renderer()
    placed: list = [text.get_window_extent(renderer) for text in fig.texts]  # the titles: these stay where they are
    shifts = [0.0] + [step * (n // 2 + 1) * (1 if n % 2 == 0 else -1) for n in range(tries - 1)]  # 0, +1, -1, +2 ..
    for label in sorted(labels, key=lambda a: a.get_window_extent(renderer).x0):
        x, y = label.xyann
        extent = label.get_window_extent(renderer)
        # 3 points and 3 % of its width (text is a little wider at the saved PNG's dpi than on this canvas): the
        # label's white backing stays off the axis line and its ticks
        clear = 3 * fig.dpi / 72 + 0.03 * extent.width
        over = left + clear - extent.x0 if left is not None else 0.0
        if over > 0:  # pixels to points
            x += over * 72 / fig.dpi
        clashes: list[int] = []
        for shift in shifts:
            label.xyann = (x, y + shift)
            box = label.get_window_extent(renderer).expanded(1.02, 1.1)  # with its arrow, if it has one
            text = words_box(label, renderer).expanded(1.02, 1.1)
            inside = fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
            clashes.append((0 if inside else len(placed) + len(points) + 1) + sum(box.overlaps(o) for o in placed)
                           + sum(text.overlaps(p) for p in points))
            if not clashes[-1]:
                break
        label.xyann = (x, y + shifts[clashes.index(min(clashes))])  # else where it clashes least
        placed.append(label.get_window_extent(renderer))


def date_ticks(ax: Axes, inches_per_tick: float = 1.1, most: int = 6) -> int:
    """How many date ticks ('15 Mar' over '1996') fit side by side on an axes' width: 2 to `most`."""
    return max(2, min(most, int(axes_width_points(ax) / 72 / inches_per_tick)))


def panel_label(ax: Axes, text: str, xy: tuple, **style: object) -> Annotation:
    """A label at a point of one panel (x a date), drawn by the figure over every panel: a neighbour panel's
    background never cuts it off."""
    label = Annotation(text, (mdates.date2num(xy[0]), xy[1]), xycoords=ax.transData, **style)
    ax.figure.add_artist(label)
    return label


# The white behind the tension timeline's labels, so that they read over grid lines and the sentences' dots.
LABEL_BACKING = {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1}


PERIOD_ORDER = ("weekend", "week", "month", "season", "quarter", "half", "year", "decade", "century")


def period_legend(kinds: set[str]) -> str:
    """The legend entry of the periods a timeline draws as bars, shortest first: 'a week or a year: its span'."""
    names = [f"a {kind}" for kind in PERIOD_ORDER if kind in kinds]
    return (", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]) + ": its span"


def tension_timeline(timeline: pd.DataFrame, by_date: pd.DataFrame, title: str, figure_dir: str | Path,
                     published: dt.date | None = None) -> Image:
    """Tension per described date on a real time axis, broken into panels where dates lie far apart, the most tense
    sentence of each date labelled with its cues, the peak date(s) called out only when there is one, the
    publication date marked (figures/<slug>/tension_timeline)."""
    if by_date.empty:
        fig, alt = tension_in_reading_order(timeline, title)
        return save_and_show(fig, figure_dir, "tension_timeline", alt)

    def label_for(value: str) -> str:
        """A few words for the most tense sentence that describes a date: its cues, else its first words."""
        best = most_tense_sentence(timeline, value)
        return textwrap.shorten(event_label(best["text"], best["matches"]), 36, placeholder=" …")

    by_date = by_date.copy()
    moments = [timeline_moment(v, k) for v, k in zip(by_date["value"], by_date["sort_key"])]
    by_date["moment"] = moments
    sentence_moments = [timeline_moment(v, k) if d != "undated" else None
                        for v, k, d in zip(timeline["value"], timeline["sort_key"], timeline["dated_by"])]
    panels = time_panels(moments)
    firsts = [by_date.loc[by_date["moment"] == panel[0], "value"].iloc[0] for panel in panels]  # each panel's first
    widths = [1 if (p[-1] - p[0]).days < 2 else 3 for p in panels]
    fig, axes = plt.subplots(1, len(panels), figsize=(13, 6.5), sharey=True, squeeze=False,
                             gridspec_kw={"width_ratios": widths, "wspace": 0.08})
    axes = axes[0]
    low = min(0, timeline["tension"].min()) - 0.3
    high = max(0, timeline["tension"].max()) + 0.8
    peaks = set(by_date.loc[by_date["peak"], "value"])
    labels: list = []
    dated_publication = False  # whether a panel shows the publication date (a dashed line, named in the legend)
    period_kinds: set[str] = set()  # the granularities drawn as a bar over their period (named in the legend)
    points: list[Line2D] = []  # each date's point: no label may cover one
    for i, (ax, panel) in enumerate(zip(axes, panels)):
        span = max((panel[-1] - panel[0]).days, 1)
        pad = dt.timedelta(days=max(3, span * 0.12))
        ax.set_xlim(panel[0] - pad, panel[-1] + pad)
        ax.set_ylim(low, high)
        ax.axhline(0, color="#333333", linewidth=1)
        inside = [j for j, m in enumerate(sentence_moments) if m is not None and panel[0] <= m <= panel[-1]]
        ax.plot([sentence_moments[j] for j in inside], timeline["tension"].iloc[inside], "o", color="#aaaaaa",
                markersize=6, zorder=2)
        rows = by_date[(by_date["moment"] >= panel[0]) & (by_date["moment"] <= panel[-1])]
        ax.plot(rows["moment"], rows["tension_max"], color="#c44e52", linewidth=1, linestyle=":", zorder=3)
        for k, r in enumerate(rows.itertuples()):
            colour = "#c44e52" if r.tension_max > 0 else "#4c72b0"
            granularity = timex_granularity(r.value)
            period = timex_period(r.value) if granularity not in ("day", "time") else None
            if period is not None:  # a week, a month, a year: a bar over its whole period, not a point in its middle
                ax.hlines(r.tension_max, dt.datetime.combine(period[0], dt.time()),
                          dt.datetime.combine(period[1], dt.time(23, 59)), color=colour, linewidth=7, alpha=0.35,
                          zorder=3)
                period_kinds.add(granularity)
            points += ax.plot(r.moment, r.tension_max, "o", color=colour, markersize=12, zorder=4)
            if r.value not in peaks:  # labels alternate above and below the points; spread_labels then moves
                labels.append(panel_label(ax, label_for(r.value), (r.moment, r.tension_max),  # those that touch
                            xytext=(0, 14 if k % 2 == 0 else -16),
                            textcoords="offset points", ha="center", va="bottom" if k % 2 == 0 else "top",
                            fontsize=11, color="#333333", zorder=5,
                            bbox=LABEL_BACKING))
        if len(panel) == 1 or (panel[-1] - panel[0]).days < 2:
            ax.set_xticks([panel[0]], [timex_text(firsts[i])])
        else:  # as many dates as the panel's width holds: a narrow panel of a broken axis gets two or three
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=2, maxticks=date_ticks(ax)))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
        if i > 0:  # broken-axis marks
            ax.spines["left"].set_visible(False)
            ax.tick_params(left=False)
        if i < len(panels) - 1:
            ax.spines["right"].set_visible(False)
        for side in ([0] if i > 0 else []) + ([1] if i < len(panels) - 1 else []):
            ax.plot([side - 0.015, side + 0.015], [-0.02, 0.02], transform=ax.transAxes, color="#333333",
                    clip_on=False, linewidth=1.2)
        day = dt.datetime.combine(published, dt.time()) if published is not None else None
        if day is not None and panel[0] - pad <= day <= panel[-1] + pad:  # the publication date, where it falls
            ax.axvline(day, color="#777777", linestyle="--", linewidth=1, zorder=1)  # named in the legend: a
            dated_publication = True  # label on the line would sit on the sentences dated by the publication
        for r in rows[rows["peak"]].itertuples():
            name = "peak" if len(peaks) == 1 else "tied peak"
            labels.append(panel_label(ax, f"{name}: {timex_text(r.value)}\n{label_for(r.value)}",
                                      (r.moment, r.tension_max),
                                      xytext=(0, 36), textcoords="offset points", ha="center", fontsize=11,
                                      fontweight="bold", arrowprops={"arrowstyle": "->", "color": "#333333"},
                                      zorder=5, bbox=LABEL_BACKING))
    axes[0].set_ylabel("tension (CAMEO cue weight, −Goldstein ÷ 10)")
    broken = "; the axis is broken between panels" if len(panels) > 1 else ""
    fig.supxlabel(f"date described by the sentences (real time{broken})", fontsize=14)
    fig.suptitle(f"Tension over the timeline the article describes\n{short(title, 70)}", fontsize=18)
    handles = [Line2D([], [], marker="o", color="#c44e52", linestyle=":", markersize=10,
                      label="most tense sentence of a date")]
    if period_kinds:
        handles.append(Line2D([], [], color="#c44e52", linewidth=7, alpha=0.35, label=period_legend(period_kinds)))
    handles.append(Line2D([], [], marker="o", linestyle="none", color="#aaaaaa", label="each sentence"))
    if dated_publication:
        handles.append(Line2D([], [], color="#777777", linestyle="--", linewidth=1, label="publication date"))
    fig.legend(handles=handles, loc="lower center", ncols=len(handles), bbox_to_anchor=(0.5, -0.08), frameon=False)
    spread_labels(fig, labels, points=[marker_box(point) for point in points], tries=12,
                  left=axes[0].get_window_extent().x0)
    named = ", ".join(timex_text(value) for value in sorted(peaks))
    peak_text = (f"the peak is {named} with tension {by_date['tension_max'].max():.2f}" if peaks
                 else "no date is flagged as a peak: the article describes no conflict")
    years = [timex_text(value) if timex_granularity(value) in ("decade", "century") else str(panel[0].year)
             for value, panel in zip(firsts, panels)]  # a decade sits mid-decade: '1970s', not '1974'
    axis = (f"a time axis broken into {len(panels)} panels ({', '.join(years)})" if len(panels) > 1
            else f"one time axis ({years[0]})")
    alt = f"Tension plotted against the dates the article describes, on {axis}; {len(by_date)} dates; {peak_text}."
    return save_and_show(fig, figure_dir, "tension_timeline", alt)


# --------------------------------------------------------------------------- notebook 05: comparing articles


def article_colours(slugs: list[str]) -> dict[str, str]:
    """slug -> a colour of the style's colour cycle, one per article, the same in every figure of notebook 05."""
    cycle = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    return {slug: cycle[i % len(cycle)] for i, slug in enumerate(slugs)}


def compare_paragraph_lengths(articles: pd.DataFrame, tables: dict, short_names: dict, colours: dict,
                              figure_dir: str | Path) -> Image:
    """Body paragraph lengths, one row of dots per article, medians marked (compare_paragraph_lengths)."""
    fig, ax = plt.subplots(figsize=(11, 1.2 + 0.9 * len(articles)))
    for position, slug in enumerate(articles["slug"]):
        body = tables[slug]["paragraphs"].query("kind == 'body'")
        ax.scatter(body["n_words"], [position] * len(body), s=80, alpha=0.7, color=colours[slug])
        ax.plot([body["n_words"].median()] * 2, [position - 0.3, position + 0.3], color="black", linewidth=2)
    ax.set_yticks(range(len(articles)), [short_names[s] for s in articles["slug"]])
    ax.set_ylim(len(articles) - 0.3, -0.7)  # earliest article at the top
    ax.set_xlim(left=0)
    ax.set_title("Length of the body paragraphs, article by article")
    ax.set_xlabel("paragraph length (words); black bar = median")
    ax.set_ylabel("article")
    alt = (f"Dot plot of body paragraph lengths in words for {len(articles)} analysed article(s), one row per "
           "article, with a bar at each article's median.")
    return save_and_show(fig, figure_dir, "compare_paragraph_lengths", alt)


# Ticks of the relative axis of compare_tension: days before (-) and after (+) publication, on a symlog scale.
RELATIVE_TICKS = {-36525: "−100 y", -3652: "−10 y", -365: "−1 y", -30: "−30 d", -7: "−7 d", 0: "0",
                  7: "+7 d", 30: "+30 d", 365: "+1 y", 3652: "+10 y"}


def compare_tension(series: dict, published: dict, short_names: dict, colours: dict,
                    figure_dir: str | Path) -> Image:
    """Each article's tension by described day on its own row, in days from its own publication day.

    The axis is linear within a week of publication and logarithmic beyond (symlog), so the days around the news
    stay readable even when an article also recalls events decades earlier."""
    fig, axes = plt.subplots(len(series), 1, figsize=(12, 1.2 + 1.9 * len(series)), sharex=True, squeeze=False,
                             gridspec_kw={"hspace": 0.6})
    days = [(dates - pd.Timestamp(published[slug])).dt.days for slug, (dates, _) in series.items()]
    reach = max([max(abs(int(d.min())), abs(int(d.max())), 7) for d in days] + [7])
    for ax, (slug, (_, tension)), x in zip(axes[:, 0], series.items(), days):
        ax.plot(x, tension, marker="o", linewidth=1.5, color=colours[slug])
        ax.axvline(0, color="black", linestyle=":", linewidth=1.5)
        ax.axhline(0, color="grey", linewidth=0.8)
        ax.set_title(short_names[slug], loc="left", fontsize=13)
        ax.set_xscale("symlog", linthresh=7, linscale=1.5)
    ticks = [t for t in RELATIVE_TICKS if abs(t) <= reach * 1.5]
    axes[-1, 0].set_xticks(ticks, [RELATIVE_TICKS[t] for t in ticks])
    axes[-1, 0].set_xlim(-reach * 1.3, reach * 1.3)
    axes[-1, 0].set_xlabel("days from each article's own publication day (dotted line; linear within a week, "
                           "logarithmic beyond)")
    fig.supylabel("tension index (notebook 04)")
    fig.suptitle("Tension over time, one row per article", fontsize=18)
    alt = (f"{len(series)} line charts, one per article, of the tension index by the day its sentences refer to, "
           "in days from that article's publication day on a symmetric logarithmic axis.")
    return save_and_show(fig, figure_dir, "compare_tension", alt)


def compare_shared_entities(grid: pd.DataFrame, short_names: dict, figure_dir: str | Path) -> Image:
    """Mentions of the most shared entities (rows) in each article (columns) (compare_shared_entities)."""
    fig, ax = plt.subplots(figsize=(11, 1.5 + 0.5 * len(grid)))
    image = ax.imshow(grid.values, cmap="Blues", aspect="auto")
    for (row, col), value in pd.DataFrame(grid.values).stack().items():
        ax.text(col, row, str(value), ha="center", va="center", fontsize=12,
                color="white" if value > grid.values.max() / 2 else "black")
    ax.set_xticks(range(grid.shape[1]), [short_names[s] for s in grid.columns], rotation=20, ha="right")
    ax.set_yticks(range(grid.shape[0]), grid.index)
    ax.grid(False)
    ax.set_title("Shared entities: mentions per article")
    ax.set_xlabel("article")
    ax.set_ylabel("entity (canonical name)")
    fig.colorbar(image, ax=ax, label="mentions")
    alt = f"Grid of mention counts of the {len(grid)} most shared entities across {grid.shape[1]} articles."
    return save_and_show(fig, figure_dir, "compare_shared_entities", alt)


def compare_sentiment(tone: dict, short_names: dict, colours: dict, figure_dir: str | Path) -> Image:
    """Body paragraph polarity, one box per article and one dot per paragraph (compare_sentiment)."""
    fig, ax = plt.subplots(figsize=(11, 1.5 + 0.9 * len(tone)))
    ax.boxplot(list(tone.values()), orientation="horizontal", widths=0.5, showfliers=False)
    for position, (slug, polarity) in enumerate(tone.items(), 1):  # every paragraph as a dot
        ax.scatter(polarity, [position] * len(polarity), s=50, alpha=0.6, color=colours[slug], zorder=3)
    ax.axvline(0, color="grey", linewidth=1)
    ax.set_yticks(range(1, len(tone) + 1), [short_names[s] for s in tone])
    ax.invert_yaxis()  # earliest article at the top
    ax.set_xlim(-1, 1)
    ax.set_title("Polarity of body paragraphs, article by article")
    ax.set_xlabel("TextBlob polarity (−1 negative … +1 positive)")
    ax.set_ylabel("article")
    alt = f"Box plots of body paragraph polarity for {len(tone)} article(s)."
    return save_and_show(fig, figure_dir, "compare_sentiment", alt)


def dependency_picture(span: Span, figure_dir: str | Path, name: str = "dependency_parse") -> SVG:
    """spaCy's displaCy drawing of one sentence's dependency parse (words escaped by displaCy), saved as
    figures/<slug>/<name>.svg and returned to show."""
    from spacy import displacy

    markup = displacy.render(span.as_doc(), style="dep", jupyter=False,
                             options={"compact": True, "distance": 110, "word_spacing": 30})
    markup = re.sub(r"[0-9a-f]{32}", "dependency-parse", markup)  # displaCy's random ids: the same file every run
    write_text(markup, Path(figure_dir) / f"{name}.svg")
    return SVG(data=markup)


# --------------------------------------------------------------------------- notebook 06: the corpus


PERIOD_FORMATS = {"W": "%d %b %Y", "M": "%b %Y", "Y": "%Y"}


def corpus_tension(periods: pd.DataFrame, period: str, figure_dir: str | Path) -> Image:
    """Tension per period of the events (mean line, max points) over the number of articles behind each period."""
    fig, (ax, counts) = plt.subplots(2, 1, figsize=(12, 7), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    name = {"W": "week", "M": "month", "Y": "year"}[period]
    width = {"W": 6, "M": 25, "Y": 300}[period]
    if periods.empty:
        ax.text(0.5, 0.5, "no sentence is dated to a day or a month", transform=ax.transAxes, ha="center")
    else:
        ax.plot(periods["period"], periods["tension_mean"], marker="o", color=NEGATIVE, linewidth=2,
                label="mean tension of the sentences")
        ax.scatter(periods["period"], periods["tension_max"], s=25, color="black", alpha=0.6,
                   label="most tense sentence", zorder=3)
        counts.bar(periods["period"], periods["articles"], width=width, color=NEUTRAL)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.axhline(0, color="grey", linewidth=1)
    ax.set_title(f"Tension per {name} of the events the articles describe")
    ax.set_ylabel("tension index")
    counts.set_ylabel("articles")
    counts.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    counts.set_xlabel(f"{name} the sentences refer to")
    counts.xaxis.set_major_formatter(mdates.DateFormatter(PERIOD_FORMATS[period]))
    fig.autofmt_xdate()
    alt = (f"Line chart of the mean tension index per {name} of the described events over {len(periods)} "
           f"{name}s, with a bar chart below of how many articles describe each {name}.")
    return save_and_show(fig, figure_dir, "corpus_tension", alt)


def corpus_entities_over_time(grid: pd.DataFrame, period: str, figure_dir: str | Path) -> Image:
    """Articles per period (columns) that mention each top name (rows), as a shaded grid."""
    fig, ax = plt.subplots(figsize=(12, 1.5 + 0.45 * max(len(grid), 1)))
    image = ax.imshow(grid.values if grid.size else np.zeros((1, 1)), cmap="Blues", aspect="auto",
                      interpolation="nearest")
    step = max(1, grid.shape[1] // 12)  # at most about a dozen date labels
    ax.set_xticks(range(0, grid.shape[1], step),
                  [pd.Timestamp(c).strftime(PERIOD_FORMATS[period]) for c in grid.columns[::step]], rotation=30,
                  ha="right")
    ax.set_yticks(range(len(grid)), [short(str(name), 30) for name in grid.index])
    ax.grid(False)
    name = {"W": "week", "M": "month", "Y": "year"}[period]
    ax.set_title(f"The most-mentioned names, per {name} of publication")
    ax.set_xlabel(f"{name} the articles were published")
    fig.colorbar(image, ax=ax, label="articles mentioning the name")
    alt = (f"Grid of {len(grid)} names by {grid.shape[1]} {name}s of publication; the shade of each cell is how "
           "many articles of that period mention the name.")
    return save_and_show(fig, figure_dir, "corpus_entities_over_time", alt)


def corpus_network(names: pd.DataFrame, edges: pd.DataFrame, figure_dir: str | Path) -> Image:
    """The top names on a circle, joined by lines as thick as the number of articles that mention both."""
    fig, ax = plt.subplots(figsize=(11, 11))
    angles = np.linspace(np.pi / 2, np.pi / 2 - 2 * np.pi, len(names), endpoint=False)
    where = {name: (np.cos(a), np.sin(a)) for name, a in zip(names["canonical"], angles)}
    strongest = max(int(edges["articles"].max()) if len(edges) else 1, 1)
    for a, b, n in zip(edges["a"], edges["b"], edges["articles"]):
        (x1, y1), (x2, y2) = where[a], where[b]
        ax.plot([x1, x2], [y1, y2], color=NEUTRAL, linewidth=0.5 + 6 * n / strongest,
                alpha=0.25 + 0.6 * n / strongest, zorder=1)
    biggest = max(int(names["articles"].max()) if len(names) else 1, 1)
    for name, label, n in zip(names["canonical"], names["label"], names["articles"]):
        x, y = where[name]
        size = 200 + 1800 * n / biggest  # points squared
        ax.scatter([x], [y], s=size, color=ENTITY_COLOURS.get(label, NEUTRAL), zorder=2, edgecolor="white")
        away = np.sqrt(size) / 2 + 6  # points from the node's centre: its radius and a gap, outwards
        ax.annotate(f"{short(str(name), 24)} ({n})", (x, y), xytext=(x * away, y * away), textcoords="offset points",
                    ha="left" if x > 0.3 else "right" if x < -0.3 else "center",
                    va="bottom" if y > 0.3 else "top" if y < -0.3 else "center", fontsize=12)
    if len(names) < 2:
        ax.text(0, 0, "fewer than two names: no network", ha="center")
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("Who appears with whom: the top names, joined when articles mention both")
    handles = [Patch(color=c, label=label) for label, c in ENTITY_COLOURS.items() if label in set(names["label"])]
    if handles:
        ax.legend(handles=handles, title="label", loc="lower left")
    alt = (f"Network of the {len(names)} names mentioned in the most articles, drawn on a circle; {len(edges)} lines "
           "join names mentioned in the same article, thicker when more articles mention both.")
    return save_and_show(fig, figure_dir, "corpus_network", alt)


def corpus_tone(by_source: dict, figure_dir: str | Path) -> Image:
    """The tone of each source's articles: one box per source, one dot per article (mean body polarity)."""
    fig, ax = plt.subplots(figsize=(11, 1.5 + 0.8 * max(len(by_source), 1)))
    ax.boxplot([list(t) for t in by_source.values()], orientation="horizontal", widths=0.5, showfliers=False)
    for position, tone in enumerate(by_source.values(), 1):
        jitter = np.linspace(-0.15, 0.15, len(tone)) if len(tone) > 1 else [0.0]
        ax.scatter(tone, position + np.asarray(jitter), s=30, alpha=0.6, color=POSITIVE, zorder=3)
    ax.axvline(0, color="grey", linewidth=1)
    ax.set_yticks(range(1, len(by_source) + 1), [f"{short(str(s), 40)} ({len(t)})" for s, t in by_source.items()])
    ax.invert_yaxis()
    ax.set_xlim(-1, 1)
    ax.set_title("Tone by source: mean polarity of each article's body paragraphs")
    ax.set_xlabel("TextBlob polarity (−1 negative … +1 positive)")
    ax.set_ylabel("source (articles)")
    alt = f"Box plots of the mean body polarity of each article, one box per source, for {len(by_source)} sources."
    return save_and_show(fig, figure_dir, "corpus_tone", alt)
