"""Content: posts, pages, tags, revisions and old addresses, and the public pages that
show them (home, post, tag, author, archive, page).

It owns every write to these through the named actions in `services` (save, submit,
publish, schedule, unpublish, autosave, restore, trash; pages and tags; publishing due
posts), the reads of the public pages in `selectors`, the rule of what the public may see
(`models.published_filter`, which `Post.is_published` reads too), and the worker's task
that publishes scheduled posts (`tasks`). Who may do what is asked of
`accounts.permissions`; how writes reach stored pages is told in `fastpath.invalidation`.
"""
