"""The API reference at /studio/api/: the OpenAPI description as a page, drawn on the
server from the same document clients read (no script, nothing from a CDN)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from broadsheet.accounts.permissions import Action
from broadsheet.api import openapi
from broadsheet.core.addresses import site_origin
from broadsheet.core.staff import staff_view


def _type(schema: dict[str, Any]) -> str:
    """A schema in a few words: "string or null", "array of Tag", "one of draft, …"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "const" in schema:
        return f"always “{schema['const']}”"
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if "oneOf" in schema:
        return " or ".join(_type(option) for option in schema["oneOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return "array of " + _type(schema.get("items", {}))
    if isinstance(kind, list):
        return " or ".join(kind)
    return kind + (f" ({schema['format']})" if "format" in schema else "")


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": operation["operationId"],
                    "summary": operation["summary"],
                    "api": operation["tags"][0],
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation["parameters"]
                    ],
                    "body": next(iter(operation.get("requestBody", {}).get("content", {})), ""),
                    "responses": [
                        (code, answer["description"])
                        for code, answer in operation["responses"].items()
                    ],
                }
            )
    return operations


def _schemas(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "fields": [
                (field, _type(schema), field in spec.get("required", []))
                for field, schema in spec.get("properties", {}).items()
            ],
        }
        for name, spec in document["components"]["schemas"].items()
    ]


@staff_view(Action.USE_STUDIO)
@require_safe
def reference(request: HttpRequest) -> HttpResponse:
    document = openapi.document()
    context = {
        "section": "api",
        "info": document["info"],
        "origin": site_origin(request),
        "operations": _operations(document),
        "schemas": _schemas(document),
    }
    return render(request, "api/reference.html", context)
