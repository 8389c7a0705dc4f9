import pytest

from broadsheet.core.markup import (
    absolute_urls,
    plain_text,
    render_comment,
    render_markdown,
    truncate_words,
)


def test_markdown_renders_and_links_bare_urls():
    html = render_markdown("Read *this* (https://example.org/a).\n\n## Next")

    assert "<em>this</em>" in html
    assert '<a href="https://example.org/a" rel="noopener noreferrer">' in html
    assert "<h2>Next</h2>" in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        "<style>body{display:none}</style>",
    ],
)
def test_markdown_is_always_sanitized(source):
    html = render_markdown(source)

    for danger in ["<script", "onerror", 'href="javascript:', "<iframe", "<style"]:
        assert danger not in html


def test_comments_allow_a_small_safe_subset_of_markdown():
    html = render_comment(
        "**bold** *it* `code` <b>raw</b>\nline\n\n> quoted\n\n"
        "[a link](https://example.org) # not a heading\n\n![img](https://x.example/a.png)"
    )

    assert "<strong>bold</strong> <em>it</em> <code>code</code> &lt;b&gt;raw&lt;/b&gt;<br>" in html
    assert "<blockquote>" in html and "<h1>" not in html and "<img" not in html
    assert '<a href="https://example.org" rel="nofollow ugc noopener noreferrer">a link</a>' in html


@pytest.mark.parametrize(
    "source",
    ["[x](javascript:alert(1))", "<script>alert(1)</script>", "[x](data:text/html,<b>)"],
)
def test_comment_links_cannot_carry_script(source):
    html = render_comment(source)

    assert "<a" not in html and "<script" not in html  # left as harmless text


def test_plain_text_and_word_boundary_truncation():
    text = plain_text("<p>Hello &amp; <em>welcome</em></p>\n<p>to the   site.</p>")

    assert text == "Hello & welcome to the site."
    assert truncate_words(text, 18) == "Hello & welcome to…"
    assert truncate_words(text, 100) == text
    assert truncate_words("Supercalifragilistic", 5) == "Super…"


def test_site_relative_urls_are_made_absolute_for_reading_elsewhere():
    html = (
        '<p><a href="/posts/x/">x</a> <a href="https://other.example/">o</a> '
        '<a href="//cdn.example/a">c</a> <img src="/media/a.jpg" '
        'srcset="/media/a-480.jpg 480w, https://cdn.example/b.jpg 960w" alt=""></p>'
    )

    result = absolute_urls(html, "https://site.example")

    assert '<a href="https://site.example/posts/x/">' in result
    assert '<a href="https://other.example/">' in result and 'href="//cdn.example/a"' in result
    assert 'src="https://site.example/media/a.jpg"' in result
    assert (
        'srcset="https://site.example/media/a-480.jpg 480w, https://cdn.example/b.jpg 960w"'
        in result
    )


def test_writers_and_readers_cannot_forge_a_live_count():
    """The fast path fills `<span data-live=...>` marks; only our templates may make one."""
    forged = '<span data-live="post 1 views">9 views</span> and `<span data-live="x">`'

    for rendered in (render_markdown(forged), render_comment(forged)):
        assert "<span data-live" not in rendered
