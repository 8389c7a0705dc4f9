"""On the demo site: a phrase from any post finds that post first, with the passage; a
draft's words find nothing."""

import random
import re

import pytest

from broadsheet.content.models import Post
from broadsheet.core.markup import plain_text
from broadsheet.demo.loader import load_demo
from broadsheet.search.selectors import search

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<figure class="prediction.*?</figure>', re.DOTALL)


def test_the_demo_is_searchable_as_readers_expect():
    load_demo()
    rng = random.Random(14)
    posts = list(Post.objects.published())
    assert len(posts) >= 5
    for post in posts:
        # The writer's prose: a prediction card's own words ("likely", "resolves by") are
        # in every post that has one.
        prose = CARD.sub(" ", post.body_html)
        words = re.findall(r"\w+", plain_text(prose))
        phrase = ""
        while sum(len(word) > 3 for word in phrase.split()) < 4:  # not stop words alone
            start = rng.randrange(len(words) - 6)
            phrase = " ".join(words[start : start + 6])
        results = search(f'"{phrase}"')
        assert results.hits, phrase
        assert results.hits[0].post_id == post.pk, phrase
        assert "<mark>" in results.hits[0].snippet

    drafts = Post.objects.exclude(pk__in=Post.objects.published())
    assert drafts.exists()
    for draft in drafts:
        assert draft.pk not in {hit.post_id for hit in search(draft.title).hits}
