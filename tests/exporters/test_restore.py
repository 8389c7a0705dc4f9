"""Restoring an archive: the round trip through an empty site, a second restore that
changes nothing, the one-owner rule, all or nothing, dry runs, archives that cannot be
restored, and the predictions on the record brought back exactly."""

import json
import shutil
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from broadsheet.accounts.models import Role, User
from broadsheet.comments.models import Comment
from broadsheet.content.models import Post
from broadsheet.content.services import Edit, publish
from broadsheet.core.selectors import forget_site_settings
from broadsheet.exporters.restore import is_archive, restore_archive
from broadsheet.importers.base import BadSource
from broadsheet.media.models import Image
from broadsheet.newsletter.models import Subscriber
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.rendering import post_body
from broadsheet.predictions.services import resolve
from tests.exporters.archives import entries, export_to, site_json
from tests.exporters.conftest import forecast


def comparable(document: dict) -> dict:
    """site.json without what differs between two sites with the same content: the time
    of the export and the comments' ids (numbered in their order instead)."""
    document = dict(document, exported_at=None)
    number = {comment["id"]: n for n, comment in enumerate(document["comments"], start=1)}
    document["comments"] = [
        comment | {"id": number[comment["id"]], "parent": number.get(comment["parent"])}
        for comment in document["comments"]
    ]
    return document


def nothing_written(report) -> bool:
    return all(t.created == t.updated == 0 for t in report.tallies.values())


def start_a_new_site(settings, media: Path) -> None:
    """An empty database and media folder, as on a new server."""
    call_command("flush", interactive=False, verbosity=0)
    cache.clear()
    forget_site_settings()
    settings.MEDIA_ROOT = media


def test_an_archive_restored_into_an_empty_site_exports_the_same(
    transactional_db, varied_site, tmp_path, settings
):
    first = export_to(tmp_path / "first.zip")
    start_a_new_site(settings, tmp_path / "new-media")

    report = restore_archive(first, dry_run=False)

    second = export_to(tmp_path / "second.zip")
    assert comparable(site_json(second)) == comparable(site_json(first))
    before, after = entries(first), entries(second)
    assert sorted(after) == sorted(before)
    assert all(after[name] == before[name] for name in before if name != "site.json")
    assert report.tally("posts").created == 5 and report.tally("comments").created == 10
    restored = Image.objects.get()
    assert (tmp_path / "new-media" / restored.file.name).is_file()
    assert restored.renditions  # made again, as an upload makes them
    assert all((tmp_path / "new-media" / r["name"]).is_file() for r in restored.renditions)
    assert all(not user.has_usable_password() for user in User.objects.all())
    assert User.objects.get(role=Role.OWNER).email == "olive@example.com"
    # The texts are rendered again, as a save on the site renders them.
    main = Post.objects.get(slug="small-things-priced")
    assert f'src="{restored.url}"' in main.body_html and main.excerpt == "Why prices rose."
    exported = {p["slug"]: p for p in site_json(first)["posts"]}
    assert {p.slug: str(p.uuid) for p in Post.objects.all()} == {
        slug: p["uuid"] for slug, p in exported.items()
    }
    assert main.featured is True and Post.objects.filter(featured=True).count() == 1

    again = restore_archive(first, dry_run=False)

    assert nothing_written(again), again.tallies
    assert comparable(site_json(export_to(tmp_path / "third.zip"))) == comparable(site_json(first))


def test_a_second_restore_onto_the_site_it_came_from_changes_nothing(varied_site, tmp_path):
    archive = export_to(tmp_path / "site.zip")
    restore_archive(archive, dry_run=False)  # times lose their fractions of a second
    counts = (Post.objects.count(), Comment.objects.count(), User.objects.count())

    report = restore_archive(archive, dry_run=False)

    assert nothing_written(report), report.tallies
    assert (Post.objects.count(), Comment.objects.count(), User.objects.count()) == counts
    assert comparable(site_json(export_to(tmp_path / "again.zip"))) == comparable(
        site_json(archive)
    )


def test_an_exported_owner_is_an_administrator_on_a_site_that_has_one(
    varied_site, tmp_path, make_staff
):
    archive = export_to(tmp_path / "site.zip")
    User.objects.filter(email="olive@example.com").delete()
    new_owner = make_staff(Role.OWNER, "Nora New", email="nora@example.com")

    report = restore_archive(archive, dry_run=False)

    assert User.objects.get(role=Role.OWNER) == new_owner
    olive = User.objects.get(email="olive@example.com")
    assert olive.role == Role.ADMINISTRATOR and not olive.has_usable_password()
    assert any("olive@example.com" in note for note in report.notes)


