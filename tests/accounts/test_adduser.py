import getpass

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from broadsheet.accounts import services
from broadsheet.accounts.models import Role, User

GOOD = "a perfectly long test password"


def test_adduser_with_password(db, capsys):
    call_command(
        "adduser", "Olive@Example.com", "--role", "owner", "--password", GOOD, "--name", "Olive"
    )
    user = User.objects.get(email="Olive@example.com")
    assert user.username == "Olive@example.com" and user.display_name == "Olive"
    assert user.role == Role.OWNER and user.is_staff and user.is_superuser
    assert user.check_password(GOOD)
    assert "Added Olive@example.com as owner." in capsys.readouterr().out


def test_adduser_prompts_twice(db, monkeypatch):
    answers = iter([GOOD, GOOD])
    prompts = []
    monkeypatch.setattr(
        getpass, "getpass", lambda prompt="": prompts.append(prompt) or next(answers)
    )
    call_command("adduser", "ed@example.com", "--role", "editor")
    assert len(prompts) == 2
    user = User.objects.get(username="ed@example.com")
    assert user.role == Role.EDITOR and not user.is_superuser and user.check_password(GOOD)


def test_mismatched_passwords(db, monkeypatch):
    answers = iter([GOOD, GOOD + "!"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="did not match"):
        call_command("adduser", "ed@example.com", "--role", "editor")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a@example.com", "--role", "king", "--password", GOOD], "Unknown role 'king'"),
        (["not-an-email", "--role", "author", "--password", GOOD], "not an email address"),
        (["a@example.com", "--role", "author", "--password", "short"], "too short"),
        (["a@example.com", "--role", "author", "--password", "password123"], "too common"),
    ],
)
def test_bad_input(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("adduser", *args)
    assert not User.objects.exists()


def test_existing_account(db):
    call_command("adduser", "a@example.com", "--role", "author", "--password", GOOD)
    with pytest.raises(CommandError, match="already an account"):
        call_command("adduser", "A@EXAMPLE.com", "--role", "editor", "--password", GOOD)


def test_second_owner(db, monkeypatch):
    call_command("adduser", "a@example.com", "--role", "owner", "--password", GOOD)
    with pytest.raises(CommandError, match="already has an owner"):
        call_command("adduser", "b@example.com", "--role", "owner", "--password", GOOD)
    assert User.objects.filter(role=Role.OWNER).count() == 1

    # Refused before the password is asked for, with the service's words (one rule).
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": pytest.fail("asked"))
    with pytest.raises(ValidationError) as refused:
        services.check_owner_free(Role.OWNER)
    with pytest.raises(CommandError) as reported:
        call_command("adduser", "c@example.com", "--role", "owner")
    assert str(reported.value) == " ".join(refused.value.messages)
