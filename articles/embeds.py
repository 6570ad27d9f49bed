"""Embeds: a link to a video, a post, a chart or a map, pasted on a line of its own, shown as the provider's player.

Only the providers listed here, and only links whose host is exactly theirs (`youtube.com.evil.example` is not
YouTube). Each provider says how its embed address is built from the link (no fetch of the provider at save time),
which origins its frame (and, for a few, its script) needs, and what loading it shares with the provider. The body
stores `<figure data-embed="youtube" data-url="…">`; readers get a placeholder naming the provider and what it may
do ("YouTube may set cookies"), and nothing reaches the provider until they ask (`static/js/site.js`); without
JavaScript the placeholder is a plain link to the original. The page's Content-Security-Policy opens exactly the
origins of the embeds on it (`content_security_policy`).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from csp.utils import build_policy
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    hosts: frozenset  # exact host names of links we take
    kind: str  # "video", "post", "audio", "chart", "map": what the placeholder offers to show
    frame_origins: tuple  # what `frame-src` must allow
    embed: object  # link (SplitResult) -> the embed's address, or None when the link is not one of its embeds
    note: str = _("may set cookies and learn that you read this page")


def _youtube(link):
    if link.hostname == "youtu.be":
        video = link.path.strip("/")
    elif link.path.startswith(("/shorts/", "/live/", "/embed/")):
        video = link.path.split("/")[2] if len(link.path.split("/")) > 2 else ""
    else:
        video = parse_qs(link.query).get("v", [""])[0]
    return f"https://www.youtube-nocookie.com/embed/{video}" if re.fullmatch(r"[\w-]{6,20}", video) else None


def _path_id(pattern, template):
    def embed(link):
        match = re.fullmatch(pattern, link.path)
        return template.format(*match.groups()) if match else None

    return embed


def _whole_link(template):
    """For providers whose player takes the original link as a parameter."""

    def embed(link):
        return template.format(quote(link.geturl(), safe=""))

    return embed


PROVIDERS = {
    provider.key: provider
    for provider in (
        Provider(
            "youtube",
            "YouTube",
            frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}),
            "video",
            ("https://www.youtube-nocookie.com",),
            _youtube,
        ),
        Provider(
            "vimeo",
            "Vimeo",
            frozenset({"vimeo.com", "www.vimeo.com"}),
            "video",
            ("https://player.vimeo.com",),
            _path_id(r"/(\d{5,12})/?", "https://player.vimeo.com/video/{0}?dnt=1"),
        ),
        Provider(
            "x",
            "X",
            frozenset({"x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}),
            "post",
            ("https://platform.twitter.com",),
            _path_id(r"/\w{1,15}/status/(\d{5,25})/?", "https://platform.twitter.com/embed/Tweet.html?id={0}&dnt=true"),
        ),
        Provider(
            "instagram",
            "Instagram",
            frozenset({"instagram.com", "www.instagram.com"}),
            "post",
            ("https://www.instagram.com",),
            _path_id(r"/(?:p|reel)/([\w-]{5,40})/?", "https://www.instagram.com/p/{0}/embed/"),
        ),
        Provider(
            "tiktok",
            "TikTok",
            frozenset({"tiktok.com", "www.tiktok.com"}),
            "video",
            ("https://www.tiktok.com",),
            _path_id(r"/@[\w.-]{1,40}/video/(\d{5,25})/?", "https://www.tiktok.com/embed/v2/{0}"),
        ),
        Provider(
            "bluesky",
            "Bluesky",
            frozenset({"bsky.app"}),
            "post",
            ("https://embed.bsky.app",),
            _path_id(
                r"/profile/([\w.:-]{3,80})/post/([\w]{5,20})/?",
                "https://embed.bsky.app/embed/{0}/app.bsky.feed.post/{1}",
            ),
        ),
        Provider(
            "facebook",
            "Facebook",
            frozenset({"facebook.com", "www.facebook.com"}),
            "post",
            ("https://www.facebook.com",),
            _whole_link("https://www.facebook.com/plugins/post.php?href={0}"),
        ),
        Provider(
            "spotify",
            "Spotify",
            frozenset({"open.spotify.com"}),
            "audio",
            ("https://open.spotify.com",),
            _path_id(r"/(track|album|playlist|episode|show)/(\w{10,40})/?", "https://open.spotify.com/embed/{0}/{1}"),
        ),
        Provider(
            "soundcloud",
            "SoundCloud",
            frozenset({"soundcloud.com", "www.soundcloud.com"}),
            "audio",
            ("https://w.soundcloud.com",),
            _whole_link("https://w.soundcloud.com/player/?url={0}"),
        ),
        Provider(
            "datawrapper",
            "Datawrapper",
            frozenset({"datawrapper.dwcdn.net"}),
            "chart",
            ("https://datawrapper.dwcdn.net",),
            _path_id(r"/(\w{5})/(\d{1,3})/?", "https://datawrapper.dwcdn.net/{0}/{1}/"),
            note=_("may learn that you read this page"),
        ),
        Provider(
            "flourish",
            "Flourish",
            frozenset({"public.flourish.studio"}),
            "chart",
            ("https://flo.uri.sh",),
            _path_id(r"/(visualisation|story)/(\d{3,12})/?", "https://flo.uri.sh/{0}/{1}/embed"),
            note=_("may learn that you read this page"),
        ),
        Provider(
            "googlemaps",
            "Google Maps",
            frozenset({"www.google.com", "maps.google.com"}),
            "map",
            ("https://www.google.com",),
            lambda link: (
                f"https://www.google.com/maps?output=embed&q={quote(parse_qs(link.query).get('q', [''])[0])}"
                if link.path.startswith("/maps") and parse_qs(link.query).get("q")
                else None
            ),
        ),
    )
}

KINDS = {
    "video": _("the video"),
    "post": _("the post"),
    "audio": _("the audio"),
    "chart": _("the chart"),
    "map": _("the map"),
}


@dataclass(frozen=True)
class Embed:
    provider: Provider
    url: str  # the link as pasted (what readers without JavaScript follow)
    src: str  # the player's address

    @property
    def offer(self):
        return _("Show %(what)s from %(provider)s") % {
            "what": KINDS[self.provider.kind],
            "provider": self.provider.name,
        }


def find(url: str) -> Embed | None:
    """Return the embed a link stands for, or None (not a provider we take, or not one of its embeddable links)."""
    try:
        link = urlsplit((url or "").strip())
    except ValueError:
        return None
    if link.scheme != "https" or link.hostname is None or link.username or link.password or link.port:
        return None
    for provider in PROVIDERS.values():
        if link.hostname in provider.hosts:
            src = provider.embed(link)
            return Embed(provider, link.geturl(), src) if src else None
    return None


def content_security_policy(embeds) -> str:
    """Return the page's Content-Security-Policy header: the site's, with `frame-src` opened to these embeds only."""
    origins = sorted({origin for embed in embeds for origin in embed.provider.frame_origins})
    if not origins:
        return build_policy()
    return build_policy(update={"frame-src": origins})
