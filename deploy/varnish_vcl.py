#!/usr/bin/env python3
"""Write Newsportal's Varnish configuration (VCL) from deploy/varnish.vcl.in.

    deploy/varnish_vcl.py --node unix:/run/newsportal/app-1.sock --node 10.0.0.12:8001 \\
        --purger 10.0.0.0/24 --health-host news.example.com --grace 6h > /etc/varnish/newsportal.vcl

Each --node is an app node (gunicorn: a unix socket on this machine, or host:port); readers' requests are shared
among the healthy ones. --purger names who may purge besides this machine (the app nodes' addresses).
"""

import argparse
import re
from pathlib import Path

from nginx_conf import render  # the same placeholders, filled the same way

HERE = Path(__file__).resolve().parent


def backend(index, node):
    address = f'.path = "{node.removeprefix("unix:")}";' if node.startswith("unix:") else _tcp(node)
    return f"backend app_{index} {{\n    {address}\n    .probe = app_health;\n    .first_byte_timeout = 40s;\n}}"


def _tcp(node):
    host, _, port = node.rpartition(":")
    return f'.host = "{host}";\n    .port = "{port}";'


def acl_entry(network):
    address, _, bits = network.partition("/")
    return f'    "{address}"/{bits};' if bits else f'    "{address}";'


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--node", action="append", required=True, help="unix:/path or host:port of an app node")
    parser.add_argument("--purger", action="append", default=[], help="an address or network allowed to purge")
    parser.add_argument("--health-host", default="localhost", help="a host name in ALLOWED_HOSTS, for the probe")
    parser.add_argument("--grace", default="6h", help="how long stale pages are served while no app node answers")
    options = parser.parse_args()
    if not re.fullmatch(r"[0-9]+[smhdw]", options.grace):
        raise SystemExit("deploy/varnish_vcl.py: --grace takes a duration such as 30m or 6h")
    vcl = render(
        (HERE / "varnish.vcl.in").read_text(),
        {
            "BACKENDS": "\n\n".join(backend(number, node) for number, node in enumerate(options.node, start=1)),
            "DIRECTOR": "\n".join(f"    app.add_backend(app_{number});" for number in range(1, len(options.node) + 1)),
            "PURGERS": "\n".join(acl_entry(network) for network in ["127.0.0.1", "::1", *options.purger]),
            "HEALTH_HOST": options.health_host,
            "GRACE": options.grace,
        },
    )
    print(vcl, end="")


if __name__ == "__main__":
    main()
