"""An Atom feed of resolutions: each entry a prediction as it was resolved (came true, did
not, voided), newest first, for the whole site or one author's or tag's record. A
corrected resolution is the same entry, updated. A fixed number of queries: the filters'
two, and the entries with their posts and authors in one.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import SyndicationFeed

from broadsheet.core.markup import absolute_urls
from broadsheet.core.selectors import get_site_settings
from broadsheet.feeds.generators import FullContentAtom
from broadsheet.predictions import selectors
from broadsheet.predictions.models import Prediction
from broadsheet.predictions.selectors import Filters

FEED_SIZE = 50


class ResolutionFeed(Feed):
    feed_type = FullContentAtom

    def get_object(self, request: HttpRequest) -> Filters:
        return selectors.chosen_filters(
            author=request.GET.get("author", ""), tag=request.GET.get("tag", "")
        )

    def title(self, obj: Filters) -> str:
        whose = f" by {obj.author.public_name}" if obj.author else ""
        about = f" on {obj.tag.name}" if obj.tag else ""
        return f"Resolved predictions{whose}{about} · {get_site_settings().title}"

    def subtitle(self, obj: Filters) -> str:
        return "How each prediction came out, as it is resolved."

    def link(self, obj: Filters) -> str:
        return reverse("predictions:record") + obj.query

    def feed_url(self, obj: Filters) -> str:
        return reverse("predictions:feed") + obj.query

    def items(self, obj: Filters) -> list[Prediction]:
        return list(selectors.resolved_predictions(obj.predictions())[:FEED_SIZE])

    def item_title(self, item: Prediction) -> str:
        return f"{item.get_outcome_display().capitalize()}: {item.statement}"

    def item_description(self, item: Prediction) -> str:
        return item.resolution_note or f"{item.get_outcome_display().capitalize()}."

    def item_link(self, item: Prediction) -> str:
        # A withdrawn post has no card to open: its author's record lists it.
        if item.from_public_post:  # type: ignore[attr-defined]  # annotated by the selector
            return item.get_absolute_url()
        return reverse("predictions:record")

    def item_guid(self, item: Prediction) -> str:
        # Its own, whatever becomes of its post; made a tag URI in `get_feed`.
        return f"{item.made_at:%Y-%m-%d}:prediction-{item.pk}"

    def item_pubdate(self, item: Prediction) -> datetime.datetime | None:
        return item.resolved_at

    def item_updateddate(self, item: Prediction) -> datetime.datetime | None:
        return item.resolved_at

    def item_author_name(self, item: Prediction) -> str:
        return item.author.public_name

    def item_extra_kwargs(self, item: Prediction) -> dict[str, str]:
        return {"content_html": render_to_string("predictions/feed_entry.html", {"p": item})}

    def get_feed(self, obj: Filters, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        origin = request.build_absolute_uri("/").rstrip("/")
        domain = split_domain_port(request.get_host())[0] or "localhost"
        for entry in feed.items:
            entry["unique_id"] = f"tag:{domain},{entry['unique_id']}"
            entry["content_html"] = absolute_urls(entry["content_html"], origin)
        return feed
