"""Old addresses that keep working: a path a post, page, tag or author was known by
elsewhere (an imported blog's permalinks) answers with a 301 to where it lives now."""
