"""What feed readers and search engines fetch: RSS and Atom feeds with each post's full
text (the site's, an author's, a tag's, a post's comments; `feeds`, `generators`), the
sitemap index and its sections in pages of 1,000 (`sitemaps`, `views`), and `robots.txt`.
Each is the same for every reader, so the fast path keeps it; there are no models."""
