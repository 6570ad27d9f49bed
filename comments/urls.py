from django.urls import path

from newsportal.pagecache import public_page

from . import views
from .views import STREAM_MAX_AGE

app_name = "comments"

# Mounted at the site root before the article URLs: the form lives under its article's URL.
urlpatterns = [
    path("comments/posted/<str:token>/", views.comment_posted, name="posted"),
    path("comments/<int:pk>/", views.comment_link, name="link"),
    path("comments/<int:pk>/report/", views.comment_report, name="report"),
    path("comments/<int:pk>/recommend/", views.comment_recommend, name="recommend"),
    path("comments/confirm/<str:token>/", views.confirm_address, name="confirm"),
    path("comments/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("comments/erase/<str:token>/", views.erase, name="erase"),
    path("<slug:category>/<slug:slug>/comment/", views.comment_form, name="form"),
    # The newest comments of a story, polled by readers' browsers where new ones are offered (`comments_stream`):
    # the same for everyone, cached with the story's comment section.
    path(
        "<slug:category>/<slug:slug>/comments/newest/",
        public_page(views.newest_comments, article_kwarg="slug", shows_discussion=True, max_age=STREAM_MAX_AGE),
        name="newest",
    ),
]
