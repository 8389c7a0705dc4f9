"""Downloads for imports, against real local servers: limits, redirects and address checks."""

import ipaddress
import socket
import time

import pytest

from broadsheet.core.outbound import is_public_address
from broadsheet.importers.base import BadSource
from broadsheet.importers.fetch import fetch_to_file, media_file_name
from tests.importers.web import announced, drip, endless
from tests.media import images

LIMIT = 1_000_000


def fetch(url: str, **options) -> bytes:
    path = fetch_to_file(url, **({"max_bytes": LIMIT, "timeout": 5} | options))
    try:
        return path.read_bytes()
    finally:
        path.unlink()


def refusal(url: str, **options) -> str:
    with pytest.raises(BadSource) as caught:
        fetch(url, **options)
    return str(caught.value)


def test_an_image_is_downloaded_to_a_file_the_caller_owns(web, temp_dir):
    picture = images.png((300, 200))
    url = web.serve("/uploads/a.png", picture)

    path = fetch_to_file(url, max_bytes=LIMIT, timeout=5, suffix=".png")

    assert path.read_bytes() == picture
    assert path.parent == temp_dir and path.suffix == ".png"
    assert web.requests[0].host == f"127.0.0.1:{web.port}"


def test_the_query_string_is_sent(web):
    url = web.serve("/photo.jpg", b"jpeg bytes")

    fetch(url + "?fit=1024%2C768&ssl=1")

    assert web.paths_asked() == ["/photo.jpg?fit=1024%2C768&ssl=1"]


def test_a_404_is_refused_with_the_address_and_the_answer(web):
    url = web.url("/gone.jpg")

    assert refusal(url) == f"could not fetch {url}: the server answered 404"


def test_redirects_are_followed(web):
    picture = images.png((40, 40))
    web.serve("/final.png", picture)
    web.redirect("/second", "/final.png", status=301)  # a relative Location
    first = web.redirect("/first", web.url("/second"), status=307)

    assert fetch(first) == picture
    assert web.paths_asked() == ["/first", "/second", "/final.png"]


def test_more_than_five_redirects_are_refused(web):
    for n in range(6):
        web.redirect(f"/hop{n}", f"/hop{n + 1}")
    web.serve("/hop6", b"never reached")

    assert "redirects more than 5 times" in refusal(web.url("/hop0"))
    assert "/hop6" not in web.paths_asked()


def test_five_redirects_are_fine(web):
    for n in range(5):
        web.redirect(f"/hop{n}", f"/hop{n + 1}")
    web.serve("/hop5", b"reached")

    assert fetch(web.url("/hop0")) == b"reached"


def test_a_redirect_to_another_scheme_is_refused(web):
    url = web.redirect("/sneaky", "file:///etc/passwd")

    message = refusal(url)

    assert message.startswith(f"could not fetch {url} (redirected to file:///etc/passwd): ")
    assert "only http and https" in message


@pytest.mark.parametrize("url", ["ftp://example.com/a.jpg", "file:///etc/passwd", "/a.jpg"])
def test_only_http_and_https_are_fetched(url):
    assert refusal(url) == f"could not fetch {url}: only http and https addresses can be fetched"


def test_a_private_address_is_refused_before_connecting(web, settings):
    settings.BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES = False
    url = web.serve("/a.png", b"secret", content_type="text/plain")

    message = refusal(url)

    assert "127.0.0.1, a private or local address" in message
    assert web.requests == []


def test_a_name_resolving_to_a_private_address_is_refused(web, settings):
    settings.BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES = False
    url = web.serve("/a.png", b"secret", content_type="text/plain", host="localhost")

    assert "localhost is at 127.0.0.1" in refusal(url)
    assert web.requests == []


def test_a_redirect_to_a_private_address_is_refused(web, settings):
    # The first server stands for a public one: its address passes the check (private
    # addresses are allowed then), and the setting is turned off while it answers, so the
    # redirect's target is judged as a public site's would be.
    settings.BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    metadata = "http://169.254.169.254/latest/meta-data/"

    def redirect_inward(handler):
        settings.BROADSHEET_IMPORT_ALLOW_PRIVATE_ADDRESSES = False
        handler.send_response(302)
        handler.send_header("Location", metadata)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    web.answers["/image.jpg"] = redirect_inward

    message = refusal(web.url("/image.jpg"))

    assert f"(redirected to {metadata})" in message
    assert "169.254.169.254, a private or local address" in message


