"""Fixed-window rate limits kept in the Django cache (Redis in production, so every worker
shares the counters). `cache.add` + `cache.incr` are atomic in Redis and in the local cache."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@lru_cache(maxsize=32)
def parse_rate(rate: str) -> tuple[int, int]:
    """'120/m' -> (120, 60); '10/5m' -> (10, 300)."""
    try:
        count_text, period_text = rate.strip().split("/", 1)
        count = int(count_text)
        digits = period_text.rstrip("abcdefghijklmnopqrstuvwxyz")
        unit = period_text[len(digits) :]
        seconds = _PERIODS[unit] * (int(digits) if digits else 1)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"Invalid API rate limit {rate!r}, expected e.g. '120/m'."
        ) from exc
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(f"Invalid API rate limit {rate!r}.")
    return count, seconds


def client_ip(meta: dict[str, str], num_proxies: int) -> str:
    """REMOTE_ADDR, unless we sit behind `num_proxies` trusted proxies: then the address the
    outermost trusted proxy saw, read from the right of X-Forwarded-For (the left is forgeable)."""
    remote = meta.get("REMOTE_ADDR", "") or "unknown"
    if num_proxies <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    return forwarded[-min(num_proxies, len(forwarded))]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


def hit(scope: str, ident: str, *, now: float | None = None) -> Verdict:
    """Count one request of `ident` in `scope` ("anon" or "token") and say if it may proceed."""
    limit, period = parse_rate(settings.API_RATE_LIMITS[scope])
    now = time.time() if now is None else now
    window = int(now // period)
    key = f"api-rate:{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    retry_after = max(1, math.ceil((window + 1) * period - now))
    return Verdict(
        allowed=count <= limit,
        limit=limit,
        remaining=max(0, limit - count),
        retry_after=retry_after,
    )
