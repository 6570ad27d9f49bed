"""Read queries the ORM compiles once per process and runs many times with other values.

Django compiles a queryset's SQL afresh each time it is evaluated, and for the small indexed reads every story page
makes, compiling costs several times what running does: the story's own row takes 0.8 ms of CPU to compile and
0.1 ms to run (profile in docs/performance.md, issue 27). A `PreparedQuery` builds its queryset once with a marker
for each value that changes between runs, keeps the SQL Django compiled, and fills in the values per run; the rows
still come back through Django's own iterables (model instances, `select_related`, `values()`, converters), so
what a caller gets is what the queryset would have given.

A marker stands for one value and must reach the SQL as one parameter, as `field=marker` and `field__lte=marker`
do (not `__contains`, which would wrap it); a list of values (`[int]`, for `pk__in=markers`) is a list of markers,
and each length is compiled apart. Whatever else varies the SQL (a slice, an order) is part of the query's
`shape`: one compiled statement per shape, the most recent `KEPT_SHAPES` of them kept (a crawler walking every
page of a long comment section compiles each page once, and does not fill the memory).
"""

import copy
import datetime
import threading
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet

# Stand-ins for each kind of value, unlike anything a query holds of its own.
_MARKER_BASE = {
    str: lambda index: f"\x1fprepared-query-marker-{index}\x1f",
    int: lambda index: 2_000_000_000 + index,
    datetime.datetime: lambda index: datetime.datetime(1901, 2, 3, 4, 5, 6, index, tzinfo=datetime.UTC),
}


KEPT_SHAPES = 64


@dataclass(frozen=True)
class _Slot:
    """Where a value goes among the compiled parameters (`item`: which of a list's), and whether the database layer
    adapted it there."""

    position: int
    name: str
    item: int | None
    adapted: bool


class _Compiled:
    def __init__(self, queryset, compiler, sql, slots, params):
        self.queryset, self.compiler, self.sql, self.slots, self.params = queryset, compiler, sql, slots, params

    def bind(self, values, connection):
        params = list(self.params)
        for slot in self.slots:
            value = values[slot.name] if slot.item is None else values[slot.name][slot.item]
            params[slot.position] = _adapt(connection, value) if slot.adapted else value
        compiler = copy.copy(self.compiler)  # its select list and converters, as the first compile left them
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        queryset = self.queryset._chain()
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return queryset


class PreparedQuery:
    """`build(**markers)` returns the queryset; `rows(**values)` its results for these values, as a list.

    `kinds` names each value and its type (`str`, `int` or `datetime`, or a list of one, `[int]`), e.g.
    `PreparedQuery(lambda slug, now: Article.objects.live(now).filter(slug=slug), slug=str, now=datetime)`.
    Compiled per database alias and thread (connections are per thread); prefetches run as usual.
    """

    def __init__(self, build, **kinds):
        unknown = [kind for kind in kinds.values() if _item_kind(kind) not in _MARKER_BASE]
        if unknown:
            raise TypeError(f"PreparedQuery: no marker for {unknown}")
        self._build, self._kinds = build, kinds
        self._local = threading.local()

    def rows(self, shape=(), using="default", **values):
        """Run the query for these values (`shape`: whatever else the build takes, such as a page's slice)."""
        if values.keys() != self._kinds.keys():
            raise TypeError(f"PreparedQuery needs the values {sorted(self._kinds)}, got {sorted(values)}")
        compiled = self._local.__dict__.setdefault(using, {})
        shape = shape if isinstance(shape, tuple) else (shape,)
        lengths = tuple(len(values[name]) for name, kind in self._kinds.items() if isinstance(kind, list))
        if (shape, lengths) not in compiled:
            if len(compiled) >= KEPT_SHAPES:
                del compiled[next(iter(compiled))]  # the one compiled first
            compiled[shape, lengths] = self._compile(shape, values, using)
        return list(compiled[shape, lengths].bind(values, connections[using]))

    def _compile(self, shape, values, using):
        markers = {}
        for index, (name, kind) in enumerate(self._kinds.items()):
            marker = _MARKER_BASE[_item_kind(kind)]
            if isinstance(kind, list):
                markers[name] = [marker(1000 * index + item) for item in range(len(values[name]))]
            else:
                markers[name] = marker(1000 * index)
        queryset = self._build(*shape, **markers).using(using)
        if not isinstance(queryset, QuerySet):
            raise TypeError("PreparedQuery: build() must return a queryset")
        connection = connections[using]
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        each = [
            (name, item, marker)
            for name, value in markers.items()
            for item, marker in (enumerate(value) if isinstance(value, list) else [(None, value)])
        ]
        slots = [
            _Slot(position, name, item, adapted=param != marker)
            for position, param in enumerate(params)
            for name, item, marker in each
            if param == marker or (isinstance(marker, datetime.datetime) and param == _adapt(connection, marker))
        ]
        missing = {(name, item) for name, item, _marker in each} - {(slot.name, slot.item) for slot in slots}
        if missing:
            raise ValueError(f"PreparedQuery: {sorted(missing)} did not reach the SQL as parameters of their own")
        return _Compiled(queryset, compiler, sql, slots, params)


def _item_kind(kind):
    return kind[0] if isinstance(kind, list) and len(kind) == 1 else kind


def _adapt(connection, value):
    """A datetime as the backend passes it to its driver (SQLite: text in UTC; PostgreSQL: the value itself)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
