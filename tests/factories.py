"""factory_boy factories for the models readers and staff work with."""

from datetime import timedelta
from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles import services
from articles.models import Article, Author, Category, Correction
from comments.models import Comment
from comments.text import render_comment_body


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    description = "Stories from this section."


class ArticleFactory(factory.django.DjangoModelFactory):
    """Articles saved as an editor's are, through `articles.services.article_save`: rendered body, revision, cache."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Headline number {n}")
    slug = factory.Sequence(lambda n: f"headline-{n}")
    standfirst = factory.Sequence(lambda n: f"The teaser sentence of story {n}.")
    body = "First paragraph.\n\nSecond paragraph."
    credit_line = "Maya Okafor"
    category = factory.SubFactory(CategoryFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=5))
    authors = ()  # `ArticleFactory(authors=[a, b])` credits them in that order

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(hours=3)))

    @classmethod
    def _create(cls, model_class, *args, authors=(), **kwargs):
        article = model_class(*args, **kwargs)
        return services.article_save(article=article, authors=list(authors), reason="Created by a test")

    @classmethod
    def _build(cls, model_class, *args, authors=(), **kwargs):
        return model_class(*args, **kwargs)


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    bio = "Reports on the region for Newsportal."


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version of this story gave the wrong date."


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_staff = True
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def groups(self, create, group_names, **kwargs):
        for name in group_names or []:
            self.groups.add(Group.objects.get(name=name))


def jpeg_upload(name="lead.jpg", size=(160, 90), colour="navy"):
    """Return an uploaded JPEG file as a browser would send it."""
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "comments.Comment"

    article = factory.SubFactory(ArticleFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.com")
    body = factory.Sequence(lambda n: f"A considered opinion, number {n}.")
    # What comments.services stores: the rendered body.
    body_html = factory.LazyAttribute(lambda comment: render_comment_body(comment.body))
    status = Comment.Status.APPROVED
    ip_address = "203.0.113.9"
