"""The fast path: rendered public pages served to anonymous readers without Django.

Django renders a page once (a view marked `decorators.reader_page`); the WSGI wrapper in
`app` keeps its bytes (plain, gzip and Brotli) in the page store (`store`) and serves them
until anything public changes. How every write reaches the store is told in
`invalidation`: content writes move the shared content generation (`core.board`) on, so
every process and machine stops serving the old bytes at once. Counts on a page (views,
likes) are filled in as it is served (`live`, and the `{% live_count %}` tag).
"""
