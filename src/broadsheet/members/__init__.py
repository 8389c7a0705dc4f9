"""Readers with an account and no role: signing in by a one-time emailed link (no password),
and their account page (name, newsletter subscription, deleting everything)."""
