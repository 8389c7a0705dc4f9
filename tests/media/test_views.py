"""The studio's media pages: who gets in, uploading with and without JavaScript, deleting."""

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.models import Role
from broadsheet.media import selectors, services
from broadsheet.media.models import Image
from broadsheet.media.uploads import was_too_large
from tests.media import images
from tests.media.images import upload

LIBRARY = reverse("media:library")
UPLOAD = reverse("media:upload")
UPLOAD_JSON = reverse("media:upload_json")


def signed_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


def uploaded_by(user, *, alt="A chart", size=(1200, 600)) -> Image:
    return services.upload_image(
        file=upload(images.png(size), "chart.png"), alt=alt, uploaded_by=user
    )


# --- Who gets in -----------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIBRARY, UPLOAD])
def test_anonymous_visitors_are_sent_to_log_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_uploads_are_sent_to_log_in(client, db, stored_files):
    response = client.post(UPLOAD_JSON, {"file": upload(images.png((50, 50))), "alt": "x"})

    assert response.status_code == 302
    assert stored_files() == set()


@pytest.mark.parametrize("url", [LIBRARY, UPLOAD])
def test_a_reader_is_refused(client, make_author, url):
    signed_in(client, make_author("Reader"))

    assert client.get(url).status_code == 403
    response = client.post(UPLOAD_JSON, {"file": upload(images.png((50, 50))), "alt": "x"})
    assert response.status_code == 403
    assert not Image.objects.exists()


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.AUTHOR, Role.EDITOR, Role.OWNER])
def test_every_staff_role_sees_the_library(client, make_staff, role):
    response = signed_in(client, make_staff(role)).get(LIBRARY)

    assert response.status_code == 200
    assert response.context["section"] == "media"
    html = response.content.decode()
    assert 'aria-current="page">Media</a>' in html
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html
    assert "No images yet" in html


# --- The library -----------------------------------------------------------------------


def test_the_library_shows_each_image_with_its_details(client, contributor):
    image = uploaded_by(contributor, alt="Rainfall [2025]")

    html = signed_in(client, contributor).get(LIBRARY).content.decode()

    thumbnail = image.file.storage.url(image.renditions[0]["name"])
    assert f'<img src="{thumbnail}" width="480" height="240"' in html
    assert "Rainfall [2025]" in html
    assert "1200 × 600 px" in html
    assert f'value="![Rainfall \\[2025\\]]({image.url})"' in html
    assert reverse("media:edit", args=[image.pk]) in html
    assert reverse("media:delete", args=[image.pk]) in html


def test_only_those_allowed_see_edit_and_delete(client, contributor, make_staff):
    image = uploaded_by(contributor)
    other = make_staff(Role.AUTHOR)

    html = signed_in(client, other).get(LIBRARY).content.decode()

    assert image.url in html
    assert reverse("media:delete", args=[image.pk]) not in html
    assert reverse("media:edit", args=[image.pk]) not in html


def test_the_library_is_newest_first_in_pages(client, contributor, monkeypatch):
    monkeypatch.setattr(selectors, "LIBRARY_PAGE_SIZE", 2)
    first, second, third = (
        uploaded_by(contributor, alt=f"Image {n}", size=(60, 40)) for n in range(3)
    )
    signed_in(client, contributor)

    page_one = client.get(LIBRARY)
    page_two = client.get(LIBRARY, {"page": 2})

    assert [item.image for item in page_one.context["items"]] == [third, second]
    assert [item.image for item in page_two.context["items"]] == [first]
    assert f'href="{LIBRARY}?page=2"' in page_one.content.decode()
    assert client.get(LIBRARY, {"page": 3}).status_code == 404


def test_the_real_page_size_is_48():
    assert selectors.LIBRARY_PAGE_SIZE == 48


@pytest.mark.parametrize("page", ["abc", "0", "-1", "9" * 30, "9" * 5000, "²", "٣"])
def test_a_bad_page_number_is_not_found(client, contributor, page):
    assert signed_in(client, contributor).get(LIBRARY, {"page": page}).status_code == 404


