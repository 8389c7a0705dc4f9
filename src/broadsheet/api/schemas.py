"""JSON Schemas of what the APIs answer and take, for the OpenAPI description. The
serializers' tests check real answers against these, so neither can change alone."""

from typing import Any

_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_DATE = {"type": ["string", "null"], "format": "date-time"}
_ID = {"type": "string", "pattern": "^[0-9a-f]{24}$"}
_COUNT = {
    "type": "object",
    "properties": {"posts": {"type": "integer", "minimum": 0}},
    "required": ["posts"],
}


def _object(properties: dict[str, Any], *, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else [],
    }


TAG = _object(
    {
        "id": _ID,
        "name": _STRING,
        "slug": _STRING,
        "description": _NULLABLE_STRING,
        "visibility": {"const": "public"},
        "url": _STRING,
        "count": _COUNT,
    },
    required=[],
)
AUTHOR = _object(
    {
        "id": _ID,
        "name": _STRING,
        "slug": _NULLABLE_STRING,
        "profile_image": _NULLABLE_STRING,
        "bio": _NULLABLE_STRING,
        "url": _STRING,
        "count": _COUNT,
    }
)
_POST_PROPERTIES: dict[str, Any] = {
    "id": _ID,
    "uuid": {"type": "string", "format": "uuid"},
    "title": _STRING,
    "slug": _STRING,
    "html": _NULLABLE_STRING,
    "plaintext": _STRING,
    "excerpt": _STRING,
    "custom_excerpt": _NULLABLE_STRING,
    "feature_image": _NULLABLE_STRING,
    "feature_image_alt": _NULLABLE_STRING,
    "featured": {"type": "boolean"},
    "visibility": {"const": "public"},
    "published_at": _DATE,
    "updated_at": _DATE,
    "created_at": _DATE,
    "reading_time": {"type": "integer", "minimum": 0},
    "url": _STRING,
    "canonical_url": _NULLABLE_STRING,
    "meta_title": _NULLABLE_STRING,
    "meta_description": _NULLABLE_STRING,
    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
    "authors": {"type": "array", "items": {"$ref": "#/components/schemas/Author"}},
    "primary_tag": {"oneOf": [{"$ref": "#/components/schemas/Tag"}, {"type": "null"}]},
    "primary_author": {"oneOf": [{"$ref": "#/components/schemas/Author"}, {"type": "null"}]},
    "status": {"enum": ["draft", "published", "scheduled"]},
    "markdown": _STRING,
}
_FRACTION = {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}
# Broadsheet's own, which Ghost does not have: a post's predictions (`serializers`).
PREDICTION = _object(
    {
        "number": {"type": "integer", "minimum": 1, "description": "Its anchor in the post"},
        "url": {**_STRING, "description": "The post's address with #prediction-<number>"},
        "statement": _STRING,
        "probability": {**_FRACTION, "description": "How likely, as the text says now: 0.15"},
        "first_probability": {
            **_FRACTION,
            "description": "The probability it was first published with, which is scored",
        },
        "resolves_on": {"type": "string", "format": "date"},
        "criteria": _NULLABLE_STRING,
        "source": _NULLABLE_STRING,
        "state": {
            "enum": ["open", "awaiting", "true", "false", "void"],
            "description": "awaiting: its date has passed, not yet resolved",
        },
        "outcome": {"enum": ["true", "false", "void", None]},
        "resolved_at": _DATE,
        "resolution_note": _NULLABLE_STRING,
        "resolution_source": _NULLABLE_STRING,
    },
    required=[
        "number",
        "url",
        "statement",
        "probability",
        "first_probability",
        "resolves_on",
        "criteria",
        "source",
        "state",
        "outcome",
        "resolved_at",
        "resolution_note",
        "resolution_source",
    ],
)
POST = _object(
    {
        **_POST_PROPERTIES,
        "views": {"type": "integer", "minimum": 0},
        "likes": {"type": "integer", "minimum": 0},
        "comment_count": {"type": "integer", "minimum": 0},
        "predictions": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/Prediction"},
            "description": (
                "Broadsheet's extension, not in Ghost's API: the predictions stated in the "
                "post, in the text's order, each with its state and resolution"
            ),
            "x-broadsheet-extension": True,
        },
    }
)
PAGE = _object(_POST_PROPERTIES)
SETTINGS = _object(
    {
        "title": _STRING,
        "description": _STRING,
        "logo": _NULLABLE_STRING,
        "lang": _STRING,
        "timezone": _STRING,
        "navigation": {
            "type": "array",
            "items": _object({"label": _STRING, "url": _STRING}, required=["label", "url"]),
        },
        "url": _STRING,
    },
    required=["title", "url"],
)
SITE = _object({"title": _STRING, "url": _STRING, "version": _STRING}, required=["title", "url"])
IMAGE = _object({"url": _STRING, "ref": _NULLABLE_STRING}, required=["url"])
PAGINATION = _object(
    {
        "page": {"type": "integer", "minimum": 1},
        "limit": {"type": "integer", "minimum": 1, "maximum": 100},
        "pages": {"type": "integer", "minimum": 1},
        "total": {"type": "integer", "minimum": 0},
        "next": {"type": ["integer", "null"]},
        "prev": {"type": ["integer", "null"]},
    },
    required=["page", "limit", "pages", "total", "next", "prev"],
)
ERRORS = _object(
    {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": _object(
                {"message": _STRING, "type": _STRING, "context": _NULLABLE_STRING, "code": _STRING},
                required=["message", "type"],
            ),
        }
    },
    required=["errors"],
)
# What each resource key holds, by its schema's name in `components`.
RESOURCES = {
    "posts": ("Post", POST),
    "pages": ("Page", PAGE),
    "tags": ("Tag", TAG),
    "authors": ("Author", AUTHOR),
    "settings": ("Settings", SETTINGS),
    "site": ("Site", SITE),
    "images": ("Image", IMAGE),
}
COMPONENTS = {
    **{name: schema for name, schema in RESOURCES.values()},
    "Prediction": PREDICTION,
    "Pagination": PAGINATION,
    "Errors": ERRORS,
}
