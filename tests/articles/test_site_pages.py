"""About, Contact, Privacy, Terms, Corrections policy and Complaints: pages editors keep in the admin, linked from
every page's footer; the comment form and the e-mails link the privacy notice."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from articles import services
from articles.models import PRIVACY_NOTICE, SitePage
from tests.factories import ArticleFactory
from tests.html import select

pytestmark = pytest.mark.django_db

STARTER_TITLES = ["About us", "Contact", "Privacy notice", "Terms of use", "Corrections policy", "Complaints"]


def footer_links(html):
    return [(link.get("href"), link.text_content()) for link in select(html, ".site-footer__links a")]


def test_every_page_links_the_site_pages_in_their_order(client, category):
    story = ArticleFactory(category=category)
    for path in ("/", category.get_absolute_url(), story.get_absolute_url(), "/no-such-page/"):
        links = footer_links(client.get(path).content)
        assert [title for _url, title in links[:6]] == STARTER_TITLES, path
        assert links[2][0] == "/pages/privacy/"

    privacy = client.get("/pages/privacy/")
    assert privacy.status_code == 200
    assert select(privacy.content, "h1")[0].text_content() == "Privacy notice"
    assert "Your e-mail address is never shown" in privacy.content.decode()


def test_the_comment_form_and_the_emails_link_the_privacy_notice(client, settings, category):
    story = ArticleFactory(category=category)
    form = client.get(reverse("comments:form", kwargs={"category": category.slug, "slug": story.slug}))
    assert [link.text_content() for link in select(form.content, ".comment-form a[href='/pages/privacy/']")] == [
        "our privacy notice"
    ]
    notice = f"{settings.SITE_URL}/pages/privacy/"
    context = {"unsubscribe_url": "u", "erase_url": "e", "subject": "s"}
    assert notice in render_to_string("comments/email/base.txt", context)
    assert f'href="{notice}"' in render_to_string("comments/email/base.html", context)


def test_an_editor_rewrites_a_page_and_readers_see_it(client, editor):
    client.force_login(editor)
    about = SitePage.objects.get(slug="about")
    answer = client.post(
        f"/admin/articles/sitepage/{about.pk}/change/",
        {
            "title": "About Newsportal",
            "slug": "who-we-are",  # read only once the page exists: links point at its address
            "body": "<p>Founded by readers.</p><script>alert(1)</script>",
            "footer_position": "9",
        },
    )
    assert answer.status_code == 302
    client.logout()
    page = client.get("/pages/about/").content.decode()
    assert "Founded by readers." in page and "<script>alert" not in page
    assert footer_links(client.get("/").content)[-3] == ("/pages/about/", "About Newsportal")  # now last of six
    change = about.history.get()  # the migration's starter text has no history; the editor's change has
    assert change.history_user == editor and change.title == "About Newsportal"


def test_a_page_outside_the_footer_is_still_at_its_address(client):
    services.site_page_save(site_page=SitePage(title="Advertise with us", slug="advertise", body="<p>Rates.</p>"))
    assert client.get("/pages/advertise/").status_code == 200
    assert "Advertise with us" not in [title for _url, title in footer_links(client.get("/").content)]
    assert client.get("/pages/no-such-page/").status_code == 404


def test_the_privacy_notice_can_change_but_not_disappear(client, editor):
    client.force_login(editor)
    privacy, terms = SitePage.objects.get(slug=PRIVACY_NOTICE), SitePage.objects.get(slug="terms")
    assert client.get(f"/admin/articles/sitepage/{privacy.pk}/delete/").status_code == 403
    assert client.post(f"/admin/articles/sitepage/{terms.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not SitePage.objects.filter(slug="terms").exists()


@pytest.mark.parametrize("role", ["moderator", "reporter"])
def test_only_editors_change_site_pages(client, role, request):
    client.force_login(request.getfixturevalue(role))
    about = SitePage.objects.get(slug="about")
    answer = client.post(f"/admin/articles/sitepage/{about.pk}/change/", {"title": "Mine", "body": "<p>x</p>"})
    assert answer.status_code == 403
    assert SitePage.objects.get(slug="about").title == "About us"


def test_error_pages_without_the_database_show_no_site_pages(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("503.html")
    assert footer_links(html.encode())[:1] == [("/authors/", "Our writers")]
