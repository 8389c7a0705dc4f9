"""The writer: records become posts, pages, tags, authors, comment threads and old
addresses that readers see, once, however often the same source is imported."""

import dataclasses
import datetime
import hashlib
import json
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from broadsheet.accounts.models import Role, User
from broadsheet.comments.models import Comment
from broadsheet.content.models import Page, Post, Tag
from broadsheet.importers import records as r
from broadsheet.importers.writer import digest
from tests.importers.writing import write

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
ADA = r.Author(
    key="wp:ada",
    name="Ada Lovelace",
    email="ada@example.com",
    slug="ada",
    old_paths=["/author/ada/"],
)


def article(**fields) -> r.Item:
    values = {
        "key": "https://old.example/?p=12",
        "title": "Bridges & “tunnels”",
        "body": "<p>Kraków’s bridges\u00a0— 橋 😀.</p>\n\n"
        "<pre><code>a &lt; b &amp;&amp; c &gt; d\n\nend</code></pre>",
        "slug": "bridges-and-tunnels",
        "published_at": datetime.datetime(2022, 4, 13, 9, 41, tzinfo=UTC),
        "updated_at": datetime.datetime(2022, 5, 2, 10, 0, tzinfo=UTC),
        "authors": [ADA],
        "terms": [
            r.Term(name="Q&A", slug="q-a", old_paths=["/tag/q-a/"]),
            r.Term(name="#hidden", internal=True),
        ],
        "link": "https://old.example/2022/04/13/bridges-and-tunnels/",
        "old_paths": ["/?p=12"],
        "excerpt": "About bridges.",
    }
    return r.Item(**(values | fields))


def test_a_post_reads_as_the_original(client):
    report = write([article()])

    assert report.total("posts", "imported") == 1
    page = client.get("/posts/bridges-and-tunnels/").content.decode()
    assert "Bridges &amp; “tunnels”" in page
    assert "Kraków’s bridges&nbsp;— 橋 😀." in page
    assert "<pre><code>a &lt; b &amp;&amp; c &gt; d\n\nend</code></pre>" in page
    assert ">Q&amp;A<" in page and "#hidden" not in page
    post = Post.objects.get()
    assert post.published_at == datetime.datetime(2022, 4, 13, 9, 41, tzinfo=UTC)
    assert post.updated_at == datetime.datetime(2022, 5, 2, 10, 0, tzinfo=UTC)
    assert post.custom_excerpt == "About bridges."
    assert list(Tag.objects.values_list("name", flat=True)) == ["Q&A"]


def test_the_imported_body_survives_an_edit_in_the_studio_unchanged():
    from broadsheet.content.services import save_post

    write([article()])
    post = Post.objects.get()
    before = post.body_html
    save_post(post)
    assert Post.objects.get().body_html == before


def test_authors_are_matched_by_email_or_made_without_a_password(make_staff):
    editor = make_staff(Role.EDITOR, email="ada@example.com")
    write(
        [article(), article(key="k2", slug="other", authors=[r.Author(key="wp:bob", name="Bob")])]
    )

    assert Post.objects.get(slug="bridges-and-tunnels").author == editor
    bob = User.objects.get(display_name="Bob")
    assert bob.role == Role.CONTRIBUTOR and not bob.has_usable_password()


def test_statuses_map_and_nothing_private_is_public(client):
    due = datetime.datetime(2031, 1, 1, 8, 0, tzinfo=UTC)
    write(
        [
            article(key="a", slug="draft", status=r.Status.DRAFT, published_at=None),
            article(key="b", slug="review", status=r.Status.REVIEW),
            article(key="c", slug="later", status=r.Status.SCHEDULED, published_at=due),
            article(key="d", slug="secret", status=r.Status.PRIVATE),
        ]
    )

    statuses = dict(Post.objects.values_list("slug", "status"))
    assert statuses == {
        "draft": "draft",
        "review": "review",
        "later": "scheduled",
        "secret": "draft",
    }
    assert Post.objects.get(slug="later").published_at == due
    for slug in statuses:
        assert client.get(f"/posts/{slug}/").status_code == 404


