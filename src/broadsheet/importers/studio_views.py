"""The studio's import pages: the form that starts a job, and the page that follows it."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.permissions import Action
from broadsheet.core.staff import staff_view
from broadsheet.core.uploads import takes_files_up_to
from broadsheet.importers import jobs
from broadsheet.importers.forms import ImportForm, upload_limit_text
from broadsheet.importers.models import ImportJob
from broadsheet.importers.report import Report
from broadsheet.media.uploads import was_too_large

RECENT_JOBS = 10


@takes_files_up_to("BROADSHEET_IMPORT_MAX_UPLOAD_BYTES")
@staff_view(Action.IMPORT_CONTENT)
@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The form, and the recent imports; a valid form starts a job and shows its page."""
    if request.method != "POST":
        return _start_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if was_too_large(request):
        form.refuse_file(f"This file is larger than the {upload_limit_text()} an import takes.")
        return _start_page(request, form, status=400)
    if not form.is_valid():
        return _start_page(request, form, status=400)
    job = jobs.start_job(
        actor=request.user,
        author_role=form.cleaned_data["author_role"],
        format=form.cleaned_data["format"],
        upload=form.cleaned_data["file"],
        url=form.cleaned_data["url"],
    )
    return redirect("import_studio:job", job.pk)


def _start_page(
    request: AuthenticatedHttpRequest, form: ImportForm, status: int = 200
) -> HttpResponse:
    recent = ImportJob.objects.select_related("started_by")[:RECENT_JOBS]
    context = {"section": "import", "form": form, "jobs": recent}
    return render(request, "importers/studio_import.html", context, status=status)


@staff_view(Action.IMPORT_CONTENT)
@require_safe
def job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A job's state: its progress while it runs (the page reloads itself), then what it
    imported, or why it failed."""
    job = get_object_or_404(ImportJob.objects.select_related("started_by"), pk=pk)
    done, total = jobs.progress_of(job)
    report = Report.from_dict(job.report) if job.state == ImportJob.State.DONE else None
    columns, rows = report.table() if report is not None else ([], [])
    context = {
        "section": "import",
        "job": job,
        "done": done,
        "total": total,
        "report": report,
        "columns": columns,
        "rows": rows,
    }
    return render(request, "importers/studio_job.html", context)
