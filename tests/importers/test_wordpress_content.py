"""WordPress's content rules: what a stored post or comment looked like on the old site."""

from dataclasses import dataclass, field

import pytest

from broadsheet.importers.readers.wordpress_content import (
    Picture,
    comment_html,
    plain_text,
    render_post,
    wpautop,
)


@dataclass
class Export:
    """A `Library` over a few attachments and synced patterns, as an export would hold."""

    attachments: dict[int, Picture] = field(default_factory=dict)
    own: list[int] = field(default_factory=list)  # the post's attached images, in order
    patterns: dict[int, str] = field(default_factory=dict)

    def pictures(self, ids: list[int] | None) -> list[Picture]:
        wanted = self.own if ids is None else ids
        return [self.attachments[number] for number in wanted if number in self.attachments]

    def synced_pattern(self, ref: int) -> str | None:
        return self.patterns.get(ref)


HARBOUR = Picture(12, "https://example.com/up/harbour.jpg", "Boats & sails")
PEAKS = Picture(16, "https://example.com/up/peaks.png")


def render(content: str, export: Export | None = None) -> str:
    return render_post(content, export or Export()).html


# --- wpautop: WordPress's own expectations (tests/phpunit/tests/formatting/wpAutop.php)

BLOCKS = [
    *("table", "thead", "tfoot", "caption", "col", "colgroup", "tbody", "tr", "td", "th"),
    *("div", "dl", "dd", "dt", "ul", "ol", "li", "pre", "form", "map", "area", "address"),
    *("style", "p", "h1", "h2", "h3", "h4", "h5", "h6", "fieldset", "legend", "section"),
    *("article", "aside", "hgroup", "header", "footer", "nav", "figure", "details", "menu"),
    "summary",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<blockquote>foo</blockquote>", "<blockquote><p>foo</p></blockquote>"),
        ("a<div>b</div>", "<p>a</p>\n<div>b</div>"),
        ("paragraph1<hr>paragraph2", "<p>paragraph1</p>\n<hr>\n<p>paragraph2</p>"),
        (
            '<figure>\n<img src="example.jpg" />\n<figcaption>Caption</figcaption>\n</figure>',
            '<figure>\n<img src="example.jpg" /><figcaption>Caption</figcaption></figure>',
        ),
        (
            "\nline 1<br>\nline 2<br/>\nline 3<br />\nline 4\nline 5\n",
            "<p>line 1<br />\nline 2<br />\nline 3<br />\nline 4<br />\nline 5</p>",
        ),
        ("\nline 1<br>\n<br/>\nline 2<br/>\n<br />\n", "<p>line 1</p>\n<p>line 2</p>"),
        (
            "Look at this code\n\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\n"
            "Actual Line 3</pre>\n\nCool, huh?",
            "<p>Look at this code</p>\n<pre>Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2\n"
            "Actual Line 3</pre>\n<p>Cool, huh?</p>",
        ),
        (
            'Username: <input type="text" name="username" /><br />Password: <input name="p" />',
            '<p>Username: <input type="text" name="username" /><br />Password: <input name="p" />'
            "</p>",
        ),
        ("Hello <a\nhref='world'>", "<p>Hello <a\nhref='world'></p>"),
        (
            "Hello <!-- <object>\n<param>\n<embed>\n</embed>\n</object>\n -->",
            "<p>Hello <!-- <object>\n<param>\n<embed>\n</embed>\n</object>\n --></p>",
        ),
        (
            '<script type="text/javascript">\n\tvar dummy = 1;\n</script>',
            '<p><script type="text/javascript">\n\tvar dummy = 1;\n</script></p>',
        ),
        (
            'Country: <select id="state"><option value="1">Alabama</option>\n'
            '<option value="2">Alaska</option></select>',
            '<p>Country: <select id="state"><option value="1">Alabama</option>'
            '<option value="2">Alaska</option></select></p>',
        ),
        (
            "\n\n".join(f"<{tag}>foo</{tag}>" for tag in BLOCKS),
            "\n".join(f"<{tag}>foo</{tag}>" for tag in BLOCKS),
        ),
        ("".join(f"<{tag}/>" for tag in BLOCKS), "\n".join(f"<{tag}/>" for tag in BLOCKS)),
    ],
)
def test_wpautop_does_what_wordpress_does(text, expected):
    assert wpautop(text).strip() == expected


