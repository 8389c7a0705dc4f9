"""Files only where a form takes them: a file or an oversized body sent to a public form is
refused before it is read, and nothing is posted."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from broadsheet.comments.models import Comment
from broadsheet.newsletter.models import Subscriber

MB = 1024 * 1024


def comment_url(post) -> str:
    return f"{post.get_absolute_url()}comments/"


def unread(response) -> bool:
    return not response.wsgi_request.environ["wsgi.input"].read_started


def test_a_50_mb_file_sent_to_the_comment_form_is_refused_unread(client, post):
    big = SimpleUploadedFile("big.bin", b"x" * (50 * MB), "application/octet-stream")

    response = client.post(comment_url(post), {"name": "Ann", "body": "Hello", "file": big})

    assert response.status_code == 413
    assert "larger than this form takes" in response.content.decode()
    assert unread(response)
    assert not Comment.objects.exists()


def test_a_small_file_stops_the_comment_and_keeps_what_was_typed(client, post):
    tiny = SimpleUploadedFile("note.txt", b"hello", "text/plain")

    response = client.post(
        comment_url(post), {"name": "Ann", "body": "Kept words", "zz_file": tiny}
    )

    page = response.content.decode()
    assert response.status_code == 413
    assert "This form takes no files. Nothing was posted." in page
    assert "Kept words" in page and 'value="Ann"' in page
    assert not Comment.objects.exists()


def test_an_oversized_form_is_refused_from_its_length(client, post):
    response = client.post(comment_url(post), {"name": "Ann", "body": "x" * (3 * MB)})

    assert response.status_code == 413 and unread(response)
    assert not Comment.objects.exists()


def test_other_public_forms_take_no_files_either(client, db):
    tiny = SimpleUploadedFile("note.txt", b"hello", "text/plain")

    response = client.post("/newsletter/subscribe/", {"email": "a@example.com", "f": tiny})

    assert response.status_code == 413
    assert "This form takes no files" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_media_library_still_takes_files(client, make_staff):
    from io import BytesIO

    from PIL import Image as PILImage

    staff = make_staff("author")
    client.force_login(staff)
    png = BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(png, "PNG")
    upload = SimpleUploadedFile("red.png", png.getvalue(), "image/png")

    response = client.post(reverse("media:upload"), {"file": upload, "alt": "A red square"})

    assert response.status_code == 302
