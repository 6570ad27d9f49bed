"""Facts about an incoming request (and about addresses) that several apps need, defined once."""

import ipaddress

from django.conf import settings

# One household, office or mobile carrier's customer gets a whole IPv4 /24 or IPv6 /64 as easily as one address:
# limits and reports count networks of this size, so changing the last part of an address gains nothing.
IPV4_NETWORK_BITS, IPV6_NETWORK_BITS = 24, 64


def client_ip(request):
    """Return the reader's address, trusting only the last `TRUSTED_PROXY_COUNT` X-Forwarded-For entries.

    Earlier entries can be forged by the client, so without trusted proxies the socket's address is used.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def network_of(address):
    """Return the network an address belongs to for abuse limits ("203.0.113.0/24", "2001:db8::/64"), or ""."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    bits = IPV4_NETWORK_BITS if ip.version == 4 else IPV6_NETWORK_BITS
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))


# Providers that deliver "j.o.hn@" to "john@": their dots are no part of the mailbox.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def mailbox_of(email):
    """Return the mailbox an address delivers to, for limits: case folded, "+tag" dropped, Gmail's dots dropped.

    `Victim+1@Example.org`, `victim+2@example.org` and `victim@example.org` are one mailbox; so are
    `j.doe@gmail.com` and `jdoe@googlemail.com`. Used to count, never to send.
    """
    local, _, domain = (email or "").strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    domain = domain.rstrip(".")
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"
