"""Story bodies, key points and live updates were Markdown; the editor writes HTML. Each is converted once, its
revisions too (so comparing and restoring an old version keeps working), with a frozen copy of the Markdown
rendering of that time: headings one level down, `![](image:12)` as a library picture, then the same allow-list.
"""

import re

import nh3
from django.db import migrations
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": True})
_PICTURE = re.compile(r'<p><img src="image:([0-9]{1,12})" alt="[^"]*"(?: title="([a-z]+)")? ?/?></p>')
# The one way bodies are written (articles/richtext.py `canonical`, as it stood): no spaces between blocks, a list
# item's only paragraph unwrapped.
_BETWEEN_BLOCKS = re.compile(
    r">\s+(?=</?(?:p|h2|h3|h4|ul|ol|li|blockquote|table|thead|tbody|tr|th|td|figure|figcaption|hr)\b)"
)
_ITEM_PARAGRAPH = re.compile(r"<li><p>((?:(?!</?(?:p|li|ul|ol)\b).)*)</p>(?=</li>|<ul|<ol)", re.DOTALL)


def to_html(text):
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    html = _PICTURE.sub(
        lambda m: f'<figure data-picture="{m.group(1)}" data-size="{"full" if m.group(2) == "full" else "column"}"></figure>',
        html,
    )
    # The allow-list of the editor's bodies (articles/richtext.py), as it stood when this ran.
    html = nh3.clean(
        html,
        tags={"p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "em", "strong", "blockquote", "hr", "figure",
              "figcaption", "img", "s", "table", "thead", "tbody", "tr", "th", "td"},
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"}, "ol": {"start"},
                    "figure": {"data-picture", "data-size"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )
    return _ITEM_PARAGRAPH.sub(r"<li>\1", _BETWEEN_BLOCKS.sub(">", html.strip()))


def looks_converted(text):
    return (text or "").lstrip().startswith("<")


def convert(apps, schema_editor):
    for model, fields in (
        ("Article", ("body", "key_points")),
        ("HistoricalArticle", ("body", "key_points")),
        ("LiveUpdate", ("body",)),
        ("HistoricalLiveUpdate", ("body",)),
    ):
        Model = apps.get_model("articles", model)
        for row in Model.objects.only("pk", *fields).iterator():
            changed = {}
            for field in fields:
                value = getattr(row, field)
                if value and not looks_converted(value):
                    changed[field] = to_html(value)
            if changed:
                Model.objects.filter(pk=row.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("articles", "0019_library_roles")]

    operations = [migrations.RunPython(convert, migrations.RunPython.noop)]
