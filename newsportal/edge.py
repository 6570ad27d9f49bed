"""The edge cache in front of the app nodes (Varnish with xkey, or a CDN): surrogate keys out, purges by key in.

Every public page the page cache answers carries its *keys*, the same vocabulary the page cache invalidates by
(`newsportal.pagecache`): `site` on every page, `lists` on list pages, `article:<slug>` on an article's pages, and
finer ones for an operator's manual purge (`category:<slug>`, `author:<slug>`). They travel in one header the edge
reads and hides from readers (`xkey` for Varnish, `Surrogate-Key` for Fastly, `Cache-Tag` for Cloudflare), with
`Surrogate-Control: max-age` saying how long the edge may keep the page without a purge: the page cache's own
lifetime (so Most read and scheduled stories move on at the same pace), a live fragment's poll interval.

When content changes, `content_changed` / `discussion_changed` move the page cache's generations after commit and
then call `purge(keys)`: one soft purge per set of keys to every configured edge node, each with a short timeout.
A purge an edge did not take is queued as an `EdgePurge` row and retried by the worker with backoff; one that keeps
failing stays in the admin (Site › Edge purges) until it goes through or staff retry it. Meanwhile the edge's
lifetime bounds how stale a page can be.

Backends are classes named by `EDGE_BACKEND`; each says how it tags a response and what its purge request looks like.
"""

import json
import logging
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)

GENERATION_PREFIX = "pages:gen:"  # the page cache's generation keys are the edge's keys with this prefix
RETRY_DELAYS = (2, 4, 8, 16, 32, 64, 128, 256)  # seconds before each retry of a purge an edge did not take


@dataclass(frozen=True)
class Purge:
    """One HTTP request that purges keys at one edge node."""

    url: str
    method: str
    headers: dict
    body: bytes | None = None


class Varnish:
    """Varnish with vmod_xkey (deploy/varnish.vcl.in): `PURGE` with `xkey-softpurge` to each node's purge listener."""

    header = "xkey"
    separator = " "
    needs = ("EDGE_PURGE_URLS",)  # the settings it cannot work without (newsportal.checks)

    def __init__(self, urls=()):
        self.urls = list(urls)

    @classmethod
    def from_settings(cls):
        return cls(settings.EDGE_PURGE_URLS)

    def requests(self, keys):
        return [Purge(url, "PURGE", {"xkey-softpurge": " ".join(keys)}) for url in self.urls]


class Fastly:
    """Fastly: one soft purge of several surrogate keys through its API (up to 256 keys a request)."""

    header = "Surrogate-Key"
    separator = " "
    needs = ("FASTLY_SERVICE_ID", "FASTLY_API_TOKEN")

    def __init__(self, service_id, api_token, api="https://api.fastly.com"):
        self.url = f"{api}/service/{service_id}/purge"
        self.api_token = api_token

    @classmethod
    def from_settings(cls):
        return cls(settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN)

    def requests(self, keys):
        headers = {
            "Fastly-Key": self.api_token,
            "Surrogate-Key": " ".join(keys),
            "Fastly-Soft-Purge": "1",
            "Accept": "application/json",
        }
        return [Purge(self.url, "POST", headers)]


class Cloudflare:
    """Cloudflare: purge by Cache-Tag through its API (it has no soft purge: the next reader waits for one render)."""

    header = "Cache-Tag"
    separator = ","
    needs = ("CLOUDFLARE_ZONE_ID", "CLOUDFLARE_API_TOKEN")

    def __init__(self, zone_id, api_token, api="https://api.cloudflare.com/client/v4"):
        self.url = f"{api}/zones/{zone_id}/purge_cache"
        self.api_token = api_token

    @classmethod
    def from_settings(cls):
        return cls(settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN)

    def requests(self, keys):
        headers = {"Authorization": f"Bearer {self.api_token}", "Content-Type": "application/json"}
        return [Purge(self.url, "POST", headers, json.dumps({"tags": list(keys)}).encode())]


BACKENDS = {"varnish": Varnish, "fastly": Fastly, "cloudflare": Cloudflare}


def backend_class(name):
    """The backend class `EDGE_BACKEND` names: one above, or a class's dotted path (ImportError when it is neither)."""
    return BACKENDS.get(name) or import_string(name)


def backend():
    """The configured edge backend, or None without an edge."""
    return backend_class(settings.EDGE_BACKEND).from_settings() if settings.EDGE_BACKEND else None


