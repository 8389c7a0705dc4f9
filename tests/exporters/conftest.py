"""A varied site, made through the services the site itself uses, and what it keeps secret;
predictions on its record in every state."""

import datetime
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from broadsheet.accounts.invitations import create_invitation
from broadsheet.accounts.models import Role, User
from broadsheet.analytics.models import DailyPostStats, DailyReferral, DailySalt, ReaderMark
from broadsheet.comments.services import (
    Moderation,
    address_hash,
    edit_key,
    edit_own_comment,
    moderate,
    post_comment,
    withdraw_own_comment,
)
from broadsheet.comments.spam import Submission
from broadsheet.content.models import Page, Post
from broadsheet.content.services import Edit, publish, save_changes, save_page, save_post
from broadsheet.core.board import board
from broadsheet.core.selectors import editable_site_settings
from broadsheet.core.services import save_site_settings
from broadsheet.likes.models import Like
from broadsheet.media.services import upload_image
from broadsheet.newsletter.models import Subscriber
from broadsheet.newsletter.services import confirm_token, unsubscribe_token
from broadsheet.predictions.models import Change, Outcome, Prediction
from broadsheet.predictions.services import resolve
from tests.exporters.archives import TRICKY_BODY
from tests.media.images import png, upload


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://ledger.example"
    return settings.MEDIA_ROOT


@dataclass
class Secrets:
    """Values that must never leave the site in an export."""

    values: list[str]


@pytest.fixture
def varied_site(make_staff, make_tag, media_root) -> Secrets:
    """Staff in several roles, posts in every state, threads in every state, a page, an
    image used as a cover and in a text, revisions, stats, likes and subscribers."""
    now = timezone.now()
    owner = make_staff(Role.OWNER, "Olive Owner", email="olive@example.com")
    editor = make_staff(Role.EDITOR, "Edna Editor", email="edna@example.com")
    writer = make_staff(Role.AUTHOR, "Arthur Author", email="arthur@example.com", bio="Writes.")
    writer.totp_secret = pyotp.random_base32()
    writer.avatar = "avatars/2026/01/arthur.png"
    writer.save()
    media_root.joinpath("avatars/2026/01").mkdir(parents=True)
    media_root.joinpath("avatars/2026/01/arthur.png").write_bytes(png((64, 64)))
    member = User.objects.create_user(
        username="reader@example.com", email="reader@example.com", password="a reader's secret"
    )
    site = editable_site_settings()
    site.title, site.timezone = "The Ledger", "Europe/Berlin"
    site.navigation = "About | /about/\nNotes | https://notes.example.org/"
    site.blocked_words = "casino\nfree money"
    save_site_settings(site)

    economics, cities = make_tag("Economics"), make_tag("Cities")
    chart = upload_image(
        file=upload(png(), "chart.png", "image/png"), alt="A chart", uploaded_by=editor
    )
    body = f"Prices rose.\n\n![A chart]({chart.url})\n\n{TRICKY_BODY}"
    week_ago = now - datetime.timedelta(days=7)
    main = save_post(
        Post(
            title="Small things & big prices",
            slug="small-things",
            body=body,
            author=writer,
            status=Post.Status.PUBLISHED,
            published_at=week_ago,
            custom_excerpt="Why prices rose.",
            seo_title="Small things",
            seo_description="Prices, explained.",
            cover_image=chart,
            cover_alt="A rising line",
            featured=True,
        ),
        tags=[economics, cities],
        now=week_ago,
    )
    # Revisions through the editor's actions, an address change (an old slug) and an edit.
    save_changes(actor=writer, post=main, edit=Edit(fields={"seo_title": "Small things, priced"}))
    save_changes(actor=writer, post=main, edit=Edit(fields={"slug": "small-things-priced"}))
    draft = save_changes(
        actor=writer,
        post=Post(title="Half an idea", body="Notes for later."),
        edit=Edit(fields={"title": "Half an idea"}, tag_names=["Cities"]),
    )
    review = save_post(
        Post(title="For the editor", body="Please look.", author=writer, status=Post.Status.REVIEW)
    )
    save_post(
        Post(
            title="Next week",
            body="Coming soon.",
            author=editor,
            status=Post.Status.SCHEDULED,
            published_at=now + datetime.timedelta(days=7),
        )
    )
    trashed = publish(actor=editor, post=Post(title="Regrettable", body="Oops."), edit=None)
    Post.objects.filter(pk=trashed.pk).update(trashed_at=now - datetime.timedelta(hours=1))
    with board().counts_write():
        Post.objects.filter(pk=main.pk).update(view_count=321, like_count=4)
    DailyPostStats.objects.create(post=main, day=week_ago.date(), views=300, readers=200)
    DailyPostStats.objects.create(
        post=main, day=(now - datetime.timedelta(days=6)).date(), views=21, readers=20
    )
    DailyReferral.objects.create(
        post=main, day=week_ago.date(), source="search", domain="google.com", views=120
    )
    DailyReferral.objects.create(
        post=main, day=week_ago.date(), source="direct", domain="", views=180
    )

    # Threads: a reader's comment (with its address hash), replies three deep, one held,
    # one caught as spam, one rejected, one withdrawn, one edited, and a member's.
    reader = Submission(
        name="Rita Reader",
        email="rita@example.com",
        body="Good point.",
        address_hash=address_hash("203.0.113.7"),
        seconds_to_write=30,
    )
    top = post_comment(
        post=main,
        name="Rita Reader",
        email="rita@example.com",
        body="Good point.",
        submission=reader,
        notify_replies=True,
        origin="https://ledger.example",
    )
    reply = post_comment(post=main, name="Sam", body="Disagree.", parent=top, approved=True)
    deeper = post_comment(post=main, name="Rita Reader", body="Why?", parent=reply, approved=True)
    post_comment(post=main, name="Sam", body="Because.", parent=deeper, approved=True)
    held = post_comment(
        post=main, name="Quentin", email="q@example.com", body="Held?", approved=False
    )
    spam = post_comment(post=main, name="Casino Bot", body="Win big", approved=True)
    moderate(actor=editor, comment=spam, action=Moderation.SPAM)
    rejected = post_comment(post=main, name="Troll", body="Rude.", approved=True)
    moderate(actor=editor, comment=rejected, action=Moderation.REJECT)
    gone = post_comment(post=main, name="Wanda", body="Never mind.", approved=True)
    withdraw_own_comment(comment=gone, key=edit_key(gone))
    edited = post_comment(post=main, name="Ed", body="Typo", parent=top, approved=True)
    edit_own_comment(comment=edited, key=edit_key(edited), body="Fixed the typo.")
    post_comment(post=main, member=member, name="", body="As a member: agreed.", approved=True)
    with board().counts_write():
        type(top).objects.filter(pk=top.pk).update(like_count=2)
    main_like = Like.objects.create(post=main, reader_key="f" * 64)

    save_page(
        actor=owner, page=Page(title="About", body="We write about prices.", status="published")
    )
    save_page(actor=owner, page=Page(title="Colophon", body="Draft.", status="draft"))

    active = Subscriber.objects.create(
        email="sub@example.com", status=Subscriber.Status.ACTIVE, confirmed_at=now
    )
    Subscriber.objects.create(
        email="gone@example.com",
        status=Subscriber.Status.UNSUBSCRIBED,
        confirmed_at=week_ago,
        unsubscribed_at=now,
    )
    Subscriber.objects.create(email=member.email, member=member, status=Subscriber.Status.PENDING)

    _, invitation_token = create_invitation(actor=owner, email="new@example.com", role=Role.AUTHOR)
    ReaderMark.objects.create(post=main, day=now.date(), reader="a1" * 16)
    salt = DailySalt.objects.create(day=now.date(), salt="s3cr3t-salt-" + "9" * 20)
    session = SessionStore()
    session["_auth_user_id"] = str(owner.pk)
    session.create()

    writer.refresh_from_db()
    member.refresh_from_db()
    top.refresh_from_db()
    assert {draft.status, review.status} == {"draft", "review"}
    assert top.address_hash and held.status == "pending"
    return Secrets(
        values=[
            writer.password,
            member.password,
            owner.password,
            writer.totp_secret,
            top.address_hash,
            main_like.reader_key,
            invitation_token,
            unsubscribe_token(active),
            confirm_token(active),
            edit_key(top),
            ReaderMark.objects.get().reader,
            salt.salt,
            session.session_key,
        ]
    )


