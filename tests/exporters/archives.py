"""Reading what an export wrote, for the tests."""

import json
import zipfile
from pathlib import Path

from broadsheet.exporters.archive import write_archive

# Markup, an ampersand and the end of a CDATA section: every writer must carry it intact.
TRICKY_BODY = "Code: `a[b[0]]>c` and a literal ]]> inside, with <b>markup</b> & an ampersand."


def site_json(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("site.json"))


def export_to(path: Path) -> Path:
    with path.open("wb") as file:
        write_archive(file)
    return path


def entries(path: Path) -> dict[str, bytes]:
    """Every file in a zip, by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
