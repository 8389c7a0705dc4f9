import re

import pytest
from django.core.management import CommandError, call_command

from broadsheet.integrations.auth import integration_for_content_key
from broadsheet.integrations.models import Integration


def keys_printed(out: str) -> tuple[str, str]:
    content = re.search(r"Content API key: ([0-9a-f]{26})$", out, re.M).group(1)
    admin = re.search(r"Admin API key: ([0-9a-f]{24}:[0-9a-f]{64})$", out, re.M).group(1)
    return content, admin


def test_create_prints_both_keys_and_the_addresses(db, capsys, settings):
    settings.SITE_URL = "https://news.example"
    call_command("integration", "create", "Zapier", "--role", "author")
    out = capsys.readouterr().out
    content, admin = keys_printed(out)
    integration = Integration.objects.get()
    assert integration.role == "author" and integration.admin_key_id == admin.split(":")[0]
    assert integration_for_content_key(content) == integration
    assert "https://news.example/ghost/api/content/" in out
    assert "https://news.example/ghost/api/admin/" in out


def test_owner_is_not_a_role_offered(db):
    with pytest.raises(CommandError):
        call_command("integration", "create", "Zapier", "--role", "owner")
    assert not Integration.objects.exists()


def test_list_shows_hints_never_keys(db, capsys):
    call_command("integration", "create", "Zapier")
    content, admin = keys_printed(capsys.readouterr().out)
    call_command("integration", "list")
    out = capsys.readouterr().out
    assert "Zapier" in out and "editor" in out and "active" in out
    assert content[-4:] in out and admin.split(":")[0] in out
    assert content not in out and admin.split(":")[1] not in out


def test_revoke_by_name_or_id(db, capsys):
    call_command("integration", "create", "Zapier")
    call_command("integration", "create", "Other")
    call_command("integration", "revoke", "zapier")
    other = Integration.objects.get(name="Other")
    call_command("integration", "revoke", str(other.pk))
    assert not Integration.objects.filter(revoked_at__isnull=True).exists()
    call_command("integration", "list")
    assert capsys.readouterr().out.count("revoked") == 2


def test_revoke_unknown_or_ambiguous(db):
    with pytest.raises(CommandError, match="No integration"):
        call_command("integration", "revoke", "nobody")
    call_command("integration", "create", "Twin")
    call_command("integration", "create", "Twin")
    with pytest.raises(CommandError, match="give its id"):
        call_command("integration", "revoke", "Twin")
