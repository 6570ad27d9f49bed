from django.urls import path

from . import views

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
]
