# SPDX-License-Identifier: EUPL-1.2
"""Static charts of the report and the analysis page (matplotlib → SVG).

Why static SVG: the same picture serves the web page, the HTML file and the PDF (WeasyPrint draws
SVG), it needs no script (the site's Content-Security-Policy allows none inline, and a chart
library would be one more thing to bundle and review), and it is deterministic — fixed hash salt,
no date in the metadata — so a report made twice from the same data is the same. Text stays text
(``svg.fonttype = none``): a third of the size of glyph paths and twice as fast to draw. Charts are
embedded as ``data:image/svg+xml`` images (CSP ``img-src data:``), always next to a table that
holds the same figures (accessibility: the table is the text alternative).

Every chart draws published figures only: a suppressed cell has no point and its label says "–".
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Colours (Okabe–Ito, distinguishable with colour-vision deficiencies).
BLUE, ORANGE, GREEN, GREY = "#0072B2", "#E69F00", "#009E73", "#8c8c8c"
WIDTH = 7.2  # inches; a page of the PDF is about 7 inches wide inside its margins
LABEL_CHARS = 58


@dataclass(frozen=True)
class Point:
    """One published figure: ``value`` with its interval; ``None`` when withheld or absent."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    suppressed: bool = False


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "weerbaar-monitor",
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 9,
            "axes.titleweight": "bold",
        }
    )
    return plt


def short(text: str, chars: int = LABEL_CHARS) -> str:
    """A label that fits beside a chart: the start of the question, on at most two lines."""
    text = " ".join(text.split())
    if len(text) > 2 * chars:
        text = text[: 2 * chars - 1].rstrip() + "…"
    return "\n".join(textwrap.wrap(text, chars)[:2])


def _row_labels(ax: Any, ys: Sequence[float], labels: Sequence[str]) -> None:
    """Row labels as plain texts left of the axes: far cheaper to lay out than tick labels (a tick
    is two lines and two texts, measured again for every layout pass)."""
    ax.set_yticks([])
    transform = ax.get_yaxis_transform()
    for y, text in zip(ys, labels, strict=True):
        ax.text(-0.01, y, text, transform=transform, ha="right", va="center", fontsize=8)


def _margins(fig: Any, labels: Sequence[str], height: float, *, title: bool = True) -> None:
    """Room for the longest label on the left (about 0.055 inch per character at 8 pt)."""
    longest = max((len(line) for text in labels for line in text.split("\n")), default=10)
    left = min(0.55, max(0.12, (0.3 + 0.056 * longest) / WIDTH))
    top = 1 - (0.42 if title else 0.1) / height
    fig.subplots_adjust(left=left, right=0.97, top=top, bottom=0.45 / height)


def _uri(fig: Any) -> str:
    plt = _pyplot()
    buffer = io.StringIO()
    # No bbox_inches="tight": it draws the figure twice; the margins are set per chart instead.
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    data = buffer.getvalue().encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def interval_chart(
    points: Sequence[Point],
    *,
    title: str,
    percent: bool,
    lower: float | None = None,
    upper: float | None = None,
    suppressed_text: str = "–",
) -> str | None:
    """Horizontal dots with their 95 % intervals, one row per point (shares or means)."""
    if not points:
        return None
    plt = _pyplot()
    height = 0.6 + 0.32 * len(points) + 0.1 * sum(1 for p in points if "\n" in p.label)
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    rows = list(range(len(points)))[::-1]
    scale = 100.0 if percent else 1.0
    # One collection for all intervals and one line for all dots: a chart of 40 rows is one draw
    # call each, not 80 artists.
    shown = [(y, p) for y, p in zip(rows, points, strict=True) if p.value is not None]
    ranged = [(y, p) for y, p in shown if p.low is not None and p.high is not None]
    if ranged:
        ax.hlines(
            [y for y, _p in ranged],
            [float(p.low or 0.0) * scale for _y, p in ranged],
            [float(p.high or 0.0) * scale for _y, p in ranged],
            color=BLUE,
            linewidth=2.2,
            alpha=0.45,
        )
    if shown:
        values = [float(p.value or 0.0) * scale for _y, p in shown]
        ax.plot(values, [y for y, _p in shown], "o", color=BLUE, markersize=4.5)
    for y, p in zip(rows, points, strict=True):
        if p.value is None:
            ax.text((lower or 0.0) * scale, y, f" {suppressed_text}", va="center", ha="left", color=GREY, fontsize=8)
    _row_labels(ax, rows, [p.label for p in points])
    ax.set_ylim(-0.7, len(points) - 0.3)
    if lower is not None and upper is not None:
        ax.set_xlim(lower * scale, upper * scale)
    if percent:
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0f} %")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(title, loc="left")
    _margins(fig, [p.label for p in points], height)
    return _uri(fig)


