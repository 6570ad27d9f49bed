from django.db import models

# The table of the embedded default cache (settings.CACHES without REDIS_URL); see newsportal/cache.py.
CACHE_TABLE = "newsportal_cache"


class CacheEntry(models.Model):
    """One entry of the database cache, in the layout Django's `DatabaseCache` reads and writes.

    Declaring it as a model lets `migrate` create the table on every fresh database (no `createcachetable` step to
    forget), lets the test database flush it, and gives `newsportal.cache` an ORM handle for its atomic counter.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = CACHE_TABLE
        verbose_name = "cache entry"
        verbose_name_plural = "cache entries"

    def __str__(self):
        return self.cache_key
