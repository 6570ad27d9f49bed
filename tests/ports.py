"""A free loopback port for a server a test starts (gunicorn, `make run`, an SMTP sink, nginx and Varnish)."""

import socket


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
