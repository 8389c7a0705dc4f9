"""Old addresses through the whole stack: the page store must not answer /?p=12 with the
home page it keeps, and a lookup is two queries (the address, then what it names)."""

import pytest
from django.core.wsgi import get_wsgi_application

from broadsheet.core.selectors import get_site_settings
from broadsheet.fastpath.app import FastPathApp
from broadsheet.redirects.addresses import keep, new_address, normalise
from tests.fastpath.test_app import caller


@pytest.fixture
def call(transactional_db):
    get_site_settings()
    return caller(FastPathApp(get_wsgi_application()))


def test_the_page_store_sends_a_wordpress_post_id_on_even_with_the_home_page_stored(call, post):
    keep(["/?p=12", "/2022/04/13/old-slug/"], post)
    assert call("/").status_code == 200  # the home page is stored now
    assert call("/?utm_source=x").status_code == 200

    moved = call("/?p=12")
    assert moved.status_code == 301 and moved.headers["location"] == post.get_absolute_url()
    assert call("/2022/04/13/old-slug/").headers["location"] == post.get_absolute_url()
    assert call("/?p=13").status_code == 200


@pytest.mark.parametrize(
    ("given", "spelled"),
    [
        ("/2022/04/13/slug/", "/2022/04/13/slug"),
        ("https://old.example/post/slug?utm=1", "/post/slug"),
        ("/?p=12&utm_source=x", "/?p=12"),
        ("/?utm_source=x&page_id=3", "/?page_id=3"),
        ("/", ""),
        ("/za%C5%BC%C3%B3%C5%82%C4%87/", "/zażółć"),
        ("/tags/%00/", ""),  # found by the fuzz test on PostgreSQL: a 500 before
    ],
)
def test_one_spelling_per_address(given, spelled):
    assert normalise(given) == spelled


def test_a_post_whose_slug_changes_keeps_its_old_addresses(post, django_assert_num_queries):
    from broadsheet.content.services import save_post

    keep(["/old/path/"], post)
    post.slug = "renamed"
    save_post(post)
    with django_assert_num_queries(2):  # the address, then what it names
        assert new_address("/old/path/") == "/posts/renamed/"


def test_a_deleted_target_leaves_a_plain_404(client, post):
    keep(["/gone/"], post)
    post.delete()
    assert client.get("/gone/").status_code == 404


def test_only_get_and_head_are_sent_on(client, post):
    keep(["/old/"], post)
    assert client.head("/old/").status_code == 301
    assert client.post("/old/").status_code != 301
