"""Ghost's filter language (NQL, as in nql-lang 0.7), read into a tree and turned into a Q.

    tag:news+featured:true          AND binds tighter than OR:  a+b,c  is  (a AND b) OR c
    (tag:a,tag:b)+author:ada        groups
    tag:-news   -tag:news           not equal (the second form is ours, not Ghost's)
    tags.slug:[a,b]   tag:-[a,b]    in, not in
    published_at:>'2022-01-01'      > >= < <=, also with now-30d (units d w M y h m s), now
    title:~'word'  ~^'start'  ~$'end'   contains, starts with, ends with; -~ negated
    values: null true false 42 literal 'quoted, with spaces' (backslash escapes)

Why our own parser: no maintained Python NQL exists, and the language is small. The
tree is kept apart from the fields it names, so one parser serves posts, pages, tags and
authors, each with its own table of fields (`POST_FIELDS` ...). Every mistake, in the
text or in what it names, is a `FilterError` whose message says what and where: the API
answers it as a 422, never a 500. Input is bounded (length, nesting, comparisons, list
size) so that neither the parser nor the database can be made to work hard.

Relations to many (a post's tags) are asked with `Exists`: no duplicate rows, and a
negation means "has no such tag" rather than "has some other tag".
"""

import calendar
import datetime
import difflib
import functools
import operator
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.db.models.lookups import In
from django.utils import timezone

from broadsheet.api import ids

MAX_LENGTH = 2000
MAX_DEPTH = 20
MAX_COMPARISONS = 100
MAX_VALUES = 100


class FilterError(ValueError):
    """A filter that cannot be read or does not fit what it filters; the message is for
    the API client (what is wrong, and at which character)."""

    def __init__(self, message: str, column: int | None = None):
        self.column = column
        super().__init__(f"{message} (at character {column})" if column else message)


# --- The tree ---------------------------------------------------------------------------

ValueKind = Literal["null", "true", "false", "number", "literal", "string", "reldate"]
Op = Literal["eq", "gt", "gte", "lt", "lte", "in", "contains", "startswith", "endswith"]


@dataclass(frozen=True)
class Value:
    kind: ValueKind
    text: str  # as meant (escapes undone); for a relative date "-30d"
    column: int  # 1-based, where it starts in the filter


@dataclass(frozen=True)
class Comparison:
    prop: str
    op: Op
    values: tuple[Value, ...]  # one, but for "in"
    negated: bool
    column: int


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


Node = Comparison | And | Or


# --- Reading ----------------------------------------------------------------------------

