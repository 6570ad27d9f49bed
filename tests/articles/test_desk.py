"""The newsroom desk over HTTP: nobody overwrites anybody silently, reporters submit and editors review.

Every refusal is proved with the POST a browser (or someone crafting one) would send, not by a hidden button.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from articles import presence, services, versions
from articles.models import Article, EditorSession, LiveUpdate, StoryNote
from comments.models import OutgoingEmail
from tests.factories import ArticleFactory, UserFactory
from tests.forms import FormReader, list_action
from tests.html import select, text_of

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def desk_url(article):
    return f"/admin/articles/article/{article.pk}/desk/"


def form_of(response, form_id="article_form"):
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    return reader.data


def opened(client, user, article):
    """Return the change form as `user` sees it on opening the story: its fields as a browser would post them."""
    client.force_login(user)
    return form_of(client.get(change_url(article)))


@pytest.fixture
def other_editor(db):
    from newsportal.roles import EDITORS

    return UserFactory(username="maya", first_name="Maya", last_name="Okafor", groups=[EDITORS])


@pytest.fixture
def story(category, editor):
    return ArticleFactory(
        category=category,
        title="Harbour cranes return",
        standfirst="The port reopens after a year of repairs.",
        body="The cranes are back.",
        draft=True,
    )


# --- Versions and conflicts ----------------------------------------------------------------------------------


def test_a_save_from_an_older_version_is_refused_and_keeps_what_was_typed(client, story, editor, other_editor):
    mine = opened(client, editor, story)
    theirs_client = Client()
    theirs = opened(theirs_client, other_editor, story)
    new_standfirst = "The port reopens on Friday after a year of repairs."
    assert theirs_client.post(change_url(story), theirs | {"standfirst": new_standfirst}).status_code == 302

    response = client.post(change_url(story), mine | {"title": "Harbour cranes are back"})
    assert response.status_code == 200  # refused, shown again: not an ordinary success
    story.refresh_from_db()
    assert story.title == "Harbour cranes return" and story.standfirst == new_standfirst
    panel = select(response.content, "[data-conflict]")[0]
    assert "Maya Okafor saved at" in text_of(panel)
    rows = {text_of(select(row, "th")[0]): row for row in select(panel, "tbody tr")}
    assert set(rows) == {"Standfirst"}  # only what the other editor changed is offered
    assert "on Friday" in text_of(select(rows["Standfirst"], "ins")[0])
    # Everything typed is still in the form, which now carries the stored version.
    again = form_of(response)
    assert again["title"] == "Harbour cranes are back"
    assert again["version"] == str(story.version) and again["keep-standfirst"] == "theirs"

    assert client.post(change_url(story), again).status_code == 302
    story.refresh_from_db()
    assert (story.title, story.standfirst) == ("Harbour cranes are back", new_standfirst)  # both changes kept


def test_a_field_both_changed_must_be_chosen(client, story, editor, other_editor):
    mine = opened(client, editor, story)
    theirs_client = Client()
    theirs = opened(theirs_client, other_editor, story)
    theirs_client.post(change_url(story), theirs | {"title": "Their headline"})

    conflict = client.post(change_url(story), mine | {"title": "My headline"})
    again = form_of(conflict)
    assert "keep-title" not in again  # neither side is chosen for them
    undecided = client.post(change_url(story), again)
    assert undecided.status_code == 200
    assert "Choose whose version to keep for: Headline" in undecided.content.decode()
    assert form_of(undecided)["title"] == "My headline"

    assert client.post(change_url(story), form_of(undecided) | {"keep-title": "mine"}).status_code == 302
    story.refresh_from_db()
    assert story.title == "My headline"
    history = list(story.history.order_by("history_date").values_list("title", "history_user__username"))
    assert history[-2:] == [("Their headline", "maya"), ("My headline", "editor")]  # replaced knowingly, on record


def test_taking_theirs_keeps_the_stored_value(client, story, editor, other_editor):
    mine = opened(client, editor, story)
    theirs_client = Client()
    theirs_client.post(change_url(story), opened(theirs_client, other_editor, story) | {"title": "Their headline"})
    again = form_of(client.post(change_url(story), mine | {"title": "My headline", "body": "My new body."}))
    assert client.post(change_url(story), again | {"keep-title": "theirs"}).status_code == 302
    story.refresh_from_db()
    assert (story.title, story.body) == ("Their headline", "My new body.")


@pytest.mark.parametrize("version", ["99999", "0", "-3", "abc", ""])
def test_a_forged_or_missing_version_is_a_conflict_or_a_message_never_an_error(client, story, editor, version):
    data = opened(client, editor, story) | {"title": "Forged", "version": version}
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    assert select(response.content, ".errornote")
    story.refresh_from_db()
    assert story.title == "Harbour cranes return"


def test_the_service_refuses_a_stale_instance_whoever_calls_it(story):
    stale = Article.objects.get(pk=story.pk)
    story.title = "First"
    services.article_save(article=story)
    stale.title = "Second"
    with pytest.raises(versions.VersionConflict):
        services.article_save(article=stale)
    assert Article.objects.get(pk=story.pk).title == "First"


def test_list_actions_obey_the_version_the_list_showed(client, story, editor, other_editor):
    client.force_login(editor)
    page = client.get("/admin/articles/article/?all=")
    reader = FormReader("changelist-form")
    reader.feed(page.content.decode())
    listed = {name: value for name, value in reader.data.items() if name.startswith("version-")}
    theirs_client = Client()
    theirs_client.post(change_url(story), opened(theirs_client, other_editor, story) | {"title": "Changed meanwhile"})

    data = {"action": "publish_now", "_selected_action": [story.pk], **listed}
    html = client.post("/admin/articles/article/", data, follow=True).content.decode()
    assert "0 article(s) published." in html and "it changed since you loaded the list" in html
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT

    assert "1 article(s) published." in list_action(client, "publish_now", story).content.decode()


def test_two_stories_edited_at_once_never_meet(client, category, editor, other_editor):
    one = ArticleFactory(category=category, draft=True)
    two = ArticleFactory(category=category, draft=True)
    mine = opened(client, editor, one)
    theirs_client = Client()
    theirs_client.post(change_url(two), opened(theirs_client, other_editor, two) | {"title": "Other story"})
    assert client.post(change_url(one), mine | {"title": "My story"}).status_code == 302


def test_a_live_update_edit_from_an_older_version_is_refused(client, editor, other_editor, category):
    story = ArticleFactory(category=category, live_from=timezone.now() - timedelta(hours=1))
    update = LiveUpdate.objects.create(article=story, body="Gates closing.")
    url = f"/admin/articles/liveupdate/{update.pk}/change/"
    client.force_login(editor)
    mine = form_of(client.get(url), "liveupdate_form")
    theirs_client = Client()
    theirs_client.force_login(other_editor)
    theirs = form_of(theirs_client.get(url), "liveupdate_form")
    assert theirs_client.post(url, theirs | {"body": "All eight gates closed."}).status_code == 302

    response = client.post(url, mine | {"headline": "Gates"})
    assert response.status_code == 200 and select(response.content, "[data-conflict]")
    update.refresh_from_db()
    assert update.body == "All eight gates closed." and update.headline == ""
    assert client.post(url, form_of(response, "liveupdate_form")).status_code == 302
    update.refresh_from_db()
    assert (update.body, update.headline) == ("All eight gates closed.", "Gates")


# --- Presence ----------------------------------------------------------------------------------------------------


def test_the_change_form_names_who_else_has_the_story_open(client, story, editor, other_editor):
    theirs = Client()
    theirs.force_login(other_editor)
    answer = theirs.post(f"/admin/articles/article/{story.pk}/presence/", {"opened": "1"})
    assert answer.status_code == 200 and answer.json() == {"others": []}

    client.force_login(editor)
    banner = select(client.get(change_url(story)).content, "[data-presence]")[0]
    assert "Maya Okafor is editing this story — opened" in text_of(banner)
    listing = client.get("/admin/articles/article/").content
    assert "Maya Okafor" in text_of(select(listing, "#result_list")[0])

    mine = client.post(f"/admin/articles/article/{story.pk}/presence/", {"opened": "1"}).json()
    assert [person["name"] for person in mine["others"]] == ["Maya Okafor"]
    assert theirs.post(f"/admin/articles/article/{story.pk}/presence/").json()["others"][0]["name"] == "editor"

    theirs.post(f"/admin/articles/article/{story.pk}/presence/", {"gone": "1"})
    assert select(client.get(change_url(story)).content, "[data-presence]")[0].get("hidden") is not None


def test_a_beat_that_arrives_after_the_tab_said_gone_does_not_bring_the_editor_back(client, story, editor):
    client.force_login(editor)
    url = f"/admin/articles/article/{story.pk}/presence/"
    client.post(url, {"opened": "1"})
    client.post(url, {"gone": "1"})
    late = client.post(url).json()  # sent before the tab closed, answered after
    assert late == {"others": [], "rejoin": True}
    assert presence.others(user=UserFactory(username="someone"), article_id=story.pk) == []
    client.post(url, {"opened": "1"})  # a second tab of the same editor, still open, answers the rejoin
    assert [person.name for person in presence.others(user=UserFactory(username="else"), article_id=story.pk)]


def test_presence_without_heartbeat_clears_within_a_minute_and_two_tabs_are_one(client, story, editor, other_editor):
    theirs = Client()
    theirs.force_login(other_editor)
    for _ in range(2):  # two tabs
        theirs.post(f"/admin/articles/article/{story.pk}/presence/", {"opened": "1"})
    assert EditorSession.objects.filter(article=story, user=other_editor).count() == 1
    client.force_login(editor)
    assert client.post(f"/admin/articles/article/{story.pk}/presence/", {"opened": "1"}).json()["others"] != []
    EditorSession.objects.filter(user=other_editor).update(seen_at=timezone.now() - timedelta(seconds=50))
    assert client.post(f"/admin/articles/article/{story.pk}/presence/").json()["others"] == []


def test_presence_is_for_staff_who_may_see_the_story(client, story):
    assert client.post(f"/admin/articles/article/{story.pk}/presence/").status_code == 302  # to the login page
    client.force_login(UserFactory(username="nobody"))
    assert client.post(f"/admin/articles/article/{story.pk}/presence/").status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the foreign key is checked at commit
def test_a_heartbeat_for_a_story_that_does_not_exist_is_a_404(client, editor):
    client.force_login(editor)
    assert client.post("/admin/articles/article/987654/presence/", {"opened": "1"}).status_code == 404
    assert not EditorSession.objects.exists()


# --- Autosave ------------------------------------------------------------------------------------------------------


def test_an_autosave_is_offered_back_with_the_difference_and_restored(client, story, editor):
    data = opened(client, editor, story) | {"title": "Harbour cranes return at last", "body": "Typed, not saved."}
    answer = client.post(f"/admin/articles/article/{story.pk}/autosave/", data)
    assert answer.status_code == 200 and "saved_at" in answer.json()
    assert story.history.count() == 1  # an autosave is not a revision

    page = client.get(change_url(story)).content
    offer = select(page, ".desk-autosave")[0]
    assert "Restore your unsaved changes from" in text_of(offer)
    assert "at last" in text_of(select(offer, "ins")[0])
    client.logout()
    assert "Typed, not saved." not in client.get(story.get_absolute_url()).content.decode()

    client.force_login(editor)
    restored = client.get(change_url(story) + "?restore-autosave=1")
    assert restored.status_code == 200 and not select(restored.content, ".errornote")
    fields = form_of(restored)
    assert fields["title"] == "Harbour cranes return at last" and fields["body"] == "Typed, not saved."
    assert Article.objects.get(pk=story.pk).title == "Harbour cranes return"  # nothing saved by restoring

    assert client.post(change_url(story), fields).status_code == 302
    assert EditorSession.objects.get(user=editor, article=story).autosave is None  # a real save removes it
    assert not select(client.get(change_url(story)).content, ".desk-autosave")


def test_an_autosave_of_a_new_story_and_its_discard(client, editor, category):
    client.force_login(editor)
    client.post("/admin/articles/article/add/autosave/", {"title": "Half a headline", "body": "A start."})
    offer = select(client.get(ADD_URL).content, ".desk-autosave")
    assert offer and "Half a headline" in text_of(offer[0])
    response = client.post("/admin/articles/article/add/autosave/", {"discard": "1"})
    assert response.status_code == 302
    assert not select(client.get(ADD_URL).content, ".desk-autosave")


def test_someone_elses_autosave_is_theirs_alone(client, story, editor, other_editor):
    theirs = Client()
    theirs.force_login(other_editor)
    theirs.post(f"/admin/articles/article/{story.pk}/autosave/", {"title": "Maya's unsaved headline"})
    client.force_login(editor)
    assert not select(client.get(change_url(story)).content, ".desk-autosave")


# --- Reporters, editors and the review step ----------------------------------------------------------------------


def test_the_whole_review_flow(client, reporter, editor, category):
    editor.email = "editor@example.com"
    editor.save()
    client.force_login(reporter)
    add = form_of(client.get(ADD_URL))
    assert "status" not in add and "published_at_0" not in add  # the form offers reporters no publishing
    data = add | {
        "title": "Ferry timetable changes",
        "slug": "ferry-timetable-changes",
        "category": str(category.pk),
        "standfirst": "Winter crossings start later.",
        "body": "The first ferry leaves at 07:40.",
        "credit_line": "Rosa Imre",
    }
    assert client.post(ADD_URL, data).status_code == 302
    story = Article.objects.get(slug="ferry-timetable-changes")
    assert story.status == Article.Status.DRAFT and story.created_by == reporter

    submitted = opened(client, reporter, story) | {"_move": "submit", "desk_note": "Ready when you are."}
    assert client.post(change_url(story), submitted).status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW and story.submitted_by == reporter
    to_editors = OutgoingEmail.objects.get(to="editor@example.com")
    assert "For review: Ferry timetable changes" in to_editors.subject and "Ready when you are." in to_editors.text

    # The review queue on the admin's front page, oldest first.
    client.force_login(editor)
    front = client.get("/admin/").content
    assert "1 story waits for review" in text_of(select(front, ".review-queue-notice")[0])
    queue = client.get("/admin/articles/article/?state=review").content
    assert "submitted by Rosa Imre" in text_of(select(queue, "#result_list")[0])

    refused = client.post(desk_url(story), {"move": "request_changes", "version": story.version, "note": ""})
    assert refused.status_code == 409 and "Say what needs changing" in refused.content.decode()
    note = "Check the 07:40 time with the operator."
    assert (
        client.post(desk_url(story), {"move": "request_changes", "version": story.version, "note": note}).status_code
        == 302
    )
    story.refresh_from_db()
    assert story.status == Article.Status.CHANGES_REQUESTED
    assert note in OutgoingEmail.objects.get(to=reporter.email).text

    revised = opened(client, reporter, story) | {"body": "The first ferry leaves at 07:45.", "_move": "submit"}
    assert client.post(change_url(story), revised).status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW

    client.force_login(editor)
    assert client.post(desk_url(story), {"move": "approve", "version": story.version, "note": ""}).status_code == 302
    story.refresh_from_db()
    assert story.is_live
    reasons = list(story.history.order_by("history_date").values_list("history_change_reason", "history_user"))
    assert [reason for reason, _ in reasons] == [
        "Created",
        "Submitted for review",
        "Changes requested",
        "Changed body · Submitted for review",
        "Approved and published",
    ]
    assert [user for _, user in reasons] == [reporter.pk, reporter.pk, editor.pk, reporter.pk, editor.pk]
    thread = [(note.kind, note.text) for note in story.desk_notes.all()]
    assert thread[0] == (StoryNote.Kind.SUBMITTED, "Ready when you are.") and (StoryNote.Kind.APPROVED, "") in thread
    assert mail.outbox == []  # the outbox sends in the background, never inside the request


def test_approving_a_version_nobody_read_is_refused(client, editor, other_editor, category, reporter):
    story = ArticleFactory(category=category, created_by=reporter, status=Article.Status.IN_REVIEW, published_at=None)
    shown = story.version
    theirs = Client()
    theirs.post(change_url(story), opened(theirs, other_editor, story) | {"title": "Wrong name in the headline"})
    client.force_login(editor)
    refused = client.post(desk_url(story), {"move": "approve", "version": shown, "note": "Fine."})
    assert (
        refused.status_code == 409 and "Maya Okafor changed the story after you opened it" in refused.content.decode()
    )
    assert "Fine." in text_of(select(refused.content, "textarea")[0])  # the note is kept
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW


def test_an_approved_story_with_a_scheduled_time_waits_for_it(client, editor, category, reporter):
    later = timezone.now() + timedelta(hours=5)
    story = ArticleFactory(category=category, created_by=reporter, status=Article.Status.IN_REVIEW, published_at=later)
    client.force_login(editor)
    client.post(desk_url(story), {"move": "approve", "version": story.version})
    story.refresh_from_db()
    assert story.is_scheduled and story.published_at == later


def test_a_reporter_takes_a_story_back_from_review(client, reporter, category):
    story = ArticleFactory(category=category, created_by=reporter, status=Article.Status.IN_REVIEW, published_at=None)
    client.force_login(reporter)
    assert client.post(change_url(story), opened(client, reporter, story) | {"title": "Edit"}).status_code == 403
    assert client.post(desk_url(story), {"move": "withdraw", "version": story.version}).status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.title != "Edit"


def test_a_very_long_note_is_refused_with_its_text_kept(client, editor, story):
    client.force_login(editor)
    long_note = "word " * 500
    response = client.post(desk_url(story), {"move": "note", "version": story.version, "note": long_note})
    assert response.status_code == 409 and "at most 2000 characters" in response.content.decode()
    assert text_of(select(response.content, "textarea")[0]) == long_note.strip()
    assert not story.desk_notes.exists()
    assert client.post(desk_url(story), {"move": "note", "note": "Short and sweet."}).status_code == 302
    assert story.desk_notes.get().text == "Short and sweet."


def test_notes_never_reach_readers(client, editor, category):
    story = ArticleFactory(category=category, body="Public text.")
    client.force_login(editor)
    client.post(desk_url(story), {"move": "note", "note": "SECRET-SOURCE-NAME"})
    reader = Client()
    for url in (story.get_absolute_url(), "/", "/feeds/rss/", "/sitemap.xml", story.category.get_absolute_url()):
        assert "SECRET-SOURCE-NAME" not in reader.get(url).content.decode(), url
    assert story.title not in reader.get("/search/?q=SECRET-SOURCE-NAME").content.decode()  # not indexed either


# --- What reporters (and moderators) may not do, over crafted POSTs -----------------------------------------------

EDITOR_ONLY_POSTS = {
    "status": {"status": "published"},
    "publication time": {"published_at_0": "01/01/2030", "published_at_1": "10:00:00"},
    "home page": {"pinned_lead": "on"},
    "breaking": {"is_breaking": "on"},
}


@pytest.mark.parametrize("fields", EDITOR_ONLY_POSTS.values(), ids=EDITOR_ONLY_POSTS.keys())
def test_a_reporter_cannot_set_what_editors_set(client, reporter, category, fields):
    story = ArticleFactory(category=category, created_by=reporter, draft=True)
    response = client.post(change_url(story), opened(client, reporter, story) | fields)
    assert response.status_code == 200
    assert "Only editors set" in text_of(select(response.content, ".errornote + ul, .errorlist")[0])
    fresh = Article.objects.get(pk=story.pk)
    assert (fresh.status, fresh.published_at, fresh.pinned_lead, fresh.is_breaking) == ("draft", None, False, False)


def test_a_reporter_cannot_publish_a_new_story_by_crafting_the_add_form(client, reporter, category):
    client.force_login(reporter)
    data = form_of(client.get(ADD_URL)) | {
        "title": "Sneaky",
        "slug": "sneaky",
        "category": str(category.pk),
        "body": "x",
        "status": "published",
    }
    response = client.post(ADD_URL, data)
    assert response.status_code == 200 and not Article.objects.filter(slug="sneaky").exists()


def test_a_reporter_cannot_touch_someone_elses_story_or_a_live_one(client, reporter, category):
    theirs = ArticleFactory(category=category, draft=True, created_by=UserFactory(username="someone"))
    live = ArticleFactory(category=category, created_by=reporter)
    client.force_login(reporter)
    for story, reason in ((theirs, "belongs to another reporter"), (live, "Only editors can change a published")):
        response = client.post(change_url(story), opened(client, reporter, story) | {"title": "Mine now"})
        assert response.status_code == 403 and reason in response.content.decode()
        assert Article.objects.get(pk=story.pk).title != "Mine now"
    assert client.post(desk_url(theirs), {"move": "note", "note": "x"}).status_code == 409
    assert client.post(desk_url(live), {"move": "note", "note": "Please fix my typo"}).status_code == 302


@pytest.mark.parametrize("move", ["approve", "request_changes"])
def test_a_reporter_cannot_review_even_their_own_story(client, reporter, category, move):
    story = ArticleFactory(category=category, created_by=reporter, status=Article.Status.IN_REVIEW, published_at=None)
    client.force_login(reporter)
    response = client.post(desk_url(story), {"move": move, "version": story.version, "note": "Looks good to me"})
    assert response.status_code == 409 and "Only editors can do this" in response.content.decode()
    assert Article.objects.get(pk=story.pk).status == Article.Status.IN_REVIEW


@pytest.mark.parametrize("action", ["publish_now", "unpublish"])
def test_a_reporter_has_no_list_actions(client, reporter, category, action):
    story = ArticleFactory(category=category, created_by=reporter, draft=action == "publish_now")
    client.force_login(reporter)
    list_action(client, action, story)
    assert Article.objects.get(pk=story.pk).status == story.status


def test_a_moderator_can_read_stories_but_not_move_or_change_them(client, moderator, reporter, category):
    story = ArticleFactory(category=category, created_by=reporter, status=Article.Status.IN_REVIEW, published_at=None)
    client.force_login(moderator)
    assert client.get(change_url(story)).status_code == 200
    data = form_of(client.get(change_url(story))) | {"title": "Moderated", "version": story.version}
    assert client.post(change_url(story), data).status_code == 403
    for move in ("approve", "request_changes", "withdraw", "note"):
        response = client.post(desk_url(story), {"move": move, "version": story.version, "note": "x"})
        assert response.status_code == 409, move
    list_action(client, "publish_now", story)
    story.refresh_from_db()
    assert story.status == Article.Status.IN_REVIEW and story.title != "Moderated"


def test_the_service_itself_refuses_a_reporter(reporter, category):
    from django.core.exceptions import PermissionDenied

    story = ArticleFactory(category=category, created_by=reporter, draft=True)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=story, user=reporter)
    story = Article.objects.get(pk=story.pk)
    story.is_breaking = True
    with pytest.raises(PermissionDenied):
        services.article_save(article=story, user=reporter)


def test_the_change_form_costs_one_query_more_than_before_the_desk(client, editor, category):
    """The presence lookup (with this editor's autosave in the same row); the notes thread took the place of the
    byline prefetch the change form used to make and throw away (tests/articles/test_admin.py has the rest)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import AuthorFactory, CorrectionFactory
    from tests.queries import page_queries

    story = ArticleFactory(category=category, authors=[AuthorFactory(), AuthorFactory()])
    CorrectionFactory(article=story)
    client.force_login(editor)
    client.get(change_url(story))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(change_url(story)).status_code == 200
    # Before the desk: 14 (session, user, story, byline prefetch, 2 permission lookups, bylines, corrections,
    # 2 category lists, 4 byline author widgets).
    assert len(page_queries(captured)) <= 15, "\n".join(page_queries(captured))
