"""Our part of the rate limits: keys, rates from settings, the configuration check (the counting
itself is ninja's)."""

import pytest
from django.test import RequestFactory

from portolan.api.models import ApiToken
from portolan.api.throttling import (
    IpRateThrottle,
    TokenRateThrottle,
    check_rate_limits,
    remaining,
)


def _request(**meta):
    return RequestFactory().get("/api/v1/goals", **meta)


def test_rates_come_from_the_settings(settings):
    settings.API_RATE_LIMITS = {"anon": "10/5m", "token": "1000/d"}
    assert (IpRateThrottle().num_requests, IpRateThrottle().duration) == (10, 300)
    token_throttle = TokenRateThrottle(ApiToken(token_hash="a" * 64))
    assert (token_throttle.num_requests, token_throttle.duration) == (1000, 86400)


@pytest.mark.parametrize("rate", ["", "abc", "10", "10/fortnight", "0/m", "x/m", None])
def test_bad_rates_fail_the_system_check(settings, rate):
    settings.API_RATE_LIMITS = {"anon": rate, "token": "600/m"}
    problems = check_rate_limits()
    assert [problem.id for problem in problems] == ["portolan_api.E001"]
    assert "anon" in problems[0].msg


def test_good_rates_pass_the_system_check(settings):
    settings.API_RATE_LIMITS = {"anon": "120/m", "token": "600/min"}
    assert check_rate_limits() == []


def test_client_ip_ignores_forwarded_for_without_proxies(settings):
    settings.NINJA_NUM_PROXIES = 0
    request = _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert IpRateThrottle().get_ident(request) == "10.0.0.1"


def test_client_ip_reads_forwarded_for_from_the_right(settings):
    forwarded = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}
    for proxies, expected in ((1, "1.2.3.4"), (2, "6.6.6.6"), (5, "6.6.6.6")):
        settings.NINJA_NUM_PROXIES = proxies
        assert IpRateThrottle().get_ident(_request(**forwarded)) == expected
    assert IpRateThrottle().get_ident(_request(REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    empty = _request(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="")
    assert IpRateThrottle().get_ident(empty) == "10.0.0.1"


def test_tokens_are_counted_by_their_hash_not_their_name():
    one = TokenRateThrottle(ApiToken(name="script", prefix="ptl_abcd", token_hash="1" * 64))
    two = TokenRateThrottle(ApiToken(name="script", prefix="ptl_abcd", token_hash="2" * 64))
    request = _request()
    assert one.get_cache_key(request) != two.get_cache_key(request)
    assert "1" * 64 in one.get_cache_key(request)


def test_window_counts_and_says_when_to_retry(settings):
    settings.API_RATE_LIMITS = {"anon": "2/m", "token": "5/m"}
    clock = [1_000_040.0]

    def hit():
        throttle = IpRateThrottle()
        throttle.timer = lambda: clock[0]
        return throttle, throttle.allow_request(_request(REMOTE_ADDR="10.9.9.9"))

    assert hit()[1]
    second, allowed = hit()
    assert allowed and remaining(second) == 0
    clock[0] += 20
    third, allowed = hit()
    assert not allowed
    assert third.wait() == pytest.approx(40)  # the first call leaves the window in 40 s
    clock[0] += 40
    assert hit()[1]
