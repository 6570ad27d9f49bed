"""Reader pages: home, category and article. Each reads through `Article.objects.published()`."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Category

# How many recent articles the home page draws its lead, latest list and sections from.
HOME_POOL_SIZE = 60
HOME_LATEST_SIZE = 8
HOME_SECTION_SIZE = 4


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        """Build the lead, the latest list and per-category sections from one query."""
        pool = list(Article.objects.published().teasers()[:HOME_POOL_SIZE])
        lead = next((article for article in pool if article.is_featured), pool[0] if pool else None)
        rest = [article for article in pool if article is not lead]
        sections = {}
        for article in rest[HOME_LATEST_SIZE:]:
            section = sections.setdefault(article.category_id, {"category": article.category, "articles": []})
            if len(section["articles"]) < HOME_SECTION_SIZE:
                section["articles"].append(article)
        ordered_sections = sorted(sections.values(), key=lambda s: (s["category"].position, s["category"].name))
        return super().get_context_data(lead=lead, latest=rest[:HOME_LATEST_SIZE], sections=ordered_sections, **kwargs)


class CategoryView(ListView):
    template_name = "articles/category_detail.html"
    context_object_name = "articles"

    def get_paginate_by(self, queryset):
        return settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["category"])
        return Article.objects.published().teasers().filter(category=self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, current_category_slug=self.category.slug, **kwargs)


class ArticleView(DetailView):
    template_name = "articles/article_detail.html"

    def get_queryset(self):
        return Article.objects.published().select_related("category")

    def get(self, request, *args, **kwargs):
        """Serve the article, or send the reader to its canonical URL when the category segment is wrong."""
        self.object = self.get_object()
        if self.object.category.slug != kwargs["category"]:
            return redirect(self.object, permanent=True)
        context = self.get_context_data(object=self.object, current_category_slug=self.object.category.slug)
        return self.render_to_response(context)
