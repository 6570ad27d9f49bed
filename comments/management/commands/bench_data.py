"""Fill the database with a large archive for the benchmark: articles and reader comments, by bulk inserts.

`python manage.py bench_data --articles 100000 --comments 1000000` takes minutes on PostgreSQL or SQLite.
It lives in `comments` because it writes both apps' tables (comments may import articles, not the reverse).
"""

import itertools
import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from articles import search
from articles.models import Article, Author, Byline, Category
from comments.models import Comment, published_count
from comments.text import render_comment_body
from newsportal import pagecache

BATCH = 5000
SENTENCES = [
    "The council met on Tuesday evening to discuss the proposal in detail.",
    "Officials said the figures would be published in full next month.",
    "Residents who spoke at the meeting raised concerns about traffic and noise.",
    "The company expects the first results before the end of the financial year.",
    "Supporters argue that the change is overdue; critics say it goes too far.",
    "A spokesperson declined to comment on the timetable beyond the statement.",
]


def paragraphs(rng, count):
    return ["  ".join(rng.choice(SENTENCES) for _ in range(4)) for _ in range(count)]


class Command(BaseCommand):
    help = "Add a large benchmark archive: N published articles over six sections and M comments."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--comments", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, articles, comments, seed, **options):
        # A seeded generator makes the fake archive reproducible; nothing here is a secret.
        rng = random.Random(seed)  # nosec B311
        started = time.monotonic()
        categories = self.categories()
        run = f"{int(time.time())}"
        now = timezone.now()
        # Newest first is the order readers see; spread over the last three years.
        span = timedelta(days=3 * 365).total_seconds()

        authors = [
            Author.objects.get_or_create(slug=f"bench-reporter-{n}", defaults={"name": f"Bench Reporter {n}"})[0]
            for n in range(20)
        ]
        article_ids = []
        for start in range(0, articles, BATCH):
            batch = []
            for number in range(start, min(start + BATCH, articles)):
                body = paragraphs(rng, 6)
                fields = {
                    "title": f"Benchmark story {number}: a headline of ordinary length for a news page",
                    "slug": f"bench-{run}-{number}",
                    "standfirst": "A teaser sentence of ordinary length that tells the reader what the story is about.",
                    "body": "\n\n".join(body),
                    "category": categories[number % len(categories)],
                    "credit_line": "Benchmark Desk",
                    "status": Article.Status.PUBLISHED,
                    "published_at": now - timedelta(seconds=span * number / max(articles, 1) + 60),
                    # Old stories have closed comments, as they would after the site setting's closing age.
                    "comments_open": number < 1000,
                    "body_html": "".join(f"<p>{escape(text)}</p>" for text in body),
                }
                batch.append(Article(**fields))
            with transaction.atomic():
                created = Article.objects.bulk_create(batch)
                # One or two credited authors per story, as bylines usually have.
                Byline.objects.bulk_create(
                    Byline(article=article, author=author, position=position)
                    for article in created
                    for position, author in enumerate(rng.sample(authors, rng.choice((1, 1, 2))))
                )
            article_ids += [article.pk for article in created]
        if article_ids:
            # bulk_create passes by the services that keep SQLite's search index
            search.rebuild_index(Article.objects.all())
        self.stdout.write(f"{len(article_ids)} articles in {time.monotonic() - started:.0f} s")

        if not article_ids and comments:
            article_ids = list(Article.objects.values_list("pk", flat=True)[:10000])
        # Recent articles draw most comments, as they do on a news site.
        weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(article_ids))))
        statuses = [Comment.Status.APPROVED] * 8 + [Comment.Status.PENDING, Comment.Status.REJECTED]
        stored = 0
        for start in range(0, comments, BATCH):
            size = min(BATCH, comments - start)
            targets = rng.choices(article_ids, cum_weights=weights, k=size)
            texts = [" ".join(rng.choice(SENTENCES) for _ in range(2)) for _ in range(size)]
            batch = [
                Comment(
                    article_id=article_id,
                    author_name=f"Reader {number % 5000}",
                    author_email=f"reader{number % 5000}@example.com",
                    body=text,
                    body_html=render_comment_body(text),
                    status=rng.choice(statuses),
                    created_at=now - timedelta(minutes=number % 50000),
                    ip_address=f"10.{number % 250}.{number // 250 % 250}.1",
                )
                for number, (article_id, text) in enumerate(zip(targets, texts, strict=True), start=start)
            ]
            with transaction.atomic():
                Comment.objects.bulk_create(batch)
            stored += size
            if stored % 100_000 == 0:
                self.stdout.write(f"  {stored} comments")
        # Bulk inserts skip the services: say once that every page may have changed.
        # bulk_create passes by the service that keeps each story's published comment count
        Article.objects.update(comment_count=published_count())
        pagecache.content_changed(everywhere=True)
        self.stdout.write(f"{stored} comments; done in {time.monotonic() - started:.0f} s")

    def categories(self):
        names = ["World News", "Politics", "Business", "Sport", "Premier League", "Technology"]
        return [
            Category.objects.get_or_create(slug=name.lower().replace(" ", "-"), defaults={"name": name})[0]
            for name in names
        ]