def test_the_library_costs_the_same_queries_however_many_images(
    client, contributor, make_staff, django_assert_max_num_queries
):
    signed_in(client, contributor)
    uploaded_by(contributor, size=(60, 40))
    client.get(LIBRARY)  # the site settings are cached from here on
    with django_assert_max_num_queries(10) as one:
        client.get(LIBRARY)
    for _ in range(3):
        uploaded_by(make_staff(Role.CONTRIBUTOR), size=(60, 40))
    with django_assert_max_num_queries(10) as four:
        client.get(LIBRARY)

    assert len(four.captured_queries) == len(one.captured_queries)


# --- Uploading without JavaScript ------------------------------------------------------


def test_a_contributor_uploads_through_the_form(client, contributor):
    signed_in(client, contributor)

    response = client.post(
        UPLOAD, {"file": upload(images.jpeg_with_gps((800, 600)), "beach.jpg"), "alt": "A beach"}
    )

    assert response.status_code == 302
    assert response["Location"] == LIBRARY
    image = Image.objects.get()
    assert (image.alt, image.uploaded_by, image.original_name) == (
        "A beach",
        contributor,
        "beach.jpg",
    )
    page = client.get(LIBRARY).content.decode()
    assert "Uploaded “beach.jpg”." in page


def test_alt_text_is_asked_for_unless_the_image_is_decorative(client, contributor, stored_files):
    signed_in(client, contributor)

    refused = client.post(UPLOAD, {"file": upload(images.png((50, 50))), "alt": "  "})

    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'role="alert"' in html and "Describe the image" in html
    assert 'aria-invalid="true"' in html
    assert stored_files() == set()

    accepted = client.post(
        UPLOAD, {"file": upload(images.png((50, 50))), "alt": "ignored", "decorative": "on"}
    )
    assert accepted.status_code == 302
    assert Image.objects.get().alt == ""


def test_a_refused_file_is_explained_on_the_form(client, contributor, stored_files):
    signed_in(client, contributor)

    response = client.post(UPLOAD, {"file": upload(b"not a picture", "photo.jpg"), "alt": "x"})

    assert response.status_code == 400
    html = response.content.decode()
    assert '<ul class="errorlist" id="file-errors" role="alert">' in html
    assert "not an image, or a damaged one" in html
    assert 'value="x"' in html  # what was typed is kept
    assert stored_files() == set()


def test_the_form_without_a_file_is_a_clear_400(client, contributor):
    response = signed_in(client, contributor).post(UPLOAD, {"alt": "x"})

    assert response.status_code == 400
    assert "Choose an image to upload." in response.content.decode()


def test_an_oversized_upload_is_refused_with_the_limit(client, contributor, settings):
    settings.BROADSHEET_MAX_UPLOAD_BYTES = 1_048_576
    data = images.png((50, 50)) + b"\x00" * 1_048_576

    response = signed_in(client, contributor).post(UPLOAD, {"file": upload(data), "alt": "x"})

    assert response.status_code == 400
    assert "at most 1 MB" in response.content.decode()
    assert "Choose an image" not in response.content.decode()
    assert was_too_large(response.wsgi_request)  # stopped while arriving, never stored


def test_an_oversized_upload_from_the_editor_gets_the_same_reason(client, contributor, settings):
    settings.BROADSHEET_MAX_UPLOAD_BYTES = 1_048_576
    data = images.png((50, 50)) + b"\x00" * 2_000_000

    response = signed_in(client, contributor).post(UPLOAD_JSON, {"file": upload(data), "alt": "x"})

    assert response.status_code == 400
    assert response.json() == {"error": "This file is too large: an upload may be at most 1 MB."}
    assert not Image.objects.exists()


# --- Uploading from the post editor (JSON) ---------------------------------------------


