"""The people actions called directly: what each allows, what each refuses, and the flags
that always follow the role."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from broadsheet.accounts import services
from broadsheet.accounts.models import Role, User


def flags(user: User) -> tuple[str, bool, bool]:
    user.refresh_from_db()
    return user.role, user.is_staff, user.is_superuser


@pytest.mark.parametrize(
    ("role", "is_staff", "is_superuser"),
    [
        (Role.OWNER, True, True),
        (Role.ADMINISTRATOR, True, True),
        (Role.EDITOR, True, False),
        (Role.CONTRIBUTOR, True, False),
        ("", False, False),
    ],
)
def test_a_role_brings_its_django_flags(role, is_staff, is_superuser):
    user = User(is_staff=not is_staff, is_superuser=not is_superuser)

    services.apply_role(user, role)

    assert (user.role, user.is_staff, user.is_superuser) == (role, is_staff, is_superuser)


def test_an_unknown_role_is_refused():
    with pytest.raises(ValidationError):
        services.apply_role(User(), "overlord")


def test_an_administrator_changes_a_role(administrator, editor):
    services.change_role(actor=administrator, target=editor, role=Role.ADMINISTRATOR)

    assert flags(editor) == (Role.ADMINISTRATOR, True, True)


@pytest.mark.parametrize(
    ("actor", "target", "role"),
    [
        ("editor", "author", Role.EDITOR),  # above what an editor may give
        ("editor", "administrator", Role.CONTRIBUTOR),  # someone above the editor
        ("administrator", "owner", Role.EDITOR),  # nobody manages the owner here
        ("administrator", "editor", Role.OWNER),  # ownership is handed over, not given
        ("administrator", "administrator", Role.EDITOR),  # oneself
        ("author_member", "contributor", Role.AUTHOR),  # authors manage nobody
    ],
)
def test_role_changes_outside_the_rules_are_refused(request, make_staff, actor, target, role):
    acting = request.getfixturevalue(actor)
    person = acting if actor == target else make_staff(target)
    before = flags(person)

    with pytest.raises(PermissionDenied):
        services.change_role(actor=acting, target=person, role=role)

    assert flags(person) == before


def test_a_reader_changes_no_role(make_author, editor):
    with pytest.raises(PermissionDenied):
        services.change_role(actor=make_author("Reader"), target=editor, role=Role.AUTHOR)


def test_ownership_is_handed_over_in_one_step(owner, administrator):
    services.transfer_ownership(actor=owner, to=administrator)

    assert flags(owner) == (Role.ADMINISTRATOR, True, True)
    assert flags(administrator) == (Role.OWNER, True, True)


def test_only_the_owner_hands_over_ownership(administrator, editor):
    with pytest.raises(PermissionDenied):
        services.transfer_ownership(actor=administrator, to=editor)

    assert flags(administrator)[0] == Role.ADMINISTRATOR


def test_ownership_goes_only_to_another_active_staff_member(owner, editor, make_author):
    editor.is_active = False
    editor.save()
    for to in (owner, editor, make_author("Reader")):
        with pytest.raises(ValidationError):
            services.transfer_ownership(actor=owner, to=to)

    assert flags(owner)[0] == Role.OWNER


def test_suspending_and_reactivating(administrator, editor):
    services.suspend_user(actor=administrator, target=editor)
    editor.refresh_from_db()
    assert not editor.is_active

    services.reactivate_user(actor=administrator, target=editor)
    editor.refresh_from_db()
    assert editor.is_active


def test_a_suspension_signs_them_out_only_once_it_is_saved(
    administrator, editor, django_capture_on_commit_callbacks
):
    # The bug: the sessions ended before the save was known to commit.
    their_browser = Client()
    their_browser.force_login(editor)
    session_key = their_browser.session.session_key

    with django_capture_on_commit_callbacks() as on_commit:
        services.suspend_user(actor=administrator, target=editor)
        assert Session.objects.filter(session_key=session_key).exists()  # not committed yet

    for callback in on_commit:  # the commit
        callback()
    assert not Session.objects.filter(session_key=session_key).exists()


def test_an_editor_suspends_no_administrator(editor, administrator):
    with pytest.raises(PermissionDenied):
        services.suspend_user(actor=editor, target=administrator)
    with pytest.raises(PermissionDenied):
        services.reactivate_user(actor=editor, target=administrator)

    administrator.refresh_from_db()
    assert administrator.is_active


def test_a_second_owner_cannot_be_created(owner):
    with pytest.raises(ValidationError):
        services.create_staff_user(email="two@example.com", role=Role.OWNER, password=None)
