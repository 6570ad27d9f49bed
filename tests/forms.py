"""Read a form from a rendered page as a browser would submit it."""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """Collect what a browser would submit from the first form with the given id: values as rendered."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self.select = self.textarea = None
        self.textarea_text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name", "")
        if "__prefix__" in name:  # the admin's template row for "Add another"
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            elif kind not in ("file", "submit", "button", "image"):
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea, self.textarea_text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.data[self.textarea] = "".join(self.textarea_text).removeprefix("\n")
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.textarea_text.append(data)


def list_action(client, action, *articles, **extra):
    """Run an action of the article list on these stories as a browser does: with the versions the list shows."""
    page = client.get("/admin/articles/article/?all=")
    reader = FormReader("changelist-form")
    reader.feed(page.content.decode())
    versions = {name: value for name, value in reader.data.items() if name.startswith("version-")}
    data = {"action": action, "_selected_action": [article.pk for article in articles], **versions}
    return client.post("/admin/articles/article/", data | extra, follow=True)


def comment_submission(form_page, set_cookie, body, **fields):
    """Return (urlencoded body, headers) a browser sends for the comment form `form_page` it just received.

    For tests that talk HTTP to a real server: the CSRF cookie, the form's CSRF token and its start token.
    """
    import re
    from http.cookies import SimpleCookie
    from urllib.parse import urlencode

    if isinstance(form_page, bytes):
        form_page = form_page.decode()
    values = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page).group(1),
        "started": re.search(r'name="started" value="([^"]+)"', form_page).group(1),
        "author_name": "Ada",
        "author_email": "ada@example.com",
        "body": body,
    } | fields
    cookie = SimpleCookie(set_cookie)["csrftoken"].value
    return urlencode(values), {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