def test_wpautop_keeps_a_non_breaking_space_as_text():
    # PCRE without /u: \s is ASCII, so the space before a line break stays.
    assert wpautop("10\u00a0km\nlater\n\n\u00a0\n\nend") == (
        "<p>10\u00a0km<br />\nlater</p>\n<p>\u00a0</p>\n<p>end</p>\n"
    )


def test_wpautop_of_nothing_is_nothing():
    assert wpautop(" \n\n\t") == ""


# --- blocks


def test_block_delimiters_go_and_the_saved_html_stays_without_breaks():
    content = (
        "<!-- wp:paragraph -->\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:group {"layout":{"type":"constrained"}} -->\n<div class="wp-block-group">'
        '<!-- wp:image {"id":12,"sizeSlug":"large"} -->\n<figure class="wp-block-image">'
        '<img src="a.jpg" alt=""/></figure>\n<!-- /wp:image --></div>\n<!-- /wp:group -->\n\n'
        '<!-- wp:separator -->\n<hr class="wp-block-separator"/>\n<!-- /wp:separator -->\n\n'
        '<!-- wp:latest-posts {"postsToShow":3} /-->\n\n'
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n"
        "<!-- wp:core/spacer /-->\n\n"
        "<!-- wp:jetpack/markdown -->\n<div><p>Plugin block</p></div>\n"
        "<!-- /wp:jetpack/markdown -->"
    )
    assert render(content) == (
        "<p>One\ntwo</p>\n\n"
        '<div class="wp-block-group"><figure class="wp-block-image"><img src="a.jpg" alt=""/>'
        "</figure>\n</div>\n\n"
        '<hr class="wp-block-separator"/>\n\n'
        "<div><p>Plugin block</p></div>"
    )


def test_a_code_block_keeps_its_escaping_exactly_once():
    code = (
        '<pre class="wp-block-code"><code>if (a &lt; b &amp;&amp; c &gt; d) {\n\n'
        "    echo '&lt;p&gt;';\n}\n[gallery ids=\"1\"]\nhttps://example.com/\n</code></pre>"
    )
    assert render(f"<!-- wp:code -->\n{code}\n<!-- /wp:code -->") == code
    classic = "Before\n\n<pre><code>a &lt; b\n\n&amp;c\nhttps://example.com/</code></pre>\n\nAfter"
    assert render(classic) == (
        "<p>Before</p>\n<pre><code>a &lt; b\n\n&amp;c\nhttps://example.com/</code></pre>\n"
        "<p>After</p>"
    )


def test_a_synced_pattern_is_replaced_by_its_content():
    export = Export(
        patterns={
            22: "<!-- wp:paragraph -->\n<p>Subscribe!</p>\n<!-- /wp:paragraph -->",
            23: '<!-- wp:block {"ref":23} /-->',  # uses itself: stops
        }
    )
    rendered = render_post(
        '<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:block {"ref":22} /-->'
        '\n\n<!-- wp:block {"ref":99} /-->\n\n<!-- wp:block {"ref":23} /-->',
        export,
    )
    assert rendered.html == "<p>Hi</p>\n\n<p>Subscribe!</p>"
    assert rendered.lost == [
        ("synced pattern 99", "not in the export"),
        ("synced pattern 23", "it uses itself"),
    ]


# --- shortcodes


def test_a_caption_becomes_a_figure():
    content = (
        'Text\n\n[caption id="attachment_12" align="aligncenter" width="640"]'
        '<a href="big.jpg"><img src="small.jpg" alt="Boats" width="640" /></a> The harbour'
        " — “złota godzina”[/caption]\n\nMore"
    )
    assert render(content) == (
        "<p>Text</p>\n"
        '<figure><a href="big.jpg"><img src="small.jpg" alt="Boats" width="640" /></a>'
        "<figcaption>The harbour — “złota godzina”</figcaption></figure>\n"
        "<p>More</p>"
    )


def test_an_old_caption_attribute_and_a_caption_without_text():
    assert render('[caption caption="Old &amp; style"]<img src="a.jpg" />[/caption]') == (
        '<figure><img src="a.jpg" /><figcaption>Old &amp; style</figcaption></figure>'
    )
    assert (
        render('[caption width="300"]<img src="a.jpg" />[/caption]') == '<p><img src="a.jpg" /></p>'
    )


