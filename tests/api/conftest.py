"""An integration and clients that speak to the APIs as Ghost's clients do, and the fast
path around Django as a WSGI server calls it."""

import io
import time
from wsgiref.util import setup_testing_defaults

import jwt
import pytest
from django.core.wsgi import get_wsgi_application

from broadsheet.core.selectors import get_site_settings
from broadsheet.fastpath.app import FastPathApp
from broadsheet.integrations import services


@pytest.fixture
def keys(db):
    """(integration, content key, admin key) of an editor integration."""
    integration, issued = services.create_integration(actor=None, name="Static site")
    return integration, issued.content_key, issued.admin_key


def admin_token(admin_key: str, *, issued_at: float | None = None, audience="/admin/") -> str:
    """A token exactly as @tryghost/admin-api makes one (jsonwebtoken, 5 minutes)."""
    key_id, secret = admin_key.split(":")
    now = int(issued_at if issued_at is not None else time.time())
    claims = {"iat": now, "exp": now + 300, "aud": audience}
    return jwt.encode(claims, bytes.fromhex(secret), algorithm="HS256", headers={"kid": key_id})


@pytest.fixture
def content_get(client, keys):
    def get(path: str, **params):
        params.setdefault("key", keys[1])
        return client.get(f"/ghost/api/content/{path}", params, HTTP_ACCEPT_VERSION="v6.0")

    return get


@pytest.fixture
def admin(client, keys):
    """admin("post", "posts/", json={...}) with a fresh token each call."""

    def call(method: str, path: str, json=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Ghost {admin_token(keys[2])}", **extra}
        send = getattr(client, method)
        if json is not None:
            return send(
                f"/ghost/api/admin/{path}", json, content_type="application/json", **headers
            )
        return send(f"/ghost/api/admin/{path}", **headers)

    return call


class Answer:
    def __init__(self, status: str, headers: list, body: bytes) -> None:
        self.status_code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body


@pytest.fixture
def fast(transactional_db):
    """The fast path around Django, called as a WSGI server would."""
    get_site_settings()
    app = FastPathApp(get_wsgi_application())

    def call(path: str, query: str = "") -> Answer:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "HTTP_HOST": "testserver",
            "SERVER_NAME": "testserver",
            "wsgi.input": io.BytesIO(),
        }
        setup_testing_defaults(environ)
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)

        chunks = app(environ, start_response)
        return Answer(captured["status"], captured["headers"], b"".join(chunks))

    call.app = app  # type: ignore[attr-defined]
    return call


@pytest.fixture
def live_keys(transactional_db):
    integration, issued = services.create_integration(actor=None, name="Static site")
    return integration, issued.content_key
