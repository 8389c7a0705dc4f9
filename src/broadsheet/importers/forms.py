"""The studio's import form: what to import and how; the import itself checks the rest."""

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator

from broadsheet.accounts.models import Role

DETECT = ""


def format_choices() -> list[tuple[str, str]]:
    """Read when the form is shown, so every reader registered by then is offered (and
    the readers load only then, not in every server process at start)."""
    from broadsheet.importers.run import formats

    return [(DETECT, "Find out from the file"), *formats()]


def upload_limit_text() -> str:
    """The import's upload limit as people read it: "1 GB", "200 MB", "0.5 KB"."""
    size = settings.BROADSHEET_IMPORT_MAX_UPLOAD_BYTES
    for unit, bytes_in_unit in (("GB", 1024**3), ("MB", 1024**2)):
        if size >= bytes_in_unit:
            return f"{size / bytes_in_unit:.3g} {unit}"
    return f"{size / 1024:.3g} KB"


class ImportForm(forms.Form):
    """A file or a feed's address (one of them), the format, and the role for new authors."""

    file = forms.FileField(
        label="Export file",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".xml,.json,.csv,.zip"}),
        error_messages={
            "empty": "This file is empty.",
            "invalid": "No file was received: choose the file again.",
        },
    )
    url = forms.URLField(
        label="Or a feed's address",
        required=False,
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="An RSS or Atom feed, e.g. https://example.com/feed/ (instead of a file).",
    )
    format = forms.ChoiceField(
        label="Format",
        choices=format_choices,
        required=False,
        help_text="Leave it to Broadsheet unless it guesses wrong.",
    )
    author_role = forms.ChoiceField(
        label="Role for new authors",
        choices=[choice for choice in Role.choices if choice[0] != Role.OWNER],
        initial=Role.CONTRIBUTOR,
        help_text=(
            "Authors the site does not have yet get an account with this role (they sign in "
            "only once invited). Authors matched by email keep theirs."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "A WordPress export (.xml), a Ghost export (.json), a Wix export (.csv), or a "
            f".zip of Markdown files or of a Broadsheet export; up to {upload_limit_text()}."
        )

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Django's clean() returns cleaned_data
        if "file" in self.errors or "url" in self.errors:
            return data
        if data.get("file") and data.get("url"):
            raise ValidationError("Give a file or a feed's address, not both.")
        if not data.get("file") and not data.get("url"):
            raise ValidationError("Choose a file to upload, or give a feed's address.")
        return data

    def refuse_file(self, message: str) -> None:
        """The file was dropped as it arrived (too large): say so, instead of "no file"."""
        self.is_valid()
        self.errors.pop(NON_FIELD_ERRORS, None)
        self.errors.pop("file", None)
        self.add_error("file", message)
