from broadsheet.accounts.models import User


def test_account_page_needs_login(client, db):
    response = client.get("/account/security/")
    assert response.status_code == 302 and response.url.startswith("/account/login/")


def test_a_member_has_no_staff_account_page(client, make_author):
    """A reader signed in by email link has their own page; the staff profile (a public
    author bio) and two-factor set-up are not theirs."""
    member = make_author("Just A Member")  # no role
    client.force_login(member)
    for path in ("/account/security/", "/account/security/two-factor/"):
        assert client.get(path).status_code == 403
    response = client.post("/account/security/", {"display_name": "Ghost", "email": "x@y.z"})
    assert response.status_code == 403
    assert User.objects.get(pk=member.pk).display_name == "Just A Member"


def test_account_page_shows_profile_and_links(client, author_member):
    client.force_login(author_member)
    html = client.get("/account/security/").content.decode()
    assert 'aria-current="page"' in html
    assert 'href="/account/password/"' in html and 'href="/account/security/two-factor/"' in html
    assert 'value="Arthur Author"' in html and '<label for="id_bio">' in html


def test_edit_profile_and_login_follows_email(client, author_member, log_in):
    client.force_login(author_member)
    response = client.post(
        "/account/security/",
        {"display_name": "Art Author", "email": "art@example.com", "bio": "Writes about art."},
    )
    assert response.status_code == 302
    user = User.objects.get(pk=author_member.pk)
    assert (user.display_name, user.email, user.bio) == (
        "Art Author",
        "art@example.com",
        "Writes about art.",
    )
    assert user.username == "art@example.com"
    assert user.slug == author_member.slug  # public addresses stay
    assert log_in(client.__class__(), "art@example.com").status_code == 302


def test_login_of_a_username_account_stays(client, make_author):
    user = make_author("Rita", username="rita", email="rita@example.com", role="author")
    client.force_login(user)
    client.post("/account/security/", {"display_name": "Rita", "email": "r@example.com", "bio": ""})
    user.refresh_from_db()
    assert user.username == "rita" and user.email == "r@example.com"


def test_address_in_use_is_refused(client, author_member, editor):
    client.force_login(author_member)
    response = client.post(
        "/account/security/", {"display_name": "Arthur", "email": editor.email.upper(), "bio": ""}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "already uses this address" in html
    assert 'role="alert"' in html and 'id="id_email_error"' in html
    assert User.objects.get(pk=author_member.pk).email == "arthur@example.com"


def test_bad_profile_input_is_a_form_error(client, author_member):
    client.force_login(author_member)
    response = client.post("/account/security/", {"display_name": "", "email": "nope"})
    assert response.status_code == 400
    assert response.content.decode().count('aria-invalid="true"') == 2
