"""Pure rate-limit helpers (no database)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portolan.api.throttling import client_ip, hit, parse_rate


def test_rates_are_parsed_per_period():
    assert parse_rate("120/m") == (120, 60)
    assert parse_rate("600/min") == (600, 60)
    assert parse_rate("10/5m") == (10, 300)
    assert parse_rate("1000/d") == (1000, 86400)


@pytest.mark.parametrize("rate", ["", "abc", "10", "10/fortnight", "0/m", "x/m"])
def test_bad_rates_are_a_configuration_error(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)


def test_client_ip_ignores_forwarded_for_without_proxies():
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}
    assert client_ip(meta, 0) == "10.0.0.1"


def test_client_ip_reads_forwarded_for_from_the_right():
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}
    assert client_ip(meta, 1) == "1.2.3.4"
    assert client_ip(meta, 2) == "6.6.6.6"
    assert client_ip(meta, 5) == "6.6.6.6"
    assert client_ip({"REMOTE_ADDR": "10.0.0.1"}, 1) == "10.0.0.1"


def test_window_counts_and_says_when_to_retry(settings):
    settings.API_RATE_LIMITS = {"anon": "2/m", "token": "5/m"}
    now = 1_000_040.0  # 20 s into a minute window (1_000_020 is a boundary)
    assert hit("anon", "t1", now=now).allowed
    second = hit("anon", "t1", now=now)
    assert second.allowed and second.remaining == 0
    third = hit("anon", "t1", now=now)
    assert not third.allowed
    assert third.retry_after == 40
    assert hit("anon", "t1", now=now + 60).allowed  # next window
