"""Ghost's filter language: what each expression finds among real posts, what each mistake
is told, and that no text at all gets anything but a FilterError out of it."""

import datetime
import re

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from broadsheet.accounts.models import User
from broadsheet.api import ids
from broadsheet.api.nql import (
    AUTHOR_FIELDS,
    PAGE_FIELDS,
    POST_FIELDS,
    TAG_FIELDS,
    And,
    Comparison,
    FilterError,
    Or,
    Value,
    filter_q,
    parse,
)
from broadsheet.content.models import Page, Post, Tag
from broadsheet.media.models import Image

ALL = {"econ", "sport", "both", "draft", "review", "old", "sched"}


@pytest.fixture
def posts(make_post, make_tag, make_author, author) -> dict[str, Post]:
    """Seven posts: three tags, two authors, every status, dates from 2021 to next week."""
    news, sport, tech = make_tag("News"), make_tag("Sport"), make_tag("Tech Talk")
    bob = make_author("Bob Builder", slug="bob")
    cover = Image.objects.create(
        file="images/cover.jpg", width=1, height=1, content_type="image/jpeg", size=1
    )
    made = {
        "econ": make_post(
            "The economics of small things",
            tags=[news],
            featured=True,
            custom_excerpt="Tiny, but mighty",
            cover_image=cover,
        ),
        "sport": make_post("Sport today", tags=[sport], author=bob, days_ago=10),
        "both": make_post(
            "News and sport, together", tags=[news, sport], author=bob, featured=True, days_ago=60
        ),
        "draft": make_post("Draft about tech", status=Post.Status.DRAFT, tags=[tech]),
        "review": make_post("Rock 'n' roll", status=Post.Status.REVIEW, author=bob),
        "old": make_post("An old (1+1=2) post", tags=[news], custom_excerpt="a+b,c(d)"),
        "sched": make_post("Coming soon"),
    }
    Post.objects.filter(pk=made["old"].pk).update(
        published_at=datetime.datetime(2021, 6, 1, tzinfo=datetime.UTC)
    )
    Post.objects.filter(pk=made["sched"].pk).update(
        status=Post.Status.SCHEDULED, published_at=timezone.now() + datetime.timedelta(days=5)
    )
    return made


def found(expression: str, posts: dict[str, Post]) -> set[str]:
    names = {post.pk: name for name, post in posts.items()}
    rows = list(Post.objects.filter(filter_q(expression, POST_FIELDS)).values_list("pk", flat=True))
    assert len(rows) == len(set(rows)), "a post came back twice"
    return {names[pk] for pk in rows}


def fill(expression: str, posts: dict[str, Post]) -> str:
    """{id:econ}, {uuid:econ}, {slug:econ}, {tag:news}, {author:bob} -> the real value."""

    def value(match: re.Match) -> str:
        what, name = match.groups()
        if what == "tag":
            return ids.encode(Tag.objects.get(slug=name).pk)
        if what == "author":
            return ids.encode(User.objects.get(slug=name).pk)
        post = posts[name]
        return {"id": ids.encode(post.pk), "uuid": str(post.uuid), "slug": post.slug}[what]

    return re.sub(r"\{(\w+):([\w-]+)\}", value, expression)


