"""Geometry for the small server-rendered SVG charts (templates/includes/charts/). No chart
library and no JavaScript: each chart is a few shapes whose positions are worked out here,
with the numbers kept on every shape (data-*) so a test can compare chart and table.

Every chart is drawn with a <title> and <desc> and always sits beside the table it pictures:
the table is what screen readers and printouts read.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
LEFT = 48  # room for the item numbers
RIGHT = 24
TOP = 36  # room for the scale labels
ROW = 30
BAR = 16


def _x(value: float, low: float, high: float, left: float = LEFT) -> float:
    return round(left + (value - low) / (high - low) * (WIDTH - left - RIGHT), 1)


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class DumbbellRow:
    number: int
    label: str
    before: int | None
    after: int | None
    y: float
    x_before: float | None
    x_after: float | None


@dataclass
class DumbbellChart:
    """Before and after on one agreement scale per statement: a hollow dot for before, a
    filled dot for after, joined by a line."""

    rows: list[DumbbellRow]
    ticks: list[Tick]
    height: float
    width: int = WIDTH
    left: float = LEFT
    top: float = TOP


def dumbbell_chart(items, *, low: int = 1, high: int = 5) -> DumbbellChart:
    """`items`: (label, before, after) with values on low..high (None: not answered)."""
    rows = []
    for number, (label, before, after) in enumerate(items, start=1):
        rows.append(
            DumbbellRow(
                number=number,
                label=label,
                before=before,
                after=after,
                y=TOP + (number - 0.5) * ROW,
                x_before=_x(before, low, high) if before is not None else None,
                x_after=_x(after, low, high) if after is not None else None,
            )
        )
    ticks = [Tick(x=_x(v, low, high), label=str(v)) for v in range(low, high + 1)]
    return DumbbellChart(rows=rows, ticks=ticks, height=TOP + len(rows) * ROW + 8)


@dataclass
class Bar:
    number: int
    label: str
    value: float | None
    y: float
    x: float  # where the bar starts
    length: float  # never negative; a negative value starts left of zero


@dataclass
class BarChart:
    """Horizontal bars from zero (changes can be negative: they go left)."""

    bars: list[Bar]
    ticks: list[Tick]
    zero_x: float
    height: float
    width: int = WIDTH
    left: float = LEFT
    top: float = TOP


def change_bar_chart(items, *, limit: float = 4, first: int = 1) -> BarChart:
    """`items`: (label, value) with values in -limit..+limit (None: nobody answered both).
    `first`: the first bar's number (a page of a longer table starts further on)."""
    zero = _x(0, -limit, limit)
    bars = []
    for index, (label, value) in enumerate(items):
        end = _x(value, -limit, limit) if value is not None else zero
        bars.append(
            Bar(
                number=first + index,
                label=label,
                value=value,
                y=TOP + index * ROW + (ROW - BAR) / 2,
                x=min(zero, end),
                length=round(abs(end - zero), 1),
            )
        )
    ticks = [Tick(x=_x(v, -limit, limit), label=f"{v:+d}" if v else "0") for v in range(-4, 5, 2)]
    return BarChart(bars=bars, ticks=ticks, zero_x=zero, height=TOP + len(bars) * ROW + 8)


def count_bar_chart(items, *, left: float = 96, top: int | None = None, first: int = 1) -> BarChart:
    """`items`: (label, count) as horizontal bars from zero, scaled to the largest count (or
    to `top`, e.g. 100 for percentages); the labels sit in the wider left margin. `first`:
    the first bar's number."""
    items = list(items)
    top = top or max([count for _label, count in items] + [1])
    bars = [
        Bar(
            number=first + index,
            label=label,
            value=count,
            y=TOP + index * ROW + (ROW - BAR) / 2,
            x=left,
            length=round(_x(count, 0, top, left) - left, 1),
        )
        for index, (label, count) in enumerate(items)
    ]
    step = max(1, -(-top // 4))
    ticks = [Tick(x=_x(v, 0, top, left), label=str(v)) for v in range(0, top + 1, step)]
    return BarChart(
        bars=bars, ticks=ticks, zero_x=left, height=TOP + len(bars) * ROW + 8, left=left
    )


# The progress bands on the cohort page: (label, lowest percent, highest percent).
PROGRESS_BANDS = [
    ("0%", 0, 0),
    ("1–24%", 1, 24),
    ("25–49%", 25, 49),
    ("50–74%", 50, 74),
    ("75–99%", 75, 99),
    ("100%", 100, 100),
]


def progress_distribution(percents) -> list[tuple[str, int]]:
    """How many teachers fall in each progress band."""
    percents = list(percents)
    return [
        (label, sum(1 for p in percents if low <= p <= high)) for label, low, high in PROGRESS_BANDS
    ]