_PROP = re.compile(r"[a-zA-Z_][a-zA-Z0-9_.]*:")
_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_.]*")
_RELDATE = re.compile(r"now([-+])(\d{1,6})([dwMyhms])(?=[\s+,()\[\]]|$)")
_NUMBER = re.compile(r"[0-9]+")
# What ends a literal unless escaped: whitespace and NQL's own characters.
_SPECIAL = set("'\"+,()><=[]~")
_KEYWORDS = {
    **dict.fromkeys(("null", "NULL", "Null"), "null"),
    **dict.fromkeys(("true", "TRUE", "True"), "true"),
    **dict.fromkeys(("false", "FALSE", "False"), "false"),
}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.depth = 0
        self.comparisons = 0

    def fail(self, message: str, pos: int | None = None) -> FilterError:
        return FilterError(message, (self.pos if pos is None else pos) + 1)

    def skip_space(self) -> bool:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1
        return self.pos > start

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def shown(self) -> str:
        return f"'{self.peek()}'" if self.peek() else "the end"

    def parse(self) -> Node:
        node = self.expression()
        self.skip_space()
        spaced = self.text[self.pos - 1].isspace()
        if self.pos < len(self.text):
            hint = (
                "; a ')' without its '('"
                if self.peek() == ")"
                else "; put a value with spaces, commas or brackets in single quotes,"
                " and write '+' in a URL as %2B"
                if spaced
                else "; join comparisons with '+' (and) or ',' (or)"
            )
            raise self.fail(f"Unexpected {self.shown()} after a complete filter{hint}")
        return node

    def expression(self) -> Node:
        children = [self.conjunction()]
        while True:
            self.skip_space()
            if self.peek() != ",":
                break
            self.pos += 1
            children.append(self.conjunction())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def conjunction(self) -> Node:
        children = [self.factor()]
        while True:
            self.skip_space()
            if self.peek() != "+":
                break
            self.pos += 1
            children.append(self.factor())
        return children[0] if len(children) == 1 else And(tuple(children))

    def factor(self) -> Node:
        self.skip_space()
        if self.peek() == "(":
            opened = self.pos
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(f"Groups are nested more than {MAX_DEPTH} deep")
            self.pos += 1
            node = self.expression()
            self.skip_space()
            if self.peek() != ")":
                raise self.fail(
                    f"Expected ')' to close the '(' at character {opened + 1}, found {self.shown()}"
                )
            self.pos += 1
            self.depth -= 1
            return node
        negated = False
        if self.peek() == "-":
            negated = True
            self.pos += 1
            self.skip_space()
        return self.comparison(negated)

    def comparison(self, negated: bool) -> Comparison:
        start = self.pos
        match = _PROP.match(self.text, self.pos)
        if not match:
            name = _NAME.match(self.text, self.pos)
            if name:
                self.pos = name.end()
                raise self.fail(f"Expected ':' after '{name.group()}', found {self.shown()}")
            if self.peek() == "(" and negated:
                raise self.fail("A '-' negates one comparison, not a group")
            raise self.fail(f"Expected a comparison such as tag:news, found {self.shown()}")
        self.comparisons += 1
        if self.comparisons > MAX_COMPARISONS:
            raise self.fail(f"More than {MAX_COMPARISONS} comparisons", start)
        self.pos = match.end()
        prop = match.group()[:-1]
        self.skip_space()
        if self.peek() == "-":
            negated = not negated
            self.pos += 1
            self.skip_space()
            if self.peek() in ("<", ">"):
                raise self.fail("'-' cannot be joined with '<' or '>': use the opposite one")
        op: Op = "eq"
        char = self.peek()
        if char == "[":
            return Comparison(prop, "in", self.values_list(), negated, start + 1)
        if char == "~":
            self.pos += 1
            op = {"^": "startswith", "$": "endswith"}.get(self.peek(), "contains")  # type: ignore[assignment]
            if op != "contains":
                self.pos += 1
            value = self.value()
            if value.kind == "null":
                raise self.fail("'~' needs text to look for, not null", value.column - 1)
        elif char in ("<", ">"):
            self.pos += 1
            op = "gt" if char == ">" else "lt"
            if self.peek() == "=":
                self.pos += 1
                op = "gte" if char == ">" else "lte"
            value = self.value()
        else:
            value = self.value()
        return Comparison(prop, op, (value,), negated, start + 1)

    def values_list(self) -> tuple[Value, ...]:
        opened = self.pos
        self.pos += 1
        values = [self.value()]
        while True:
            self.skip_space()
            char = self.peek()
            if char == "]":
                self.pos += 1
                return tuple(values)
            if char != ",":
                raise self.fail(
                    f"Expected ',' or ']' to close the '[' at character {opened + 1},"
                    f" found {self.shown()}"
                )
            self.pos += 1
            values.append(self.value())
            if len(values) > MAX_VALUES:
                raise self.fail(f"More than {MAX_VALUES} values in one [...]")

    def value(self) -> Value:
        self.skip_space()
        start = self.pos
        char = self.peek()
        if char == "'":
            return Value("string", self.quoted(), start + 1)
        if char == '"':
            raise self.fail("Strings are written in single quotes: 'like this'")
        reldate = _RELDATE.match(self.text, self.pos)
        if reldate:
            self.pos = reldate.end()
            return Value("reldate", reldate.group()[3:], start + 1)
        if not char or char.isspace() or char in _SPECIAL or char == "-":
            what = "Expected a value" if char != "-" else "A value cannot start with '-'"
            hint = " (a value that holds it goes in single quotes)" if char else ""
            raise self.fail(f"{what}, found {self.shown()}{hint}")
        raw, escaped = self.literal()
        if not escaped and raw in _KEYWORDS:
            return Value(_KEYWORDS[raw], raw, start + 1)  # type: ignore[arg-type]
        if not escaped and _NUMBER.fullmatch(raw):
            return Value("number", raw, start + 1)
        return Value("literal", raw, start + 1)

    def literal(self) -> tuple[str, bool]:
        chars: list[str] = []
        escaped = False
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                if self.pos + 1 >= len(self.text):
                    raise self.fail("A '\\' at the end has nothing to escape")
                chars.append(self.text[self.pos + 1])
                escaped = True
                self.pos += 2
                continue
            if char.isspace() or char in _SPECIAL:
                break
            chars.append(char)
            self.pos += 1
        return "".join(chars), escaped

    def quoted(self) -> str:
        opened = self.pos
        self.pos += 1
        chars: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                chars.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            self.pos += 1
            if char == "'":
                return "".join(chars)
            chars.append(char)
        raise self.fail("This quote is never closed (write \\' for a quote inside)", opened)


