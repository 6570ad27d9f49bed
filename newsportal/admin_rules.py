"""What staff may never do in an admin page, said once: rows the site alone creates, keeps or writes.

Mix into a `ModelAdmin` or an inline, before the admin class.
"""


class NoAdding:
    """Rows that come from readers or from the site itself (comments, reports, e-mails, the log)."""

    def has_add_permission(self, request, obj=None):
        return False


class NoDeleting:
    """Rows that are kept: moderation changes a status, readers erase their own address, the log is the record."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(NoAdding, NoDeleting):
    """A record to read, never to change."""

    def has_change_permission(self, request, obj=None):
        return False
