"""The studio's Export page: owners and administrators download the site in one file."""

import io
import zipfile

import defusedxml.ElementTree as ET
import pytest
from django.urls import reverse

from broadsheet.accounts.models import Role

PAGE, DOWNLOAD = reverse("export_studio:page"), reverse("export_studio:download")


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUTHOR, Role.EDITOR])
def test_only_owners_and_administrators_may_export(client, make_staff, role):
    client.force_login(make_staff(role))
    assert client.get(PAGE).status_code == 403
    assert client.post(DOWNLOAD, {"format": "archive"}).status_code == 403


def test_a_signed_out_visitor_is_sent_to_sign_in(client, db):
    assert client.get(PAGE).status_code == 302
    assert client.post(DOWNLOAD, {"format": "archive"}).status_code == 302


def test_an_administrator_downloads_the_archive_and_the_wxr(client, make_staff, post):
    client.force_login(make_staff(Role.ADMINISTRATOR))
    assert "Download the archive" in client.get(PAGE).content.decode()

    archive = client.post(DOWNLOAD, {"format": "archive"})
    assert archive.status_code == 200 and archive["Content-Type"] == "application/zip"
    assert 'attachment; filename="broadsheet-export-' in archive["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert "site.json" in names and f"posts/{post.slug}.md" in names

    wxr = client.post(DOWNLOAD, {"format": "wxr"})
    root = ET.fromstring(b"".join(wxr.streaming_content))
    assert post.title in [t.text for t in root.iter("title")]
    assert client.post(DOWNLOAD, {"format": "docx"}).status_code == 400
