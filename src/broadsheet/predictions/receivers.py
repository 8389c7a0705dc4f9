"""The record follows the content actions' signals, inside their transactions: a post
made public with a block that cannot be read is refused there (the whole write rolls
back), and a published post's predictions are kept in step with its text, except while a
restore writes the record as its archive has it (`services.record_restored`)."""

from broadsheet.content import signals as content_signals
from broadsheet.content.models import Post
from broadsheet.core.markup import render_fence_with
from broadsheet.predictions import services
from broadsheet.predictions.blocks import FENCE
from broadsheet.predictions.rendering import render_block


def on_post_changed(sender, *, post: Post, **kwargs) -> None:
    if post.is_published and not services.is_record_restored():
        services.sync_post(post)
    elif post.is_published or post.is_scheduled:
        services.check_publishable(post)


def connect() -> None:
    render_fence_with(FENCE, render_block)
    content_signals.post_changed.connect(on_post_changed, dispatch_uid="predictions-post")
