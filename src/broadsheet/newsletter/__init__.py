"""The newsletter: subscribers (double opt-in, one-click unsubscribe), and mailing a
published post to each of them exactly once (`Send` and one `Delivery` row per person,
delivered in batches by the background worker).

Writes are the actions in `services` (`request_subscription`, `confirm_subscription`,
`unsubscribe`, `start_send`, `resume_send`, ...); who may send is
`Action.SEND_NEWSLETTER` in `accounts.permissions`. Public pages are `views`, the studio's
page is `studio_views`.
"""
