"""Our images in rendered HTML get their sizes and srcset; other images and markup are untouched."""

import re
from html import unescape

import pytest
from django.template import Context, Template

from broadsheet.core.markup import render_markdown
from broadsheet.media import services
from broadsheet.media.html import add_responsive_images, markdown_snippet, media_name
from tests.media import images
from tests.media.images import upload

SIZES = 'sizes="(min-width: 42rem) 40rem, 100vw"'


@pytest.fixture
def photo(contributor):
    return services.upload_image(
        file=upload(images.png((2000, 1000)), "photo.png"), alt="A photo", uploaded_by=contributor
    )


@pytest.fixture
def small(contributor):
    return services.upload_image(
        file=upload(images.png((300, 200)), "small.png"), alt="Small", uploaded_by=contributor
    )


def test_our_image_from_markdown_gets_size_srcset_and_lazy_loading(
    photo, django_assert_num_queries
):
    body = render_markdown(f"Before & after.\n\n![A “photo”]({photo.url})\n\n`<img src=x>` & more.")

    with django_assert_num_queries(1):
        result = add_responsive_images(body)

    tag = (
        f'<img src="{photo.url}" alt="A “photo”" width="2000" height="1000" '
        f'srcset="{photo.srcset}" {SIZES} decoding="async" loading="lazy">'
    )
    assert tag in result
    assert result == body.replace(f'<img src="{photo.url}" alt="A “photo”">', tag)
    assert "480w" in photo.srcset and "2000w" in photo.srcset


def test_a_foreign_image_is_only_made_lazy(photo):
    body = (
        '<p><img src="https://elsewhere.example/cat.jpg" alt="A cat"></p>\n'
        f'<p><img src="https://elsewhere.example{photo.url}" alt="Same path, not ours"></p>'
    )

    result = add_responsive_images(body)

    assert result == (
        '<p><img src="https://elsewhere.example/cat.jpg" alt="A cat" loading="lazy"></p>\n'
        f'<p><img src="https://elsewhere.example{photo.url}" alt="Same path, not ours" '
        'loading="lazy"></p>'
    )


def test_all_our_images_are_found_in_one_query_absolute_or_relative(
    photo, small, django_assert_num_queries
):
    body = (
        f'<p>One <img src="http://localhost{photo.url}" alt="x"> two\n'
        f'<img\n  src="{small.url}"\n  alt="y" /> three <img src="/static/logo.svg" alt=""></p>'
    )

    with django_assert_num_queries(1):
        result = add_responsive_images(body)

    assert f'src="http://localhost{photo.url}" alt="x" width="2000" height="1000" srcset=' in result
    assert (
        f'<img src="{small.url}" alt="y" width="300" height="200" srcset="{small.url} 300w" '
        f'{SIZES} decoding="async" loading="lazy" />' in result
    )
    assert '<img src="/static/logo.svg" alt="" loading="lazy">' in result
    assert result.startswith("<p>One ") and " two\n" in result and " three " in result


def test_what_the_writer_set_is_kept(photo):
    body = f'<img src="{photo.url}" alt="x" width="300" loading="eager">'

    result = add_responsive_images(body)

    assert 'width="300"' in result and 'height="1000"' not in result
    assert 'loading="eager"' in result and 'loading="lazy"' not in result
    assert "srcset=" in result


def test_html_without_our_images_never_touches_the_database():
    # No `db` fixture: any query here would fail the test.
    plain = "<p>No pictures here, only <code>&lt;img&gt;</code> as text.</p>"
    foreign = '<p><img src="https://elsewhere.example/a.png" alt=""></p>'

    assert add_responsive_images(plain) == plain
    assert add_responsive_images(foreign).endswith('loading="lazy"></p>')
    assert add_responsive_images("") == ""


def test_an_unknown_media_path_is_left_as_a_foreign_image(db):
    body = '<img src="/media/images/2020/01/gone.png" alt="Gone">'

    assert add_responsive_images(body) == body.replace(">", ' loading="lazy">')


def test_media_names():
    assert media_name("/media/images/2026/01/a%20b.png") == "images/2026/01/a b.png"
    assert media_name("http://localhost/media/images/a.png?v=2") == "images/a.png"
    assert media_name("https://elsewhere.example/media/images/a.png") is None
    assert media_name("/static/a.png") is None
    assert media_name("javascript:alert(1)") is None
    assert media_name("http://[bad") is None
    assert media_name(None) is None


def test_markdown_snippet_keeps_the_alt_text_as_typed(photo):
    photo.alt = "A [draft] <b>chart</b> of *rain* & `snow` \\ 50%_done &amp; more"

    snippet = markdown_snippet(photo)
    rendered = render_markdown(snippet)

    assert snippet.startswith("![A \\[draft\\] \\<b\\>chart")
    assert snippet.endswith(f"]({photo.url})")
    alt = re.search(r'alt="([^"]*)"', rendered).group(1)
    assert unescape(alt) == photo.alt


def render(template: str, **context) -> str:
    return Template("{% load media %}" + template).render(Context(context))


def test_the_responsive_image_tag(photo):
    html = render(
        '{% responsive_image image alt=alt sizes="50vw" css_class="cover" eager=True %}',
        image=photo,
        alt='A "quoted" cover',
    )

    assert html == (
        f'<img src="{photo.url}" srcset="{photo.srcset}" sizes="50vw" width="2000" '
        'height="1000" alt="A &quot;quoted&quot; cover" class="cover" loading="eager" '
        'decoding="async">'
    )


def test_the_responsive_image_tag_defaults(photo):
    html = render("{% responsive_image image %}", image=photo)

    assert 'alt="A photo"' in html
    assert SIZES in html
    assert 'loading="lazy"' in html and 'decoding="async"' in html
    assert "class=" not in html
    assert render('{% responsive_image image alt="" %}', image=photo).count('alt=""') == 1
    assert render("{% responsive_image image %}", image=None) == ""


def test_the_thumbnail_tag_uses_the_480_rendition(photo, small):
    assert render("{% thumbnail_image image %}", image=photo) == (
        f'<img src="{photo.file.storage.url(photo.renditions[0]["name"])}" width="480" '
        'height="240" alt="" loading="lazy" decoding="async">'
    )
    assert f'src="{small.url}" width="300" height="200"' in render(
        "{% thumbnail_image image %}", image=small
    )
