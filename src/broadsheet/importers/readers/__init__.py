"""One module per source format; each defines a `Reader`. `READERS` is the order in which
they are tried when no format is given: the most particular first (a folder of Markdown
is tried last: other formats' folders hold Markdown files too)."""

from broadsheet.importers.base import Reader
from broadsheet.importers.readers.feeds import FeedReader
from broadsheet.importers.readers.ghost import GhostReader
from broadsheet.importers.readers.markdown import MarkdownReader
from broadsheet.importers.readers.wix import WixCsvReader
from broadsheet.importers.readers.wordpress import WxrReader

READERS: list[type[Reader]] = [WxrReader, GhostReader, WixCsvReader, FeedReader, MarkdownReader]
