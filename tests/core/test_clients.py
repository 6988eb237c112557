"""core.clients.client_ip: the one rule for "which address is asking"."""

from django.test import RequestFactory

from core.clients import client_ip


def request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_socket_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded="198.51.100.7")) == "10.0.0.2"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="198.51.100.7")) == "198.51.100.7"


def test_what_the_client_wrote_before_the_proxys_entry_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_behind_two_proxies_the_outer_ones_entry_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="1.2.3.4, 198.51.100.7, 10.0.0.9")) == "198.51.100.7"


def test_a_request_that_skipped_the_proxies_or_carries_garbage_has_its_own_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded="198.51.100.7")) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="not-an-address")) == "10.0.0.2"
    assert client_ip(request()) == "10.0.0.2"
