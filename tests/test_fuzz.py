"""No input makes the site answer with a server error (5xx).

Every URL pattern the project's resolver knows is walked at test time (so a route is
covered the day it is added), each path converter is filled with hostile values (numbers
in non-ASCII digits, huge numbers, zero, leading zeros, NUL, invalid UTF-8, traversal,
very long strings) and with real ids and slugs (so views get past their 404s), and every
query parameter and form field the code reads is sent with such values too, in a GET and
in a form POST, as an anonymous reader, a signed-in member and each staff role. For each
route, role and method: three explicit examples (see `Fuzz.run`) and EXAMPLES random ones.
Asserted: no answer is 5xx (a view's exception is a 500, and its traceback is shown).

There is no registry of which parameters a view reads, so every request carries any of
them all: the names read through `request.GET` / `request.POST` anywhere in `src/` (found
by reading the source), and the fields of every form class of the project and of the
forms its views use (Django's password forms). Public form posts carry same-origin
headers; staff posts come from a signed-in client, which Django's test client does not
hold to CSRF tokens.

Excluded, and why: the Django admin's own views (everything under /admin/ but our redirect
of its login page), reached only by owners and administrators (superusers). Walking them
once found 500s in our admin configuration, fixed and tested in tests/*/test_admin.py, and
others in Django's and django-axes' own admin code (date-hierarchy parameters past what a
date holds, a datetime initial value from the query string, ids past 64 bits in Django's
GroupAdmin), which are theirs to fix; walking them here would double this test's time.

Each request runs in a savepoint that is rolled back, and the client's cookies are put
back after it, so every example starts from the same site and the same sign-in: examples
are reproducible (hypothesis runs with a seed per route, role and method, and no example
database).
"""

import itertools
import re
import time
import traceback
import zlib
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, quote_from_bytes, unquote

import pytest
from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone
from hypothesis import HealthCheck, Phase, example, given, note, seed, settings
from hypothesis import strategies as st

from broadsheet.accounts.models import Role
from broadsheet.analytics.recorder import recorder
from broadsheet.comments.models import Comment

SRC = Path(__file__).resolve().parent.parent / "src" / "broadsheet"

# Random examples per route, for each role and for each of GET and POST, besides the three
# explicit ones (see Fuzz.run).
EXAMPLES = 2
ROLES = ["anonymous", "member", *reversed(Role.values)]
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
FLOOD = "%C2%B2"  # ²
HUGE = "9" * 4300  # the most digits int() takes
# Placeholder values at the edges of what the converters' regexes admit.
EDGES = {
    "int": "9" * 30,
    "page": "9223372036854775807",
    "yyyy": "0000",
    "mm": "12",
    "slug": "a" * 300,
    "path": "..%2F..%2Fsecret%00",
}


# --- What the site has: routes, parameters, form fields --------------------------------


@dataclass(frozen=True)
class Route:
    """A URL pattern as text, with its placeholders: [(name, kind)] in order."""

    pattern: str
    pieces: tuple  # literal text and (name, kind) placeholders, in order

    @property
    def placeholders(self) -> list[tuple[str, str]]:
        return [piece for piece in self.pieces if isinstance(piece, tuple)]

    def fill(self, values: dict[str, str]) -> str:
        return "/" + "".join(
            values[piece[0]] if isinstance(piece, tuple) else piece for piece in self.pieces
        )


_ROUTE_PART = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>\w+)>")


def _route_pieces(route: str) -> list:
    pieces, at = [], 0
    for match in _ROUTE_PART.finditer(route):
        pieces.append(route[at : match.start()])
        pieces.append((match["name"], match["kind"] or "str"))
        at = match.end()
    pieces.append(route[at:])
    return pieces


