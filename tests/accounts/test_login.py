from axes.models import AccessAttempt
from django.urls import reverse

from broadsheet.accounts.models import User

LOGIN = "/account/login/"


def test_login_page_has_the_form(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_username">' in html and 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html


def test_login_with_username(client, author_member, log_in):
    response = log_in(client, author_member.username)
    assert response.status_code == 302 and response.url == reverse("studio:home")
    assert client.session["_auth_user_id"] == str(author_member.pk)


def test_login_with_email_in_any_case(client, make_author, log_in):
    user = make_author("Rita Reader", username="rita", email="Rita@Example.com")
    response = log_in(client, "rita@example.COM", "correct horse battery staple")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_reader_is_sent_to_the_site_not_the_studio(client, make_author, log_in):
    make_author("Rita Reader", username="rita")
    response = log_in(client, "rita", "correct horse battery staple")
    assert response.url == reverse("content:home")


def test_wrong_password_is_refused_and_input_is_kept(client, author_member, log_in):
    response = log_in(client, author_member.username, "not the password")
    html = response.content.decode()
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in html and "do not match" in html
    assert f'value="{author_member.username}"' in html
    assert "not the password" not in html


def test_missing_fields_are_errors_not_crashes(client, db):
    response = client.post(LOGIN, {})
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") >= 2


def test_safe_next_is_honoured(client, author_member, log_in):
    response = client.post(
        f"{LOGIN}?next=/studio/posts/",
        {"username": author_member.username, "password": "a perfectly long test password"},
    )
    assert response.url == "/studio/posts/"


def test_next_to_another_site_is_ignored(client, author_member, password):
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        client.logout()
        response = client.post(
            LOGIN, {"username": author_member.username, "password": password, "next": evil}
        )
        assert response.url == reverse("studio:home")


def test_next_that_is_not_a_path_is_ignored_not_reversed(client, author_member, log_in):
    """`redirect("²")` would look "²" up as a view name and fail with a server error."""
    log_in(client, author_member.username)
    for odd in ("²", "studio:home", "posts", "home"):
        response = client.get(LOGIN, {"next": odd})
        assert response.status_code == 302 and response.url == reverse("studio:home")


def test_studio_sends_anonymous_visitors_to_login_and_back(client, author_member, password):
    response = client.get("/studio/posts/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)
    login_page = client.get(response.url)
    assert 'name="next" value="/studio/posts/"' in login_page.content.decode()


def test_inactive_account_cannot_log_in(client, author_member, log_in):
    User.objects.filter(pk=author_member.pk).update(is_active=False)
    assert log_in(client, author_member.username).status_code == 400
    assert "_auth_user_id" not in client.session


def test_lockout_by_account_after_five_failures(client, author_member, log_in, editor):
    for n in range(4):
        response = log_in(client, author_member.email, "wrong", REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 400
    response = log_in(client, author_member.email, "wrong", REMOTE_ADDR="10.0.0.4")
    assert response.status_code == 429
    # From a fresh address and with the right password: the account is still locked.
    response = log_in(client, author_member.username, REMOTE_ADDR="10.0.0.99")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Please wait 15 minutes" in html
    assert "_auth_user_id" not in client.session
    # Another account from another address is unaffected.
    assert log_in(client, editor.username, REMOTE_ADDR="10.0.0.100").status_code == 302


def test_lockout_by_address_after_five_failures(client, author_member, log_in):
    for n in range(5):
        log_in(client, f"nobody{n}@example.com", "wrong", REMOTE_ADDR="192.0.2.7")
    response = log_in(client, author_member.username, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    assert log_in(client, author_member.username, REMOTE_ADDR="192.0.2.8").status_code == 302


def test_username_and_email_count_as_one_account(client, author_member, log_in):
    """Failures are counted per account, however the person typed its name."""
    log_in(client, author_member.email.upper(), "wrong", REMOTE_ADDR="10.1.0.1")
    log_in(client, author_member.username, "wrong", REMOTE_ADDR="10.1.0.2")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {author_member.username}


def test_logout_is_post_only(client, author_member):
    client.force_login(author_member)
    assert client.get("/account/logout/").status_code == 405
    assert client.session.get("_auth_user_id") == str(author_member.pk)
    response = client.post("/account/logout/")
    assert response.status_code == 302 and response.url == reverse("content:home")
    assert "_auth_user_id" not in client.session


def test_logged_in_visitor_is_sent_on_from_the_login_page(client, author_member):
    client.force_login(author_member)
    assert client.get(LOGIN).url == reverse("studio:home")
