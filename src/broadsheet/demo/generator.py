"""A large synthetic site, so that scale is measured rather than guessed.

Text is made of pseudo-words with realistic lengths; a pool of bodies is rendered once
through the real Markdown pipeline and shared, so generating is bounded by inserts.
"""

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.content.models import Post, Tag
from broadsheet.content.services import EXCERPT_LENGTH
from broadsheet.core.markup import plain_text, render_comment, render_markdown, truncate_words
from broadsheet.search.indexing import index_posts

SYLLABLES = [
    "ka",
    "ri",
    "to",
    "na",
    "mi",
    "se",
    "lo",
    "ve",
    "an",
    "ter",
    "pol",
    "ist",
    "com",
    "mer",
    "gra",
    "dus",
    "tion",
    "al",
    "en",
    "re",
    "de",
    "pro",
    "con",
    "ma",
    "ble",
    "ing",
    "vel",
    "cor",
    "por",
    "ex",
    "it",
    "ly",
    "ment",
    "ra",
    "sta",
    "fi",
    "nan",
    "cial",
    "po",
    "li",
    "cy",
    "mar",
    "ket",
    "gov",
    "ern",
]
BATCH = 2000
BODY_POOL = 400
COMMENT_POOL = 500
YEARS = 8


@dataclass(frozen=True)
class GeneratedCounts:
    authors: int
    tags: int
    posts: int
    comments: int


def batched(iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class TextMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabulary = [self._word() for _ in range(3000)]

    def _word(self) -> str:
        return "".join(self.rng.choices(SYLLABLES, k=self.rng.choice((1, 1, 2, 2, 2, 3, 3, 4))))

    def sentence(self, words: tuple[int, int] = (8, 24)) -> str:
        chosen = self.rng.choices(self.vocabulary, k=self.rng.randint(*words))
        return " ".join(chosen).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def title(self) -> str:
        return self.sentence((3, 11)).rstrip(".")

    def body(self) -> str:
        parts = []
        for n in range(self.rng.randint(3, 12)):
            if n and n % 4 == 0:
                parts.append(f"## {self.title()}")
            parts.append(self.paragraph())
        parts.append(f"Further reading: https://example.org/{self.rng.choice(self.vocabulary)}")
        return "\n\n".join(parts)


def generate_site(
    *,
    posts: int,
    comments: int,
    tags: int,
    authors: int,
    seed: int = 1,
    progress: Callable[[str], None] = lambda message: None,
) -> GeneratedCounts:
    """Add authors, tags, published posts over the last years, and comments, in bulk."""
    rng = random.Random(seed)
    text = TextMaker(rng)
    now = timezone.now()
    run = f"{seed}-{rng.randrange(16**6):06x}"  # unique slugs, so the command can run twice

    with transaction.atomic():
        password = make_password(None)
        people = User.objects.bulk_create(
            User(
                username=f"gen-{run}-{n}",
                password=password,
                display_name=text.title()[:40],
                slug=f"gen-{run}-{n}",
                bio=text.sentence(),
            )
            for n in range(authors)
        )
        topics = Tag.objects.bulk_create(
            Tag(name=f"{text.title()[:60]} {run}-{n}", slug=f"topic-{run}-{n}") for n in range(tags)
        )
        progress(f"{len(people)} authors, {len(topics)} tags")

        bodies = []
        for _ in range(min(BODY_POOL, posts) or 1):
            body = text.body()
            html = render_markdown(body)
            bodies.append((body, html, truncate_words(plain_text(html), EXCERPT_LENGTH)))
        span = YEARS * 365 * 86400
        post_ids: list[int] = []
        for chunk in batched(range(posts), BATCH):
            objs = []
            for n in chunk:
                body, html, excerpt = rng.choice(bodies)
                published_at = now - datetime.timedelta(seconds=rng.randrange(span) + 60)
                objs.append(
                    Post(
                        title=text.title(),
                        slug=f"post-{run}-{n}",
                        author=rng.choice(people),
                        body=body,
                        body_html=html,
                        excerpt=excerpt,
                        status=Post.Status.PUBLISHED,
                        published_at=published_at,
                        published_month=Post.month_of(published_at),
                        created_at=published_at,
                        view_count=int(rng.paretovariate(1.2) * 20),
                    )
                )
            created = Post.objects.bulk_create(objs)
            post_ids.extend(p.pk for p in created)
            Post.tags.through.objects.bulk_create(
                Post.tags.through(post_id=p.pk, tag_id=t.pk)
                for p in created
                for t in rng.sample(topics, k=min(len(topics), rng.randint(1, 4)))
            )
            progress(f"{len(post_ids)} posts")

        def indexing_progress(done: int) -> None:
            if done % 10_000 == 0:
                progress(f"{done} posts indexed for search")

        indexed = index_posts(Post.objects.all(), progress=indexing_progress)
        progress(f"{indexed} posts indexed for search")

        pool = [(c, render_comment(c)) for c in (text.paragraph() for _ in range(COMMENT_POOL))]
        # A few posts draw most of the conversation, as on real sites.
        weights = [rng.paretovariate(1.0) for _ in post_ids]
        made = 0
        for chunk in batched(range(comments), BATCH * 5):
            targets = rng.choices(post_ids, weights=weights, k=len(chunk))
            said = []
            for post_id in targets:
                body, html = rng.choice(pool)
                said.append(
                    Comment(
                        post_id=post_id,
                        name=text.title()[:40],
                        body=body,
                        body_html=html,
                        created_at=now - datetime.timedelta(seconds=rng.randrange(span)),
                    )
                )
            Comment.objects.bulk_create(said, batch_size=BATCH)
            made += len(said)
            progress(f"{made} comments")
    return GeneratedCounts(len(people), len(topics), len(post_ids), made)
