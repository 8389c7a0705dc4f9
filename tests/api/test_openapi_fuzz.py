"""Every operation of /ghost/api/openapi.json, run with schemathesis against the app.

The description is the app's own, and every operation, reads and writes of both APIs, is
called with requests generated from it (valid and invalid), with a valid Content API key
or a fresh Admin API token: no answer may be a server error, and each must have a status
the description lists and a body that matches the schema given for it. Calls go to the
app in-process (WSGI), inside the test's transaction. Half the examples aim at a real
post, page, tag or author, so reads, edits and deletes get past their 404s.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from broadsheet.api import ids, openapi
from broadsheet.content.models import Page
from broadsheet.content.services import store_page
from tests.api.conftest import admin_token

# The document /ghost/api/openapi.json serves (test_openapi checks it is this one), read
# here rather than fetched: the site's middleware reads the database, closed at collection.
schema = schemathesis.openapi.from_dict(openapi.document())
schema.app = get_wsgi_application()  # as from_wsgi does: calls go to the app in-process
EXAMPLES = 20  # per operation: 33 operations in about half a minute
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def things(db, in_test_transaction, keys, make_post, make_tag, settings):
    """A published post with a tag, a page and the post's author: what real ids name."""
    settings.BROADSHEET_API_READS_PER_MINUTE = settings.BROADSHEET_API_WRITES_PER_MINUTE = 10**6
    tag = make_tag("News")
    post = make_post("Fuzzed", tags=[tag])
    page = store_page(Page(title="About", slug="about", body="About us.", status="published"))
    return {
        "keys": keys,
        "id": {
            "posts": (ids.encode(post.pk), post.slug),
            "pages": (ids.encode(page.pk), page.slug),
            "tags": (ids.encode(tag.pk), tag.slug),
            "authors": (ids.encode(post.author.pk), post.author.slug),
        },
    }


@pytest.fixture
def in_test_transaction():
    """The WSGI handler closes the connection after each request, as a server must; here
    that would close the test's transaction. Django's test client stops it the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@schema.given(real=st.booleans())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis folder; failures print how to reproduce them
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_keeps_to_the_description(case, real, things):
    _, content_key, admin_key = things["keys"]
    resource = case.operation.path.split("/")[4]
    if real and resource in things["id"] and case.path_parameters:
        id, slug = things["id"][resource]
        if "id" in case.path_parameters:
            case.path_parameters["id"] = id
        if "slug" in case.path_parameters:
            case.path_parameters["slug"] = slug
    if case.operation.path.startswith("/ghost/api/content/"):
        case.query = {**(case.query or {}), "key": content_key}
    else:
        case.headers = {**(case.headers or {}), "Authorization": f"Ghost {admin_token(admin_key)}"}
    case.call_and_validate(checks=CHECKS)
