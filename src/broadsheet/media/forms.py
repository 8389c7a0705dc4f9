"""The library's forms: what people type; the rules about the file itself live in services."""

from django import forms

from broadsheet.media.services import ALT_MAX_LENGTH

ALT_REQUIRED = (
    "Describe the image for readers who cannot see it, or tick “Decorative image” "
    "if it adds nothing to the text."
)


class UploadForm(forms.Form):
    """A file and its alt text, which is asked for unless the image is marked decorative."""

    file = forms.FileField(
        label="Image file",
        error_messages={
            "required": "Choose an image to upload.",
            "empty": "This file is empty.",
            "invalid": "No file was received: choose an image and try again.",
        },
    )
    alt = forms.CharField(label="Alt text", max_length=ALT_MAX_LENGTH, required=False)
    decorative = forms.BooleanField(label="Decorative image", required=False)

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Django's clean() returns cleaned_data
        if data.get("decorative"):
            data["alt"] = ""
        elif not (data.get("alt") or "").strip() and "alt" not in self.errors:
            self.add_error("alt", ALT_REQUIRED)
        return data


class AltForm(forms.Form):
    alt = forms.CharField(label="Alt text", max_length=ALT_MAX_LENGTH, required=False)
