"""A whole import as the command runs it: all or nothing, a dry run writes nothing, the
format is found from the content, and a second run changes nothing."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from broadsheet.accounts.models import Role
from broadsheet.content.models import Post
from broadsheet.importers.base import BadSource
from broadsheet.importers.run import run_import
from broadsheet.media.models import Image

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def test_an_import_that_fails_half_way_leaves_the_site_as_it_was(tmp_path):
    with pytest.raises(BadSource):
        run_import([str(broken_csv(tmp_path))])
    assert Post.objects.count() == 0


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing():
    report = run_import([str(FIXTURES / "ghost-5.json")], dry_run=True)

    assert report.dry_run and report.total("posts", "imported") > 0
    assert Post.objects.count() == 0


def test_the_format_is_found_from_the_content_and_a_second_run_changes_nothing(capsys):
    call_command("import", str(FIXTURES / "ghost-5.json"))
    imported = Post.objects.count()
    call_command("import", str(FIXTURES / "ghost-5.json"))

    assert imported and Post.objects.count() == imported
    assert f"posts: {imported} unchanged" in capsys.readouterr().out


def test_bad_input_is_a_clear_message_not_a_traceback(tmp_path):
    html = tmp_path / "page.html"
    html.write_text("<!doctype html><title>Hi</title>")
    with pytest.raises(CommandError, match="not a format Broadsheet can import"):
        call_command("import", str(html))
    with pytest.raises(CommandError, match="there is no such file"):
        call_command("import", str(tmp_path / "missing.xml"))
    with pytest.raises(CommandError, match=r"Unknown format|invalid choice"):
        call_command("import", str(html), format="docx")
    with pytest.raises(BadSource, match="not a role"):
        run_import([str(html)], author_role=Role.OWNER)


def broken_csv(folder: Path) -> Path:
    """Wix's CSV, cut off in the middle of its last row."""
    good = (FIXTURES / "wix-posts.csv").read_text(encoding="utf-8-sig")
    broken = folder / "posts.csv"
    broken.write_text(good + 'Anna,,Last,,id-x,,,last,"never closed', encoding="utf-8")
    return broken


def test_the_jekyll_sites_images_are_stored(stored_files):
    assert run_import([str(FIXTURES / "jekyll")]).total("media", "imported") >= 1
    assert stored_files()


def test_a_failed_import_deletes_the_images_it_stored(tmp_path, stored_files):
    """The Jekyll site's images are stored first (as above); the broken CSV after it undoes
    it all, files included."""
    with pytest.raises(BadSource):
        run_import([str(FIXTURES / "jekyll"), str(broken_csv(tmp_path))])

    assert stored_files() == set()
    assert not Image.objects.exists() and not Post.objects.exists()
