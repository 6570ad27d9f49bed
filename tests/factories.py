"""factory_boy factories for the models readers and staff work with."""

import itertools
from datetime import timedelta
from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles import library, services
from articles.models import Article, Author, Category, Correction
from comments.models import Comment, published_count
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
    body = "<p>First paragraph.</p><p>Second paragraph.</p>"
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


_uploads = itertools.count(1)


def jpeg_upload(name="lead.jpg", size=(160, 90), colour=None):
    """Return an uploaded JPEG file as a browser would send it (each one different unless a colour is given)."""
    number = next(_uploads)
    colour = colour or (number * 37 % 256, number * 91 % 256, number * 53 % 256)
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def picture(
    name="lead.jpg", size=(1600, 900), *, alt_text="A picture", caption="", credit="", processed=True, **kwargs
):
    """Return a picture of the media library, uploaded as an editor's is and (unless `processed=False`) processed
    as the worker does after the save: renditions made, ready for pages."""
    upload = jpeg_upload(name, size)
    image = library.image_upload(file=upload, alt_text=alt_text, caption=caption, credit=credit, **kwargs)
    if processed:
        library.process(image.pk)
        image.refresh_from_db()
    return image


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

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # What comments.services keeps with every published comment: the story's count, which teasers show.
        if create:
            Article.objects.filter(pk=instance.article_id).update(comment_count=published_count())