def parse(text: str) -> Node:
    """The tree of a filter; a `FilterError` says what is wrong where."""
    if not isinstance(text, str):
        raise FilterError("The filter must be text.")
    if len(text) > MAX_LENGTH:
        raise FilterError(f"The filter is longer than {MAX_LENGTH} characters.")
    if "\x00" in text:
        raise FilterError("The filter holds a NUL character.", text.index("\x00") + 1)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise FilterError("The filter is not valid text.", error.start + 1) from None
    if not text.strip():
        raise FilterError("The filter is empty.")
    return _Parser(text).parse()


# --- What the names mean ----------------------------------------------------------------

Kind = Literal["text", "id", "bool", "date", "int", "uuid", "presence"]


@dataclass(frozen=True)
class Through:
    """A relation to many, asked with `Exists`: rows of `model` ("app_label.Model") whose
    `link` is the row being filtered."""

    model: str
    link: str


@dataclass(frozen=True)
class Field:
    """One name a filter may use.

    `lookup` is the ORM path from the filtered row, or from `through`'s model if set.
    `kind`: "id" takes API ids (24 hex digits), "uuid" UUIDs, "presence" only null or -null
    (a column whose values Ghost shows differently, such as an image as a URL).
    `ignore_case`: equality and lists compare case-insensitively (names, titles).
    `choices`: Ghost's values for ours (Ghost value, our values); others match nothing.
    `constant`: every row has this value (Ghost's `visibility`: all is public here).
    """

    lookup: str
    kind: Kind = "text"
    through: Through | None = None
    ignore_case: bool = False
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    constant: str | None = None


_TAGS = Through("broadsheet_content.Tag", "posts")
_PUBLIC = Field("", constant="public")


def _fields(entries: dict[str, Field], aliases: dict[str, str]) -> Mapping[str, Field]:
    return {**entries, **{alias: entries[name] for alias, name in aliases.items()}}


POST_FIELDS: Mapping[str, Field] = _fields(
    {
        "id": Field("pk", "id"),
        "uuid": Field("uuid", "uuid"),
        "title": Field("title", ignore_case=True),
        "slug": Field("slug"),
        "status": Field(
            "status",
            choices=(
                ("published", ("published",)),
                ("draft", ("draft", "review")),
                ("scheduled", ("scheduled",)),
            ),
        ),
        "featured": Field("featured", "bool"),
        "visibility": _PUBLIC,
        "published_at": Field("published_at", "date"),
        "updated_at": Field("modified_at", "date"),
        "created_at": Field("created_at", "date"),
        "custom_excerpt": Field("custom_excerpt", ignore_case=True),
        "feature_image": Field("cover_image", "presence"),
        "tags.slug": Field("slug", through=_TAGS),
        "tags.name": Field("name", through=_TAGS, ignore_case=True),
        "tags.id": Field("pk", "id", through=_TAGS),
        "authors.slug": Field("author__slug"),
        "authors.id": Field("author__pk", "id"),
        "authors.name": Field("author__display_name", ignore_case=True),
    },
    # Ghost's shorthands. A post's first tag is not kept apart here: primary_tag is any tag.
    {
        "tag": "tags.slug",
        "tags": "tags.slug",
        "primary_tag": "tags.slug",
        "primary_tag.slug": "tags.slug",
        "author": "authors.slug",
        "authors": "authors.slug",
        "primary_author": "authors.slug",
        "primary_author.slug": "authors.slug",
    },
)

