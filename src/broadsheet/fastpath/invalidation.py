"""Any change to what the public sees moves the content generation on, after commit.

Signals are the right tool here: cache invalidation must follow every write, whether it
comes from a service, the admin, a bulk action or a migration, and it changes no rule of
the domain.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from broadsheet.core.board import board

PUBLIC_APPS = {
    "broadsheet_accounts",
    "broadsheet_comments",
    "broadsheet_content",
    "broadsheet_core",
    "broadsheet_media",
}
# Written often and never shown to readers: a writer's autosaves must not empty every
# reader's stored pages every few seconds.
PRIVATE_MODELS = {"revision", "invitation"}
PRIVATE_USER_FIELDS = {"last_login", "password", "totp_secret", "totp_last_step"}


def _is_public_write(sender, instance, update_fields) -> bool:
    # For a many-to-many change the sender is the link table; the instance says what changed.
    meta = instance._meta if instance is not None else sender._meta
    if meta.app_label not in PUBLIC_APPS or meta.model_name in PRIVATE_MODELS:
        return False
    if meta.model_name == "user" and update_fields:
        return not set(update_fields) <= PRIVATE_USER_FIELDS
    if meta.model_name == "post":
        # A draft that was not public before its save changes nothing readers see; a
        # scheduled one does, later (the fast path learns its time from the new generation).
        return (
            instance.is_published or instance.is_scheduled or getattr(instance, "was_public", True)
        )
    return True


def _on_write(sender, instance=None, update_fields=None, **kwargs) -> None:
    if _is_public_write(sender, instance, update_fields):
        transaction.on_commit(lambda: board().bump_content())


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"fastpath-{signal!r}")