FINDS = [
    # equality and its aliases; relations by Exists, so two tags at once work
    ("tag:news", {"econ", "both", "old"}),
    ("tags.slug:news", {"econ", "both", "old"}),
    ("tags:news", {"econ", "both", "old"}),
    ("primary_tag:news", {"econ", "both", "old"}),
    ("tag:NEWS", set()),
    ("tag:news+tag:sport", {"both"}),
    ("tags.name:'tech talk'", {"draft"}),
    ("tags.id:{tag:news}", {"econ", "both", "old"}),
    ("author:ada", {"econ", "draft", "old", "sched"}),
    ("primary_author:bob", {"sport", "both", "review"}),
    ("authors.name:'BOB builder'", {"sport", "both", "review"}),
    ("authors.id:{author:bob}", {"sport", "both", "review"}),
    ("slug:{slug:econ}", {"econ"}),
    ("id:{id:econ}", {"econ"}),
    ("id:[{id:econ},{id:sport}]", {"econ", "sport"}),
    ("id:abc", set()),
    ("id:000000000000000000000000", set()),
    ("id:-abc", ALL),
    ("uuid:{uuid:econ}", {"econ"}),
    ("uuid:not-a-uuid", set()),
    ("title:'rock \\'n\\' roll'", {"review"}),
    ("featured:true", {"econ", "both"}),
    ("featured:FALSE", {"sport", "draft", "review", "old", "sched"}),
    # not equal, both ways of writing it; a relation's negation is "has no such tag"
    ("tag:-news", {"sport", "draft", "review", "sched"}),
    ("-tag:news", {"sport", "draft", "review", "sched"}),
    ("-tag:-news", {"econ", "both", "old"}),
    ("featured:-true", {"sport", "draft", "review", "old", "sched"}),
    ("authors.slug:-ada", {"sport", "both", "review"}),
    ("-tag:news+-tag:sport", {"draft", "review", "sched"}),
    ("featured:true+tag:-sport", {"econ"}),
    # in, not in
    ("tags.slug:[news,sport]", {"econ", "sport", "both", "old"}),
    ("tag:[ news , sport ]", {"econ", "sport", "both", "old"}),
    ("tag:-[news,sport]", {"draft", "review", "sched"}),
    ("-tag:[news,sport]", {"draft", "review", "sched"}),
    ("tags.name:[NEWS,'Tech Talk']", {"econ", "both", "old", "draft"}),
    ("authors.name:['ada writer','bob builder']", ALL),
    # AND binds tighter than OR; groups
    ("tag:news+author:bob", {"both"}),
    ("tag:news,author:bob", {"econ", "both", "old", "sport", "review"}),
    ("(tag:news,tag:sport)+featured:true", {"econ", "both"}),
    ("tag:news,tag:sport+featured:true", {"econ", "both", "old"}),
    ("tag:sport+featured:true,tag:news", {"econ", "both", "old"}),
    ("( tag:news , tag:sport ) + featured: true", {"econ", "both"}),
    ("((tag:news+(author:ada)),(status:scheduled))", {"econ", "old", "sched"}),
    # Ghost's statuses: our review is Ghost's draft
    ("status:published", {"econ", "sport", "both", "old"}),
    ("status:draft", {"draft", "review"}),
    ("status:scheduled", {"sched"}),
    ("status:[draft,scheduled]", {"draft", "review", "sched"}),
    ("status:-published", {"draft", "review", "sched"}),
    ("status:sent", set()),
    ("visibility:public", ALL),
    ("visibility:paid", set()),
    ("visibility:-public", set()),
    ("visibility:[paid,public]+tag:news", {"econ", "both", "old"}),
    # dates: UTC unless told, zones honoured, relative to now in every unit
    ("published_at:>'2022-01-01'", {"econ", "sport", "both", "sched"}),
    ("published_at:<'2022-01-01'", {"old"}),
    ("published_at:'2021-06-01 00:00:00'", {"old"}),
    ("published_at:<=2021-06-01", {"old"}),
    ("published_at:>'2021-05-31T23:00:00-02:00'", {"econ", "sport", "both", "sched"}),
    ("published_at:>='2021-05-31T23:00:00-01:00'", {"econ", "sport", "both", "sched", "old"}),
    ("published_at:>now-30d", {"econ", "sport", "sched"}),
    ("published_at:>now-30d+published_at:<now", {"econ", "sport"}),
    ("published_at:>now-2w", {"econ", "sport", "sched"}),
    ("published_at:>now-3M", {"econ", "sport", "both", "sched"}),
    ("published_at:<now-1y", {"old"}),
    ("published_at:>now-36h+published_at:<now-12h", {"econ"}),
    ("published_at:>now-90m", {"sched"}),
    ("published_at:>now+2d", {"sched"}),
    ("published_at:>now+7000s", {"sched"}),
    ("published_at:>now+1w", set()),
    ("published_at:[now-1y,'2021-06-01']", {"old"}),
    ("created_at:>now-1d", ALL),
    ("updated_at:>now-1d", ALL),
    # null: a nullable column, an empty text, an unset image, no tags at all
    ("published_at:null", {"draft", "review"}),
    ("published_at:-null", {"econ", "sport", "both", "old", "sched"}),
    ("custom_excerpt:null", {"sport", "both", "draft", "review", "sched"}),
    ("feature_image:null", ALL - {"econ"}),
    ("feature_image:-null", {"econ"}),
    ("tags.slug:null", {"review", "sched"}),
    ("tags.slug:-null", {"econ", "sport", "both", "draft", "old"}),
    ("tags.slug:[null,tech-talk]", {"review", "sched", "draft"}),
    # contains, starts with, ends with (all case-insensitive), and their negations
    ("title:~'economics'", {"econ"}),
    ("title:~ECONOMICS", {"econ"}),
    ("title:~^'the'", {"econ"}),
    ("title:~$'sport, together'", {"both"}),
    ("title:-~sport", {"econ", "draft", "review", "old", "sched"}),
    ("title:-~^'the'", ALL - {"econ"}),
    ("title:-~$'soon'", ALL - {"sched"}),
    ("title:~1", {"old"}),
    ("title:~'%'", set()),
    ("title:~'_'", set()),
    ("tags.name:~tech", {"draft"}),
    ("authors.name:~^bob", {"sport", "both", "review"}),
    # quoting and escapes
    ("title:'An old (1+1=2) post'", {"old"}),
    ("title:'News and sport, together'", {"both"}),
    ("custom_excerpt:a\\+b\\,c\\(d\\)", {"old"}),
    ("custom_excerpt:~'b,c'", {"old"}),
    ("custom_excerpt:'Tiny, but mighty'", {"econ"}),
    ("title:Rock\\ \\'n\\'\\ roll", {"review"}),
]


