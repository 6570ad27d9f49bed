"""The site's cache backends: Redis in production, and the embedded default, a table in the site's own database.

Redis: Django's backend builds a new redis-py client object for every cache call, which costs about a third of
a millisecond of CPU, as much as the rest of a page-cache hit. `RedisCache` keeps one client per connection
pool instead (redis-py clients are safe to share between threads).

The database cache: without `REDIS_URL` every process of the site (gunicorn workers, management commands, a
second node on the same database) must still see the same cached pages and count the same rate limits; a
per-process local-memory cache cannot. Django's `DatabaseCache` is shared, but its `incr` reads
and then writes, so two processes counting at once lose a count. Here `incr` locks the row for the update
instead (`SELECT … FOR UPDATE` on PostgreSQL; SQLite takes the database's write lock for the transaction, see
settings).
"""

import base64

# The encoding Django's DatabaseCache itself uses for this table.
import pickle  # nosec B403

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import router, transaction
from django.utils import timezone

from .models import CacheEntry


def _decode(text):
    # Only this backend writes the table (the site's own database): no untrusted input is unpickled.
    return pickle.loads(base64.b64decode(text.encode()))  # noqa: S301  # nosec B301


def _encode(value, protocol):
    return base64.b64encode(pickle.dumps(value, protocol)).decode("latin1")


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        """Add `delta` to a stored number and return the new value, atomically across processes."""
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(CacheEntry)
        with transaction.atomic(using=db):
            entry = (
                CacheEntry.objects.using(db)
                .select_for_update()
                .filter(cache_key=key, expires__gt=timezone.now())
                .only("value")
                .first()
            )
            if entry is None:
                raise ValueError(f"Key '{key}' not found")
            value = _decode(entry.value) + delta
            CacheEntry.objects.using(db).filter(cache_key=key).update(value=_encode(value, self.pickle_protocol))
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)


class ReusedRedisClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisClient

    def clear(self):
        """Remove this site's keys (its `KEY_PREFIX`), never the rest of a Redis database another user shares.

        Django's own `clear()` empties the whole database (FLUSHDB).
        """
        client = self._cache.get_client(write=True)
        pattern = self.key_func("*", self.key_prefix, "*")  # every version of every key under the prefix
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True
