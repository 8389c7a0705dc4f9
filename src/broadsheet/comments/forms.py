from django import forms

from broadsheet.comments.models import MAX_COMMENT_LENGTH


class CommentForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)
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
    # A field people never see: software that fills in every field gives itself away.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Please give a name to post under."

    def cleaned_data_for_comment(self) -> dict[str, str]:
        return {"name": self.cleaned_data["name"], "body": self.cleaned_data["body"]}

    @property
    def is_spam_trap_filled(self) -> bool:
        return bool(self.data.get("website"))