def test_embeds_and_urls_alone_on_a_line_become_links():
    content = (
        '[embed width="500"]https://vimeo.com/76979871[/embed]\n\n'
        "Look:\nhttps://youtu.be/x?a=1&amp;b=2\nNice.\n\n"
        "A https://example.com/inline link stays text.\n\n[embed][/embed]"
    )
    rendered = render_post(content, Export())
    assert rendered.html == (
        '<p><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>\n'
        "<p>Look:</p>\n"
        '<p><a href="https://youtu.be/x?a=1&amp;b=2">https://youtu.be/x?a=1&amp;b=2</a></p>\n'
        "<p>Nice.</p>\n"
        "<p>A https://example.com/inline link stays text.</p>"
    )
    assert rendered.lost == [("[embed] without a URL", "nothing to link to")]
    assert render(
        '<!-- wp:paragraph -->\n<p class="x">https://example.com/a</p>\n<!-- /wp:paragraph -->'
    ) == ('<p><a href="https://example.com/a">https://example.com/a</a></p>')


def test_audio_and_video_become_links_to_their_file():
    rendered = render_post(
        '[audio mp3="https://example.com/horn.mp3"][/audio]\n\n'
        "[video width='640' src='https://example.com/ship.mp4']\n\n[video]",
        Export(),
    )
    assert rendered.html == (
        '<p><a href="https://example.com/horn.mp3">https://example.com/horn.mp3</a></p>\n'
        '<p><a href="https://example.com/ship.mp4">https://example.com/ship.mp4</a></p>'
    )
    assert rendered.lost == [("[video] without a file", "it played the post's attached file")]


def test_a_gallery_shows_the_attachments_it_names_and_reports_the_missing():
    export = Export(attachments={12: HARBOUR, 16: PEAKS}, own=[16])
    rendered = render_post('[gallery ids="16, 12,99" columns="2"]\n\n[gallery]', export)
    assert rendered.html == (
        '<figure class="gallery"><img src="https://example.com/up/peaks.png" alt="">'
        '<img src="https://example.com/up/harbour.jpg" alt="Boats &amp; sails">'
        "</figure>\n"
        '<figure class="gallery"><img src="https://example.com/up/peaks.png" alt="">'
        "</figure>"
    )
    assert rendered.lost == [("gallery image 99", "not in the export")]
    empty = render_post("[gallery]", Export())
    assert (empty.html, empty.lost) == (
        "",
        [("[gallery] of the post's images", "no image attached to it in the export")],
    )


def test_a_plugins_shortcode_is_dropped_and_reported_and_plain_brackets_stay():
    rendered = render_post(
        '[contact-form-7 id="42" title="Contact"]\n\n'
        '[column]Kept text [caption]<img src="a.jpg"> In a column[/caption][/column]\n\n'
        "[toc /]\n\n"
        "He wrote [sic] and [citation needed], see [1]. [[caption]] is how you write it.\n\n"
        '[[gallery ids="1"]]',
        Export(),
    )
    assert rendered.html == (
        "<p>Kept text </p>\n"
        '<figure><img src="a.jpg"><figcaption>In a column</figcaption></figure>\n'
        "<p>He wrote [sic] and [citation needed], see [1]. [caption] is how you write it.</p>\n"
        '<p>[gallery ids="1"]</p>'
    )
    assert rendered.lost == [
        ("[contact-form-7] shortcode", "a plugin's shortcode: what it showed is not in the export"),
        ("[column] shortcode", "a plugin's shortcode: what it showed is not in the export"),
        ("[toc] shortcode", "a plugin's shortcode: what it showed is not in the export"),
    ]


def test_many_unclosed_shortcodes_are_read_in_one_pass():
    # Each distinct name once searched the rest of the text for its closing tag.
    content = " ".join(f"[tag{number} key=1]" for number in range(30_000))
    rendered = render_post(content, Export())
    assert rendered.html == ""
    assert len(rendered.lost) == 30_000


# --- comments and excerpts


def test_a_comment_is_shown_through_wpautop():
    assert comment_html("Great post!\r\nSecond line.\r\n\r\nA new paragraph & <em>more</em>.") == (
        "<p>Great post!<br />\nSecond line.</p>\n<p>A new paragraph & <em>more</em>.</p>"
    )


def test_an_excerpt_is_plain_text():
    assert plain_text(" A post &amp; its <em>shortcodes</em>&nbsp;\n") == "A post & its shortcodes"