PAGE_FIELDS: Mapping[str, Field] = {
    "id": Field("pk", "id"),
    "title": Field("title", ignore_case=True),
    "slug": Field("slug"),
    "status": Field(
        "status", choices=(("published", ("published",)), ("draft", ("draft",)), ("scheduled", ()))
    ),
    "visibility": _PUBLIC,
    "created_at": Field("created_at", "date"),
    "updated_at": Field("modified_at", "date"),
    # Pages have no date of publication; Ghost's clients sort and filter by one.
    "published_at": Field("created_at", "date"),
}

TAG_FIELDS: Mapping[str, Field] = {
    "id": Field("pk", "id"),
    "name": Field("name", ignore_case=True),
    "slug": Field("slug"),
    "description": Field("description", ignore_case=True),
    "visibility": _PUBLIC,
}

AUTHOR_FIELDS: Mapping[str, Field] = {
    "id": Field("pk", "id"),
    "name": Field("display_name", ignore_case=True),
    "slug": Field("slug"),
}


# --- To a Q -----------------------------------------------------------------------------

# Never Q(): an empty Q vanishes when joined with | (Q() | x is x), so "everything" is
# written as a condition every row meets.
_NOTHING = Q(pk__in=[])
_EVERYTHING = Q(pk__isnull=False)


class _NoMatch:
    """A value no row can have (an id that is not ours, a status we do not have)."""


_NO_MATCH = _NoMatch()

_TEXT_KINDS = {"literal", "string", "number", "true", "false"}


def _relative(text: str) -> datetime.datetime:
    sign, amount, unit = text[0], int(text[1:-1]), text[-1]
    amount = -amount if sign == "-" else amount
    now = timezone.now()
    if unit in "My":
        months = now.year * 12 + now.month - 1 + (amount * 12 if unit == "y" else amount)
        year, month = divmod(months, 12)
        if not 1 <= year <= 9999:
            raise OverflowError
        day = min(now.day, calendar.monthrange(year, month + 1)[1])
        return now.replace(year=year, month=month + 1, day=day)
    unit_name = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[unit]
    return now + datetime.timedelta(**{unit_name: amount})


def _date(value: Value) -> datetime.datetime:
    try:
        if value.kind == "reldate":
            return _relative(value.text)
        if value.kind not in ("literal", "string"):
            raise ValueError
        if value.kind == "literal" and value.text == "now":
            return timezone.now()
        text = value.text.strip()
        moment = datetime.datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=datetime.UTC)
        return moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise FilterError(
            f"'{value.text}' is not a date; write '2022-01-31', '2022-01-31 10:00:00'"
            " (UTC), an ISO date with its zone, or now-30d",
            value.column,
        ) from None


def _convert(prop: str, field: Field, value: Value) -> object:
    """The value as the column holds it; None for null, _NO_MATCH for none at all."""
    if value.kind == "null":
        return None
    kind = field.kind
    if kind == "presence":
        raise FilterError(f"{prop} can only be compared with null", value.column)
    if kind == "bool":
        if value.kind not in ("true", "false"):
            raise FilterError(f"{prop} is true or false, not '{value.text}'", value.column)
        return value.kind == "true"
    if kind == "date":
        return _date(value)
    if kind == "int":
        if value.kind != "number" or len(value.text) > 18:
            raise FilterError(f"{prop} takes a whole number, not '{value.text}'", value.column)
        return int(value.text)
    text = _date(value).isoformat() if value.kind == "reldate" else value.text
    if kind == "id":
        pk = ids.decode(text)
        return _NO_MATCH if pk is None else pk
    if kind == "uuid":
        try:
            return uuid.UUID(text)
        except ValueError:
            return _NO_MATCH
    return text


