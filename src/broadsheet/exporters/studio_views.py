"""The studio's Export page: the whole site as one file, downloaded at once.

The file is written to a temporary file first (a zip needs to go back to finish each
entry) and then streamed; it is gone when the download ends. A very large site is
better exported with `broadsheet export`, which needs no browser to wait.
"""

import io
import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from broadsheet.accounts.permissions import Action
from broadsheet.core.addresses import site_origin
from broadsheet.core.staff import staff_view

FORMATS = {"archive": "zip", "wxr": "xml"}


@staff_view(Action.EXPORT_CONTENT)
@require_safe
def export_page(request: HttpRequest) -> HttpResponse:
    return render(request, "exporters/studio_export.html", {"section": "export"})


@staff_view(Action.EXPORT_CONTENT)
@require_POST
def download(request: HttpRequest) -> HttpResponseBase:
    format = request.POST.get("format", "")
    if format not in FORMATS:
        return HttpResponseBadRequest("Choose the archive or WXR.")
    # The exporters (and YAML) load in the process that exports, not in every one at start.
    from broadsheet.exporters.archive import default_file_name, write_archive
    from broadsheet.exporters.wxr import write_wxr

    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it, which deletes it)
    try:
        if format == "wxr":
            text = io.TextIOWrapper(file, encoding="utf-8")
            write_wxr(text, origin=site_origin(request))
            text.flush()
            text.detach()  # the file stays open for the response
        else:
            write_archive(file)
        file.seek(0)
    except BaseException:
        file.close()
        raise
    name = default_file_name(timezone.localdate(), FORMATS[format])
    content_type = "application/zip" if format == "archive" else "application/rss+xml"
    return FileResponse(file, as_attachment=True, filename=name, content_type=content_type)
