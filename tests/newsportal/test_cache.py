"""The cache backends themselves: counters that never lose a count, and Redis without a client per call."""

import threading
import uuid

import pytest
from django.db import connections

from newsportal.cache import DatabaseCache, RedisCache
from newsportal.models import CACHE_TABLE
from tests.services import require_redis

THREADS = 8
COUNTS = 25


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_cache_counts_every_increment_of_parallel_writers(postgresql):
    """Each thread has its own database connection, as gunicorn workers do."""
    cache = DatabaseCache(CACHE_TABLE, {})
    cache.add("counter", 0, timeout=60)
    start = threading.Barrier(THREADS)

    def count():
        try:
            start.wait()
            for _ in range(COUNTS):
                cache.incr("counter")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("counter") == THREADS * COUNTS


@pytest.mark.django_db
def test_database_cache_refuses_to_count_a_missing_or_expired_key():
    cache = DatabaseCache(CACHE_TABLE, {})
    with pytest.raises(ValueError):
        cache.incr("never-set")
    cache.set("gone", 1, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("gone")
    cache.set("kept", 41, timeout=60)
    assert cache.incr("kept") == 42 and cache.decr("kept", 2) == 40 and cache.get("kept") == 40


def test_redis_cache_keeps_one_client_per_connection_pool(request):
    url = "redis://127.0.0.1:6379/15"
    require_redis(request, url)
    cache = RedisCache(url, {"KEY_PREFIX": f"pool-{uuid.uuid4().hex}"})
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("shared", 1, timeout=10)
    assert cache.incr("shared") == 2
    cache.delete("shared")


def test_clearing_the_redis_cache_removes_the_sites_keys_and_no_one_elses(request):
    """Another site, or another run of this suite, on the same Redis database keeps its keys."""
    url = "redis://127.0.0.1:6379/15"
    require_redis(request, url)
    ours = RedisCache(url, {"KEY_PREFIX": f"ours-{uuid.uuid4().hex}"})
    theirs = RedisCache(url, {"KEY_PREFIX": f"theirs-{uuid.uuid4().hex}"})
    ours.set_many({f"page-{number}": number for number in range(2500)}, timeout=60)  # more than one SCAN batch
    theirs.set("page-1", "kept", timeout=60)
    ours.clear()
    assert ours.get_many([f"page-{number}" for number in range(2500)]) == {}
    assert theirs.get("page-1") == "kept"
    theirs.clear()
