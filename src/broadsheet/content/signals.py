"""What the content actions announce to the apps above them (the API's webhooks, the
search index), which content must not import. Sent inside the write's transaction; a
receiver's writes commit or roll back with it.

- `post_changed`: `post` (as saved), `was_public` (before the write), `trashed` (moved to
  the trash by this write). Sent by every write of a post's row through the actions and
  by `publish_due_posts` (a scheduled post whose time came counts as not public before).
- `page_changed`: `page`, `was_published`.
- `tag_changed`: `post_ids`, the posts whose tags now read differently (a tag renamed
  or deleted; sent after the write).
"""

from django.dispatch import Signal

post_changed = Signal()
page_changed = Signal()
tag_changed = Signal()
