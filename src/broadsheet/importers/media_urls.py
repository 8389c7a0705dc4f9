"""Image addresses as the file's original, whatever size or crop a page asked its CDN for.

Wix serves one stored file under many addresses (`.../media/<id>/v1/fill/w_740,h_493,.../
name.jpg`, each a resized copy) and names it `wix:image://v1/<id>/<name>#originWidth=...`
in its own data. Fetching the plain `https://static.wixstatic.com/media/<id>` gets the file
as uploaded, once, whichever address a post used: readers use this for covers and bodies,
and the media fetcher can use it for any address it meets.
"""

import re
from urllib.parse import quote, unquote

WIX_MEDIA = "https://static.wixstatic.com/media/"

_WIX_URI = re.compile(r"wix:image://v1/(?P<id>[^/#]+)(?:/[^#]*)?(?:#.*)?", re.IGNORECASE)
_WIX_STATIC = re.compile(
    r"https?://static\.wixstatic\.com/media/(?P<id>[^/?#\s\"'<>]+)[^?#\s\"'<>]*(?:\?[^#\s\"'<>]*)?",
    re.IGNORECASE,
)


def wix_media_url(media_id: str) -> str:
    """The original file of a Wix media id (`0c1d2e_4f5a...~mv2.jpg`), as Wix's rich
    content names images."""
    return WIX_MEDIA + quote(unquote(media_id), safe="")


def wix_original(url: str) -> str:
    """`url` as the plain address of Wix's stored file, when it is a Wix image address;
    any other address unchanged."""
    url = url.strip()
    if match := _WIX_URI.fullmatch(url) or _WIX_STATIC.fullmatch(url):
        return wix_media_url(match["id"])
    return url


def wix_originals_in(html: str) -> str:
    """Every static.wixstatic.com address in an HTML fragment made the stored file's."""
    return _WIX_STATIC.sub(lambda match: wix_media_url(match["id"]), html)
