"""Newsletter reads for the account page and the studio."""

from django.db.models import Count

from broadsheet.accounts.models import User
from broadsheet.content.models import Post
from broadsheet.newsletter.models import Send, Subscriber


def subscription_for(user: User) -> Subscriber | None:
    """The subscription of a signed-in person, by account or by address."""
    found = Subscriber.objects.filter(member=user).first()
    if found is None and user.email:
        found = Subscriber.objects.filter(email__iexact=user.email).first()
    return found


def subscriber_counts() -> dict[str, int]:
    counts = dict.fromkeys(Subscriber.Status.values, 0)
    for row in Subscriber.objects.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def recent_posts_with_sends(limit: int = 10) -> list[tuple[Post, Send | None]]:
    """The latest published posts, each with its send if it has one (two queries)."""
    posts = list(
        Post.objects.published()
        .order_by("-published_at")
        .only("pk", "title", "slug", "published_at")[:limit]
    )
    sends = {send.post_id: send for send in Send.objects.filter(post__in=posts)}
    return [(post, sends.get(post.pk)) for post in posts]
