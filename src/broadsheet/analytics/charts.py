"""A line chart as SVG, drawn on the server so it reads without JavaScript."""

from dataclasses import dataclass

from broadsheet.analytics.selectors import DayPoint

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    views_path: str
    readers_path: str
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str]]
    baseline: float
    has_data: bool


def _nice_ceiling(value: int) -> int:
    """The axis maximum: a round number (1-8 times a power of ten) at least `value`."""
    step = 1
    while True:
        for factor in (1, 2, 3, 4, 6, 8):
            if step * factor >= value:
                return step * factor
        step *= 10


def line_chart(points: list[DayPoint]) -> Chart:
    top = _nice_ceiling(max([p.views for p in points] + [1]))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + i * step, 1)

    def y(value: int) -> float:
        return round(TOP + inner_h - value / top * inner_h, 1)

    def path(values: list[int]) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{x(i)},{y(v)}" for i, v in enumerate(values))

    every = max(len(points) // 6, 1)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        views_path=path([p.views for p in points]),
        readers_path=path([p.readers for p in points]),
        y_ticks=[(y(top * k // 4), top * k // 4) for k in range(5)],
        x_labels=[(x(i), p.day.strftime("%b %-d")) for i, p in enumerate(points) if i % every == 0],
        baseline=y(0),
        has_data=any(p.views for p in points),
    )
