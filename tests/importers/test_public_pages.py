"""Each format imported by the command, then read as a reader reads it: the pages, the
tags, the comments and the old addresses, as the original site had them."""

from pathlib import Path

import pytest
from django.core.management import call_command

from broadsheet.content.models import Post

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def imported(*sources: str) -> None:
    call_command("import", *(str(FIXTURES / s) for s in sources), verbosity=0)


def reader_page(client, address: str) -> str:
    """The page at `address` (following old addresses, as a browser would)."""
    response = client.get(address, follow=True)
    assert response.status_code == 200, address
    return response.content.decode()


def test_a_ghost_site(client):
    imported("ghost-5.json")

    page = reader_page(client, "/zazolc-gesla-jazn/")  # Ghost's own address
    assert "Zażółć gęślą jaźń 🚀" in page and ">Wiadomości<" in page
    assert "#baner" not in page  # an internal tag
    assert "Zaplanowany" not in reader_page(client, "/")  # scheduled, not due
    assert Post.objects.get(slug="zaplanowany").status == "scheduled"
    assert client.get("/posts/szkic/").status_code == 404  # a draft


def test_a_wix_blog(client):
    imported("wix-posts.csv")

    page = reader_page(client, "/post/lato-w-miescie")  # Wix's address, no slash
    assert "Lato w mieście" in page and ">Kultura<" in page


def test_a_wordpress_feed_and_its_comments_feed(client):
    imported("feeds/wordpress-rss.xml", "feeds/wordpress-comments.xml")

    page = reader_page(client, "/2024/03/05/q-and-a-budget/")
    assert "Q&amp;A: what the budget means" in page
    assert "Grace" in page and "Ada Writer" in page  # the comments feed's comments
    assert "Café culture" in reader_page(client, "/2024/02/20/caf%C3%A9-culture/")


def test_a_blogger_feed(client):
    imported("feeds/atom.xml")

    assert "Lisbon in the rain" in reader_page(client, "/2024/03/lisbon-in-rain.html")


def test_a_hugo_site(client, stored_files):
    imported("hugo")

    page = reader_page(client, "/2024/01/first-light/")  # an alias
    assert "First light" in page and ">photography<" in page
    assert 'src="/media/images/' in page and stored_files()  # its image, stored here
    assert "I walk by the sea." in reader_page(client, "/about/")


def test_a_jekyll_site(client, stored_files):
    imported("jekyll")

    page = reader_page(client, "/news/politics/2024/03/05/budget-explained.html")
    assert "The budget, explained" in page
    assert 'src="/media/images/' in page