def dumbbell_chart(
    rows: Sequence[tuple[str, int, float, int, float]], *, title: str, percent: bool = True
) -> str | None:
    """Change between the first and the latest comparable wave per item: (label, y0, v0, y1, v1)."""
    if not rows:
        return None
    plt = _pyplot()
    height = 0.9 + 0.32 * len(rows)
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    scale = 100.0 if percent else 1.0
    ys = list(range(len(rows)))[::-1]
    first_values = [r[2] * scale for r in rows]
    last_values = [r[4] * scale for r in rows]
    ax.hlines(ys, first_values, last_values, color=GREY, linewidth=1.2)
    ax.plot(first_values, ys, "o", color=ORANGE, markersize=4.5)
    ax.plot(last_values, ys, "o", color=BLUE, markersize=4.5)
    labels = [f"{label} ({y0}→{y1})" for label, y0, _v0, y1, _v1 in rows]
    _row_labels(ax, ys, labels)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    if percent:
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:.0f} %")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(title, loc="left")
    first = ax.plot([], [], "o", color=ORANGE, label="first wave")[0]
    last = ax.plot([], [], "o", color=BLUE, label="this wave")[0]
    ax.legend(handles=[first, last], loc="lower right", fontsize=7, frameon=False)
    _margins(fig, labels, height)
    return _uri(fig)


def trend_chart(
    points: Sequence[tuple[int, float | None, float | None, float | None]],
    *,
    title: str,
    percent: bool,
    lower: float | None = None,
    upper: float | None = None,
) -> str | None:
    """One item over the waves: (year, value, low, high); a withheld point is left out."""
    shown = [p for p in points if p[1] is not None]
    if len(shown) < 2:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH * 0.55, 2.4))
    fig.subplots_adjust(left=0.16, right=0.96, top=0.85, bottom=0.12)
    scale = 100.0 if percent else 1.0
    years = [p[0] for p in shown]
    ax.plot(years, [float(p[1] or 0.0) * scale for p in shown], "-o", color=BLUE, markersize=4)
    lows = [p[2] for p in shown]
    highs = [p[3] for p in shown]
    if all(v is not None for v in lows + highs):
        ax.fill_between(
            years,
            [float(v or 0.0) * scale for v in lows],
            [float(v or 0.0) * scale for v in highs],
            color=BLUE,
            alpha=0.15,
            linewidth=0,
        )
    ax.set_xticks(years)
    if lower is not None and upper is not None:
        ax.set_ylim(lower * scale, upper * scale)
    if percent:
        ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0f} %")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_title(title, loc="left")
    return _uri(fig)


def odds_ratio_chart(
    terms: Sequence[tuple[str, float | None, float | None, float | None]], *, title: str
) -> str | None:
    """A forest plot of odds ratios with their 95 % intervals on a log scale (1 = no effect)."""
    rows = [t for t in terms if t[1] is not None and t[1] > 0]
    if not rows:
        return None
    plt = _pyplot()
    height = 0.9 + 0.3 * len(rows)
    fig, ax = plt.subplots(figsize=(WIDTH, height))
    ys = list(range(len(rows)))[::-1]
    for y, (_name, ratio, low, high) in zip(ys, rows, strict=True):
        if low is not None and high is not None and low > 0:
            ax.plot([low, min(high, 1e4)], [y, y], color=BLUE, linewidth=2, alpha=0.45)
        ax.plot([ratio], [y], "s", color=BLUE, markersize=4)
    ax.axvline(1.0, color=GREY, linewidth=0.8, linestyle="--")
    ax.set_xscale("log")
    _row_labels(ax, ys, [name for name, *_rest in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_title(title, loc="left")
    _margins(fig, [name for name, *_rest in rows], height)
    return _uri(fig)
