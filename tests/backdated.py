"""Signed links made in the past: a real signature whose timestamp is old, so a link's
expiry is tested without touching the clock."""

import time

from django.core import signing


class BackdatedSigner(signing.TimestampSigner):
    def __init__(self, *, seconds_ago: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seconds_ago = seconds_ago

    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time() - self.seconds_ago))