def _regex_pieces(regex: str) -> list:
    """Literal text and named groups of a regex pattern (ours is `^media/(?P<path>.*)$`)."""
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    pieces, at = [], 0
    while (start := regex.find("(?P<", at)) != -1:
        pieces.append(regex[at:start])
        name = regex[start + 4 : regex.index(">", start)]
        depth, end = 0, start
        for end in range(start, len(regex)):
            depth += {"(": 1, ")": -1}.get(regex[end], 0)
            if depth == 0:
                break
        pieces.append((name, "path"))
        at = end + 1
    pieces.append(regex[at:])
    if any(re.search(r"[\\\[\]()*+?|]", piece) for piece in pieces if isinstance(piece, str)):
        raise AssertionError(f"cannot fill the regex pattern {regex!r}: teach _regex_pieces")
    return pieces


def _walk(resolver: URLResolver, prefix: list) -> list[Route]:
    routes = []
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            pieces = _route_pieces(str(pattern))
        elif isinstance(pattern, RegexPattern):
            pieces = _regex_pieces(str(pattern))
        else:  # pragma: no cover - Django has only these two
            raise AssertionError(f"unknown pattern type {pattern!r}")
        if isinstance(entry, URLResolver):
            routes += _walk(entry, prefix + pieces)
        elif isinstance(entry, URLPattern):
            routes.append(Route("".join(map(str, prefix + pieces)), tuple(prefix + pieces)))
    return routes


def project_routes() -> list[Route]:
    routes = []
    for route in _walk(get_resolver(), []):
        text = "".join(p if isinstance(p, str) else f"<{p[1]}:{p[0]}>" for p in route.pieces)
        route = Route(text, route.pieces)
        if text.startswith("admin/") and text != "admin/login/":
            continue  # the Django admin's own views: see the module's docstring
        routes.append(route)
    return routes


_READ = re.compile(
    r"""\.(?:GET|POST)(?:\.get|\.getlist|\.pop)?[(\[]\s*["']([^"']+)["']"""
    r"""|reads=\(([^)]*)\)"""
)


def parameter_names_in_source() -> set[str]:
    """Every name the code reads from a query string or a form body, by reading src/."""
    names = set()
    for source in SRC.rglob("*.py"):
        for match in _READ.finditer(source.read_text()):
            if match[1]:
                names.add(match[1])
            else:
                names.update(re.findall(r"""["']([^"']+)["']""", match[2]))
    return names


def _subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in [direct, *_subclasses(direct)]]


def project_forms() -> list[type[forms.BaseForm]]:
    """The project's form classes, and the ones its class-based views are given."""
    import importlib

    for module in SRC.rglob("forms.py"):
        importlib.import_module(
            "broadsheet." + ".".join(module.relative_to(SRC).with_suffix("").parts)
        )
    found = {
        form for form in _subclasses(forms.BaseForm) if form.__module__.startswith("broadsheet.")
    }
    for entry in _all_patterns(get_resolver()):
        view_class = getattr(entry.callback, "view_class", None)
        form_class = getattr(view_class, "form_class", None)
        if form_class is not None and view_class.__module__.startswith("broadsheet."):
            found.add(form_class)
    return sorted(found, key=lambda form: (form.__module__, form.__qualname__))


def _all_patterns(resolver: URLResolver):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_patterns(entry)
        else:
            yield entry


def form_fields() -> dict[str, set[str]]:
    """Field name -> the forms that have it (declared and model fields alike)."""
    fields: dict[str, set[str]] = {}
    for form in project_forms():
        for name in form.base_fields:
            fields.setdefault(name, set()).add(form.__qualname__)
    return fields


def file_field_names() -> set[str]:
    return {
        name
        for form in project_forms()
        for name, form_field in form.base_fields.items()
        if isinstance(form_field, forms.FileField)
    }


def plausible_values() -> dict[str, str]:
    """A value each text-like form field would take, so a form gets past its other fields to
    the one that is hostile. Fields that hold numbers, choices or files are left out."""
    values = {}
    for form in project_forms():
        for name, form_field in form.base_fields.items():
            if isinstance(form_field, forms.BooleanField):
                values.setdefault(name, "on")
            elif isinstance(form_field, forms.EmailField):
                values.setdefault(name, "someone%40example.com")
            elif isinstance(form_field, forms.DateTimeField):
                values.setdefault(name, "2100-01-01T10%3A00")
            elif type(form_field) is forms.CharField:
                values.setdefault(name, "Plausible+words")
    return values