def test_a_second_import_changes_nothing_and_a_changed_record_updates():
    write([article()])
    again = write([article()])
    assert again.total("posts", "unchanged") == 1 and again.total("posts", "imported") == 0
    assert Post.objects.count() == 1

    changed = write([article(title="Bridges, revised")])
    assert changed.total("posts", "updated") == 1
    assert Post.objects.get().title == "Bridges, revised"
    assert Post.objects.count() == 1


GHOST_UUID = "8f0b1c2d-0001-4a5b-9c8d-000000000001"


def test_featured_and_the_source_s_uuid_are_kept_and_a_changed_flag_updates():
    write([article(featured=True, uuid=GHOST_UUID)])
    post = Post.objects.get()
    assert post.featured is True and str(post.uuid) == GHOST_UUID
    assert post.revisions.get().data["featured"] is True

    unfeatured = write([article(uuid=GHOST_UUID)])

    assert unfeatured.total("posts", "updated") == 1
    post.refresh_from_db()
    assert post.featured is False and str(post.uuid) == GHOST_UUID
    assert write([article(uuid=GHOST_UUID)]).total("posts", "unchanged") == 1


def test_records_without_the_new_fields_digest_as_they_did_before_them():
    """A record at the defaults of `featured` and `uuid` has the digest an import kept
    before records had them: the next run finds it unchanged."""
    record = article()
    before = dataclasses.asdict(record)
    del before["featured"], before["uuid"]
    kept = hashlib.sha256(json.dumps(before, sort_keys=True, default=str).encode()).hexdigest()

    assert digest(record) == kept
    assert digest(article(featured=True)) != kept and digest(article(uuid=GHOST_UUID)) != kept


def test_a_uuid_that_is_not_one_or_is_another_post_s_is_not_taken(make_post):
    other = make_post("Already here")
    report = write(
        [
            article(key="a", slug="odd", uuid="not-a-uuid"),
            article(key="b", slug="taken", uuid=str(other.uuid)),
        ]
    )

    odd, taken = Post.objects.get(slug="odd"), Post.objects.get(slug="taken")
    assert len({odd.uuid, taken.uuid, other.uuid}) == 3
    assert any("not-a-uuid" in note and "not a UUID" in note for note in report.notes)
    assert any("Already here" in note for note in report.notes)


def test_two_posts_with_one_title_stay_two_and_a_taken_slug_is_reported(make_post):
    make_post("Mine", slug="bridges-and-tunnels")
    report = write([article(), article(key="https://old.example/?p=13")])

    assert Post.objects.filter(title="Bridges & “tunnels”").count() == 2
    assert any("bridges-and-tunnels" in note and "taken" in note for note in report.notes)


def test_comment_threads_and_states(client):
    when = datetime.datetime(2022, 4, 14, 8, 0, tzinfo=UTC)
    comments = [
        r.Comment(
            key="c1",
            body_html="<p>First!</p>",
            name="Ann",
            email="ann@example.com",
            url="https://ann.example/",
            created_at=when,
        ),
        r.Comment(key="c2", body_html="<p>Reply</p>", name="Ben", parent_key="c1", created_at=when),
        r.Comment(
            key="c3", body_html="<p>Reply to reply</p>", name="Cy", parent_key="c2", created_at=when
        ),
        r.Comment(key="c4", body_html="<p>Waiting</p>", name="Di", status=r.CommentStatus.HELD),
        r.Comment(key="c5", body_html="<p>Buy</p>", name="Spammer", status=r.CommentStatus.SPAM),
        r.Comment(key="c6", body_html="<p>Orphan</p>", name="Ed", parent_key="missing"),
        r.Comment(
            key="c7",
            body_html="<p>x<script>alert(1)</script></p>",
            name="Eve",
            url="javascript:alert(1)",
        ),
    ]
    report = write([article(comments=comments)])

    c1, c2, c3 = (Comment.objects.get(name=n) for n in ("Ann", "Ben", "Cy"))
    assert (c2.parent, c3.parent, c3.root, c3.depth) == (c1, c2, c1, 2)
    assert dict(Comment.objects.values_list("name", "status"))["Di"] == "pending"
    assert dict(Comment.objects.values_list("name", "status"))["Spammer"] == "spam"
    assert Comment.objects.get(name="Ed").parent is None and report.notes
    page = client.get("/posts/bridges-and-tunnels/").content.decode()
    assert '<a href="https://ann.example/" rel="nofollow ugc noopener noreferrer">Ann</a>' in page
    assert "ann@example.com" not in page and "Waiting" not in page and "Buy" not in page
    assert "<script>" not in page and "javascript:" not in page
    assert c1.created_at == when
    assert write([article(comments=comments)]).total("comments", "imported") == 0


