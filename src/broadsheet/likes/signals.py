"""Sent after a like or an unlike is committed, so the fast path can refresh shown counts.

The likes app does not know about the page store; `fastpath` listens, as it does to the
view recorder.
"""

from django.dispatch import Signal

# Sent with `post_id` (the post whose page shows the changed count).
like_toggled = Signal()