# Read by Django's own views that our routes use: `next` (login), `p` (the sitemap's pages).
DJANGO_VIEW_PARAMETERS = {"next", "p"}


# --- Hostile values ---------------------------------------------------------------------

# As they appear in a URL (percent-encoded where they must be).
HOSTILE_NUMBERS = [
    "0",
    "00",
    "01",
    "0001",
    "2147483648",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "9" * 19,
    "9" * 40,
    "9" * 4300,
    "9" * 5000,
]
HOSTILE_TEXT = [
    "%C2%B2",  # ² : str.isdigit() says yes, int() says no
    "%D9%A3",  # ٣ : an Arabic-Indic digit, which int() takes
    "%EF%BC%91",  # a full-width digit one
    "%E2%85%A0",  # a Roman numeral one
    "%00",
    "a%00b",
    "1%00",
    "%C0%AF",  # an overlong "/", invalid UTF-8
    "%FF",
    "%FE%FF%80",
    "%ED%A0%80",  # a lone surrogate, invalid UTF-8
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "..",
    "%2E%2E",
    "%5C..%5Cwindows",
    "a" * 101,
    "a" * 300,
    "a" * 5000,
    "-1",
    "1.5",
    "1e9",
    "0x1f",
    "NaN",
    "-",
    "%20",
    "+",
    "%0D%0ASet-Cookie:%20a=b",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "'%22;--",
    "%E2%80%AE",  # right-to-left override
    "%F0%9F%92%A9",
    "%25",
    "%",
    "%zz",
    "[]",
    "{}",
    "null",
]
HOSTILE_FORM_VALUES = [
    "9999-12-31T23:59",  # the last minute there is, in a time zone ahead of UTC
    "0001-01-01T00:00",
    "2026-02-30T10:00",
    "2026-13-01T10:00",
    "a@example.com",
    "a" * 250 + "@example.com",
    "%E2%98%83@%E2%98%83.example",
    "a%00@example.com",
    "http://[::1",
    "javascript:alert(1)",
    "//evil.example/",
]
HOSTILE_HEADERS = [
    "\x00",
    "a" * 5000,
    "http://[::1",
    "http://a:99999999999/",
    "http://%zz/",
    "ftp://example.com/" + "%FF" * 3,
    "https://www.google.com/search?q=" + "x" * 3000,
    "\u00ff\u00fe",
]


def _encoded_text(max_size: int = 30) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(min_size=1, max_size=max_size).map(lambda s: quote(s, safe="")),
        st.binary(min_size=1, max_size=12).map(lambda b: quote_from_bytes(b, safe="")),
        st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=6).map(
            lambda s: quote(s, safe="")
        ),
    )


def _numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_NUMBERS),
        st.integers(min_value=0, max_value=10**40).map(str),
        st.integers(min_value=0, max_value=99).map(lambda n: f"{n:0>4}"),
    )


# --- The site the requests meet ---------------------------------------------------------


@dataclass
class Site:
    """What is there to be found, as it appears in a URL (percent-encoded)."""

    # Real values for a placeholder, by "segment/name", else by the path segment before it,
    # else by its name: `posts/<slug:slug>` is "posts/slug", `studio/posts/<int:pk>` "posts".
    real: dict[str, list[str]]
    numbers: list[str]  # every real id, page, year and month
    texts: list[str]  # every real slug, token, key, status, action, role, name
    clients: dict[str, tuple[Client, dict[str, str]]]  # a client per role, and its cookies

    def real_for(self, route: Route, name: str) -> list[str]:
        """Real values for a placeholder: `studio/posts/<int:pk>/` gets post ids."""
        before = ""
        for piece in route.pieces:
            if piece == (name, dict(route.placeholders)[name]):
                break
            if isinstance(piece, str) and piece.strip("/"):
                before = piece.strip("/").rsplit("/", 1)[-1]
        for key in (f"{before}/{name}", before, name):
            if key in self.real:
                return self.real[key]
        return self.numbers + self.texts


