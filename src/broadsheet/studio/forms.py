"""The studio's forms: they check the shape of input; the rules live in the services."""

import datetime
import zoneinfo
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils import timezone

from broadsheet.content.models import Page, Post, Tag
from broadsheet.content.services import EDITABLE_FIELDS, PAGE_SLUG_LENGTH, Edit
from broadsheet.core.models import SiteSettings
from broadsheet.core.slugs import slug_base
from broadsheet.media.models import Image
from broadsheet.search.query import LONGEST_QUERY

ISO_VERSION = "%Y-%m-%dT%H:%M:%S.%f%z"


class PostForm(forms.ModelForm):
    tags = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Separate tags with commas.",
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )
    publish_at = forms.DateTimeField(
        required=False,
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Post
        fields = EDITABLE_FIELDS
        widgets = {
            "title": forms.TextInput(attrs={"class": "title-input", "autocomplete": "off"}),
            "body": forms.Textarea(attrs={"class": "body-input", "rows": 24}),
            "custom_excerpt": forms.Textarea(attrs={"rows": 3}),
            "seo_description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "body": "Text (Markdown)",
            "slug": "Address",
            "custom_excerpt": "Excerpt",
            "featured": "Feature this post",
        }
        help_texts = {
            "featured": "Marked “Featured” where the site lists it; it keeps its date and place.",
            "slug": "The last part of the post's address. Leave empty to make one from the title.",
            "seo_title": "For search results and link previews; the title is used when empty.",
            "seo_description": "The excerpt is used when empty.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False  # the service says why an empty title won't do
        self.fields["slug"].required = False
        cover_image = cast(forms.ModelChoiceField, self.fields["cover_image"])
        cover_image.queryset = Image.objects.all()
        cover_image.empty_label = "No cover image"
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
            self.initial["version"] = self.instance.modified_at.strftime(ISO_VERSION)
            if self.instance.published_at and self.instance.is_scheduled:
                self.initial["publish_at"] = timezone.localtime(self.instance.published_at)

    def validate_unique(self) -> None:
        """The service checks the slug, naming the post that has it; nothing else is unique."""

    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data.get("tags", "").split(",")]

    def based_on(self) -> datetime.datetime | None:
        try:
            return datetime.datetime.strptime(self.cleaned_data.get("version", ""), ISO_VERSION)
        except ValueError:
            return None

    def to_edit(self) -> Edit:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return Edit(fields=fields, tag_names=self.tag_names(), based_on=self.based_on())

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's refusal next to the field it is about, or at the top."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def all_tag_names() -> list[str]:
    return list(Tag.objects.values_list("name", flat=True))


class PostFilterForm(forms.Form):
    STATUS_CHOICES = [
        ("", "All posts"),
        ("draft", "Drafts"),
        ("review", "Submitted for review"),
        ("scheduled", "Scheduled"),
        ("published", "Published"),
        ("trash", "Trash"),
    ]
    # Any length is read: the query language keeps what it can use (`search.query`).
    q = forms.CharField(
        required=False,
        label="Search",
        widget=forms.SearchInput(attrs={"maxlength": LONGEST_QUERY}),
    )
    status = forms.ChoiceField(required=False, choices=STATUS_CHOICES)
    author = forms.CharField(required=False, max_length=150)
    tag = forms.CharField(required=False, max_length=100)


def _is_reserved_path(slug: str) -> bool:
    """True if the site already answers at /slug/ or below it (/posts/…, /studio/…)."""
    for path in (f"/{slug}/", f"/{slug}/some-slug/", f"/{slug}/1/"):
        try:
            if resolve(path).url_name != "page":
                return True
        except Resolver404:
            continue
    return False


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"slug": "Address"}
        help_texts = {
            "slug": "The tag's page is /tags/address/. Leave empty to make one from the name.",
            "description": "Shown on the tag's page.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body", "seo_description", "status"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "title-input"}),
            "body": forms.Textarea(attrs={"class": "body-input", "rows": 20}),
        }
        labels = {"slug": "Address", "body": "Text (Markdown)"}
        help_texts = {"slug": "The page lives at /address/. Leave empty to use the title."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError("Give the page a title.")
        return title

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Django's clean() returns cleaned_data
        slug = data.get("slug") or slug_base(
            data.get("title", ""), max_length=PAGE_SLUG_LENGTH, fallback=""
        )
        if slug and _is_reserved_path(slug):
            self.add_error("slug", f"/{slug}/ is already a part of the site; choose another.")
        elif slug and Page.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            self.add_error("slug", f"Another page already lives at /{slug}/.")
        data["slug"] = slug
        return data


class SiteSettingsForm(forms.ModelForm):
    class Meta:
        model = SiteSettings
        fields = ["title", "description", "logo", "navigation", "timezone", "language"]
        fields += ["comment_policy", "blocked_words"]
        widgets = {
            "navigation": forms.Textarea(attrs={"rows": 5}),
            "blocked_words": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_navigation(self) -> str:
        text = self.cleaned_data["navigation"]
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            label, sep, url = (part.strip() for part in line.partition("|"))
            if not (sep and label and url):
                raise ValidationError(f"Line {number}: write it as “Label | /path/”.")
            if not url.startswith(("/", "https://", "http://")) or url.startswith("//"):
                raise ValidationError(
                    f"Line {number}: a link must start with /, https:// or http://."
                )
        return text

    def clean_timezone(self) -> str:
        name = self.cleaned_data["timezone"]
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
            raise ValidationError("Unknown time zone.") from error
        return name