def _check_op(prop: str, field: Field, comparison: Comparison) -> None:
    op, column = comparison.op, comparison.column
    if op in ("contains", "startswith", "endswith") and (field.kind != "text" or field.choices):
        raise FilterError(f"'~' works on text; {prop} is not searched that way", column)
    if op in ("gt", "gte", "lt", "lte") and (
        field.kind in ("bool", "uuid", "presence") or field.choices
    ):
        raise FilterError(f"{prop} cannot be compared with < or >", column)


def _constant_q(field: Field, comparison: Comparison) -> Q:
    """A column every row has the same value in, decided here (no SQL)."""
    held = field.constant or ""
    tests = {
        "eq": lambda v: v is not None and held == v,
        "in": lambda v: v is not None and held == v,
        "gt": lambda v: v is not None and held > v,
        "gte": lambda v: v is not None and held >= v,
        "lt": lambda v: v is not None and held < v,
        "lte": lambda v: v is not None and held <= v,
        "contains": lambda v: v.lower() in held.lower(),
        "startswith": lambda v: held.lower().startswith(v.lower()),
        "endswith": lambda v: held.lower().endswith(v.lower()),
    }
    values = [None if v.kind == "null" else v.text for v in comparison.values]
    return _EVERYTHING if any(tests[comparison.op](v) for v in values) else _NOTHING


def _comparison_q(field: Field, comparison: Comparison) -> Q:
    """The positive condition (the negation is the caller's)."""
    prop, op = comparison.prop, comparison.op
    _check_op(prop, field, comparison)
    if field.constant is not None:
        return _constant_q(field, comparison)
    values = [_convert(prop, field, value) for value in comparison.values]
    wants_null = None in values
    real = [v for v in values if v is not None and v is not _NO_MATCH]
    if field.choices:
        choices = dict(field.choices)
        real = [ours for v in real for ours in choices.get(v, ())]  # type: ignore[call-overload]
    if op in ("gt", "gte", "lt", "lte") and wants_null:
        raise FilterError("null cannot be compared with < or >", comparison.values[0].column)
    path = field.lookup
    condition: Q | None = None
    if real:
        if op in ("contains", "startswith", "endswith"):
            condition = Q(**{f"{path}__i{op}": real[0]})
        elif op in ("gt", "gte", "lt", "lte"):
            condition = Q(**{f"{path}__{op}": real[0]})
        elif field.ignore_case:
            if len(real) == 1:
                condition = Q(**{f"{path}__iexact": real[0]})
            else:
                lowered = sorted({str(v).lower() for v in real})
                condition = Q(In(Lower(F(path)), lowered))
        else:
            condition = Q(**{f"{path}__in": real}) if len(real) > 1 else Q(**{path: real[0]})

    if field.through is not None:
        model = apps.get_model(field.through.model)
        related = model.objects.filter(**{field.through.link: OuterRef("pk")})
        parts = []
        if condition is not None:
            parts.append(Q(Exists(related.filter(condition))))
        if wants_null:
            parts.append(~Q(Exists(related)))
    else:
        parts = [condition] if condition is not None else []
        if wants_null:
            null = Q(**{f"{path}__isnull": True})
            parts.append(null | Q(**{path: ""}) if field.kind == "text" else null)
    return functools.reduce(operator.or_, parts) if parts else _NOTHING


def to_q(node: Node, fields: Mapping[str, Field]) -> Q:
    """The condition a filter's tree sets, for a model whose names are `fields`."""
    if isinstance(node, And | Or):
        join = operator.and_ if isinstance(node, And) else operator.or_
        return functools.reduce(join, (to_q(child, fields) for child in node.children))
    field = fields.get(node.prop)
    if field is None:
        near = difflib.get_close_matches(node.prop, list(fields), n=1)
        hint = f"; did you mean '{near[0]}'?" if near else f"; known: {', '.join(sorted(fields))}"
        raise FilterError(f"Unknown property '{node.prop}'{hint}", node.column)
    q = _comparison_q(field, node)
    return ~q if node.negated else q


def filter_q(text: str | None, fields: Mapping[str, Field]) -> Q:
    """The Q a filter from an API client stands for; no filter is no condition."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return Q()
    return to_q(parse(text), fields)
