"""Feeds and the sitemap cost the same number of queries for a small site as a large one.

Each URL is measured with 3 posts and then with 12 (more tags per post, and comments);
the count asserted is the same fixed number for both. Site settings are already cached,
as they are on any live site after its first request.
"""

import pytest
from django.urls import reverse

from broadsheet.comments.services import post_comment
from broadsheet.core.selectors import get_site_settings

SIZES = {"small": (3, 1, 0), "large": (12, 5, 3)}  # posts, tags per post, comments per post

# url name -> queries. Feeds: posts + one prefetch of authors and one of tags, plus the
# author or tag being looked up (and a tag's posts, if few: see `tagged`). Sitemap
# index: a count for each section.
# A section: its page.
EXPECTED = {
    "rss": 3,
    "atom": 3,
    "tag_rss": 5,
    "tag_atom": 5,
    "author_rss": 4,
    "post_comments": 2,
    "sitemap": 4,  # the standalone pages, then a count for each other section
    "sitemap_posts": 1,
}


@pytest.fixture(params=SIZES, ids=list(SIZES))
def sample(request, publish, new_tag, writer):
    posts, tags_per_post, comments_per_post = SIZES[request.param]
    tags = [new_tag(f"Tag {n}") for n in range(tags_per_post)]
    made = []
    for n in range(posts):
        post = publish(f"Post {n}", days_ago=n + 1, tags=tags)
        for c in range(comments_per_post):
            post_comment(post=post, name=f"Reader {c}", body=f"Comment {c}", approved=True)
        made.append(post)
    return {
        "tag": tags[0],
        "author": writer,
        "post": made[0],
        "posts": posts,
        "comments": comments_per_post,
    }


def url_for(name: str, sample: dict) -> str:
    if name.startswith("tag_"):
        return reverse(f"feeds:{name}", args=[sample["tag"].slug])
    if name.startswith("author_"):
        return reverse(f"feeds:{name}", args=[sample["author"].slug])
    if name == "post_comments":
        return reverse(f"feeds:{name}", args=[sample["post"].slug])
    if name == "sitemap_posts":
        return reverse("feeds:sitemap_section", kwargs={"section": "posts"})
    return reverse(f"feeds:{name}")


@pytest.mark.parametrize("name", EXPECTED)
def test_query_count_does_not_grow_with_the_site(client, sample, django_assert_num_queries, name):
    url = url_for(name, sample)
    get_site_settings()  # warm, as on a live site

    with django_assert_num_queries(EXPECTED[name]):
        response = client.get(url)

    assert response.status_code == 200
    # And the answer really covers the whole sample.
    if name == "post_comments":
        assert response.content.count(b"<entry>") == sample["comments"]
    elif name == "sitemap":
        assert response.content.count(b"<sitemap>") == 4
    elif name == "sitemap_posts":
        assert response.content.count(b"/posts/") == sample["posts"]
    else:
        assert (
            response.content.count(b"<entry>" if "atom" in name else b"<item>") == sample["posts"]
        )
