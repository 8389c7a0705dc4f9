"""The addresses of issue 10 that answered with a server error, each answered properly now.

`tests/test_fuzz.py` keeps every route so; these name the cases that were found.
"""

import pytest
from django.urls import resolve, reverse

from broadsheet.comments.services import post_comment
from broadsheet.content.models import Tag
from broadsheet.content.services import Edit, save_changes
from broadsheet.core.converters import MonthConverter, PageConverter, YearConverter
from broadsheet.core.numbers import parse_number
from broadsheet.core.pagination import MAX_PAGE, page_number, page_number_or_404

ODD_NUMBERS = ["²", "٣", "１", "9" * 19, "9" * 5000, "0", "-1", "1.0", " 1", ""]


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_parse_number_takes_ascii_digits_only_and_bounded(value):
    assert parse_number(value) is None
    assert page_number(value) == 1


def test_parse_number_reads_real_numbers():
    assert parse_number("42") == 42 and parse_number("007") == 7
    assert parse_number("9" * 18) == 10**18 - 1
    assert parse_number("11", maximum=10) is None
    assert page_number(str(MAX_PAGE)) == MAX_PAGE and page_number(str(MAX_PAGE + 1)) == 1


def test_page_number_or_404():
    from django.http import Http404

    assert page_number_or_404(None) == 1 and page_number_or_404("") == 1
    assert page_number_or_404("3") == 3
    for value in ["²", "0", "9" * 5000, str(MAX_PAGE + 1)]:
        with pytest.raises(Http404):
            page_number_or_404(value)


@pytest.mark.parametrize(
    ("converter", "value"),
    [(PageConverter, "0"), (PageConverter, str(MAX_PAGE + 1)), (PageConverter, "9" * 6)],
)
def test_converters_refuse_what_no_page_has(converter, value):
    with pytest.raises(ValueError, match="no page"):
        converter().to_python(value)


def test_converter_regexes_bound_the_digits():
    import re

    def matches(converter, value) -> bool:
        return re.fullmatch(f"(?:{converter.regex})", value) is not None

    assert matches(YearConverter, "2026") and not matches(YearConverter, "0000")
    assert not matches(YearConverter, "0999") and not matches(YearConverter, "20260")
    assert matches(MonthConverter, "12") and not matches(MonthConverter, "13")
    assert not matches(MonthConverter, "00")
    assert matches(PageConverter, "2") and matches(PageConverter, str(MAX_PAGE))
    assert not matches(PageConverter, "01") and not matches(PageConverter, "9" * 7)
    assert not matches(PageConverter, "9223372036854775807")


@pytest.fixture
def commented_post(make_post):
    post = make_post("Commented")
    post_comment(post=post, name="Ann", body="Hello.", approved=True)
    return post


@pytest.mark.parametrize(
    "query", ["comments=%C2%B2", "reply=%C2%B2", "reply=" + "9" * 5000, "comments=" + "9" * 5000]
)
def test_the_post_page_ignores_odd_numbers(client, commented_post, query):
    response = client.get(f"{commented_post.get_absolute_url()}?{query}")

    assert response.status_code == 200 and "Hello." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/page/9223372036854775807/",
        "/page/" + "9" * 5000 + "/",
        f"/page/{MAX_PAGE + 1}/",
        "/page/0/",
        "/page/01/",
        "/archive/0000/01/",
        "/archive/2026/13/",
        "/archive/2026/00/",
        "/archive/9999/12/",
        "/archive/9999/12/page/2/",
    ],
)
def test_addresses_no_page_can_have_are_not_found(client, commented_post, path):
    assert client.get(path).status_code == 404


def test_huge_page_numbers_in_paths_are_not_found_on_real_lists(client, commented_post, author):
    tag = Tag.objects.create(name="Economics", slug="economics")
    commented_post.tags.set([tag])
    published = commented_post.published_at
    for base in [
        tag.get_absolute_url(),
        author.get_absolute_url(),
        reverse("content:archive_month", kwargs={"year": published.year, "month": published.month}),
    ]:
        assert client.get(base).status_code == 200
        assert client.get(f"{base}page/9223372036854775807/").status_code == 404
        assert client.get(f"{base}page/{MAX_PAGE}/").status_code == 404


def test_page_addresses_still_resolve_and_reverse():
    assert resolve("/page/2/").kwargs == {"page": 2}
    assert reverse("content:home_page", kwargs={"page": 3}) == "/page/3/"
    match = resolve("/archive/2026/03/page/4/")
    assert match.kwargs == {"year": 2026, "month": 3, "page": 4}


@pytest.fixture
def editor_client(client, make_staff):
    editor = make_staff("editor")
    client.force_login(editor)
    client.user = editor
    return client


@pytest.mark.parametrize("url_name", ["studio:posts", "studio:comments"])
def test_studio_lists_take_odd_page_numbers_as_the_first_page(editor_client, url_name):
    response = editor_client.get(reverse(url_name), {"page": "²"})

    assert response.status_code == 200


def test_studio_editor_refuses_an_odd_revision(editor_client, make_post):
    post = make_post("Edited")

    response = editor_client.get(reverse("studio:post_edit", args=[post.pk]), {"revision": "²"})

    assert response.status_code == 404


def test_a_tag_name_longer_than_a_tag_can_be_is_refused_every_time(editor_client, make_post):
    """It was looked up whole and created cut: the second time, the cut name existed (500)."""
    long_name = "T" * 101
    post = make_post("Tagged")
    for _ in range(2):
        with pytest.raises(Exception, match="at most 100 characters"):
            save_changes(
                actor=editor_client.user,
                post=post,
                edit=Edit(fields={"title": "Tagged", "body": "x"}, tag_names=[long_name]),
            )
    Tag.objects.create(name="T" * 100, slug="t")

    response = editor_client.post(
        reverse("studio:post_edit", args=[post.pk]),
        {"title": "Tagged", "body": "x", "slug": post.slug, "tags": long_name, "action": "save"},
    )

    assert response.status_code == 400
    assert "at most 100 characters" in response.content.decode()
