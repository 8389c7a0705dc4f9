"""The demo shows every part of the site: several authors, tags, an edit, comments, stats,
and predictions on the record to score."""

from django.db.models import Sum
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.analytics.models import DailyPostStats
from broadsheet.comments.models import Comment
from broadsheet.content.models import Page, Post, Tag
from broadsheet.content.services import render_body
from broadsheet.demo import loader
from broadsheet.demo.loader import load_demo, site_is_empty
from broadsheet.predictions.models import Change, Outcome, Prediction
from broadsheet.predictions.rendering import state_of


def test_the_demo_fills_an_empty_site(db, client):
    assert site_is_empty()

    logins = load_demo()

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
    assert [login.role for login in logins] == ["owner", "editor", "author", "contributor"]
    for login in logins:
        user = User.objects.get(email=login.email)
        assert user.role == login.role and user.check_password(login.password)
    assert Post.objects.filter(status="review").exists()
    assert Post.objects.filter(status="scheduled").exists()
    assert client.get("/about/").status_code == 200
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.filter(status="pending").exists()
    assert not site_is_empty()


def test_the_demo_saves_tags_and_pages_as_the_studio_does(db, monkeypatch):
    # The bug: the loader created them directly, so a page's images were not made
    # responsive and a tag without an address got none.
    image_page = {"title": "Gallery", "slug": "gallery", "status": "published"}
    image_page["body"] = "![A harbour](https://example.org/harbour.jpg)"
    monkeypatch.setattr(loader, "PAGES", [*loader.PAGES, image_page])
    monkeypatch.setattr(loader, "TAGS", [*loader.TAGS, {"name": "Field Notes"}])

    load_demo()

    gallery = Page.objects.get(slug="gallery")
    assert gallery.body_html == render_body(image_page["body"])
    assert 'loading="lazy"' in gallery.body_html
    assert Tag.objects.get(name="Field Notes").slug == "field-notes"


def test_the_demo_has_a_record_to_score(db, client):
    now = timezone.now()
    load_demo(now=now)

    record = Prediction.objects.select_related("post")
    assert 12 <= record.count() <= 20
    assert record.values("author").distinct().count() >= 2
    resolved = record.exclude(outcome=Outcome.OPEN)
    scored = resolved.exclude(outcome=Outcome.VOID)
    assert scored.values("author").distinct().count() >= 2
    assert {p.outcome for p in resolved} == {Outcome.TRUE, Outcome.FALSE, Outcome.VOID}
    assert all(p.resolution_note for p in resolved)
    bins = {min(int(p.first_probability * 10), 9) for p in scored}
    assert len(bins) >= 3, bins
    today = timezone.localdate(now)
    states = {state_of(p, today) for p in record}
    assert {"open", "awaiting", "true", "false", "void"} <= states
    # Made the real way, with the demo's dates: as each post was published, resolved
    # after the fact and before today, one corrected, one raised after publication.
    assert all(p.made_at == p.post.published_at for p in record)
    assert all(p.made_at < p.resolved_at < now for p in resolved)
    corrected = [p for p in resolved if p.changes.filter(field="outcome").count() == 2]
    assert len(corrected) == 1 and corrected[0].resolved_by != corrected[0].author
    [raised] = Change.objects.filter(field="probability")
    assert raised.prediction.made_at < raised.at < raised.prediction.resolved_at
    assert raised.prediction.first_probability < raised.prediction.probability
    page = client.get(raised.prediction.post.get_absolute_url()).content.decode()
    assert "Raised to 45% on" in page and "Came true" in page
