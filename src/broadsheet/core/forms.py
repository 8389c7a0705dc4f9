"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError

from broadsheet.core.numbers import MAX_DIGITS, parse_number


class NumberField(forms.Field):
    """A whole number from 1 to `maximum` (a hidden id, a timestamp), read by `parse_number`.

    Django's IntegerField takes any length and any digits `int()` takes; what the number is
    then used for (a lookup, a division) may not.
    """

    widget = forms.HiddenInput
    default_error_messages = {"invalid": "Enter a whole number."}

    def __init__(self, *, maximum: int = 10**MAX_DIGITS - 1, **kwargs) -> None:
        self.maximum = maximum
        super().__init__(**kwargs)

    def to_python(self, value) -> int | None:
        if value in self.empty_values:
            return None
        number = parse_number(str(value).strip(), maximum=self.maximum)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdsField(forms.ModelMultipleChoiceField):
    """Django's, refusing ids that are not numbers before it looks them up: its lookup of
    them all at once fails with a database error on one past 64 bits."""

    def clean(self, value):
        if isinstance(value, list | tuple) and any(
            parse_number(str(item)) is None for item in value if item not in self.empty_values
        ):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        return super().clean(value)
