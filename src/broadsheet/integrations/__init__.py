"""What outside systems use to reach the site: integrations (a Content API key and an
Admin API key, acting as a staff role), the webhooks they register and the log of every
delivery. The APIs themselves are `api`.
"""
