"""Page addresses are worked out once per story and process, and stay the URLconf's (newsportal.site.page_path)."""

from django.urls import reverse, set_script_prefix

from newsportal.site import id_path, page_path


def test_a_page_path_is_what_reverse_gives_under_any_script_prefix():
    arguments = {"category": "world-news", "slug": "harbour-cranes-return"}
    assert page_path("articles:article", **arguments) == reverse("articles:article", kwargs=arguments)
    try:
        set_script_prefix("/news/")
        assert page_path("articles:article", **arguments) == "/news/world-news/harbour-cranes-return/"
    finally:
        set_script_prefix("/")
    assert page_path("articles:article", **arguments) == "/world-news/harbour-cranes-return/"


def test_an_id_path_is_what_reverse_gives_for_any_number():
    for pk in (1, 9, 987654321, 4_000_000_000):
        assert id_path("comments:report", pk) == reverse("comments:report", kwargs={"pk": pk})
    try:
        set_script_prefix("/news/")
        assert id_path("comments:report", 12) == "/news/comments/12/report/"
    finally:
        set_script_prefix("/")