@pytest.fixture
def site(db, make_staff, make_author, make_post, make_tag, settings, tmp_path) -> Site:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from broadsheet.accounts import invitations
    from broadsheet.comments import notifications
    from broadsheet.comments import services as comment_services
    from broadsheet.comments.services import post_comment
    from broadsheet.content.models import Page, Post, Revision
    from broadsheet.content.services import Edit, save_changes
    from broadsheet.feeds.sitemaps import SECTIONS
    from broadsheet.media.services import upload_image
    from broadsheet.members.services import make_login_token
    from broadsheet.newsletter import services as newsletter_services
    from broadsheet.newsletter.models import Subscriber
    from tests.media import images

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    request = RequestFactory().get("/")
    staff = {role: make_staff(role) for role in Role.values}
    member = make_author("A Reader", email="reader@example.com")
    tag = make_tag("Economics")
    long_tag = make_tag("L" * 100)
    post = make_post("A published post", tags=[tag, long_tag], author=staff[Role.AUTHOR])
    comment = post_comment(
        post=post, name="Reader", email="r@example.com", body="A comment.", approved=True
    )
    reply = post_comment(post=post, parent=comment, name="Other", body="A reply.", approved=True)
    held = post_comment(post=post, name="Held", body="Waiting.", approved=False)
    draft = save_changes(
        actor=staff[Role.CONTRIBUTOR],
        post=Post(author=staff[Role.CONTRIBUTOR]),
        edit=Edit(fields={"title": "A draft", "body": "Words."}, tag_names=["Economics"]),
    )
    save_changes(
        actor=staff[Role.EDITOR],
        post=post,
        edit=Edit(fields={"title": "A published post, edited", "body": "More."}, tag_names=[]),
    )
    page = Page.objects.create(title="About", slug="about", body="Us.", status="published")
    image = upload_image(
        file=images.upload(images.png((40, 30)), "p.png", "image/png"),
        alt="A square",
        uploaded_by=staff[Role.AUTHOR],
    )
    invitation, invitation_token = invitations.create_invitation(
        actor=staff[Role.OWNER], email="new@example.com", role=Role.AUTHOR, request=request
    )
    subscriber = Subscriber.objects.create(email="sub@example.com")
    send = newsletter_services.start_send(
        actor=staff[Role.EDITOR], post=post, origin="http://testserver"
    )
    published = timezone.localtime(post.published_at)
    clients = {}
    for role in ROLES:  # before the member's sign-in link is made: signing in spends it
        client = Client(raise_request_exception=False)
        if role == "member":
            client.force_login(member)
        elif role != "anonymous":
            client.force_login(staff[role])
        clients[role] = (client, {key: morsel.value for key, morsel in client.cookies.items()})

    def ids(*objects) -> list[str]:
        return [str(obj.pk) for obj in objects]

    def words(*texts) -> list[str]:
        return [quote(text, safe="") for text in texts]

    posts = ids(post, draft)
    real = {
        "posts": posts,
        "post": posts,
        "send": posts,
        "comments": ids(comment, reply, held),
        "comment": ids(comment, reply, held),
        "tags": ids(tag, long_tag),
        "pages": ids(page),
        "media": ids(image),
        "staff": ids(*reversed(staff.values())),
        "invitations": ids(invitation),
        "resume": ids(send),
        "history/revision": ids(*Revision.objects.filter(post__in=[post, draft])),
        "page": ["1", "2"],
        "archive/year": [str(published.year)],
        "archive/month": [f"{published.month:02d}"],
        "posts/slug": words(post.slug, draft.slug),
        "authors/slug": words(staff[Role.AUTHOR].slug, member.slug),
        "tags/slug": words(tag.slug, long_tag.slug),
        "slug": words(page.slug, post.slug, tag.slug),
        "invitation": words(invitation_token),
        "login": words(make_login_token(email="reader@example.com", user=member)),
        "confirm": words(newsletter_services.confirm_token(subscriber)),
        "unsubscribe": words(newsletter_services.unsubscribe_token(subscriber)),
        "stop": words(notifications.stop_token(comment)),
        "reset/uidb64": words(urlsafe_base64_encode(force_bytes(member.pk))),
        "reset/token": words(default_token_generator.make_token(member)),
        "sitemap-/section": words(*SECTIONS),
        "media/path": words(image.file.name),
    }
    numbers = sorted({number for key in real for number in real[key] if number.isdigit()})
    texts = [
        *(text for values in real.values() for text in values if not text.isdigit()),
        *words(comment_services.edit_key(comment)),
        *words(*Comment.Status.values, *Post.Status.values, "trash", *Role.values),
        *words("approve", "reject", "spam", "delete", "block_address", "block_email"),
        *words("save", "submit", "publish", "schedule", "unpublish", "preview", "withdraw"),
        *words("Economics, " + "L" * 101, "L" * 100 + "x", "/studio/posts/"),
    ]
    return Site(real=real, numbers=numbers, texts=texts, clients=clients)


