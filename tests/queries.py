"""Count the queries a page runs itself, apart from the embedded cache's and the task queue's.

Without Redis the shared cache is a table of the site's database (newsportal/cache.py), so a page's cache
operations, such as counting a story view for Most read, show up as queries; and the first view of a counting
window asks the worker for a flush, a row in the task table. Neither grows with the page's content. The site
settings are read from their table once and then from the cache (tests/newsportal/test_site_settings.py).
"""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsportal.models import CACHE_TABLE, SiteSettings

_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
_NOT_THE_PAGE = (CACHE_TABLE, "django_tasks_database", SiteSettings._meta.db_table)


def page_queries(captured):
    """Return the SQL of the queries that are the page's own."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(_TRANSACTION) and not any(table in query["sql"] for table in _NOT_THE_PAGE)
    ]


@contextmanager
def at_most_page_queries(budget):
    """Fail when the block runs more than `budget` queries of the page's own."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    own = page_queries(captured)
    assert len(own) <= budget, f"{len(own)} queries, budget {budget}:\n" + "\n".join(own)
