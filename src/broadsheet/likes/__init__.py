"""Readers' likes of posts and comments: one per browser (known by a keyed hash of a random
cookie, `readers`), counted on the post or comment in the same transaction
(`services.toggle_like`), capped per minute (`ratelimit`), for public things only
(`selectors`). No account, no address is kept.
"""
