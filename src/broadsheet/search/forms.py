from django import forms

from broadsheet.search.query import LONGEST_QUERY


class SearchForm(forms.Form):
    """The search page's query string. Nothing in it is ever an error: a value that does
    not fit is dropped (the search runs without that filter), and the query is cut."""

    q = forms.CharField(required=False, strip=True)
    tag = forms.SlugField(required=False, max_length=100)
    author = forms.SlugField(required=False, max_length=150)
    year = forms.IntegerField(required=False, min_value=1900, max_value=9999)

    def value(self, name: str):
        """The field's clean value, or its empty value when what was sent does not fit."""
        if not self.is_bound:
            return None
        self.is_valid()
        if name == "q":
            return self.data.get("q", "").strip()[:LONGEST_QUERY]
        return self.cleaned_data.get(name) if name not in self.errors else None
