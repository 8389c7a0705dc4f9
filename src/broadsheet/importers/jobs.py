"""The studio's imports: a job row for each, run later by the worker (`tasks.run_import_job`),
and its progress for the page that follows it.

Progress goes through the cache, not the job's row: `run_import` writes everything in one
transaction, so a row updated inside it would show nothing to the page until the end. The
cache is shared by every process of a site (Redis, or the disk cache in the data folder).
"""

import logging
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files.move import file_move_safe
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.accounts.permissions import Action
from broadsheet.importers.base import BadSource
from broadsheet.importers.models import ImportJob

log = logging.getLogger(__name__)

UPLOADS = "imports"  # in the data folder: one folder per job, removed when it ends
MAX_NAME_LENGTH = 60  # characters: 240 bytes at most in UTF-8, within every file system's 255
PROGRESS_EVERY_SECONDS = 0.5
PROGRESS_KEPT_SECONDS = 24 * 3600  # longer than any import; the job's end deletes it anyway
NOTHING_IMPORTED = "Nothing was imported: the site is as it was."
UNEXPECTED = (
    "The import stopped on an unexpected error. Nothing was imported: the site is as it "
    "was. The details are in the server's log."
)
INTERRUPTED = "The import was interrupted (the worker stopped). " + NOTHING_IMPORTED
STARTER_GONE = "The person who started this import no longer has an account."


def start_job(
    *,
    actor: User,
    author_role: str,
    format: str = "",
    upload: UploadedFile | None = None,
    url: str = "",
) -> ImportJob:
    """Keep the upload in the data folder, make the job and queue it once that is saved."""
    if not permissions.can(actor, Action.IMPORT_CONTENT):
        raise PermissionDenied("Your role does not allow importing.")
    kept = _keep(upload) if upload is not None else ""
    source_name = (upload.name or "upload") if upload is not None else url
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                source_name=source_name,
                upload=kept,
                format=format,
                author_role=author_role,
                started_by=actor,
            )
            transaction.on_commit(lambda: _enqueue(job.pk))
    except BaseException:
        _discard(kept)
        raise
    return job


def _enqueue(job_id: int) -> None:
    from broadsheet.importers.tasks import run_import_job

    run_import_job.enqueue(job_id)


def _keep(upload: UploadedFile) -> str:
    """Move (or write) the upload to `imports/<random>/<its name>` in the data folder; the
    name stays, for readers that look at it, and the random folder keeps jobs apart."""
    folder = Path(UPLOADS) / secrets.token_hex(8)
    (settings.DATA_DIR / folder).mkdir(parents=True)
    try:  # the end of a long name, where its extension is
        name = get_valid_filename(upload.name or "")[-MAX_NAME_LENGTH:]
    except SuspiciousFileOperation:  # a name of dots, or none
        name = "upload"
    path = settings.DATA_DIR / folder / name
    if isinstance(upload, TemporaryUploadedFile):
        file_move_safe(upload.temporary_file_path(), str(path))
    else:
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    return str(folder / name)


def _discard(kept: str) -> None:
    if kept:
        shutil.rmtree(settings.DATA_DIR / Path(kept).parent, ignore_errors=True)


# --- Running ---------------------------------------------------------------------------


def progress_key(job_id: int) -> str:
    return f"import-job-progress:{job_id}"


class ProgressWriter:
    """The `progress` callback of a job's import: the latest count, in the cache at most
    every half second (and always the last item), for the page to read."""

    def __init__(self, job_id: int) -> None:
        self.key = progress_key(job_id)
        self.done = 0
        self.total: int | None = None
        self._written_at = float("-inf")

    def __call__(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self._written_at >= PROGRESS_EVERY_SECONDS or done == total:
            self._written_at = now
            cache.set(self.key, (done, total), PROGRESS_KEPT_SECONDS)


def progress_of(job: ImportJob) -> tuple[int, int | None]:
    """(items done, items expected or None): the running import's, else the row's."""
    if job.state == ImportJob.State.RUNNING:
        return cache.get(progress_key(job.pk)) or (job.done, job.total)
    return job.done, job.total


def run_job(job_id: int) -> str:
    """Run a queued job to its end and record how it ended; the state it ended in.

    A job already taken (its task queued twice) is left alone. The upload is deleted
    whatever happens.
    """
    if not ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING
    ):
        return "not queued"
    # Here, not at the top: the readers and their libraries load only in the process that
    # imports (the worker), not in every server process that shows the studio's pages.
    from broadsheet.importers.run import run_import

    job = ImportJob.objects.select_related("started_by").get(pk=job_id)
    kept = job.upload
    source = str(settings.DATA_DIR / kept) if kept else job.source_name
    progress = ProgressWriter(job.pk)
    try:
        if job.started_by is None:  # no actor would be the operator's rights: refuse
            raise PermissionDenied(STARTER_GONE)
        report = run_import(
            [source],
            format=job.format or None,
            author_role=job.author_role,
            actor=job.started_by,
            progress=progress,
        )
    except (BadSource, ValidationError, PermissionDenied) as error:
        # Messages name the source as given: ours is a path in the data folder.
        message = _message(error).replace(source, job.source_name)
        _end(job, progress, ImportJob.State.FAILED, error=f"{message} {NOTHING_IMPORTED}")
    except Exception:
        log.exception("Import job %s (%s) failed", job.pk, job.source_name)
        _end(job, progress, ImportJob.State.FAILED, error=UNEXPECTED)
    except BaseException:
        _end(job, progress, ImportJob.State.FAILED, error=INTERRUPTED)
        raise
    else:
        _end(job, progress, ImportJob.State.DONE, report=report.as_dict())
    finally:
        _discard(kept)
        cache.delete(progress.key)
    return job.state


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "Your role does not allow importing."


def _end(job: ImportJob, progress: ProgressWriter, state: str, **fields: object) -> None:
    job.state = state
    job.upload = ""  # deleted as the job ends
    job.done, job.total = progress.done, progress.total
    job.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
