"""The members' actions called directly, refusals included."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.members import services


@pytest.fixture
def member(db) -> User:
    user = User(username="m@example.com", email="m@example.com", display_name="Mia Member")
    user.set_unusable_password()
    user.save()
    return user


def test_a_link_completes_a_sign_up_once(db):
    token = services.make_login_token(email="new@example.com", name="Nia New")

    user = services.complete_login(token=token)

    assert (user.email, user.display_name, user.has_usable_password()) == (
        "new@example.com",
        "Nia New",
        False,
    )
    with pytest.raises(services.InvalidLink):
        services.complete_login(token=token)


def test_a_superuser_without_a_role_is_a_staff_account_too(make_author):
    # One rule for "staff account" (accounts.permissions.is_staff_account): the flags count.
    admin = make_author("Old Admin", email="old@example.com", is_superuser=True)

    with pytest.raises(services.InvalidLink):
        services.check_login_token(services.make_login_token(email=admin.email, user=admin))
    with pytest.raises(PermissionDenied):
        services.delete_member(actor=admin, user=admin)


def test_a_member_deletes_only_their_own_account(member, make_author):
    someone = make_author("Someone")

    with pytest.raises(PermissionDenied):
        services.delete_member(actor=someone, user=member)
    assert User.objects.filter(pk=member.pk).exists()

    services.delete_member(actor=member, user=member)
    assert not User.objects.filter(pk=member.pk).exists()


def test_a_staff_account_is_not_deleted_as_a_member(make_staff):
    editor = make_staff("editor")

    with pytest.raises(PermissionDenied):
        services.delete_member(actor=editor, user=editor)

    assert User.objects.filter(pk=editor.pk).exists()


@pytest.mark.parametrize(("name", "reason"), [("   ", "Please give a name."), ("x" * 151, "150")])
def test_a_member_name_is_refused_when_empty_or_too_long(member, name, reason):
    with pytest.raises(ValidationError) as refused:
        services.update_member_name(user=member, display_name=name)

    assert reason in " ".join(refused.value.messages)
    member.refresh_from_db()
    assert member.display_name == "Mia Member"


def test_who_may_delete_a_member_is_the_permissions_modules_rule(member, make_staff):
    # The rule lived in the service; the account page asks the same question.
    editor = make_staff("editor")

    assert permissions.can_delete_member(member, member)
    assert not permissions.can_delete_member(editor, member)
    assert not permissions.can_delete_member(editor, editor)
    assert not permissions.can_delete_member(None, member)
