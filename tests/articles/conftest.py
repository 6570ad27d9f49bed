import pytest

from tests import validators
from tests.factories import AuthorFactory

ADD_URL = "/admin/articles/article/add/"


@pytest.fixture
def new_article_data(client, editor, category, admin_form):
    """Return the add form as an editor fills it in: headline, standfirst, body and one author."""
    client.force_login(editor)
    author = AuthorFactory(name="Maya Okafor", slug="maya-okafor")

    def fill(**overrides):
        data = admin_form(ADD_URL) | {
            "title": "Council approves new library",
            "slug": "council-approves-new-library",
            "category": str(category.pk),
            "standfirst": "The library opens next spring.",
            "body": "A paragraph.",
            "status": "published",
            "bylines-0-author": str(author.pk),
            "bylines-0-position": "0",
        }
        return data | overrides

    return fill


# --- Outside validators that npm installs (tests/validators.py) -----------------------------------


@pytest.fixture
def npm_validators(request):
    """Skip a test whose validators npm did not install, loudly; fail instead when CI requires them."""
    missing = validators.missing_npm_validators()
    if missing and validators.validators_required():
        pytest.fail("VALIDATORS_REQUIRED is set but: " + "; ".join(missing), pytrace=False)
    if missing:  # named at the end of the run (tests/conftest.py)
        pytest.skip("SITEMAP VALIDATORS SKIPPED: " + "; ".join(missing))


@pytest.fixture
def newsroom(category):
    """Published stories using every field the feeds, sitemaps and cards show, plus some readers must not see."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, CorrectionFactory, picture

    sport = CategoryFactory(name="Sport", slug="sport", description="Matches, results and the people in them.")
    maya = AuthorFactory(name="Maya Okafor", slug="maya-okafor")
    tomas = AuthorFactory(name="Tomas Lind", slug="tomas-lind")
    lead = ArticleFactory(
        category=category,
        title="Harbour cranes return",
        slug="harbour-cranes-return",
        standfirst="The port reopens after a year of repairs.",
        body="The cranes are back on the **harbour** front.",
        authors=[maya, tomas],
        lead_image=picture("cranes.jpg", size=(1600, 900), alt_text="Cranes against the evening sky"),
    )
    CorrectionFactory(article=lead, text="An earlier version gave the wrong year.")
    CommentFactory(article=lead, author_email="secret-reader@example.org")
    tricky = ArticleFactory(
        category=sport,
        title='Rovers & "Rangers" <draw> 1-1 </script>',
        slug="rovers-rangers-draw",
        standfirst="A late goal & a red card: <b>not bold</b>.",
        credit_line="Staff and agencies",
        published_at=timezone.now() - timedelta(hours=3),
    )
    old = ArticleFactory(
        category=sport,
        title="Last week's final",
        slug="last-weeks-final",
        published_at=timezone.now() - timedelta(days=3),
    )
    hidden = [
        ArticleFactory(category=category, title="Draft story", slug="draft-story", draft=True),
        ArticleFactory(category=category, title="Scheduled story", slug="scheduled-story", scheduled=True),
    ]
    return {"lead": lead, "tricky": tricky, "old": old, "hidden": hidden, "sport": sport, "authors": [maya, tomas]}
