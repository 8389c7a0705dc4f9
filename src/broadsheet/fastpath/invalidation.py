"""How every write reaches the page store: the one place that says so.

Stored pages (`fastpath.store`) are served while two shared numbers (`core.board`) stay
as they were when the page was rendered. Every write moves one of them, one way each:

- **Content** (posts, pages, tags, comments, images, authors, site settings): any save,
  delete or many-to-many change of a public model moves the content generation on, after
  commit, through the signals below. Site settings are such a model: their cached copy
  is read only while the generation stays the same (`core.selectors.get_site_settings`).
  Signals are the right tool here: invalidation must follow every write, whether it comes
  from a service, the admin, a bulk action or a migration, and it changes no rule of the
  domain. A write that readers cannot see says so with `private_writes()`: `content.
  services.save_post` does for a draft that never was public, so a writer's saves do not
  empty every reader's stored pages. Many writes that commit together (an import) say so
  with `batched_writes()`: one move when they commit.
- **Counts** (views, likes): the numbers are filled in as a page is served, so a count
  write does not touch the generation; it runs inside `board().counts_write()` (the view
  recorder, `likes.services`, the demo loader), which tells every process to read counts
  afresh (`fastpath.live`). A count written without it is not seen until the next one.
- **Time**: a scheduled post becomes public, and a prediction whose date has passed
  awaits resolution, with no write at all; the fast path moves the generation on itself
  when the next of those moments comes (`fastpath.app`).
"""

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from broadsheet.core.board import board

PUBLIC_APPS = {
    "broadsheet_accounts",
    "broadsheet_comments",
    "broadsheet_content",
    "broadsheet_core",
    "broadsheet_media",
    "broadsheet_predictions",
}
# Written often and never shown to readers: a writer's autosaves must not empty every
# reader's stored pages every few seconds.
PRIVATE_MODELS = {"revision", "invitation"}
PRIVATE_USER_FIELDS = {"last_login", "password", "totp_secret", "totp_last_step"}

_private = contextvars.ContextVar("broadsheet_private_writes", default=False)


@contextlib.contextmanager
def private_writes(private: bool = True) -> Iterator[None]:
    """The writes made inside change nothing readers see, so they leave the content
    generation alone. `private=False` changes nothing, for callers that decide per write."""
    token = _private.set(private or _private.get())
    try:
        yield
    finally:
        _private.reset(token)


@contextlib.contextmanager
def batched_writes() -> Iterator[None]:
    """Thousands of public writes (an import), one move of the generation when they commit,
    instead of one queued per row."""
    with private_writes():
        yield
    transaction.on_commit(lambda: board().bump_content())


def _is_public_write(sender, instance, update_fields) -> bool:
    if _private.get():
        return False
    # For a many-to-many change the sender is the link table; the instance says what changed.
    meta = instance._meta if instance is not None else sender._meta
    if meta.app_label not in PUBLIC_APPS or meta.model_name in PRIVATE_MODELS:
        return False
    if meta.model_name == "user" and update_fields:
        return not set(update_fields) <= PRIVATE_USER_FIELDS
    return True


def _on_write(sender, instance=None, update_fields=None, **kwargs) -> None:
    if _is_public_write(sender, instance, update_fields):
        transaction.on_commit(lambda: board().bump_content())


def connect() -> None:
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_write, dispatch_uid=f"fastpath-{signal!r}")
