"""The studio's Import page: an owner or administrator uploads an export, the worker imports
it, and the job's page follows it from the queue to the report (or to why it failed)."""

import json
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.content.models import Post
from broadsheet.importers import jobs, readers
from broadsheet.importers import records as r
from broadsheet.importers.base import BadSource, Reader, Source
from broadsheet.importers.models import ImportedThing, ImportJob
from broadsheet.importers.report import Report

START = "/studio/import/"
ITEMS = [
    {"key": "list:1", "title": "Harbour lights", "body": "<p>On the quay.</p>"},
    {"key": "list:2", "title": "Tide tables", "body": "<p>Twice a day.</p>", "authors": ["Nell"]},
    {"key": "list:3", "title": "Gulls", "body": "<p>Loud.</p>"},
]


class ItemListReader(Reader):
    """A format for these tests only: a JSON list of items; an item without a title is
    bad input, found after the items before it were written."""

    name = "itemlist"
    label = "A JSON list of items"

    @classmethod
    def sniff(cls, source: Source) -> bool:
        return source.path.suffix == ".json" and source.head(1) == b"["

    def _entries(self) -> list[dict]:
        try:
            return json.loads(self.source.path.read_bytes())
        except ValueError as error:
            raise BadSource(f"{self.source.name}: not a list of items ({error}).") from error

    def estimate(self) -> int:
        return len(self._entries())

    def records(self):
        for number, entry in enumerate(self._entries(), 1):
            if "title" not in entry:
                raise BadSource(f"{self.source.name}: item {number} has no title.")
            yield r.Item(
                key=entry["key"],
                title=entry["title"],
                body=entry["body"],
                authors=[r.Author(key=f"list:{n}", name=n) for n in entry.get("authors", [])],
            )
            self.after_item()

    def after_item(self) -> None:
        """Where a test looks at the site while the import is under way."""


@pytest.fixture(autouse=True)
def item_list_format():
    """Registered for each test and removed after it, as a real format is at import time."""
    readers.READERS.append(ItemListReader)
    yield
    readers.READERS.remove(ItemListReader)


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> None:
    """A data folder per test, so what an upload leaves behind is this test's."""
    settings.DATA_DIR = tmp_path


@pytest.fixture
def admin(client, make_staff) -> User:
    user = make_staff("administrator")
    client.force_login(user)
    return user


