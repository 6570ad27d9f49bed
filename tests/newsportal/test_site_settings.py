"""The newsroom's policy is a site setting a Site manager changes in the admin, with its history, and the site
follows it at once; deployments that set it in the environment keep their values."""

import importlib
import re

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from newsportal.checks import settings_moved_to_the_admin
from newsportal.models import SiteSettings
from newsportal.roles import EDITORS, SITE_MANAGERS
from newsportal.sitesettings import site_settings
from tests.factories import ArticleFactory, UserFactory
from tests.html import select

CHANGE_URL = "/admin/newsportal/sitesettings/1/change/"
migration = importlib.import_module("newsportal.migrations.0003_site_settings_from_environment")


@pytest.fixture
def site_manager(db):
    return UserFactory(username="chief", first_name="Ines", last_name="Duarte", groups=[SITE_MANAGERS])


def settings_form(client):
    """The change form's fields as the browser would send them back unchanged."""
    page = client.get(CHANGE_URL).content.decode()
    fields = dict(re.findall(r'<input type="number" name="(\w+)" value="(\d+)"', page))
    fields |= {name: "on" for name in re.findall(r'<input type="checkbox" name="(\w+)"[^>]* checked', page)}
    for choice in select(page, "select"):  # each menu's chosen value
        fields[choice.get("name")] = choice.cssselect("option[selected]")[0].get("value")
    return fields


def read_next_items(client, story):
    return client.get(story.get_absolute_url()).content.decode().count('class="read-next__item"')


def test_a_site_manager_changes_read_next_and_readers_see_it_at_once(client, site_manager, category):
    stories = [ArticleFactory(category=category) for _ in range(8)]
    assert read_next_items(client, stories[0]) == 5
    client.force_login(site_manager)
    assert client.get("/admin/newsportal/sitesettings/").url == CHANGE_URL  # one row: the list is its form
    response = client.post(CHANGE_URL, settings_form(client) | {"read_next_size": "3"})
    assert response.status_code == 302
    client.logout()
    assert read_next_items(client, stories[0]) == 3
    assert site_settings().read_next_size == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the page cache moves on commit
def test_the_page_cache_does_not_keep_the_old_setting(client, site_manager, category, settings):
    settings.PAGE_CACHE_SECONDS = 60
    story = ArticleFactory(category=category)
    ArticleFactory.create_batch(6, category=category)
    assert read_next_items(client, story) == 5
    assert client.get(story.get_absolute_url())["X-Cache"] == "HIT"
    client.force_login(site_manager)
    client.post(CHANGE_URL, settings_form(client) | {"read_next_size": "2"})
    client.logout()
    assert read_next_items(client, story) == 2


def test_history_says_who_changed_what(client, site_manager):
    client.force_login(site_manager)
    client.post(CHANGE_URL, settings_form(client) | {"rate_limit": "9"})
    history = SiteSettings.history.order_by("-history_date")
    assert history[0].rate_limit == 9 and history[0].history_user == site_manager
    assert history[0].diff_against(history[1]).changed_fields == ["rate_limit"]
    page = client.get("/admin/newsportal/sitesettings/1/history/").content.decode()
    assert "chief" in page


def test_a_bad_value_is_explained_and_what_was_typed_is_kept(client, site_manager):
    client.force_login(site_manager)
    response = client.post(CHANGE_URL, settings_form(client) | {"rate_limit": "0", "read_next_size": "4"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in page
    assert 'name="read_next_size" value="4"' in page and 'name="rate_limit" value="0"' in page
    assert site_settings().rate_limit == 5  # nothing saved


def test_only_site_managers_change_the_settings_and_nobody_deletes_them(client, site_manager, db):
    editor = UserFactory(username="desk", groups=[EDITORS])
    client.force_login(editor)
    assert client.get("/admin/newsportal/sitesettings/").status_code == 403
    assert client.get(CHANGE_URL).status_code == 403
    client.force_login(site_manager)
    assert client.get(CHANGE_URL).status_code == 200
    assert client.get("/admin/newsportal/sitesettings/add/").status_code == 403
    assert client.get("/admin/newsportal/sitesettings/1/delete/").status_code == 403


def test_the_migration_keeps_what_the_environment_said(db, monkeypatch):
    SiteSettings.objects.all().delete()
    monkeypatch.setenv("COMMENTS_RATE_LIMIT", "9")
    monkeypatch.setenv("COMMENTS_HOLD_FIRST_TIME", "false")
    monkeypatch.setenv("COMMENTS_DEFAULT_MODERATION", "post")
    migration.copy_environment(apps, None)
    row = SiteSettings.objects.get()
    assert (row.rate_limit, row.hold_first_time, row.default_moderation) == (9, False, "post")
    assert row.read_next_size == 5 and row.trust_after == 3  # not set: the old defaults


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [("COMMENTS_DEFAULT_MODERATION", "Post", "COMMENTS_DEFAULT_MODERATION"), ("COMMENTS_RATE_LIMIT", "lots", "lots")],
)
def test_a_bad_environment_value_stops_the_migration_with_its_name(db, monkeypatch, name, value, message):
    SiteSettings.objects.all().delete()
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        migration.copy_environment(apps, None)


def test_a_variable_left_in_the_environment_gets_a_warning(monkeypatch):
    assert settings_moved_to_the_admin(None) == []
    monkeypatch.setenv("COMMENTS_RATE_LIMIT", "9")
    (warning,) = settings_moved_to_the_admin(None)
    assert warning.id == "newsportal.W001" and "COMMENTS_RATE_LIMIT" in warning.msg


def test_the_command_changes_a_setting_checked_like_the_form(db, capsys):
    call_command("site_settings", "rate_limit=12", "hold_first_time=false")
    assert (site_settings().rate_limit, site_settings().hold_first_time) == (12, False)
    assert "rate_limit=12" in capsys.readouterr().out
    with pytest.raises(CommandError, match="rate_limit: Ensure this value is greater than or equal to 1"):
        call_command("site_settings", "rate_limit=0")
    with pytest.raises(CommandError, match="expected name=value"):
        call_command("site_settings", "no_such_setting=1")
    assert site_settings().rate_limit == 12


def test_pages_read_the_settings_from_the_cache_not_the_database(client, article, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(article.get_absolute_url())  # the first reader after a change fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert not [query for query in queries.captured_queries if SiteSettings._meta.db_table in query["sql"]]