def test_the_json_upload_answers_201_with_what_to_insert(client, contributor):
    response = signed_in(client, contributor).post(
        UPLOAD_JSON, {"file": upload(images.webp((1000, 500)), "graph.webp"), "alt": "A graph"}
    )

    assert response.status_code == 201
    image = Image.objects.get()
    assert response.json() == {
        "id": image.pk,
        "url": image.url,
        "width": 1000,
        "height": 500,
        "alt": "A graph",
        "markdown": f"![A graph]({image.url})",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": upload(b"%PDF-1.7 not an image", "doc.png"), "alt": "x"}, "not an image"),
        ({"alt": "x"}, "Choose an image to upload."),
        ({"file": upload(images.png((50, 50)))}, "Describe the image"),
        ({"file": upload(images.png((50, 50))), "alt": "x" * 301}, "300 characters"),
    ],
)
def test_the_json_upload_answers_400_with_a_sentence(client, contributor, data, message):
    response = signed_in(client, contributor).post(UPLOAD_JSON, data)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Image.objects.exists()


def test_the_json_upload_needs_the_csrf_token_in_a_header(contributor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(contributor)
    browser.get(LIBRARY)  # sets the CSRF cookie, as the editor page would
    token = browser.cookies["csrftoken"].value

    refused = browser.post(UPLOAD_JSON, {"file": upload(images.png((50, 50))), "alt": "x"})
    accepted = browser.post(
        UPLOAD_JSON,
        {"file": upload(images.png((50, 50))), "alt": "x"},
        headers={"X-CSRFToken": token},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201
    assert Image.objects.count() == 1


def test_the_json_upload_is_post_only(client, contributor):
    assert signed_in(client, contributor).get(UPLOAD_JSON).status_code == 405


def test_a_json_body_instead_of_a_form_is_a_400(client, contributor):
    response = signed_in(client, contributor).post(
        UPLOAD_JSON, data='{"alt": "x"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert "error" in response.json()


# --- Editing alt text and deleting -----------------------------------------------------


def test_the_uploader_edits_the_alt_text_and_returns_to_the_same_page(client, contributor):
    image = uploaded_by(contributor)
    signed_in(client, contributor)

    assert client.get(reverse("media:edit", args=[image.pk])).status_code == 200
    response = client.post(
        reverse("media:edit", args=[image.pk]), {"alt": "Rainfall by month", "page": "2"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIBRARY}?page=2"
    image.refresh_from_db()
    assert image.alt == "Rainfall by month"


def test_too_long_alt_text_is_explained(client, contributor):
    image = uploaded_by(contributor)

    response = signed_in(client, contributor).post(
        reverse("media:edit", args=[image.pk]), {"alt": "x" * 301}
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    image.refresh_from_db()
    assert image.alt == "A chart"


def test_another_contributor_may_not_edit_or_delete(client, contributor, make_staff):
    image = uploaded_by(contributor)
    signed_in(client, make_staff(Role.CONTRIBUTOR))

    for name in ("media:edit", "media:delete"):
        assert client.get(reverse(name, args=[image.pk])).status_code == 403
        assert client.post(reverse(name, args=[image.pk]), {"alt": "Mine now"}).status_code == 403
    image.refresh_from_db()
    assert image.alt == "A chart"


def test_the_uploader_deletes_after_confirming(
    client, contributor, stored_files, django_capture_on_commit_callbacks
):
    image = uploaded_by(contributor)
    signed_in(client, contributor)
    url = reverse("media:delete", args=[image.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete this image?" in confirm.content.decode()
    assert Image.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == LIBRARY
    assert not Image.objects.exists()
    assert stored_files() == set()
    assert "Deleted “chart.png”." in client.get(LIBRARY).content.decode()


def test_an_editor_deletes_anyones_image(client, contributor, editor):
    image = uploaded_by(contributor)

    response = signed_in(client, editor).post(reverse("media:delete", args=[image.pk]))

    assert response.status_code == 302
    assert not Image.objects.exists()


def test_a_missing_image_is_not_found(client, editor):
    signed_in(client, editor)

    assert client.get(reverse("media:edit", args=[999])).status_code == 404
    assert client.post(reverse("media:delete", args=[999])).status_code == 404


@pytest.mark.parametrize("page", ["²", "٣", "9" * 5000, "", "abc", "0"])
def test_an_odd_page_to_return_to_is_the_first_page(client, contributor, page):
    image = uploaded_by(contributor)
    signed_in(client, contributor)

    response = client.post(reverse("media:edit", args=[image.pk]), {"alt": "A", "page": page})

    assert response.status_code == 302 and response["Location"] == LIBRARY
