"""The media library in the studio: thin doors onto `media.services`.

Every page works without JavaScript; `upload_json` is the same upload for the post
editor's script, which sends Django's CSRF token in the X-CSRFToken header.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from broadsheet.accounts import permissions
from broadsheet.accounts.http import AuthenticatedHttpRequest
from broadsheet.accounts.models import User
from broadsheet.accounts.permissions import Action
from broadsheet.core.numbers import parse_number
from broadsheet.core.pagination import MAX_PAGE, page_number_or_404
from broadsheet.core.staff import staff_view
from broadsheet.core.uploads import takes_files
from broadsheet.media import html, selectors, services
from broadsheet.media.forms import AltForm, UploadForm
from broadsheet.media.models import Image
from broadsheet.media.uploads import was_too_large


@dataclass(frozen=True)
class LibraryItem:
    image: Image
    markdown: str
    can_manage: bool


@staff_view(Action.UPLOAD_MEDIA)
@require_safe
def library(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = selectors.library_page(page_number_or_404(request.GET.get("page")))
    items = [_item(request.user, image) for image in page]
    return render(
        request,
        "media/library.html",
        {**_upload_context(UploadForm()), "page": page, "items": items},
    )


@takes_files
@staff_view(Action.UPLOAD_MEDIA)
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The upload form on its own page; a refused file comes back here with the reason."""
    if request.method != "POST":
        return render(request, "media/upload.html", _upload_context(UploadForm()))
    form = UploadForm(request.POST, request.FILES)
    image = _upload(request, form)
    if image is None:
        return render(request, "media/upload.html", _upload_context(form), status=400)
    messages.success(request, f"Uploaded “{image.original_name or image.file.name}”.")
    return redirect("media:library")


@takes_files
@staff_view(Action.UPLOAD_MEDIA)
@require_POST
def upload_json(request: AuthenticatedHttpRequest) -> JsonResponse:
    """For the post editor: 201 with what to insert, or 400 with a sentence to show."""
    form = UploadForm(request.POST, request.FILES)
    image = _upload(request, form)
    if image is None:
        reasons = (str(message) for errors in form.errors.values() for message in errors)
        return JsonResponse({"error": " ".join(dict.fromkeys(reasons))}, status=400)
    return JsonResponse(
        {
            "id": image.pk,
            "url": image.url,
            "width": image.width,
            "height": image.height,
            "alt": image.alt,
            "markdown": html.markdown_snippet(image),
        },
        status=201,
    )


@staff_view(Action.UPLOAD_MEDIA)
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change an image's alt text (the library's inline form posts here too)."""
    image = _manageable_image(request, pk)
    if request.method != "POST":
        form = AltForm(initial={"alt": image.alt})
        return render(request, "media/edit.html", _edit_context(image, form))
    form = AltForm(request.POST)
    if form.is_valid():
        try:
            services.update_alt(actor=request.user, image=image, alt=form.cleaned_data["alt"])
        except ValidationError as error:
            form.add_error("alt", error)
        else:
            messages.success(request, "Alt text saved.")
            return redirect(_library_url(request.POST.get("page")))
    return render(request, "media/edit.html", _edit_context(image, form), status=400)


@staff_view(Action.UPLOAD_MEDIA)
@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Ask first (GET), then delete (POST): a deleted image is gone from every post showing it."""
    image = _manageable_image(request, pk)
    if request.method != "POST":
        return render(
            request,
            "media/delete.html",
            {"section": "media", "image": image, "page_number": request.GET.get("page", "")},
        )
    name = image.original_name or image.file.name
    services.delete_image(actor=request.user, image=image)
    messages.success(request, f"Deleted “{name}”.")
    return redirect(_library_url(request.POST.get("page"), must_exist=True))


def _upload(request: AuthenticatedHttpRequest, form: UploadForm) -> Image | None:
    """The uploaded image, or None with the reasons added to the form."""
    if was_too_large(request):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", services.too_large_message())
        return None
    if not form.is_valid():
        return None
    try:
        return services.upload_image(
            file=form.cleaned_data["file"],
            alt=form.cleaned_data["alt"],
            uploaded_by=request.user,
        )
    except ValidationError as error:
        form.add_error("file", error)
        return None


def _manageable_image(request: AuthenticatedHttpRequest, pk: int) -> Image:
    image = get_object_or_404(Image, pk=pk)
    if not permissions.can_manage_image(request.user, image):
        raise PermissionDenied("Only the person who uploaded this image, or an editor, may.")
    return image


def _item(user: User, image: Image) -> LibraryItem:
    return LibraryItem(
        image=image,
        markdown=html.markdown_snippet(image),
        can_manage=permissions.can_manage_image(user, image),
    )


def _upload_context(form: UploadForm) -> dict:
    return {
        "section": "media",
        "form": form,
        "max_upload_mb": services.max_upload_mb(),
        "accept": ",".join(content_type for content_type, _ in services.FORMATS.values()),
    }


def _edit_context(image: Image, form: AltForm) -> dict:
    return {"section": "media", "image": image, "form": form}


def _library_url(page: str | None, *, must_exist: bool = False) -> str:
    """Back to the library page the form was on (if it still has images to show)."""
    url = reverse("media:library")
    number = parse_number(page, maximum=MAX_PAGE)
    if number is None or number == 1 or (must_exist and not selectors.library_has_page(number)):
        return url
    return f"{url}?page={number}"
