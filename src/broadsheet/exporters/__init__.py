"""Taking a site out: Broadsheet's own archive (`archive`: site.json, Markdown copies and
the media files, in one zip), a WordPress export (`wxr`), and restoring an archive
(`restore`). Run as `broadsheet export`; an archive comes back in by `broadsheet import`.
"""
