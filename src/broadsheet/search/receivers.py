"""The index follows the content actions' signals, inside their transactions."""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import post_migrate

from broadsheet.content import signals as content_signals
from broadsheet.content.models import Post
from broadsheet.core.signals import site_settings_saved
from broadsheet.search import indexing
from broadsheet.search.engines import engine
from broadsheet.search.models import Entry


def on_post_changed(sender, *, post: Post, **kwargs) -> None:
    indexing.index_post(post)


def on_page_changed(sender, *, page, **kwargs) -> None:
    indexing.index_page(page)


def on_tag_changed(sender, *, post_ids: list[int], **kwargs) -> None:
    """A renamed or deleted tag changes the summary of each of its posts."""
    for post in Post.objects.filter(pk__in=post_ids):
        indexing.index_post(post)


def on_site_settings_saved(sender, *, changed: frozenset[str], **kwargs) -> None:
    """Stemming follows the site's language (on PostgreSQL): a new one reindexes
    everything, in the background."""
    if "language" in changed:
        from broadsheet.search.tasks import rebuild_index

        transaction.on_commit(lambda: rebuild_index.enqueue())


def on_flush(sender, *, using: str = DEFAULT_DB_ALIAS, plan=None, **kwargs) -> None:
    """`flush` (a test's reset, or an operator's) empties the entries' table without
    telling the engine, whose own tables it does not know: they are emptied too, so the
    index holds no row that is not an entry (the reader's search counts on it)."""
    if plan is None and using == DEFAULT_DB_ALIAS and not Entry.objects.exists():
        engine().clear()


def connect() -> None:
    content_signals.post_changed.connect(on_post_changed, dispatch_uid="search.post")
    content_signals.page_changed.connect(on_page_changed, dispatch_uid="search.page")
    content_signals.tag_changed.connect(on_tag_changed, dispatch_uid="search.tag")
    site_settings_saved.connect(on_site_settings_saved, dispatch_uid="search.language")
    search_app = apps.get_app_config("broadsheet_search")
    post_migrate.connect(on_flush, sender=search_app, dispatch_uid="search.flush")