def forecast(statement: str, probability: str, resolves: str) -> str:
    return f"```prediction\n{statement}\nprobability: {probability}\nresolves: {resolves}\n```\n"


@pytest.fixture
def forecasts(varied_site) -> None:
    """Predictions on the record in every state, made and resolved through the actions: open,
    resolved, resolved and corrected, raised after publication, taken out of the text,
    and one whose post was deleted."""
    writer = User.objects.get(email="arthur@example.com")
    editor = User.objects.get(email="edna@example.com")
    blocks = [
        forecast("Rents in the city centre will fall this year.", "20%", "2030-12-31"),
        forecast("The central bank will cut rates twice.", "65%", "2034-06-30"),
        forecast("Bread will cost more than 3 euros a loaf.", "40%", "2034-12-31"),
        forecast("The new tram line will open on time.", "0.125", "2031-03-01"),
        forecast("The market hall will close.", "10%", "2029-01-01"),
    ]
    post = publish(
        actor=writer,
        post=Post(),
        edit=Edit(fields={"title": "What prices do next", "body": "\n".join(blocks)}),
    )
    # Raised after publication (a change), and one block taken out of the text.
    raised = blocks[3].replace("0.125", "30%")
    save_changes(
        actor=writer, post=post, edit=Edit(fields={"body": "\n".join([*blocks[:3], raised])})
    )
    on_record = {p.statement: p for p in Prediction.objects.filter(post=post)}
    resolve(
        actor=writer,
        prediction=on_record["The central bank will cut rates twice."],
        outcome=Outcome.TRUE,
        note="Cut in March and in June.",
        source="https://bank.example/decisions",
    )
    bread = on_record["Bread will cost more than 3 euros a loaf."]
    resolve(actor=editor, prediction=bread, outcome=Outcome.FALSE, note="2.80 at the end.")
    resolve(actor=editor, prediction=bread, outcome=Outcome.VOID, note="The index was dropped.")
    Prediction.objects.filter(pk=bread.pk).update(reminded_at=timezone.now())

    gone = publish(
        actor=writer,
        post=Post(),
        edit=Edit(
            fields={
                "title": "An old bet",
                "body": forecast("The bakery will reopen.", "55%", "2034-01-31"),
            }
        ),
    )
    resolve(actor=writer, prediction=Prediction.objects.get(post=gone), outcome=Outcome.FALSE)
    Post.objects.filter(pk=gone.pk).delete()
    assert Prediction.objects.count() == 6 and Change.objects.count() == 5