def test_the_site_s_own_accounts_and_subscribers_stay_as_they_are(varied_site, tmp_path):
    archive = export_to(tmp_path / "site.zip")
    editor = User.objects.get(email="edna@example.com")
    editor.role, editor.display_name = Role.AUTHOR, "Edna, now an author"
    editor.save()
    Subscriber.objects.filter(email="sub@example.com").update(status="unsubscribed")

    restore_archive(archive, dry_run=False)

    editor.refresh_from_db()
    assert (editor.role, editor.display_name) == (Role.AUTHOR, "Edna, now an author")
    assert editor.has_usable_password()
    # An old archive never subscribes someone again who has left since.
    assert Subscriber.objects.get(email="sub@example.com").status == "unsubscribed"


def test_posts_and_comments_come_back_as_the_archive_has_them(varied_site, tmp_path):
    archive = export_to(tmp_path / "site.zip")
    main = Post.objects.get(slug="small-things-priced")
    main.title = "Changed since"
    main.save()
    Comment.objects.filter(name="Quentin").update(status="approved")
    Comment.objects.filter(name="Sam", parent__isnull=False).delete()  # and the replies below

    report = restore_archive(archive, dry_run=False)

    assert Post.objects.get(slug="small-things-priced").title == "Small things & big prices"
    assert Comment.objects.get(name="Quentin").status == "pending"
    assert report.tally("comments").created == 3
    reply = Comment.objects.get(body="Because.")
    assert (reply.depth, reply.root.body, reply.parent.body) == (3, "Good point.", "Why?")


def test_a_dry_run_reports_and_changes_nothing(transactional_db, varied_site, tmp_path, settings):
    archive = export_to(tmp_path / "site.zip")
    start_a_new_site(settings, tmp_path / "new-media")

    report = restore_archive(archive, dry_run=True)

    assert report.dry_run and report.tally("posts").created == 5
    assert not Post.objects.exists() and not User.objects.exists()
    assert not any(path.is_file() for path in (tmp_path / "new-media").rglob("*"))


def rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of an archive with its site.json changed by `change(document)`."""
    document = site_json(archive)
    change(document)
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for name in source.namelist():
            data = json.dumps(document) if name == "site.json" else source.read(name)
            copy.writestr(name, data)
    return target


def test_an_archive_that_fails_half_way_leaves_nothing_behind(
    transactional_db, varied_site, tmp_path, settings
):
    archive = export_to(tmp_path / "site.zip")
    broken = rewritten(
        archive,
        tmp_path / "broken.zip",
        lambda document: document["comments"][-1].update(status="shouted"),
    )
    start_a_new_site(settings, tmp_path / "new-media")

    with pytest.raises(BadSource, match=r"comment \d+: status"):
        restore_archive(broken, dry_run=False)

    assert not Post.objects.exists() and not User.objects.exists()
    assert not any(path.is_file() for path in (tmp_path / "new-media").rglob("*"))


def test_an_unpacked_archive_is_restored_too(varied_site, tmp_path):
    archive = export_to(tmp_path / "site.zip")
    folder = tmp_path / "unpacked"
    shutil.unpack_archive(archive, folder / "broadsheet-export")
    Post.objects.all().delete()

    assert is_archive(folder) and is_archive(archive)
    report = restore_archive(folder, dry_run=False)

    assert report.tally("posts").created == 5


@pytest.fixture
def small_site(make_post, make_tag):
    make_post("A post", tags=[make_tag("Cities")])


def a_bad_image(document: dict) -> None:
    document["media"].append(
        {"file": "../../etc/passwd", "alt": "", "original_name": "x", "width": 1, "height": 1}
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="ghost"), "does not begin with"),
        (lambda d: d.update(version=2), "newer Broadsheet"),
        (a_bad_image, "not a file name inside"),
        (lambda d: d["posts"][0].update(author="nobody"), "not in staff"),
        (lambda d: d["posts"][0].update(tags=["unknown"]), "not in tags"),
        (lambda d: d["posts"][0].update(published_at="yesterday"), "not a date and time"),
        (lambda d: d["posts"][0].update(title=["a", "list"]), "should be text"),
        (lambda d: d["posts"][0].update(slug="Not a slug!"), "slug"),
        (lambda d: d["posts"][0].update(title="x" * 201), "title"),
        (lambda d: d["posts"][0].update(like_count=2**40), "from 0 to"),
        (lambda d: d["posts"][0].update(uuid="not-a-uuid"), "not a UUID"),
        (lambda d: d["posts"][0].update(featured="yes"), "true or false"),
        (lambda d: d.update(staff=d.pop("staff")), "where “staff” should be"),  # moved last
        (lambda d: d.pop("subscribers"), "ends where “subscribers” should be"),
    ],
)
def test_an_archive_that_cannot_be_restored_says_why(small_site, tmp_path, change, message):
    archive = rewritten(export_to(tmp_path / "site.zip"), tmp_path / "bad.zip", change)
    Post.objects.all().delete()

    with pytest.raises(BadSource, match=message):
        restore_archive(archive, dry_run=False)

    assert not Post.objects.exists()


def test_a_post_keeps_its_archived_uuid_unless_another_post_here_has_it(small_site, tmp_path):
    post = Post.objects.get()
    archived = str(post.uuid)
    archive = export_to(tmp_path / "site.zip")
    Post.objects.filter(pk=post.pk).update(uuid=uuid.uuid4(), featured=True)

    restore_archive(archive, dry_run=False)

    post.refresh_from_db()
    assert (str(post.uuid), post.featured) == (archived, False)

    Post.objects.filter(pk=post.pk).update(slug="renamed-since")
    report = restore_archive(archive, dry_run=False)  # the archive's post is made again

    made = Post.objects.get(slug="a-post")
    assert made.uuid != post.uuid and str(post.uuid) == archived
    assert any("uuid" in note and "renamed-since" in note for note in report.notes)


def test_an_archive_from_before_uuids_and_featured_keeps_each_post_s_uuid(small_site, tmp_path):
    post = Post.objects.get()
    own = post.uuid

    def older(document: dict) -> None:
        for entry in document["posts"]:
            del entry["uuid"], entry["featured"]

    archive = rewritten(export_to(tmp_path / "site.zip"), tmp_path / "old.zip", older)
    Post.objects.filter(pk=post.pk).update(featured=True)

    restore_archive(archive, dry_run=False)

    post.refresh_from_db()
    assert post.uuid == own and post.featured is False  # as every post was then


def test_what_is_not_an_archive_is_refused_with_a_reason(db, tmp_path):
    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("hello")
    no_site_json = tmp_path / "other.zip"
    with zipfile.ZipFile(no_site_json, "w") as archive:
        archive.writestr("posts/a.md", "# A")
    not_json = tmp_path / "not-json.zip"
    with zipfile.ZipFile(not_json, "w") as archive:
        archive.writestr("site.json", '{"format": "broadsheet-export", "version": 1, "site": {"t')

    for path, message in [
        (not_zip, "not a zip file"),
        (no_site_json, "holds no site.json"),
        (not_json, "not a Broadsheet export"),
    ]:
        assert is_archive(path) is (path == not_json)
        with pytest.raises(BadSource, match=message):
            restore_archive(path, dry_run=False)


def test_broadsheet_export_then_broadsheet_import_into_a_new_site_gives_the_same_site(
    transactional_db, varied_site, tmp_path, settings, capsys
):
    call_command("export", output=str(tmp_path / "first.zip"), verbosity=0)
    start_a_new_site(settings, tmp_path / "new-media")

    call_command("import", str(tmp_path / "first.zip"), verbosity=0)  # found to be an archive

    assert "posts: 5 imported" in capsys.readouterr().out
    call_command("export", output=str(tmp_path / "second.zip"), verbosity=0)
    assert comparable(site_json(tmp_path / "second.zip")) == comparable(
        site_json(tmp_path / "first.zip")
    )


def the_record() -> list[tuple]:
    """Every prediction and change as comparable values, to the second, in a fixed order."""
    names = dict(User.objects.values_list("pk", "username"))
    rows = []
    for p in Prediction.objects.select_related("post").prefetch_related("changes"):
        rows.append(
            (
                p.post.slug if p.post else None,
                names[p.author_id],
                p.number,
                p.position,
                p.post_title,
                p.statement,
                p.probability,
                p.first_probability,
                p.resolves_on,
                p.made_at.replace(microsecond=0),
                p.outcome,
                p.resolved_at and p.resolved_at.replace(microsecond=0),
                names.get(p.resolved_by_id),
                p.resolution_note,
                p.resolution_source,
                p.reminded_at and p.reminded_at.replace(microsecond=0),
                [
                    (c.at.replace(microsecond=0), names.get(c.by_id), c.field, c.old, c.new, c.note)
                    for c in p.changes.all()
                ],
            )
        )
    return sorted(rows, key=lambda row: (row[0] or "~", row[2]))


def test_the_predictions_on_record_come_back_as_they_were_not_made_again_from_the_text(
    transactional_db, forecasts, tmp_path, settings
):
    record = the_record()
    first = export_to(tmp_path / "first.zip")
    start_a_new_site(settings, tmp_path / "new-media")

    report = restore_archive(first, dry_run=False)

    assert the_record() == record
    assert report.tally("predictions").created == 6
    assert comparable(site_json(export_to(tmp_path / "second.zip"))) == comparable(site_json(first))
    tram = Prediction.objects.get(statement__startswith="The new tram line")
    # Scored by what it was first published with, not by what the text says now.
    assert (tram.first_probability, tram.probability) == (Decimal("0.125"), Decimal("0.3"))
    bread = Prediction.objects.get(statement__startswith="Bread")
    assert [c.new for c in bread.changes.all()] == ["false", "void"]
    assert Prediction.objects.get(statement__startswith="The market hall").position is None
    assert Prediction.objects.get(post=None).post_title == "An old bet"
    # The post page shows the restored record: the correction and the raise.
    page = post_body(Post.objects.get(slug="what-prices-do-next"))
    assert "Resolution corrected: voided" in page and "Raised to 30%" in page

    again = restore_archive(first, dry_run=False)

    assert nothing_written(again), again.tallies
    assert the_record() == record


def test_a_restore_brings_a_post_s_record_back_and_keeps_what_the_site_added_since(
    forecasts, tmp_path
):
    archive = export_to(tmp_path / "site.zip")
    restore_archive(archive, dry_run=False)  # times lose their fractions of a second
    record = the_record()
    post = Post.objects.get(slug="what-prices-do-next")
    writer, body = post.author, post.body
    # Since the export: a new prediction, the taken-out one back, the tram raised again
    # (a change) and resolved (another).
    added = forecast("A second bakery will open nearby.", "35%", "2032-01-01")
    market = forecast("The market hall will close.", "10%", "2029-01-01")
    edited = added + body.replace("30%", "45%") + market
    publish(actor=writer, post=post, edit=Edit(fields={"body": edited}))
    tram = Prediction.objects.get(statement__startswith="The new tram line")
    resolve(actor=writer, prediction=tram, outcome=Outcome.TRUE, note="Opened in February.")
    assert the_record() != record

    report = restore_archive(archive, dry_run=False)

    assert Post.objects.get(pk=post.pk).body == body
    assert [row for row in the_record() if row[5] != "A second bakery will open nearby."] == record
    new = Prediction.objects.get(statement="A second bakery will open nearby.")
    assert (new.number, new.position, new.made_at is not None) == (6, None, True)
    assert report.tally("predictions").updated == 4  # the four in the text: their places


def test_an_archive_from_before_predictions_is_restored(forecasts, tmp_path):
    archive = rewritten(
        export_to(tmp_path / "site.zip"), tmp_path / "old.zip", lambda d: d.pop("predictions")
    )

    report = restore_archive(archive, dry_run=False)

    assert "predictions" not in report.tallies
    assert report.tally("posts").unchanged + report.tally("posts").updated == 6


def an_unreadable_block(document: dict) -> None:
    [post] = [p for p in document["posts"] if p["slug"] == "what-prices-do-next"]
    post["body"] += forecast("Soon.", "150%", "2030-01-01")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["predictions"][0].update(probability=1.5), "probability"),
        (lambda d: d["predictions"][0].update(probability="15%"), "should be a number"),
        (lambda d: d["predictions"][0].update(probability=0.12345), "probability"),
        (lambda d: d["predictions"][0].update(author="nobody"), "not in staff"),
        (lambda d: d["predictions"][0].update(outcome="maybe"), "outcome"),
        (lambda d: d["predictions"][0].update(made_at=None), "“made_at” is missing"),
        (lambda d: d["predictions"][0]["changes"].append({"at": "x"}), "not a date and time"),
        (lambda d: d.update(predictions=d.pop("predictions")), "“predictions” where it should end"),
        (an_unreadable_block, r"“what-prices-do-next”: body: Prediction 5 \(line 24\)"),
    ],
)
def test_a_record_that_cannot_be_restored_says_why(forecasts, tmp_path, change, message):
    archive = rewritten(export_to(tmp_path / "site.zip"), tmp_path / "bad.zip", change)
    Prediction.objects.all().delete()

    with pytest.raises(BadSource, match=message):
        restore_archive(archive, dry_run=False)

    assert not Prediction.objects.exists()