# --- The requests -----------------------------------------------------------------------


def _path_value(real: list[str], kind: str, site: Site) -> st.SearchStrategy[str]:
    """Real values first (the simplest example is the page as it is), then hostile ones."""
    if kind in {"int", "page", "yyyy", "mm"}:  # their regexes admit only digits
        return st.one_of(
            st.sampled_from(real),
            _numbers(),
            st.sampled_from(["0000", "9999", "1000", "00", "13", "99"]),
            st.sampled_from(site.numbers),
            st.sampled_from(HOSTILE_TEXT[:4]),
        )
    hostile = st.sampled_from(HOSTILE_TEXT + HOSTILE_NUMBERS)
    if kind == "path":
        return st.one_of(
            st.sampled_from(real), hostile, _encoded_text(), st.just("a/../../b/%00/c")
        )
    return st.one_of(st.sampled_from(real), hostile, _encoded_text(), st.sampled_from(site.texts))


def _parameter_value(site: Site) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        _numbers(),
        st.sampled_from(site.numbers),
        st.sampled_from(site.texts),
        st.sampled_from([quote(v, safe="") for v in HOSTILE_FORM_VALUES]),
        _encoded_text(),
    )


def _pairs(names: list[str], site: Site) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Every name: each with one hostile value (or none), then a few with values of their
    own, sent after it (which wins) or beside it (twice). Drawing a value for each of 50
    names every example would cost more than the request."""
    value = _parameter_value(site)
    flood = st.one_of(st.none(), value)
    own = st.lists(st.tuples(st.sampled_from(names), value), max_size=6)

    def build(everyone: str | None, chosen: list) -> list:
        return [*((name, everyone) for name in names if everyone is not None), *chosen]

    return st.builds(build, flood, own)


def _headers() -> st.SearchStrategy[dict[str, str]]:
    hostile = st.sampled_from(HOSTILE_HEADERS)
    return st.fixed_dictionaries(
        {}, optional={"Referer": hostile, "User-Agent": hostile, "Accept-Language": hostile}
    )


@dataclass
class Fuzz:
    site: Site
    names: list[str]
    file_names: set[str]
    plausible: dict[str, str]
    requests: itertools.count = field(default_factory=itertools.count)

    def send(self, role: str, method: str, path: str, query: list, body: list, headers: dict):
        client, cookies = self.site.clients[role]
        client.cookies = SimpleCookie()
        for key, value in cookies.items():
            client.cookies[key] = value
        recorder._pending.clear()
        url = path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")
        headers = {**SAME_ORIGIN, **headers}
        note(f"{role} {method} {url[:500]} body={[(k, v[:100]) for k, v in body]!r}")
        next(self.requests)
        with transaction.atomic():
            if method == "GET":
                response = client.get(url, headers=headers)
            elif any(name in self.file_names for name, _ in body):
                data = {k: unquote(v, errors="replace") for k, v in body}
                for name in self.file_names & data.keys():
                    data[name] = SimpleUploadedFile("x.png", data[name].encode(), "image/png")
                response = client.post(url, data=data, headers=headers)
            else:
                encoded = "&".join(f"{k}={v}" for k, v in body)
                response = client.post(
                    url,
                    data=encoded,
                    content_type="application/x-www-form-urlencoded",
                    headers=headers,
                )
            transaction.set_rollback(True)
        if response.status_code >= 500:
            error = response.exc_info and traceback.format_exception(*response.exc_info)
            raise AssertionError(
                f"{role} {method} {url[:300]} answered {response.status_code}\n"
                + "".join(error or [])
            )

    def run(self, route: Route, role: str, method: str) -> None:
        cache.clear()  # rate limits and lockouts must not decide what later routes reach
        real = {name: self.site.real_for(route, name) for name, _ in route.placeholders}
        path = st.fixed_dictionaries(
            {name: _path_value(real[name], kind, self.site) for name, kind in route.placeholders}
        ).map(route.fill)
        query = _pairs(self.names, self.site)
        body = _pairs(self.names, self.site) if method == "POST" else st.just([])
        as_is = route.fill({name: values[0] for name, values in real.items()})
        # Besides the random examples, three that have found most: on the page as it is,
        # every parameter a digit that isdigit() takes and int() refuses; every one that is
        # not a text field the largest number int() takes (past int(), into lookups, offsets
        # and divisions), the text fields filled in so forms get that far; and the path's
        # placeholders at the edges of what their regexes admit.
        flood = [(name, FLOOD) for name in self.names]
        huge = [(name, self.plausible.get(name, HUGE)) for name in self.names]
        explicit = [(as_is, flood, flood), (as_is, huge, huge)]
        if route.placeholders:
            edges = {name: EDGES.get(kind, "%00") for name, kind in route.placeholders}
            explicit.append((route.fill(edges), [], []))

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @seed(zlib.crc32(f"{route.pattern} {role} {method}".encode()))
        @given(path=path, query=query, body=body, headers=_headers())
        def check(path, query, body, headers):
            self.send(role, method, path, query, body, headers)

        for url, query_pairs, body_pairs in reversed(explicit):
            check = example(url, query_pairs, body_pairs if method == "POST" else [], {})(check)
        check()


ROUTES = project_routes()
NAMES = sorted(parameter_names_in_source() | set(form_fields()) | DJANGO_VIEW_PARAMETERS)


def test_the_walk_finds_every_kind_of_route():
    patterns = {route.pattern for route in ROUTES}
    assert "posts/<slug:slug>/" in patterns
    assert "studio/posts/<int:pk>/history/<int:revision>/" in patterns
    assert "media/<path:path>" in patterns
    assert len(ROUTES) >= 80, len(ROUTES)
    assert {"page", "comments", "reply", "revision", "against", "body", "tags"} <= set(NAMES)
    assert "file" in file_field_names()


@pytest.mark.parametrize("role", ROLES)
def test_no_request_gets_a_server_error(role, site):
    fuzz = Fuzz(site=site, names=NAMES, file_names=file_field_names(), plausible=plausible_values())
    started, failures = time.monotonic(), []
    for route in ROUTES:
        for method in ("GET", "POST"):
            try:
                fuzz.run(route, role, method)
            except AssertionError as error:  # every route's failure, not only the first
                notes = "\n".join(getattr(error, "__notes__", []))
                failures.append(f"{route.pattern} ({method}):\n{notes}\n{error}")
    fields = sum(len(form.base_fields) for form in project_forms())
    print(
        f"{role}: {len(ROUTES)} routes, {len(project_forms())} forms with {fields} fields, "
        f"{len(NAMES)} parameter names, {next(fuzz.requests)} requests "
        f"in {time.monotonic() - started:.1f}s"
    )
    assert not failures, "\n\n".join(failures)
