import time

from django import forms

from broadsheet.comments.models import MAX_COMMENT_LENGTH
from broadsheet.core.forms import NumberField


class CommentForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True, required=False)
    email = forms.EmailField(
        required=False,
        label="Email (optional, never shown)",
        help_text="Only to tell you of replies, if you ask.",
    )
    body = forms.CharField(
        label="Comment",
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Please write something before posting.",
            "max_length": "Comments can be at most %(limit_value)d characters "
            "(this one has %(show_value)d).",
        },
    )
    notify_replies = forms.BooleanField(required=False, label="Email me when someone replies")
    parent = NumberField(required=False)
    # Set by a line of script when the reader starts typing (milliseconds since the epoch).
    started = NumberField(required=False)
    # A field people never see: software that fills in every field gives itself away.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["name"].error_messages["required"] = "Please give a name to post under."
        if member is None:
            self.fields["name"].required = True
        else:  # a signed-in member comments under their own name and address
            del self.fields["name"], self.fields["email"]

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # Django's clean() returns cleaned_data
        if data.get("notify_replies") and self.member is None and not data.get("email"):
            self.add_error("email", "Give an email address to be told of replies.")
        return data

    def seconds_to_write(self) -> float | None:
        started = self.cleaned_data.get("started")
        return time.time() - started / 1000 if started else None

    @property
    def is_spam_trap_filled(self) -> bool:
        return bool(self.data.get("website"))


class EditCommentForm(forms.Form):
    body = CommentForm.base_fields["body"]
