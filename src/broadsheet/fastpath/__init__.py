"""The fast path: rendered public pages served to anonymous readers without Django.

Django renders a page once; the WSGI wrapper in `app.py` keeps its bytes (plain, gzip
and Brotli) and serves them until anything public changes. Changes are announced by
bumping the shared content generation (`core/board.py`), so every process and machine
stops serving the old bytes at once. Counts on a page (views, likes) are filled in as
it is served (`live.py`).
"""
