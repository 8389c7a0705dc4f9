"""site.json's streaming writer and reader: what one writes the other (and `json`) reads,
whatever the window; what is not JSON is a `BadSource`."""

import io
import json

import pytest

from broadsheet.exporters import jsonstream
from broadsheet.exporters.jsonstream import ObjectWriter, read_members
from broadsheet.importers.base import BadSource

DOCUMENT = {
    "format": "x",
    "version": 12345,
    "site": {"title": "Ünïcode ✓ 😀", "lines": "one\ntwo", "none": None},
    "posts": [{"slug": f"post-{n}", "body": "text " * n, "n": n * 1.5} for n in range(40)],
    "empty": [],
    "last": True,
}


def written(document: dict) -> str:
    stream = io.StringIO()
    writer = ObjectWriter(stream)
    for key, value in document.items():
        if isinstance(value, list):
            writer.array(key, iter(value))
        else:
            writer.member(key, value)
    writer.close()
    return stream.getvalue()


def read(text: str) -> dict:
    return {
        key: list(value) if key in ("posts", "empty") else value
        for key, value in read_members(io.StringIO(text))
    }


@pytest.mark.parametrize("window", [1, 7, 64, 1 << 16])
def test_what_is_written_is_read_back_through_any_window(monkeypatch, window):
    monkeypatch.setattr(jsonstream._Scanner, "CHUNK", window)
    text = written(DOCUMENT)

    assert json.loads(text) == DOCUMENT
    assert read(text) == DOCUMENT
    assert read(json.dumps(DOCUMENT)) == DOCUMENT  # any layout, not only the writer's


def test_items_left_unread_are_read_past():
    members = read_members(io.StringIO(written(DOCUMENT)))

    assert [key for key, _ in members] == list(DOCUMENT)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[1, 2]",
        '{"a": 1',
        '{"a": [1, 2}',
        '{"a": 1} extra',
        "{1: 2}",
        '{"a": "unfinished',
    ],
)
def test_anything_else_is_a_bad_source(text):
    with pytest.raises(BadSource, match="not a Broadsheet export"):
        for _, value in read_members(io.StringIO(text)):
            if not isinstance(value, (dict, str, int)):
                list(value)


def test_a_value_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(jsonstream._Scanner, "CHUNK", 100)
    monkeypatch.setattr(jsonstream._Scanner, "MAX_VALUE", 1000)

    with pytest.raises(BadSource, match="longer than"):
        list(read_members(io.StringIO('{"a": "' + "x" * 5000 + '"}')))
