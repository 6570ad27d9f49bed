from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        """Make cached pages stale whenever editorial content changes, whichever way it is saved."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from newsportal.pagecache import invalidate_pages

        def content_changed(sender, **kwargs):
            invalidate_pages()

        for model in self.get_models():
            post_save.connect(content_changed, sender=model, weak=False)
            post_delete.connect(content_changed, sender=model, weak=False)
            for field in model._meta.many_to_many:
                m2m_changed.connect(content_changed, sender=field.remote_field.through, weak=False)
