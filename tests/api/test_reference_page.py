"""The API reference at /studio/api/: every endpoint of the description, for staff."""

from broadsheet.api import openapi


def test_the_reference_lists_every_endpoint_and_object(client, make_staff):
    client.force_login(make_staff("contributor"))

    page = client.get("/studio/api/").content.decode()

    for path, methods in openapi.document()["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in page
    for name in openapi.document()["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "/ghost/api/openapi.json" in page
    assert 'href="/studio/integrations/"' not in page  # a contributor manages none


def test_an_administrator_is_pointed_to_the_keys(client, make_staff):
    client.force_login(make_staff("administrator"))

    assert 'href="/studio/integrations/"' in client.get("/studio/api/").content.decode()


def test_readers_are_sent_to_sign_in(client, db):
    response = client.get("/studio/api/")

    assert response.status_code == 302 and "/account/login/" in response["Location"]