# --- Tagging responses --------------------------------------------------------------------------------------------


def page_keys(generation_keys, url_kwargs, keys_from):
    """The keys of one public page: its generations, and finer keys from what its address names (`keys_from`:
    (URL keyword, key name) pairs, such as the category of a section page or the author of an author page)."""
    keys = [key.removeprefix(GENERATION_PREFIX) for key in generation_keys]
    keys.extend(f"{name}:{url_kwargs[kwarg]}" for kwarg, name in keys_from if kwarg in url_kwargs)
    return keys


def tag(response, keys, *, max_age):
    """Give a public page's response its keys and how long the edge may keep it (no-op without an edge)."""
    edge = backend()
    if edge is None:
        return
    response[edge.header] = edge.separator.join(keys)
    response["Surrogate-Control"] = f"max-age={max(0, min(max_age, settings.EDGE_CACHE_SECONDS))}"


# --- Purging --------------------------------------------------------------------------------------------------------


def purge(generation_keys):
    """Purge the pages of these page-cache generations at every edge node; called after the change committed."""
    edge = backend()
    if edge is None:
        return
    keys = sorted(key.removeprefix(GENERATION_PREFIX) for key in generation_keys)
    for request in edge.requests(keys):
        try:
            send(request)
        except Exception as error:  # noqa: BLE001 - an edge away: the worker tries again
            try:
                queue_retry(request, keys, error)
            except Exception:  # noqa: BLE001 - the change is committed: never fail the request over its purge
                logger.exception("Could not keep the missed purge of %s at %s", " ".join(keys), request.url)


def send(request):
    """Send one purge request; raise on a network error or a refusal."""
    prepared = urllib.request.Request(  # noqa: S310 - an address from the settings: the operator's edge nodes
        request.url, data=request.body, headers=request.headers, method=request.method
    )
    with urllib.request.urlopen(prepared, timeout=settings.EDGE_PURGE_TIMEOUT) as answer:  # noqa: S310  # nosec B310
        answer.read()


def queue_retry(request, keys, error):
    from .models import EdgePurge

    logger.warning("Edge purge of %s at %s failed (%s); the worker tries again", " ".join(keys), request.url, error)
    row = EdgePurge.objects.create(
        url=request.url,
        keys=" ".join(keys),
        attempts=1,
        last_error=describe(error),
        next_attempt_at=timezone.now() + timedelta(seconds=RETRY_DELAYS[0]),
    )
    retry_later(row)


def describe(error):
    return f"{type(error).__name__}: {error}"[:500]


def retry_later(row):
    try:
        retry_purge.using(run_after=row.next_attempt_at).enqueue(row.pk)
    except Exception:  # noqa: BLE001 - the row stays in the admin; the worker's sweep or staff retry it
        logger.warning("Could not queue the retry of edge purge %s", row.pk, exc_info=True)


@task()
def retry_purge(purge_id: int) -> None:
    retry(purge_id)


def retry(purge_id):
    """Try a queued purge again: gone from the queue once an edge takes it, else later, then given up."""
    from .models import EdgePurge

    row = EdgePurge.objects.filter(pk=purge_id, given_up=False).first()
    if row is None:
        return
    edge = backend()
    request = next((each for each in edge.requests(row.keys.split()) if each.url == row.url), None) if edge else None
    if request is None:  # that edge is no longer configured: nothing to purge there
        row.delete()
        return
    try:
        send(request)
    except Exception as error:  # noqa: BLE001 - the edge is still away
        row.attempts += 1
        row.last_error = describe(error)
        if row.attempts > len(RETRY_DELAYS):
            row.given_up = True
            logger.error("Edge purge of %s at %s given up after %s attempts", row.keys, row.url, row.attempts)
        else:
            row.next_attempt_at = timezone.now() + timedelta(seconds=RETRY_DELAYS[row.attempts - 1])
        row.save(update_fields=["attempts", "last_error", "given_up", "next_attempt_at"])
        if not row.given_up:
            retry_later(row)
    else:
        row.delete()


LOST_AFTER = timedelta(seconds=30)


def sweep():
    """Retry purges whose task was lost (the queue was away, or its worker died); called by the worker."""
    from .models import EdgePurge

    due = EdgePurge.objects.filter(given_up=False, next_attempt_at__lt=timezone.now() - LOST_AFTER)
    for purge_id in due.values_list("pk", flat=True):
        retry(purge_id)
