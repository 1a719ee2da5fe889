import pytest

from portolan.core.cache import ReusingRedisCache

REDIS = "redis://127.0.0.1:6379/12"


@pytest.fixture
def redis_cache():
    cache = ReusingRedisCache(REDIS, {})
    try:
        cache.get("probe")
    except Exception:  # noqa: BLE001 - no Redis here: nothing to test against
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield cache
    cache.clear()


def test_redis_cache_keeps_one_client_for_every_operation(redis_cache):
    redis_cache.set("a", {"value": 1}, 30)
    redis_cache.set_many({"b": 2, "c": 3}, 30)
    assert redis_cache.get("a") == {"value": 1}
    assert redis_cache.get_many(["b", "c"]) == {"b": 2, "c": 3}
    assert redis_cache.incr("b") == 3
    first = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client(write=False) is first
    assert len(redis_cache._cache._clients) == 1
