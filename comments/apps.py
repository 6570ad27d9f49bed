from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        # The outbox lives here; articles' desk announces its moves and we turn them into e-mails.
        from articles.desk import story_moved

        from .notifications import story_moved as mail_the_desk

        story_moved.connect(mail_the_desk, dispatch_uid="comments-desk-mail")
