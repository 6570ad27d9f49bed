from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("<slug:category>/", views.CategoryView.as_view(), name="category"),
    path("<slug:category>/<slug:slug>/", views.ArticleView.as_view(), name="article"),
]
