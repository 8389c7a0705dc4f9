"""Imported HTML as a Broadsheet body: sanitized, and written so that the Markdown
renderer passes it through untouched.

CommonMark keeps a block of raw HTML as it is up to the first blank line. So the whole
fragment goes in one `<div>` with no blank line in it: outside `<pre>` a blank line is
only whitespace and goes; inside `<pre>` it is kept as `&#10;`, which a browser shows as
the same empty line. Markdown syntax in the text (`*`, `_`, `[x]`) is then never read as
Markdown, typographer quotes never replace the original's, and a writer who opens the
post in the studio and saves it gets the same page back.
"""

import re

from broadsheet.core.markup import sanitize_post_html

_PRE = re.compile(r"(<pre\b.*?</pre>)", re.IGNORECASE | re.DOTALL)
_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")  # each newline that starts an empty line


def to_body(fragment: str) -> str:
    """A safe Markdown body that renders as `fragment` (sanitized) renders."""
    clean = sanitize_post_html(fragment.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not clean:
        return ""
    pieces = _PRE.split(clean)
    for n, piece in enumerate(pieces):
        if n % 2:  # inside <pre>: every line counts
            pieces[n] = _BLANK_LINES.sub("&#10;", piece)
        else:
            pieces[n] = _BLANK_LINES.sub("", piece)
    return "<div>\n" + "".join(pieces) + "\n</div>"
