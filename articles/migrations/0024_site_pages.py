"""Site pages (About, Privacy, Terms, …) that editors keep in the admin, with starter text and the Editors' rights."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from newsportal.roles import EDITORS, grant


# Starter text for a newsroom to make its own; each says what the site does today. The privacy notice is linked
# from the comment form and every e-mail (articles.models.PRIVACY_NOTICE), so it must exist from the first deploy.
STARTER_PAGES = [
    (
        "About us",
        "about",
        "<p>We are an independent newsroom. Our reporters and editors write every story on this site, and we say "
        "who wrote it, when it was published and when it last changed.</p>"
        "<p>Readers can comment on most stories. Comments are checked by moderators before they appear.</p>",
    ),
    (
        "Contact",
        "contact",
        "<p>Write to the newsroom about a story, a tip or a mistake we made. Please include the address of the "
        "story you mean. To complain about a comment, use the <em>Report</em> link under it: it reaches the "
        "moderators at once.</p>",
    ),
    (
        "Privacy notice",
        "privacy",
        "<p>This page says what we keep about you and why.</p>"
        "<h2>Reading</h2>"
        "<p>Reading the site needs no account and sets no cookie. We count how often each story is read, not "
        "who read it.</p>"
        "<h2>Commenting</h2>"
        "<ul><li>Your name and your comment are published once a moderator approves it.</li>"
        "<li>Your e-mail address is never shown. We use it to confirm that it is yours, and to tell you when your "
        "comment is published or answered, if you asked us to.</li>"
        "<li>Your IP address and browser name are kept for a limited time to fight spam and abuse, then "
        "deleted.</li></ul>"
        "<p>Every e-mail we send has a link to stop our e-mails and a link to erase your address; your comments "
        "then stay under your name, without it.</p>",
    ),
    (
        "Terms of use",
        "terms",
        "<p>You may read, link to and quote our stories with credit. Comments must be your own words, stay on "
        "topic and respect other readers; moderators may decline or remove a comment that does not.</p>",
    ),
    (
        "Corrections policy",
        "corrections-policy",
        "<p>When we get a fact wrong we correct the story, add a note at its end saying what changed, and list "
        "it on our corrections page. We do not change a story silently.</p>",
    ),
    (
        "Complaints",
        "complaints",
        "<p>If you think a story is inaccurate or unfair, tell us through the contact page. An editor who did not "
        "work on the story reads every complaint and answers it.</p>",
    ),
]


def create_starter_pages(apps, schema_editor):
    SitePage = apps.get_model("articles", "SitePage")
    for position, (title, slug, body) in enumerate(STARTER_PAGES, start=1):
        SitePage.objects.get_or_create(slug=slug, defaults={"title": title, "body": body, "footer_position": position})


def grant_roles(apps, schema_editor):
    rights = [f"{action}_sitepage" for action in ("add", "change", "delete", "view")]
    grant(apps, EDITORS, "articles", rights)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0023_flagged_indexes_in_reader_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='SitePage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('slug', models.SlugField(help_text='The page is at /pages/<address>/; set once, when added.', max_length=80, unique=True, verbose_name='address')),
                ('body', models.TextField(blank=True, verbose_name='text')),
                ('footer_position', models.PositiveSmallIntegerField(blank=True, help_text='Lower comes first; empty: not in the footer.', null=True, verbose_name='footer position')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
            ],
            options={
                'verbose_name': 'site page',
                'verbose_name_plural': 'site pages',
                'ordering': ['footer_position', 'title'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalSitePage',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('slug', models.SlugField(help_text='The page is at /pages/<address>/; set once, when added.', max_length=80, verbose_name='address')),
                ('body', models.TextField(blank=True, verbose_name='text')),
                ('footer_position', models.PositiveSmallIntegerField(blank=True, help_text='Lower comes first; empty: not in the footer.', null=True, verbose_name='footer position')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='last changed')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical site page',
                'verbose_name_plural': 'historical site pages',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(create_starter_pages, migrations.RunPython.noop),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
