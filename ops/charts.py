"""Bar charts for the dashboard as geometry: ops/templates/report/chart.html draws them as SVG
on the server (no script on the page); each chart carries a text summary for screen readers."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

WIDTH, HEIGHT = 640, 180
LEFT, RIGHT, TOP, BOTTOM = 60, 8, 12, 30  # margins for the axis labels
GAP = 0.2  # of each bar's slot left empty
MAX_BAR = 40  # the widest bar (few days)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # "2026-12-01: 4"


@dataclass(frozen=True)
class Chart:
    ident: str
    title: str
    summary: str
    bars: List[Bar]
    top_label: str  # the value at the top of the axis
    first_label: str
    last_label: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    baseline: int = HEIGHT - BOTTOM
    right_edge: int = WIDTH - RIGHT


def shown(value: Optional[float], percent: bool) -> str:
    if value is None:
        return "no data"
    return f"{value:.0%}" if percent else f"{value:g}"


def bar_chart(ident: str, title: str, labels: Sequence[str], values: Sequence[Optional[float]],
              percent: bool = False) -> Chart:
    """One bar per label (``None``: no bar, e.g. a rate on a day without messages); rates (``percent``)
    on a 0–100 % axis, counts on an axis up to the largest value."""
    top = 1.0 if percent else max([v for v in values if v is not None] or [0]) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(values), 1)
    bars = []
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = 0.0 if value is None else plot_height * min(value / top, 1.0)
        width = min(slot * (1 - GAP), MAX_BAR)
        bars.append(Bar(round(LEFT + n * slot + (slot - width) / 2, 2), round(TOP + plot_height - height, 2),
                        round(width, 2), round(height, 2), f"{label}: {shown(value, percent)}"))
    known = [(v, label) for v, label in zip(values, labels, strict=True) if v is not None]
    if known:
        peak, day = max(known, key=lambda item: item[0])
        summary = f"{len(labels)} day(s) from {labels[0]} to {labels[-1]}; highest {shown(peak, percent)} on {day}."
    else:
        summary = "No data yet."
    return Chart(ident, title, summary, bars, shown(top, percent), labels[0] if labels else "",
                 labels[-1] if len(labels) > 1 else "")
