"""The demo shows every part of the site: several authors, tags, an edit, comments, stats."""

from django.db.models import Sum

from broadsheet.accounts.models import User
from broadsheet.analytics.models import DailyPostStats
from broadsheet.comments.models import Comment
from broadsheet.content.models import Post
from broadsheet.demo.loader import load_demo, site_is_empty


def test_the_demo_fills_an_empty_site(db, client):
    assert site_is_empty()

    login = load_demo()

    posts = Post.objects.published()
    assert posts.count() >= 6
    assert posts.values("author").distinct().count() >= 2
    assert posts.filter(tags__isnull=False).distinct().count() == posts.count()
    assert posts.filter(updated_at__isnull=False).exists()
    assert Comment.objects.approved().count() >= 5
    assert (
        DailyPostStats.objects.aggregate(total=Sum("views"))["total"]
        == posts.aggregate(total=Sum("view_count"))["total"]
    )
    assert User.objects.get(username=login.username).check_password(login.password)
    assert not site_is_empty()
