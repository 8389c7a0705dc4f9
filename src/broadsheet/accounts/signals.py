"""`member_added`: a reader joined (`user`, a member account made on first sign-in; or
`email` and `name`, a newsletter subscription confirmed without an account). Sent inside
the transaction that made them, for the webhooks of `api.events`."""

from django.dispatch import Signal

member_added = Signal()
