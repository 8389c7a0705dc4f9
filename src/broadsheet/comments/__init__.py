"""Readers' comments: threads under a post, the spam defence, moderation and blocked
senders, the commenter's short edit window, and the notices (to the post's author, to a
commenter replied to) sent by the background worker.

Writes are the actions in `services` (`post_comment`, `edit_own_comment`,
`withdraw_own_comment`, `moderate`, `block_sender`); who may is decided in
`accounts.permissions`. Reads are in `selectors`; the post page that shows the threads is
assembled in `content.post_page`, and the studio's moderation queue is
`studio.views.comments`.
"""
