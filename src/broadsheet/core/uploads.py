"""Files only where a form takes them; every other request body refused early.

Only the media library's uploads, the studio's import form (with a limit of its own) and
Django's admin (for owners and administrators) take files. Anywhere else a request body
larger than a form can be (DATA_UPLOAD_MAX_MEMORY_SIZE) is refused from its
Content-Length, before a byte of it is read, and a file part stops the reading where it
starts: the fields before it are kept, so a form can be shown again with what was typed,
and nothing is posted.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from broadsheet.core.numbers import parse_number

FILES_REFUSED = "broadsheet_files_refused"
UPLOAD_LIMIT = "broadsheet_upload_limit"
NO_FILES = "This form takes no files. Nothing was posted."
TOO_LARGE = "What was sent is larger than this form takes. Nothing was posted."
BODYLESS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def takes_files(view: Callable) -> Callable:
    """Mark a view whose form takes files (the size limit of media.uploads applies)."""
    view.takes_files = True  # type: ignore[attr-defined]  # a mark on the function object
    return view


def takes_files_up_to(limit_setting: str) -> Callable[[Callable], Callable]:
    """Mark a view whose form takes files up to `settings.<limit_setting>` bytes instead of
    the media library's limit (read per request, so a changed setting holds at once)."""

    def mark(view: Callable) -> Callable:
        view.upload_limit_setting = limit_setting  # type: ignore[attr-defined]  # a mark on the function object
        return takes_files(view)

    return mark


def upload_limit(request: HttpRequest | None) -> int:
    """The largest file this request may bring: its view's limit, else the media library's."""
    if request is None or UPLOAD_LIMIT not in request.META:
        return settings.BROADSHEET_MAX_UPLOAD_BYTES
    return request.META[UPLOAD_LIMIT]


def shows_refused_files(view: Callable) -> Callable:
    """Mark a view that shows its own form again when a file was refused
    (`files_refused(request)`); others get a page that says what happened."""
    view.shows_refused_files = True  # type: ignore[attr-defined]  # a mark on the function object
    return view


def files_refused(request: HttpRequest) -> bool:
    return bool(request.META.get(FILES_REFUSED))


class RefuseFilesHandler(FileUploadHandler):
    """The only upload handler where no files are taken: the first file part stops the
    reading of the request, which is then answered without reading the rest."""

    def __init__(self, request: HttpRequest) -> None:
        # Always made for a request (Django's handlers may be made without one).
        super().__init__(request)
        self.request: HttpRequest = request

    def new_file(self, *args, **kwargs) -> None:
        self.request.META[FILES_REFUSED] = True
        raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        return None

    def file_complete(self, file_size: int) -> None:
        return None


def refused(request: HttpRequest, message: str, view: Callable | None = None) -> HttpResponse:
    """A 413 page; for an API (a view marked `answers_json`), the error as its JSON."""
    if getattr(view, "answers_json", False):
        error = {"message": message, "type": "RequestEntityTooLargeError"}
        return JsonResponse({"errors": [error]}, status=413)
    return render(request, "request_refused.html", {"reason": message}, status=413)


class FilesOnlyWhereTakenMiddleware:
    """Before CSRF's middleware, which reads the form: it must not read a file first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if getattr(view, "takes_files", False):
            if limit_setting := getattr(view, "upload_limit_setting", ""):
                request.META[UPLOAD_LIMIT] = getattr(settings, limit_setting)
            return None
        if request.method in BODYLESS:
            return None
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            return None
        declared = request.META.get("CONTENT_LENGTH") or ""
        length = parse_number(declared, maximum=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if length is None and declared.strip("0"):  # more than a form can be (or not a length)
            return refused(request, TOO_LARGE, view)
        if request.content_type == "multipart/form-data":
            request.upload_handlers = [RefuseFilesHandler(request)]
            request.POST  # noqa: B018 (read the form now, stopping at a file)
            if files_refused(request) and not getattr(view, "shows_refused_files", False):
                return refused(request, NO_FILES, view)
        return None
