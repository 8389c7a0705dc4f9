"""Each test stores its uploads in a folder of its own, and has staff of every role at hand."""

from pathlib import Path

import pytest

from broadsheet.accounts.models import Role


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored_files(media_root):
    """Every file under MEDIA_ROOT, relative to it."""

    def files() -> set[str]:
        if not media_root.exists():
            return set()
        return {
            str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()
        }

    return files


@pytest.fixture
def contributor(make_staff):
    return make_staff(Role.CONTRIBUTOR)


@pytest.fixture
def editor(make_staff):
    return make_staff(Role.EDITOR)
