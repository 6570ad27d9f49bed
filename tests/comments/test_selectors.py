"""The shared reads (comments/selectors.py): one definition of an author's record and of report counts."""

from datetime import timedelta

from django.utils import timezone

from comments import selectors
from comments.models import Comment
from tests.factories import CommentFactory
from tests.queries import at_most_page_queries

Status = Comment.Status


def test_an_authors_record_counts_every_comment_and_what_trust_counts(article, site_settings):
    site_settings(trust_clean_days=30)
    long_ago = timezone.now() - timedelta(days=60)
    ada = "ada@example.com"
    CommentFactory(article=article, author_email=ada, status=Status.APPROVED, verified=True)
    CommentFactory(article=article, author_email=ada, status=Status.APPROVED, verified=False)
    CommentFactory(article=article, author_email=ada, status=Status.REJECTED, verified=True, moderated_at=long_ago)
    CommentFactory(article=article, author_email=ada, status=Status.SPAM, verified=False)
    CommentFactory(article=article, author_email="bob@example.com", status=Status.REJECTED, verified=True)

    with at_most_page_queries(1):  # the settings come from the cache
        records = selectors.author_records(["ada@example.com", "bob@example.com", "new@example.com"])
    ada_record = records["ada@example.com"]
    assert (ada_record.comments, ada_record.approved, ada_record.rejected, ada_record.spam) == (4, 2, 1, 1)
    assert ada_record.proven_approved == 1  # only the comment whose sender proved the address
    assert ada_record.proven_refused_lately == 0  # her refusal is older than the clean period
    assert records["bob@example.com"].proven_refused_lately == 1
    assert records["new@example.com"] == selectors.AuthorRecord()  # never seen: an empty record, not a gap


def test_report_counts_are_per_comment_and_reason(article):
    reported, quiet = CommentFactory(article=article), CommentFactory(article=article)
    reported.reports.create(reason="abuse", reporter_key="a")
    reported.reports.create(reason="abuse", reporter_key="b")
    reported.reports.create(reason="spam", reporter_key="c")
    assert selectors.report_counts([reported, quiet]) == {reported.pk: {"abuse": 2, "spam": 1}}
