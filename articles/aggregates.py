"""A JSON-array aggregate for the two databases the site runs on (SQLite and PostgreSQL).

Django 5.2 has no portable way to fold related rows into one column; the article page needs it to load its
authors and correction notes inside its own query and so stay within its query budget.
"""

from django.db.models import Aggregate, Func, JSONField
from django.db.models.functions import JSONObject


class JSONList(Aggregate):
    """Collect the aggregated expression (usually a `JSONObject`) of every row into a JSON array."""

    function = "JSON_GROUP_ARRAY"  # SQLite
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


class JSONRow(JSONObject):
    """`JSONObject` without Django's first-use probe for JSON support on SQLite.

    Django checks once per connection whether SQLite has JSON functions, with three extra queries inside the first
    page that uses them. The site cannot run without them anyway (its JSONFields need them), so skip the check.
    """

    def as_sqlite(self, compiler, connection, **extra_context):
        return Func.as_sql(self, compiler, connection, **extra_context)
