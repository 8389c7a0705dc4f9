"""The calibration chart as SVG, drawn on the server so it reads without JavaScript.

Predicted probability across, how often those predictions came true up, both from 0 to
100%; the diagonal is perfect calibration. One point per bin that has predictions, at its
mean probability (not the bin's middle: that is what was predicted) and its observed
frequency, larger for more predictions, its count written above it (below it at the top,
where there is no room). Colours come from the site's stylesheet (classes, no inline
style: the CSP forbids it), so the chart follows the reader's light or dark setting.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from broadsheet.predictions.scoring import Bin, Record

LEFT, TOP, SIDE, RIGHT, BOTTOM = 66, 16, 260, 18, 52
WIDTH, HEIGHT = LEFT + SIDE + RIGHT, TOP + SIDE + BOTTOM
TICKS = [Decimal(k) / 5 for k in range(6)]  # 0%, 20%, … 100%
SMALLEST_RADIUS, LARGEST_RADIUS = 4.0, 11.0
LABEL_GAP = 3  # between a point and its count
TEXT_HEIGHT = 10


@dataclass(frozen=True)
class Tick:
    label: str
    x: float  # where the value is on the horizontal axis
    y: float  # and on the vertical one


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    radius: float
    count: int
    label_y: float  # its count's baseline: above the point, or below it near the top
    title: str  # for a pointer's tooltip; screen readers have the table


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int  # the plot's right edge
    bottom: int  # the plot's bottom edge: the horizontal axis
    middle_x: int  # where the axes' titles are centred
    middle_y: int
    ticks: list[Tick]
    points: list[Point]


def _x(value: Decimal) -> float:
    return round(LEFT + float(value) * SIDE, 1)


def _y(value: Decimal) -> float:
    return round(TOP + (1 - float(value)) * SIDE, 1)


def _point(b: Bin, largest: int) -> Point:
    assert b.mean_probability is not None and b.observed is not None
    x = _x(b.mean_probability)
    # The radius grows with the square root of the count: a bin of 4 does not look 16 of 1.
    radius = round(
        SMALLEST_RADIUS + (LARGEST_RADIUS - SMALLEST_RADIUS) * math.sqrt(b.count / largest), 1
    )
    y = _y(b.observed)
    above = y - radius - LABEL_GAP
    noun = "prediction" if b.count == 1 else "predictions"
    return Point(
        x=x,
        y=y,
        radius=radius,
        count=b.count,
        label_y=round(above if above >= TEXT_HEIGHT else y + radius + LABEL_GAP + TEXT_HEIGHT, 1),
        title=f"{b.label}: {b.count} {noun}, {b.observed * 100:.0f}% came true",
    )


def calibration_chart(record: Record) -> Chart:
    filled = record.filled_bins
    largest = max((b.count for b in filled), default=1)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        top=TOP,
        right=LEFT + SIDE,
        bottom=TOP + SIDE,
        middle_x=LEFT + SIDE // 2,
        middle_y=TOP + SIDE // 2,
        ticks=[Tick(label=f"{value * 100:.0f}%", x=_x(value), y=_y(value)) for value in TICKS],
        points=[_point(b, largest) for b in filled],
    )
