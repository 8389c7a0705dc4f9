from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.studio.decorators import studio_view


@studio_view()
def home(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def post_list(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def post_new(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def post_edit(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def post_autosave(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def post_preview(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def post_trash(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def post_restore(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def post_history(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def revision_detail(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def revision_restore(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})


@studio_view()
def markdown_preview(request: HttpRequest, **kwargs) -> HttpResponse:
    return render(request, "studio/base.html", {"section": "posts"})
