"""The studio's integration forms; the services check everything again."""

from django import forms
from django.core.exceptions import ValidationError

from broadsheet.accounts.models import Role
from broadsheet.integrations.models import Event
from broadsheet.integrations.services import MAX_URL_LENGTH, validate_target_url


class IntegrationForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=150,
        help_text="What it is, e.g. Zapier or the mobile app.",
    )
    role = forms.ChoiceField(
        label="Acts as",
        choices=[choice for choice in Role.choices if choice[0] != Role.OWNER],
        initial=Role.EDITOR,
        help_text="What its Admin API key may do, as a staff member with this role would.",
    )


class WebhookForm(forms.Form):
    event = forms.ChoiceField(label="Event", choices=Event.choices)
    target_url = forms.CharField(
        label="Target address",
        max_length=MAX_URL_LENGTH,
        help_text="An http:// or https:// address that takes a JSON POST for each event.",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )
    name = forms.CharField(label="Name", max_length=191, required=False)
    secret = forms.CharField(
        label="Secret",
        max_length=191,
        required=False,
        help_text=(
            "If given, each delivery is signed with it (the X-Ghost-Signature header, "
            "as Ghost signs); without one, deliveries are not signed."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_target_url(self) -> str:
        try:
            return validate_target_url(self.cleaned_data["target_url"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error
