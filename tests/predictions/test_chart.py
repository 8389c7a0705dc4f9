"""The calibration chart: each filled bin a point where its numbers say, inside the
picture, with its count; nothing for empty bins."""

from decimal import Decimal

from broadsheet.predictions.chart import LEFT, SIDE, TOP, calibration_chart
from broadsheet.predictions.scoring import record_of


def record(*rows: tuple[str, str]):
    return record_of([(Decimal(p), outcome) for p, outcome in rows])


def test_a_point_sits_at_its_mean_probability_and_observed_frequency():
    chart = calibration_chart(record(("0.7", "true"), ("0.7", "true"), ("0.76", "false")))

    [point] = chart.points  # one bin: 70-80%
    assert point.x == round(LEFT + 0.72 * SIDE, 1)  # the mean of 0.7, 0.7 and 0.76
    assert point.y == round(TOP + (1 - 2 / 3) * SIDE, 1)  # two of three came true
    assert point.count == 3
    assert point.title == "70–80%: 3 predictions, 67% came true"


def test_more_predictions_make_a_larger_point_and_every_count_stays_in_the_picture():
    chart = calibration_chart(
        record(*[("0.9", "true")] * 4, ("0.1", "false"), ("0.5", "void"), ("0.3", ""))
    )

    sure, doubtful = sorted(chart.points, key=lambda p: p.x, reverse=True)
    assert sure.radius > doubtful.radius
    assert sure.label_y > sure.y  # at the top: its count goes below it
    assert doubtful.label_y < doubtful.y  # elsewhere above
    for point in chart.points:
        assert 0 < point.label_y < chart.height
        assert point.radius <= point.x <= chart.width - point.radius
        assert point.radius <= point.y <= chart.height - point.radius


def test_voided_and_open_predictions_draw_nothing():
    assert calibration_chart(record(("0.5", "void"), ("0.4", ""))).points == []
    assert [tick.label for tick in calibration_chart(record()).ticks] == [
        "0%",
        "20%",
        "40%",
        "60%",
        "80%",
        "100%",
    ]