@pytest.mark.parametrize(("expression", "expected"), FINDS, ids=[e for e, _ in FINDS])
def test_an_expression_finds_exactly_its_posts(posts, expression, expected):
    assert found(fill(expression, posts), posts) == expected


MISTAKES = [
    ("tag:", "Expected a value, found the end (at character 5)"),
    ("tag", "Expected ':' after 'tag'"),
    ("tag=news", "Expected ':' after 'tag', found '='"),
    ("tag :news", "Expected ':' after 'tag', found ' '"),
    ("tag:news+", "Expected a comparison such as tag:news, found the end"),
    ("tag:news,,tag:sport", "Expected a comparison such as tag:news, found ',' (at character 10)"),
    ("(tag:news", "Expected ')' to close the '(' at character 1, found the end"),
    ("tag:news)", "a ')' without its '('"),
    ("tag:[news,sport", "Expected ',' or ']' to close the '[' at character 5"),
    ("tag:[]", "Expected a value, found ']'"),
    (
        "title:'unclosed",
        "This quote is never closed (write \\' for a quote inside) (at character 7)",
    ),
    ('title:"double"', "Strings are written in single quotes"),
    ("title:foo bar", "put a value with spaces, commas or brackets in single quotes"),
    ("tag:news tag:sport", "write '+' in a URL as %2B"),
    ("tag:news(tag:sport)", "join comparisons with '+' (and) or ',' (or)"),
    ("tag:--news", "A value cannot start with '-'"),
    ("published_at:-<2022-01-01", "'-' cannot be joined with '<' or '>'"),
    ("-(tag:news)", "A '-' negates one comparison, not a group"),
    ("title:x\\", "A '\\' at the end has nothing to escape"),
    ("title:~null", "'~' needs text to look for, not null"),
    ("foo:bar", "Unknown property 'foo'; known: "),
    (
        "tag:news+tgs.slug:x",
        "Unknown property 'tgs.slug'; did you mean 'tags.slug'? (at character 10)",
    ),
    ("featured:yes", "featured is true or false, not 'yes'"),
    ("featured:'true'", "featured is true or false"),
    ("featured:>true", "featured cannot be compared with < or >"),
    ("status:>draft", "status cannot be compared with < or >"),
    ("published_at:>'yesterday'", "'yesterday' is not a date"),
    ("published_at:>'2022-13-01'", "'2022-13-01' is not a date"),
    ("published_at:>2022", "'2022' is not a date"),
    ("published_at:>now-30x", "'now-30x' is not a date"),
    ("published_at:>now-999999y", "is not a date"),
    ("published_at:>'0001-01-01T00:00:00+01:00'", "is not a date"),
    ("published_at:>null", "null cannot be compared with < or >"),
    ("id:~abc", "'~' works on text; id is not searched that way"),
    ("status:~pub", "'~' works on text"),
    ("published_at:~2022", "'~' works on text"),
    ("feature_image:'https://example.com/a.jpg'", "feature_image can only be compared with null"),
    ("(" * 21 + "tag:a" + ")" * 21, "Groups are nested more than 20 deep (at character 21)"),
    ("+".join(["tag:a"] * 101), "More than 100 comparisons (at character 601)"),
    ("tag:[" + ",".join(["a"] * 101) + "]", "More than 100 values in one [...]"),
    ("title:" + "a" * 2000, "The filter is longer than 2000 characters."),
    ("title:a\x00", "The filter holds a NUL character. (at character 8)"),
    ("title:\ud800", "The filter is not valid text. (at character 7)"),
    ("   ", "The filter is empty."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("expression", "message"), MISTAKES, ids=[m for _, m in MISTAKES])
def test_a_mistake_is_told_what_and_where(expression, message):
    with pytest.raises(FilterError) as raised:
        if expression.strip():
            filter_q(expression, POST_FIELDS)
        else:
            parse(expression)
    assert message in str(raised.value)


def test_the_column_is_kept_on_the_error():
    with pytest.raises(FilterError) as raised:
        parse("tag:news+(author:")
    assert raised.value.column == 18


def test_no_filter_is_no_condition():
    assert not filter_q("", POST_FIELDS)
    assert not filter_q(None, POST_FIELDS)
    assert not filter_q("  ", POST_FIELDS)


def test_the_tree_keeps_and_inside_or():
    def eq(prop: str, text: str, column: int, at: int) -> Comparison:
        return Comparison(prop, "eq", (Value("literal", text, at),), False, column)

    assert parse("a:x+b:y,c:z") == Or(
        (And((eq("a", "x", 1, 3), eq("b", "y", 5, 7))), eq("c", "z", 9, 11))
    )
    assert parse("n:-[1,null]") == Comparison(
        "n", "in", (Value("number", "1", 5), Value("null", "null", 7)), True, 1
    )
    assert parse("d:>=now-3M") == Comparison("d", "gte", (Value("reldate", "-3M", 5),), False, 1)
    assert parse("t:-~^'x'") == Comparison("t", "startswith", (Value("string", "x", 6),), True, 1)
    # Ghost's literal rules: an escaped word is no keyword, a quoted number no number.
    assert parse("t:\\null").values == (Value("literal", "null", 3),)
    assert parse("t:'42'").values == (Value("string", "42", 3),)
    assert parse("t:nUll").values == (Value("literal", "nUll", 3),)


def test_the_limits_themselves_are_allowed(posts):
    nested = "(" * 20 + "tag:news" + ")" * 20
    assert found(nested, posts) == {"econ", "both", "old"}
    many = ",".join(["tag:news"] * 99 + ["tag:sport"])
    assert found(many, posts) == {"econ", "sport", "both", "old"}
    # The widest lists that fit in the length limit, case-insensitive on both sides of a
    # join, and the most comparisons in one OR, run on the database.
    names = ",".join(["x"] * 79 + ["news"])
    widest = ",".join([f"tags.name:[{names}]"] * 5 + [f"authors.name:[{names}]"] * 5)
    assert len(widest) < 2000
    assert found(widest, posts) == {"econ", "both", "old"}
    longest = ",".join(["title:~x"] * 99 + ["title:~^rock"])
    assert found(longest, posts) == {"review"}


def test_other_models_have_their_own_names(make_tag, make_author, author):
    make_tag("News"), make_tag("Tech Talk")
    make_author("Bob Builder", slug="bob")
    Page.objects.create(title="About us", slug="about", status=Page.Status.PUBLISHED)
    Page.objects.create(title="Contact", slug="contact")

    def slugs(model, expression, fields):
        return set(
            model.objects.filter(filter_q(expression, fields)).values_list("slug", flat=True)
        )

    assert slugs(Tag, "name:'tech talk'", TAG_FIELDS) == {"tech-talk"}
    assert slugs(Tag, "slug:[news,tech-talk]+visibility:public", TAG_FIELDS) == {
        "news",
        "tech-talk",
    }
    assert slugs(Tag, "description:null", TAG_FIELDS) == {"news", "tech-talk"}
    assert slugs(User, "name:~^bob,slug:ada", AUTHOR_FIELDS) == {"bob", "ada"}
    assert slugs(Page, "status:draft", PAGE_FIELDS) == {"contact"}
    assert slugs(Page, "status:scheduled", PAGE_FIELDS) == set()
    assert slugs(Page, "published_at:>now-1d+title:~about", PAGE_FIELDS) == {"about"}
    with pytest.raises(FilterError, match="Unknown property 'tag'"):
        filter_q("tag:news", PAGE_FIELDS)


# --- No text gets anything out but a FilterError -------------------------------------------

PIECES = [
    *(f"{name}:" for name in POST_FIELDS),
    *("x:", "tag", "-", "~", "~^", "~$", "[", "]", ",", "+", "(", ")", ">", ">=", "<", "<="),
    *("null", "true", "False", "news", "'a b, c'", "'", "\\", "\\'", " ", "42", "1.5"),
    *("now-30d", "now+1y", "now-99999y", "now-3M", "2022-01-01", "'2022-01-01 10:00'", "9" * 25),
    *("000000000000000000000001", "ffffffffffffffffffffffff", "'%_'", "\ud800", "\x00", "é"),
]
MODELS = [(Post, POST_FIELDS), (Page, PAGE_FIELDS), (Tag, TAG_FIELDS), (User, AUTHOR_FIELDS)]


@pytest.mark.django_db
@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(max_size=80),
        st.lists(st.sampled_from(PIECES), max_size=25).map("".join),
    ),
    target=st.sampled_from(MODELS),
)
@example(text="tag:news+(featured:true,published_at:>now-30d)", target=MODELS[0])
@example(text="(" * 5000, target=MODELS[0])
@example(text="tag:" + "\\" * 1999, target=MODELS[0])
def test_any_text_gives_a_q_that_runs_or_a_filter_error(posts, text, target):
    model, fields = target
    try:
        q = filter_q(text, fields)
    except FilterError as error:
        assert str(error)
        return
    list(model.objects.filter(q)[:5])
