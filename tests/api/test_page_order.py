"""Pages are listed newest first, as Ghost lists them, when the client names no order.

Found by tests/api/test_openapi_fuzz.py: the default order named `published_at`, which a
page does not have, so every browse of pages without `order=` was a 500.
"""

import datetime

from django.utils import timezone

from broadsheet.content.models import Page
from broadsheet.content.services import store_page


def pages(*titles_days_ago):
    now = timezone.now()
    for title, days in titles_days_ago:
        page = store_page(Page(title=title, body=title, status=Page.Status.PUBLISHED))
        Page.objects.filter(pk=page.pk).update(created_at=now - datetime.timedelta(days=days))


def test_content_api_lists_pages_newest_first(content_get):
    pages(("Old", 9), ("New", 1), ("Middle", 5))
    answer = content_get("pages/")
    assert answer.status_code == 200
    assert [page["title"] for page in answer.json()["pages"]] == ["New", "Middle", "Old"]


def test_admin_api_lists_pages_newest_first(admin):
    pages(("Old", 9), ("New", 1))
    answer = admin("get", "pages/")
    assert answer.status_code == 200
    assert [page["title"] for page in answer.json()["pages"]] == ["New", "Old"]
