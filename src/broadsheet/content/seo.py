"""What search engines and link previews are told about a post."""

from django.http import HttpRequest

from broadsheet.content.models import Post


def blog_posting(post: Post, request: HttpRequest) -> dict:
    """schema.org BlogPosting, for search engines' rich results."""
    url = request.build_absolute_uri(post.get_absolute_url())
    author = post.author
    return {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": post.title,
        "description": post.excerpt,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": post.published_at,
        "dateModified": post.last_changed_at,
        "author": {
            "@type": "Person",
            "name": author.public_name,
            "url": request.build_absolute_uri(author.get_absolute_url()),
        },
        "keywords": [tag.name for tag in post.tags.all()],
    }
