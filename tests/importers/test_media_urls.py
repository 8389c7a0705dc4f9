"""Wix image addresses as the stored file's, in every form Wix writes them."""

import pytest

from broadsheet.importers.media_urls import wix_media_url, wix_original, wix_originals_in

STORED = "https://static.wixstatic.com/media/11062b_9f8e7d6c5b4a4938~mv2.jpg"


@pytest.mark.parametrize(
    "address",
    [
        "wix:image://v1/11062b_9f8e7d6c5b4a4938~mv2.jpg/okladka.jpg#originWidth=6016&originHeight=4016",
        "wix:image://v1/11062b_9f8e7d6c5b4a4938~mv2.jpg/okladka.jpg",
        "https://static.wixstatic.com/media/11062b_9f8e7d6c5b4a4938~mv2.jpg/v1/fill/"
        "w_740,h_493,al_c,q_90,usm_0.66_1.00_0.01,enc_auto/okladka.jpg",
        "https://static.wixstatic.com/media/11062b_9f8e7d6c5b4a4938~mv2.jpg/v1/crop/"
        "x_0,y_0,w_600,h_400/fill/w_300,h_200/okladka.webp",
        "http://static.wixstatic.com/media/11062b_9f8e7d6c5b4a4938~mv2.jpg?w=300",
        STORED,
        f"  {STORED}\n",
    ],
)
def test_every_wix_form_becomes_the_stored_file(address):
    assert wix_original(address) == STORED


@pytest.mark.parametrize(
    "address",
    [
        "https://images.unsplash.com/photo-1500000000000?w=2000",
        "https://example.com/media/11062b_9f8e7d6c5b4a4938~mv2.jpg/v1/fill/w_740/x.jpg",
        "wix:vector://v1/11062b_abc.svg/logo.svg",
        "content/images/2024/05/okladka.jpg",
    ],
)
def test_other_addresses_are_left_as_they_are(address):
    assert wix_original(address) == address


def test_a_media_id_from_rich_content():
    assert wix_media_url("11062b_9f8e7d6c5b4a4938~mv2.jpg") == STORED
    assert wix_media_url("image one.jpg") == "https://static.wixstatic.com/media/image%20one.jpg"


def test_the_addresses_in_html():
    html = (
        '<p>Zdjęcie:</p><img src="https://static.wixstatic.com/media/11062b_9f8e7d6c5b4a4938~mv2.jpg'
        '/v1/fill/w_740,h_493,al_c/okladka.jpg?a=1&amp;b=2" alt="x">'
        "<a href='https://static.wixstatic.com/media/11062b_9f8e7d6c5b4a4938~mv2.jpg/v1/fit/w_80/o.jpg'>"
        'duże</a> <a href="https://www.wix.com/media/x">nie Wix static</a>'
    )
    assert wix_originals_in(html) == (
        f'<p>Zdjęcie:</p><img src="{STORED}" alt="x"><a href=\'{STORED}\'>duże</a> '
        '<a href="https://www.wix.com/media/x">nie Wix static</a>'
    )