def test_old_addresses_answer_with_a_301(client):
    write(
        [
            article(),
            article(
                key="page",
                kind=r.Kind.PAGE,
                slug="about",
                title="About",
                old_paths=["/?page_id=7"],
                link="https://old.example/about-us/",
            ),
        ]
    )

    for old, new in [
        ("/2022/04/13/bridges-and-tunnels/", "/posts/bridges-and-tunnels/"),
        ("/2022/04/13/bridges-and-tunnels", "/posts/bridges-and-tunnels/"),
        ("/?p=12", "/posts/bridges-and-tunnels/"),
        ("/?page_id=7", "/about/"),
        ("/about-us/", "/about/"),
        ("/tag/q-a/", "/tags/q-a/"),
        ("/author/ada/", f"/authors/{User.objects.get(email='ada@example.com').slug}/"),
    ]:
        response = client.get(old)
        assert (old, response.status_code, response.get("Location")) == (old, 301, new)
    assert client.get("/?p=999").status_code == 200  # the home page, as before
    assert client.get("/2022/01/01/nothing/").status_code == 404


def test_links_between_imported_posts_go_to_their_new_addresses(client):
    linking = article(
        key="k2",
        slug="linking",
        link="https://old.example/2022/05/01/linking/",
        body='<p><a href="https://old.example/2022/04/13/bridges-and-tunnels/#part">abs</a> '
        '<a href="/?p=12">rel</a> <a href="https://elsewhere.example/x/">out</a></p>',
    )
    write([linking, article()])  # the target comes after the post linking to it

    body = Post.objects.get(slug="linking").body_html
    assert 'href="/posts/bridges-and-tunnels/#part"' in body
    assert 'href="/posts/bridges-and-tunnels/"' in body
    assert 'href="https://elsewhere.example/x/"' in body


def test_pages_import_as_pages(client):
    write([article(key="p", kind=r.Kind.PAGE, slug="about", title="About us")])
    assert Page.objects.get().status == Page.Status.PUBLISHED
    assert "About us" in client.get("/about/").content.decode()


class FormFields(HTMLParser):
    """What a browser would submit from the editor's form: every named field's value."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._open: str | None = None  # the textarea or option being read
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "checkbox"):
            self.values[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.values[a["name"]] = a.get("value") or "on"
        elif tag == "textarea" and a.get("name"):  # an unnamed one is never sent (script's)
            self._open = a["name"]
            self.values[self._open] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._open = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._open:
            self.values[self._open] += data


def test_a_writer_opens_an_imported_post_in_the_studio_saves_it_and_nothing_changes(
    client, make_staff
):
    write([article()])
    post = Post.objects.get()
    client.force_login(make_staff(Role.OWNER))
    form = FormFields()
    form.feed(client.get(reverse("studio:post_edit", args=[post.pk])).content.decode())
    fields = {name: value.replace("\n", "\r\n") for name, value in form.values.items()}
    assert form.values["body"].lstrip("\n") == post.body  # as typed, as a browser sends it

    response = client.post(reverse("studio:post_edit", args=[post.pk]), fields | {"action": "save"})

    assert response.status_code == 302
    saved = Post.objects.get()
    assert saved.body_html == post.body_html
    assert saved.updated_at == post.updated_at  # nothing a reader sees changed


def test_a_nul_character_in_a_source_is_dropped_not_a_failure(client):
    """A JSON or CSV export may hold one; PostgreSQL cannot store it."""
    write([article(title="Nul\x00 here", comments=[r.Comment(key="c", body_html="<p>a\x00b</p>")])])

    assert Post.objects.get().title == "Nul here"
    assert Comment.objects.get().body_html == "<p>ab</p>"
