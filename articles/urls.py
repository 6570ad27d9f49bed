from django.urls import path

from newsportal.pagecache import public_page

from . import views

app_name = "articles"

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("<slug:category>/", public_page(views.CategoryView.as_view()), name="category"),
    path("<slug:category>/<slug:slug>/", public_page(views.ArticleView.as_view()), name="article"),
]
