"""core.clients.client_ip: the one rule for "which address is asking"."""

import pytest
from django.test import RequestFactory

from core.clients import client_ip

SOCKET = "10.0.0.2"


def request(forwarded=None):
    extra = {"REMOTE_ADDR": SOCKET}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        # No trusted proxy: the socket's address, whatever the header says.
        (0, "198.51.100.7", SOCKET),
        # Behind one proxy: the address it appended.
        (1, "198.51.100.7", "198.51.100.7"),
        # What the client wrote before the proxy's entry is ignored.
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        # Behind two proxies: the outer one's entry.
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        # A request that skipped the proxies, or carries garbage, or no header: its own address.
        (2, "198.51.100.7", SOCKET),
        (1, "not-an-address", SOCKET),
        (1, None, SOCKET),
    ],
)
def test_the_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request(forwarded)) == expected
