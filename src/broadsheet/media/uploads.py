"""Refusing an oversized upload while it arrives, not after it has been stored."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from broadsheet.core.uploads import upload_limit

TOO_LARGE = "broadsheet_upload_too_large"


class SizeLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: once a file passes the upload limit (its view's,
    `core.uploads.upload_limit`), the rest of it is read and dropped (never written to
    memory or disk) and the request is marked, so the form can say why the file is missing."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > upload_limit(self.request):
            if self.request is not None:  # Django always gives a request; the type allows none
                self.request.META[TOO_LARGE] = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers make the file


def was_too_large(request: HttpRequest) -> bool:
    return bool(request.META.get(TOO_LARGE))
