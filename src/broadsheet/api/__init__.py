"""Ghost's Content and Admin APIs, answered closely enough that Ghost's own clients work
unchanged: the filter language (`nql`), the objects as Ghost shapes them
(`serializers`), the read endpoints at `/ghost/api/content/` and the writes at
`/ghost/api/admin/` (which go through the same actions as the studio), and the OpenAPI
description generated from the endpoints themselves. No models: keys and webhooks are
`integrations`.
"""
