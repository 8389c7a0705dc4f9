"""Reads for the integration pages and the command."""

from django.conf import settings
from django.db.models import Count, QuerySet

from broadsheet.integrations.models import Integration, WebhookDelivery

RECENT_DELIVERIES = 50


def integrations() -> QuerySet[Integration]:
    """Every integration, newest first, active or revoked, with its webhook count."""
    return Integration.objects.select_related("created_by").annotate(
        webhook_count=Count("webhooks")
    )


def recent_deliveries(integration: Integration) -> list[WebhookDelivery]:
    return list(
        WebhookDelivery.objects.filter(webhook__integration=integration)
        .select_related("webhook")
        .order_by("-created_at", "-id")[:RECENT_DELIVERIES]
    )


def api_urls(site_url: str = "") -> dict[str, str]:
    """What a client is given: Ghost's clients take the site's address and add the API's
    path themselves; the full addresses are for people and plain HTTP tools."""
    site = (site_url or settings.SITE_URL).rstrip("/")
    return {
        "site": site or "<the site's address>",
        "content": f"{site}/ghost/api/content/",
        "admin": f"{site}/ghost/api/admin/",
    }
