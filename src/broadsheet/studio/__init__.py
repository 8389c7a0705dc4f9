"""The studio: the staff's pages at /studio/ for posts (list, editor, history, previews),
pages, tags, comments and site settings, with the studio's own forms and templates.

It owns no rules: its views check the door (`core.staff.staff_view`), shape input with
`forms`, and call the owning app's actions (`content.services`, `comments.services`,
`core.services`), which check the actor's permission themselves. The other staff pages
(staff and invitations, newsletter, media, stats) live in their own apps, behind the same
door.
"""
