"""Writes to the site settings: one action, whoever calls it (studio, admin, demo, tests)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.core.models import SiteSettings
from broadsheet.core.selectors import forget_site_settings
from broadsheet.core.signals import site_settings_saved


def save_site_settings(site: SiteSettings, *, actor: User | None = None) -> SiteSettings:
    """Save the one row, and everything a change implies, in one transaction.

    `actor` is the person saving (checked: owners and administrators); without one it is
    the system (the demo loader, tests). What follows from a change is done by the
    receivers of `core.signals.site_settings_saved` (content re-files the archive months
    when the time zone changes), inside this transaction. Other processes see the new
    settings when the save moves the generation on.
    """
    if actor is not None and not permissions.can(actor, permissions.Action.MANAGE_SETTINGS):
        raise PermissionDenied("Your role cannot change the site settings.")
    site.pk = 1
    try:
        with transaction.atomic():
            before = SiteSettings.objects.select_for_update().filter(pk=1).first()
            changed = _changed_fields(before or SiteSettings(), site)
            site.save()
            forget_site_settings()  # receivers read the new settings, as `Post.month_of` does
            site_settings_saved.send(sender=SiteSettings, site=site, changed=changed)
    finally:
        forget_site_settings()  # after a failure, not the copy read inside the transaction
    return site


def _changed_fields(before: SiteSettings, after: SiteSettings) -> frozenset[str]:
    fields = [field for field in SiteSettings._meta.concrete_fields if not field.primary_key]
    return frozenset(
        field.name
        for field in fields
        if field.value_from_object(before) != field.value_from_object(after)
    )
