"""Demo reader comments in each state, written for this project. Idempotent: keyed on author and text.

The authors of published demo comments have proved their addresses, so the trust rules have history to work on:
Priya, with three approved comments, is a trusted commenter.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article

from .models import Comment, Commenter, Recommendation
from .services import comment_post_for_newsroom, discussions_changed
from .text import render_comment_body

Status = Comment.Status

# (article slug, author, e-mail, text, status, minutes ago, reply to the comment at this index or None)
DEMO_COMMENTS = [
    (
        "calderbridge-city-come-from-behind-to-beat-ashworth-rovers",
        "Priya N.",
        "priya@example.com",
        "Best second half I have seen at Riverside Park in years. The substitutions changed everything.",
        Status.APPROVED,
        95,
        None,
    ),
    (
        "calderbridge-city-come-from-behind-to-beat-ashworth-rovers",
        "Declan",
        "declan@example.com",
        "Agreed, although we still look shaky at set pieces.\nThat needs fixing before the derby.",
        Status.APPROVED,
        80,
        0,
    ),
    (
        "calderbridge-city-come-from-behind-to-beat-ashworth-rovers",
        "Ruth Abbey",
        "ruth@example.com",
        "Does anyone know whether the away end will be expanded next season? The club site says nothing.",
        Status.APPROVED,
        60,
        None,
    ),
    (
        "regional-assembly-backs-plan-to-reopen-rural-rail-lines",
        "Hal Brennan",
        "hal@example.com",
        "A feasibility study is a start. I commute from Eastmoor and the bus takes twice as long as a train would.",
        Status.PENDING,
        30,
        None,
    ),
    (
        "regional-assembly-backs-plan-to-reopen-rural-rail-lines",
        "Best Deals",
        "deals@example.net",
        "Cheap watches at http://spam.example/watches and http://spam.example/bags and http://spam.example/x",
        Status.SPAM,
        25,
        None,
    ),
    (
        "regional-assembly-backs-plan-to-reopen-rural-rail-lines",
        "Anon",
        "anon@example.org",
        "Everyone who voted for this is an idiot.",
        Status.REJECTED,
        20,
        None,
    ),
    (
        "calderbridge-city-come-from-behind-to-beat-ashworth-rovers",
        "Sam T.",
        "sam@example.com",
        "Someone should go round to the keeper's house after that performance and tell him what we think.",
        Status.REMOVED,
        40,
        None,
    ),
    (
        "lowerby-runner-sets-course-record-at-tarnside-hills-half",
        "Priya N.",
        "priya@example.com",
        "I ran Tarnside last spring and the final climb is brutal. Two minutes off the record there is remarkable.",
        Status.APPROVED,
        25 * 60,  # the story is 33 hours old
        None,
    ),
    (
        "restored-lighthouse-on-kestra-reopens-to-visitors",
        "Priya N.",
        "priya@example.com",
        "We took the children on the first open day. The volunteers who guide the tours clearly love the place.",
        Status.APPROVED,
        3 * 24 * 60,
        None,
    ),
    (
        "council-trials-sensors-to-warn-of-blocked-drains-in-lowerby",
        "Mira",
        "mira@example.com",
        "Our street floods every autumn. If this works, please roll it out to the west side next.",
        Status.PENDING,
        12,
        None,
    ),
]


# The newsroom answers a reader's question (a badge, and "Answered" on the question), once.
NEWSROOM_ANSWER = (
    2,  # the question, by its place in DEMO_COMMENTS
    "moderator",
    "We asked the club: the away end stays as it is this season. We will report any plans when they are filed.",
)
# Readers' recommends, per comment (by its place in DEMO_COMMENTS), so Best has something to rank.
DEMO_RECOMMENDS = {0: 6, 1: 2, 2: 4}


def answer_as_the_newsroom(created):
    question_index, username, body = NEWSROOM_ANSWER
    question = created[question_index]
    staff = get_user_model().objects.filter(username=username).first()
    if staff is None:
        return
    answer = Comment.objects.filter(parent=question, from_newsroom=True).first()
    answer = answer or comment_post_for_newsroom(article=question.article, user=staff, body=body, parent=question)
    # Twelve minutes after the question, on every load (the question moves with the demo's clock).
    Comment.objects.filter(pk=answer.pk).update(created_at=question.created_at + timedelta(minutes=12))


def recommend_for_the_demo(created):
    """Recommendation rows from invented readers, counted as the worker counts them."""
    for index, readers in DEMO_RECOMMENDS.items():
        comment = created[index]
        Recommendation.objects.bulk_create(
            [
                Recommendation(comment=comment, article=comment.article, reader_key=f"demo-reader-{n}")
                for n in range(readers)
            ],
            ignore_conflicts=True,
        )
        Comment.objects.filter(pk=comment.pk).update(recommend_count=comment.recommendations.count())


def load():
    """Create the demo comments that do not exist yet; return a one-line summary."""
    articles = {article.slug: article for article in Article.objects.filter(slug__in={row[0] for row in DEMO_COMMENTS})}
    created = []
    for slug, name, email, body, status, minutes, parent_index in DEMO_COMMENTS:
        article = articles.get(slug)
        if article is None:
            continue
        parent = created[parent_index] if parent_index is not None else None
        comment, _ = Comment.objects.get_or_create(
            article=article,
            author_email=email,
            body=body,
            defaults={
                "body_html": render_comment_body(body),
                "author_name": name,
                "status": status,
                "parent": parent,
                "held_reasons": "first-time" if status == Status.PENDING else "",
                "verified": status == Status.APPROVED,
            },
        )
        # At the same distance from now on every load, as the stories are: never older than the story it answers.
        comment.created_at = timezone.now() - timedelta(minutes=minutes)
        Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at)
        created.append(comment)
    answer_as_the_newsroom(created)
    recommend_for_the_demo(created)
    discussions_changed({comment.article_id for comment in created})  # stored directly: counted as services do
    proven = {comment.author_email for comment in created if comment.verified}
    for email in proven:
        Commenter.objects.get_or_create(email=email, defaults={"verified_at": timezone.now() - timedelta(days=30)})
    return f"{len(created)} comments, {len(proven)} verified commenters"
