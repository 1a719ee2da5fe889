"""Rate limits: django-ninja's throttles (`ninja.throttling`), with the rates of
`settings.API_RATE_LIMITS` and the counters in the Django cache (Redis in production, so every
worker shares them). Ninja keeps, per key, the times of the calls of the last period (a sliding
window) and says how long to wait (`wait()`). It reads and writes that list with `cache.get` +
`cache.set`, not atomically: simultaneous calls of one client can be undercounted by a few,
which is acceptable for a fair-use limit. A token at 600/m stores 600 floats (5.4 KB pickled);
a call costs 30-55 µs with the local-memory cache on the 2-core dev machine, measured with
`DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python -c "import django,timeit;
django.setup();from django.conf import settings as s;s.API_RATE_LIMITS={'token':'600/m'};
from django.test import RequestFactory as F;from portolan.api.throttling import
TokenRateThrottle as T;from portolan.api.models import ApiToken as A;t=A(token_hash='a'*64);
r=F().get('/');h=lambda:T(t).allow_request(r);[h() for _ in range(600)];
print(timeit.timeit(h,number=2000)/2000*1e6,'us')"`.

What is ours:

- the keys: a token is counted by its stored SHA-256 hash, everything else (anonymous calls, bad
  tokens) by client IP, which ninja reads from `X-Forwarded-For` only behind
  `NINJA_NUM_PROXIES` trusted proxies;
- one throttle object per request: ninja's throttles keep the current request's state on the
  instance (`history`, `now`), so a shared instance would mix the counts of concurrent
  requests in a threaded worker;
- the gateway runs them, not ninja's `throttle=`: ninja checks throttles inside an operation
  after its authentication, so calls with a bad token (401) and answers given before the view
  (413, 415, 405, the JSON 404) would never be counted, and guessing tokens would be free.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, SimpleRateThrottle

from .models import ApiToken


class IpRateThrottle(AnonRateThrottle):
    """Anonymous calls and calls with a bad token, per client IP."""

    scope = "anon"

    def __init__(self) -> None:
        super().__init__(rate=settings.API_RATE_LIMITS[self.scope])

    def get_ident(self, request: HttpRequest) -> str:
        # Ninja answers "" for an empty X-Forwarded-For; fall back to the socket's address.
        return super().get_ident(request) or request.META.get("REMOTE_ADDR") or "unknown"


class TokenRateThrottle(AuthRateThrottle):
    """Calls with a valid token, per token (its stored hash: names and prefixes may repeat)."""

    scope = "token"

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        super().__init__(rate=settings.API_RATE_LIMITS[self.scope])

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.token.token_hash}


def throttle_for(token: ApiToken | None) -> SimpleRateThrottle:
    return TokenRateThrottle(token) if token is not None else IpRateThrottle()


def remaining(throttle: SimpleRateThrottle) -> int:
    """Calls left in the window after `allow_request` (for the RateLimit-Remaining header,
    which ninja does not send)."""
    return max(0, (throttle.num_requests or 0) - len(getattr(throttle, "history", [])))


def check_rate_limits(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """System check (registered in apps.py): a bad rate would otherwise surface as a 500 on
    the first API call."""
    problems: list[checks.CheckMessage] = []
    rates = getattr(settings, "API_RATE_LIMITS", {})
    for scope in ("anon", "token"):
        rate = rates.get(scope)
        try:
            count = SimpleRateThrottle(rate=rate).num_requests if isinstance(rate, str) else None
        except (ValueError, ImproperlyConfigured):
            count = None
        if not count or count < 1:
            problems.append(
                checks.Error(
                    f"API_RATE_LIMITS[{scope!r}] is {rate!r}; expected e.g. '120/m'.",
                    id="portolan_api.E001",
                )
            )
    return problems
