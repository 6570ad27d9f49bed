"""Facts about an incoming request that several apps need, defined once."""

from django.conf import settings


def client_ip(request):
    """Return the reader's address, trusting only the last `TRUSTED_PROXY_COUNT` X-Forwarded-For entries.

    Earlier entries can be forged by the client, so without trusted proxies the socket's address is used.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
