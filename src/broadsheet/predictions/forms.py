from django import forms

from broadsheet.predictions.blocks import LONGEST_SOURCE
from broadsheet.predictions.models import Outcome
from broadsheet.predictions.services import LONGEST_NOTE

OUTCOME_CHOICES = [
    (Outcome.TRUE, "Came true"),
    (Outcome.FALSE, "Did not come true"),
    (Outcome.VOID, "Voided: it cannot be judged (the question fell away, or no one can tell)"),
]


class ResolveForm(forms.Form):
    """How a prediction came out; `services.resolve` checks it again."""

    outcome = forms.ChoiceField(
        label="How did it come out?",
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how it came out.",
            "invalid_choice": "Choose how it came out.",
        },
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=LONGEST_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What happened, in a sentence or two; shown on the card.",
    )
    source = forms.URLField(
        label="Source (optional)",
        required=False,
        max_length=LONGEST_SOURCE,
        assume_scheme="https",
        help_text="A link that shows the outcome.",
        error_messages={"invalid": "The source must be a web address (https://…)."},
    )
