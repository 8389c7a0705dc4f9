"""The OpenAPI description and the URLs agree, and the description is a valid OpenAPI 3.1
document: a route that answers is described (with the methods it answers), and nothing
is described that does not answer."""

import copy
import json
import re

import jsonschema
import pytest
import schemathesis
from django.urls import URLPattern

from broadsheet.api import openapi, urls

PREFIX = "/ghost/api/"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def dispatched_routes() -> dict[str, set[str]]:
    """Each route of `api.urls` made by the endpoints' dispatcher, with the methods of its
    endpoints, as OpenAPI writes the route (`posts/{id}/`)."""
    routes = {}
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        endpoints = getattr(pattern.callback, "endpoints", None)
        if endpoints is None:
            continue
        route = PREFIX + _CONVERTER.sub(r"{\1}", str(pattern.pattern))
        assert route not in routes, f"{route} is routed twice"
        routes[route] = {endpoint.method for endpoint in endpoints}
    return routes


def described() -> dict[str, set[str]]:
    return {
        path: {method.upper() for method in operations}
        for path, operations in openapi.document()["paths"].items()
    }


def test_every_route_but_two_is_a_dispatcher_of_endpoints():
    """Besides the description itself and the 404 for anything else, nothing under
    /ghost/api/ escapes the walk below."""
    others = [p for p in urls.urlpatterns if not hasattr(p.callback, "endpoints")]
    assert [str(p.pattern) for p in others] == ["openapi.json", "^"]


def test_the_description_has_every_route_with_its_methods_and_nothing_more():
    routes = dispatched_routes()
    assert len(routes) > 20
    assert described() == routes


@pytest.mark.django_db
def test_each_route_answers_the_methods_described_and_refuses_the_others(client):
    """Asked over HTTP, without a key: the described methods reach the door (401), the
    others are refused by the dispatcher (405) — the routes Django resolves, not a list.
    (HEAD, and OPTIONS on the Content API for CORS, come with GET and are not described.)"""
    for path, methods in described().items():
        url = path.replace("{id}", "0123456789abcdef01234567").replace("{slug}", "a-slug")
        for method in METHODS:
            answer = client.generic(method, url)
            expected = 401 if method in methods else 405
            assert answer.status_code == expected, (method, url, answer.content[:200])
            assert answer.json()["errors"][0]["type"]


@pytest.mark.django_db
def test_what_is_not_described_is_ghosts_404(client):
    for url in ("/ghost/api/content/members/", "/ghost/api/admin/themes/upload/", "/ghost/api/"):
        answer = client.get(url)
        assert answer.status_code == 404
        assert answer.json()["errors"][0]["type"] == "NotFoundError"


@pytest.mark.django_db
def test_the_served_description_is_the_document(client):
    answer = client.get("/ghost/api/openapi.json")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == openapi.document()


def test_the_document_is_valid_openapi_3_1():
    """Checked against OpenAPI 3.1's own schema (the one schemathesis ships), which must
    itself catch a broken document."""
    schemathesis.openapi.from_dict(copy.deepcopy(openapi.document())).validate()
    broken = copy.deepcopy(openapi.document())
    broken["paths"]["/ghost/api/content/posts/"]["get"]["responses"]["200"] = {"content": {}}
    with pytest.raises(Exception, match="description"):
        schemathesis.openapi.from_dict(broken).validate()


@pytest.mark.parametrize("name", sorted(openapi.document()["components"]["schemas"]))
def test_every_schema_is_a_valid_json_schema(name):
    jsonschema.Draft202012Validator.check_schema(openapi.document()["components"]["schemas"][name])


def test_every_operation_has_a_unique_id_and_every_reference_resolves():
    document = openapi.document()
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    schemas = document["components"]["schemas"]
    for reference in re.findall(r'"\$ref": "([^"]+)"', json.dumps(document)):
        assert reference.removeprefix("#/components/schemas/") in schemas, reference