def export(items: object = ITEMS, name: str = "export.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(items).encode(), "application/json")


def start(client, capture, **data) -> ImportJob:
    """Post the form as a browser would; the job it made (its task queued on commit)."""
    data.setdefault("author_role", "contributor")
    with capture(execute=True):
        response = client.post(START, data)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import_studio:job", args=[job.pk])
    return job


def job_page(client, job: ImportJob) -> str:
    response = client.get(reverse("import_studio:job", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def uploads_left() -> list[Path]:
    folder = settings.DATA_DIR / jobs.UPLOADS
    return list(folder.rglob("*")) if folder.exists() else []


# --- Who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["contributor", "author", "editor"])
def test_only_owners_and_administrators_may_import(client, make_staff, role):
    job = ImportJob.objects.create(source_name="export.xml")
    client.force_login(make_staff(role))

    assert client.get(START).status_code == 403
    assert client.post(START, {"file": export(), "author_role": "author"}).status_code == 403
    assert client.get(reverse("import_studio:job", args=[job.pk])).status_code == 403
    assert ImportJob.objects.count() == 1
    assert START not in client.get(reverse("studio:posts")).content.decode()


@pytest.mark.parametrize("role", ["owner", "administrator"])
def test_owners_and_administrators_find_the_page_in_the_studio(client, make_staff, role):
    client.force_login(make_staff(role))

    assert f'href="{START}"' in client.get(reverse("studio:posts")).content.decode()
    assert client.get(START).status_code == 200


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    job = ImportJob.objects.create(source_name="export.xml")

    for url in (START, reverse("import_studio:job", args=[job.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- The form ----------------------------------------------------------------------------


def test_the_form_is_labelled_and_offers_every_format_and_no_owner_role(client, admin):
    html = client.get(START).content.decode()

    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    for field in ("file", "url", "format", "author_role"):
        assert f'<label for="id_{field}">' in html
    assert '<option value="itemlist">A JSON list of items</option>' in html
    assert '<option value="contributor" selected>' in html
    assert 'value="owner"' not in html
    assert "up to 1 GB" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a file to upload, or give a feed&#x27;s address."),
        (
            {"file": export(), "url": "https://example.com/feed/"},
            "Give a file or a feed&#x27;s address, not both.",
        ),
        ({"url": "ftp://example.com/feed"}, "Enter a valid URL."),
        ({"url": "https://example.com/feed/", "author_role": "owner"}, "Select a valid choice."),
    ],
)
def test_a_form_that_cannot_start_an_import_says_why(client, admin, data, message):
    response = client.post(START, {"author_role": "contributor"} | data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_export_larger_than_the_import_limit_is_refused_as_it_arrives(client, admin, settings):
    settings.BROADSHEET_IMPORT_MAX_UPLOAD_BYTES = 100

    response = client.post(START, {"file": export(), "author_role": "contributor"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "This file is larger than the 0.0977 KB an import takes." in html
    assert "Choose a file to upload" not in html
    assert not ImportJob.objects.exists() and not uploads_left()


def test_the_import_limit_is_its_own_not_the_media_librarys(
    client, admin, settings, django_capture_on_commit_callbacks
):
    settings.BROADSHEET_MAX_UPLOAD_BYTES = 100  # an image that large would be refused

    job = start(client, django_capture_on_commit_callbacks, file=export())

    assert (settings.DATA_DIR / job.upload).read_bytes() == json.dumps(ITEMS).encode()


def test_an_upload_with_a_very_long_name_is_kept_by_the_end_of_its_name(
    client, admin, django_capture_on_commit_callbacks
):
    name = "ü" * 300 + ".json"  # 600 bytes in UTF-8: no file system takes that as a name

    job = start(client, django_capture_on_commit_callbacks, file=export(name=name))

    assert job.source_name.endswith("üü.json")  # as Django cut it (255 characters)
    assert Path(job.upload).name == "ü" * 55 + ".json"
    assert (settings.DATA_DIR / job.upload).exists()


# --- Running -----------------------------------------------------------------------------


@pytest.mark.parametrize("kept_in_memory_up_to", [2_621_440, 10])  # Django's default; a temp file
def test_an_upload_is_imported_by_the_worker_and_its_page_shows_the_report(
    client, admin, settings, run_tasks, django_capture_on_commit_callbacks, kept_in_memory_up_to
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = kept_in_memory_up_to

    job = start(client, django_capture_on_commit_callbacks, file=export(), author_role="author")

    assert job.state == ImportJob.State.QUEUED and job.source_name == "export.json"
    assert job.upload.startswith("imports/") and job.upload.endswith("/export.json")
    assert (settings.DATA_DIR / job.upload).read_bytes() == json.dumps(ITEMS).encode()
    waiting = job_page(client, job)
    assert 'id="import-status"' in waiting and "import-progress.js" in waiting
    assert "Waiting for the background worker" in waiting
    assert "export.json" in client.get(START).content.decode()  # the recent imports

    run_tasks()

    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert job.finished_at is not None and (job.done, job.total) == (3, 3)
    assert job.report["counts"]["posts"] == {"imported": 3}
    assert set(Post.objects.values_list("title", flat=True)) == {i["title"] for i in ITEMS}
    assert User.objects.get(display_name="Nell").role == "author"  # the form's role
    assert not uploads_left() and job.upload == ""
    done = job_page(client, job)
    assert "import-progress.js" not in done and "<progress" not in done
    assert '<th scope="row">Posts</th><td>3</td>' in done
    assert '<th scope="row">Authors</th><td>1</td>' in done
    assert f'href="{reverse("studio:posts")}"' in done


def test_the_same_export_again_changes_nothing_and_the_report_says_so(
    client, admin, run_tasks, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(START, {"file": export(), "author_role": "contributor"})
        run_tasks()

    again = ImportJob.objects.first()  # the newest
    assert Post.objects.count() == 3
    html = job_page(client, again)
    assert '<th scope="col">Unchanged</th>' in html
    assert '<th scope="row">Posts</th><td>3</td>' in html


def test_the_report_table_has_a_column_per_outcome_that_happened():
    report = Report()
    report.count("tags", "matched")
    report.count("posts", "imported", 2)
    report.count("posts", "updated")
    report.count("widgets", "imported")

    assert report.table() == (
        ["imported", "updated", "matched"],
        [("posts", [2, 1, 0]), ("tags", [0, 0, 1]), ("widgets", [1, 0, 0])],
    )


def test_a_source_that_fails_halfway_imports_nothing_and_says_why(
    client, admin, run_tasks, django_capture_on_commit_callbacks
):
    broken = [ITEMS[0], {"key": "list:2", "body": "<p>No title.</p>"}]
    job = start(client, django_capture_on_commit_callbacks, file=export(broken, "site.json"))

    run_tasks()

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.error == "site.json: item 2 has no title. " + jobs.NOTHING_IMPORTED
    assert not Post.objects.exists() and not ImportedThing.objects.exists()
    assert not uploads_left()
    html = job_page(client, job)
    assert "site.json: item 2 has no title." in html and 'role="alert"' in html
    assert f'href="{START}"' in html and "import-progress.js" not in html


def test_a_file_in_no_known_format_fails_with_the_name_it_was_uploaded_as(
    client, admin, run_tasks, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("notes.txt", b"Just some notes.", "text/plain")
    job = start(client, django_capture_on_commit_callbacks, file=upload)

    run_tasks()

    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert job.error.startswith("notes.txt: not a format Broadsheet can import.")
    assert str(settings.DATA_DIR) not in job.error


def test_an_unexpected_error_fails_the_job_with_a_plain_message_and_logs_it(
    client, admin, run_tasks, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def crash(reader):
        raise RuntimeError("the disk caught fire")

    monkeypatch.setattr(ItemListReader, "records", crash)
    job = start(client, django_capture_on_commit_callbacks, file=export())

    with caplog.at_level(logging.ERROR, logger="broadsheet.importers.jobs"):
        run_tasks()

    job.refresh_from_db()
    assert (job.state, job.error) == (ImportJob.State.FAILED, jobs.UNEXPECTED)
    assert "the disk caught fire" in caplog.text  # the traceback, for the operator
    assert "the disk caught fire" not in job_page(client, job)
    assert not uploads_left()


def test_a_job_taken_already_is_not_run_again(admin, db):
    job = ImportJob.objects.create(source_name="export.json", state=ImportJob.State.RUNNING)

    assert jobs.run_job(job.pk) == "not queued"
    assert ImportJob.objects.get(pk=job.pk).state == ImportJob.State.RUNNING


# --- Progress ----------------------------------------------------------------------------


def test_the_page_shows_progress_from_the_cache_at_most_twice_a_second(client, admin):
    job = ImportJob.objects.create(source_name="export.json", state=ImportJob.State.RUNNING)
    progress = jobs.ProgressWriter(job.pk)

    progress(120, 500)
    html = job_page(client, job)
    assert "120 of 500 items" in html
    assert 'value="120" max="500"' in html
    assert "import-progress.js" in html  # keeps it current, with script on

    progress(121, 500)  # within half a second of the last: not written
    assert "120 of 500 items" in job_page(client, job)

    progress(500, 500)  # the last item always is
    assert "500 of 500 items" in job_page(client, job)


def test_a_source_that_cannot_say_how_many_items_it_has_shows_a_count(client, admin):
    job = ImportJob.objects.create(source_name="https://example.com/feed/", state="running")

    jobs.ProgressWriter(job.pk)(7, None)

    html = job_page(client, job)
    assert "7 items so far" in html
    assert '<progress class="import-progress" aria-labelledby="import-progress-text">' in html


def test_progress_is_visible_while_the_import_runs_though_its_rows_are_not(
    client, admin, run_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []

    def look(reader):
        running = ImportJob.objects.get()
        seen.append((running.state, running.done, job_page(client, running)))

    monkeypatch.setattr(ItemListReader, "after_item", look)
    start(client, django_capture_on_commit_callbacks, file=export())

    run_tasks()

    state, done_in_row, html = seen[0]
    assert (state, done_in_row) == (ImportJob.State.RUNNING, 0)
    assert "1 of 3 items" in html and 'value="1" max="3"' in html
    assert ImportJob.objects.get().state == ImportJob.State.DONE
