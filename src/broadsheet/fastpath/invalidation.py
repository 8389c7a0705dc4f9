"""Any change to what the public sees moves the content generation on, after commit.

Signals are the right tool here: cache invalidation must follow every write, whether it
comes from a service, the admin, a bulk action or a migration, and it changes no rule of
the domain.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from broadsheet.fastpath.generation import generations

PUBLIC_APPS = {
    "broadsheet_accounts",
    "broadsheet_comments",
    "broadsheet_content",
    "broadsheet_core",
}


def _on_write(sender, **kwargs) -> None:
    if sender._meta.app_label in PUBLIC_APPS:
        transaction.on_commit(lambda: generations().bump("content"))


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"fastpath-{signal!r}")