def test_the_address_checked_is_the_one_connected_to(web, monkeypatch):
    # A name whose DNS answer changes after the first lookup (DNS rebinding): the download
    # must go where the first answer said, asking for the name it was given.
    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def rebinding_dns(host, port, *args, **kwargs):
        if host != "rebinding.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        # Where nothing listens: a second lookup would connect there and fail.
        address = "127.0.0.1" if len(lookups) == 1 else "127.0.0.2"
        return real_getaddrinfo(address, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    url = web.serve("/a.png", b"pinned", host="rebinding.test")

    assert fetch(url) == b"pinned"
    assert lookups == ["rebinding.test"]
    assert web.requests[0].host == f"rebinding.test:{web.port}"


def test_https_sends_the_name_for_sni_and_checks_the_certificate(secure_web):
    picture = images.png((30, 30))
    url = secure_web.serve("/a.png", picture, host="localhost")

    assert fetch(url) == picture
    assert secure_web.requests[0].server_name == "localhost"
    assert secure_web.requests[0].host == f"localhost:{secure_web.port}"


def test_a_certificate_for_another_name_is_refused(secure_web):
    url = secure_web.serve("/a.png", b"x", host="127.0.0.1")  # the certificate is localhost's

    assert "its certificate could not be verified" in refusal(url)


def test_an_announced_size_over_the_limit_is_refused_unread(web):
    # The body never comes: reading it would wait until the time limit instead.
    web.answers["/huge.png"] = announced(LIMIT + 1, stop=web.stop)
    started = time.monotonic()

    message = refusal(web.url("/huge.png"), timeout=10)

    assert "larger than 0.954 MB" in message
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("chunked", [False, True], ids=["until-closed", "chunked"])
def test_a_body_growing_over_the_limit_is_cut_off(web, temp_dir, chunked):
    web.answers["/endless.png"] = endless(chunked=chunked, stop=web.stop)

    message = refusal(web.url("/endless.png"), max_bytes=300_000)

    assert "larger than 0.286 MB" in message
    assert list(temp_dir.iterdir()) == []  # the part already written is gone


def test_a_body_at_the_limit_is_taken(web):
    url = web.serve("/exact.png", b"x" * 1000)

    assert len(fetch(url, max_bytes=1000)) == 1000


def test_the_time_limit_holds_for_the_whole_download(web, temp_dir):
    # A byte every 0.1 s never trips a per-read timeout; the whole download must still stop.
    web.answers["/slow.png"] = drip(b"x" * 100, every=0.1, stop=web.stop)
    started = time.monotonic()

    message = refusal(web.url("/slow.png"), timeout=0.5)

    assert message == f"could not fetch {web.url('/slow.png')}: it took longer than 0.5 seconds"
    assert time.monotonic() - started < 2
    assert list(temp_dir.iterdir()) == []


def test_a_closed_port_is_refused_clearly():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free, and nobody listens once it is closed

    assert "refused the connection" in refusal(f"http://127.0.0.1:{port}/a.png")


def test_an_unknown_host_is_refused_clearly():
    assert "its host name nothing.invalid could not be found" in refusal(
        "http://nothing.invalid/a.png"
    )


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "127.0.0.1",
        "0.0.0.0",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fec0::1",
        "ff02::1",
        "ff0e::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "::a00:1",  # IPv4-compatible, reserved
    ],
)
def test_private_local_reserved_and_multicast_addresses_are_not_public(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::ffff:93.184.215.14"]
)
def test_public_addresses_are(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://example.com/wp-content/uploads/photo.jpg?fit=1024%2C768&ssl=1", "photo.jpg"),
        ("https://i0.wp.com/site/wp-content/uploads/a.png?w=300", "a.png"),
        ("https://example.com/uploads/a-300x200.jpg", "a-300x200.jpg"),
        ("https://example.com/My%20Holiday%20%C3%A9t%C3%A9.jpg#top", "My Holiday été.jpg"),
        ("images/chart.png", "chart.png"),
        ("wix:image://v1/11062b_f1~mv2.jpg/Harbour.jpg#originWidth=800", "Harbour.jpg"),
        ("https://example.com/a%2F..%2Fb.jpg", "b.jpg"),
        ("https://example.com/", "image"),
        ("http://[broken/a.jpg", "image"),
    ],
)
def test_media_file_name(url, name):
    assert media_file_name(url) == name
