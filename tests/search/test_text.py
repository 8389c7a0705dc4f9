import pytest

from broadsheet.core.markup import plain_text, render_markdown, sanitize_post_html
from broadsheet.search.text import body_text, fold, words

BODIES = [
    render_markdown("Plain *words*, `a < b && c > d`, [a link](https://example.org/?a=1&b=2)."),
    render_markdown("# Kraków’s “café”\n\n- one\n- two\n\n```\n<script>x</script>\n```"),
    render_markdown("| a | b |\n|---|---|\n| 1 &amp; 2 | <3 |\n\nTom &amp; Jerry — “quoted”"),
    sanitize_post_html('<p title="a > b" class="x">Title &gt; text</p><img alt=">" src="/i.png">'),
    sanitize_post_html('<a href="https://e.org" title="&quot;q&quot; <b>">x</a>&nbsp;y<br>z'),
    sanitize_post_html("<!-- a comment --><p>after<span>\n\n  spaced </span>out</p>"),
    "",
]


@pytest.mark.parametrize("html", BODIES)
def test_a_body_is_indexed_as_plain_text_reads_it(html):
    assert body_text(html) == plain_text(html)


def test_folding_takes_accents_out_and_keeps_ascii_as_lower_case():
    assert fold("Kraków ÉCOLE") == "krakow ecole"
    assert fold("Plain ASCII") == "plain ascii"
    assert words("Café, CAFÉ and 2024 a_b x") == {"cafe", "and"}
