"""The OpenAPI 3.1 description of both APIs, made from `api.endpoints.ENDPOINTS` and
`api.schemas`: a route added there is described here, and a test checks every route the
URLs answer is in the description (and nothing more)."""

import functools
import re
from typing import Any

from django.http import HttpRequest, JsonResponse

from broadsheet.api.endpoints import ENDPOINTS, Endpoint
from broadsheet.api.schemas import COMPONENTS, RESOURCES

PREFIX = "/ghost/api/"
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
_ERRORS = {
    "400": "The request is malformed",
    "401": "No valid key or token",
    "403": "The integration's role may not do this",
    "404": "Nothing by that id or slug",
    "409": "The post changed since the updated_at sent",
    "413": "The body or file is too large",
    "415": "The body is not JSON",
    "422": "A parameter or field is not valid",
    "429": "Too many requests for this key; see Retry-After",
}
_QUERY = {
    "include": "Related things to add: tags, authors (posts, pages); count.posts (tags, authors)",
    "fields": "Only these fields, comma-separated",
    "formats": "html (the default), plaintext",
    "filter": "Ghost's filter language (NQL), e.g. tag:news+featured:true",
    "limit": "How many a page (1 to 100, 15 by default; all means 100)",
    "page": "Which page, from 1",
    "order": "e.g. published_at desc, title asc",
}
_READ_QUERY = ("include", "fields", "formats")
# Broadsheet's own parameter, not Ghost's: the lists of posts and pages take it.
_SEARCH = {
    "name": "search",
    "in": "query",
    "description": (
        "Broadsheet's extension, not in Ghost's API: only the posts or pages matching "
        'these words (all of them; "a phrase", -word to leave out, word* for a prefix), '
        "best first unless order is given. Combines with filter, include, fields, limit "
        "and page. Any text is accepted; one with nothing to look for (empty, or only "
        "-words) searches nothing and lists all, as without it."
    ),
    "schema": {"type": "string"},
    "x-broadsheet-extension": True,
}


def path_of(endpoint: Endpoint) -> str:
    return PREFIX + endpoint.api + "/" + _CONVERTER.sub(r"{\1}", endpoint.route)


def _parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    names = _CONVERTER.findall(endpoint.route)
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in names
    ]
    query = _QUERY if endpoint.kind == "browse" else {}
    if endpoint.kind == "read":
        query = {name: _QUERY[name] for name in _READ_QUERY}
    parameters += [
        {"name": name, "in": "query", "description": text, "schema": {"type": "string"}}
        for name, text in query.items()
    ]
    if endpoint.kind == "browse" and endpoint.resource in ("posts", "pages"):
        parameters.append(dict(_SEARCH))
    if endpoint.resource == "posts" and endpoint.kind in ("add", "edit"):
        parameters += [
            {
                "name": "source",
                "in": "query",
                "description": "html: the post's html is its body",
                "schema": {"enum": ["html"]},
            },
            {
                "name": "newsletter",
                "in": "query",
                "description": "Also send the post to the newsletter's subscribers",
                "schema": {"type": "string"},
            },
        ]
    parameters.append(
        {
            "name": "Accept-Version",
            "in": "header",
            "description": "Ghost's API version the client speaks (v5.0, v6.0)",
            "schema": {"type": "string"},
        }
    )
    return parameters


def _ref(resource: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{RESOURCES[resource][0]}"}


def _answer(endpoint: Endpoint) -> dict[str, Any]:
    item = _ref(endpoint.resource)
    properties: dict[str, Any]
    if endpoint.kind == "browse":
        properties = {
            endpoint.resource: {"type": "array", "items": item},
            "meta": {
                "type": "object",
                "properties": {"pagination": {"$ref": "#/components/schemas/Pagination"}},
                "required": ["pagination"],
            },
        }
    elif endpoint.kind == "object":
        properties = {endpoint.resource: item}
    else:
        properties = {endpoint.resource: {"type": "array", "items": item, "minItems": 1}}
    return {
        "type": "object",
        "properties": properties,
        "required": [endpoint.resource],
    }


def _responses(endpoint: Endpoint) -> dict[str, Any]:
    if endpoint.kind == "delete":
        responses: dict[str, Any] = {"204": {"description": "Deleted (a post: to the trash)"}}
    else:
        status = "201" if endpoint.kind in ("add", "upload") else "200"
        responses = {
            status: {
                "description": endpoint.summary,
                "content": {"application/json": {"schema": _answer(endpoint)}},
            }
        }
    if endpoint.method == "GET":
        responses["304"] = {"description": "Not modified since the ETag sent"}
    codes = ["400", "401", "404", "422", "429"] if endpoint.api == "content" else list(_ERRORS)
    for code in codes:
        responses[code] = {"description": _ERRORS[code], "content": _ERROR}
    return responses


def _body(endpoint: Endpoint) -> dict[str, Any] | None:
    if endpoint.kind == "upload":
        schema = {
            "type": "object",
            "properties": {
                "file": {"type": "string", "contentMediaType": "application/octet-stream"},
                "ref": {"type": "string"},
            },
            "required": ["file"],
        }
        return {"required": True, "content": {"multipart/form-data": {"schema": schema}}}
    if endpoint.kind not in ("add", "edit"):
        return None
    schema = {
        "type": "object",
        "properties": {
            endpoint.resource: {
                "type": "array",
                "items": _ref(endpoint.resource),
                "minItems": 1,
                "maxItems": 1,
            }
        },
        "required": [endpoint.resource],
    }
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": f"{endpoint.api}_{endpoint.kind}_{endpoint.resource}"
        + ("_by_slug" if "slug" in endpoint.route else ""),
        "summary": endpoint.summary,
        "tags": [f"{endpoint.api.title()} API"],
        "security": [{"contentKey": []}] if endpoint.api == "content" else [{"adminToken": []}],
        "parameters": _parameters(endpoint),
        "responses": _responses(endpoint),
    }
    if (body := _body(endpoint)) is not None:
        operation["requestBody"] = body
    return operation


@functools.cache
def document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in ENDPOINTS:
        paths.setdefault(path_of(endpoint), {})[endpoint.method.lower()] = _operation(endpoint)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Broadsheet's Ghost-compatible API",
            "version": "6.0",
            "description": (
                "Ghost's Content API (read-only, a Content API key as ?key=) and Admin API "
                "(Authorization: Ghost <token>, a JWT signed with the Admin API key's secret), "
                "answered closely enough that Ghost's own clients work unchanged. Two "
                "additions of Broadsheet's own, which Ghost does not have: the search "
                "parameter of the lists of posts and pages, and a post's predictions."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {
                "contentKey": {"type": "apiKey", "in": "query", "name": "key"},
                "adminToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "Ghost <JWT>: HS256, kid = key id, aud /admin/, 5 minutes",
                },
            },
        },
    }


def description(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(document(), json_dumps_params={"indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response
