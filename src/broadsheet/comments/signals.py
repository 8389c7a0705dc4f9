"""`comment_published`: `comment` became visible to readers (posted approved, or approved
by a moderator). Sent inside the write's transaction, for the webhooks of `api.events`."""

from django.dispatch import Signal

comment_published = Signal()
