"""Hostile clients and a sick database, measured on loopback (issue 14). Run by bench/hostile, not by hand.

    python bench/hostile.py slow-clients --url https://127.0.0.1:8443 [--cafile tls.crt] [--slow 200] [--seconds 60]
    python bench/hostile.py probe --url http://127.0.0.1:8001 --seconds 60 [--freeze-parent PID --freeze-after 10]

`slow-clients` opens `--slow` connections that send their request headers one line every 5 s and as many that
send a request body one byte every 5 s, keeps them open for `--seconds`, and meanwhile probes `/healthz`, a
cached and a cold article page four times a second. `probe` only probes; with `--freeze-parent` it stops that
process and its children (SIGSTOP) after `--freeze-after` seconds for `--freeze-for` seconds, as a frozen
database would be, and resumes them. Both print a summary per probed page: statuses, p50 / p99 / max latency.
"""

import argparse
import asyncio
import os
import random
import signal
import ssl
import statistics
import time
from collections import Counter
from urllib.parse import urlsplit

PROBE_TIMEOUT = 10.0
TRICKLE_EVERY = 5.0


def tls_context(options):
    if urlsplit(options.url).scheme != "https":
        return None
    return ssl.create_default_context(cafile=options.cafile) if options.cafile else ssl.create_default_context()


async def open_connection(options):
    address = urlsplit(options.url)
    context = tls_context(options)
    port = address.port or (443 if context else 80)
    if context is None:
        return await asyncio.open_connection(address.hostname, port)
    return await asyncio.open_connection(address.hostname, port, ssl=context, server_hostname=address.hostname)


async def slow_headers(options, until):
    """Send a request's headers one line at a time, never finishing them."""
    try:
        reader, writer = await open_connection(options)
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        number = 0
        while time.monotonic() < until and not reader.at_eof():
            await asyncio.sleep(TRICKLE_EVERY)
            number += 1
            writer.write(f"X-Slow-{number}: still typing\r\n".encode())
            await writer.drain()
        writer.close()
    except (OSError, ssl.SSLError, asyncio.IncompleteReadError):
        pass


async def slow_body(options, until):
    """Send a request with a large body, one byte at a time."""
    try:
        reader, writer = await open_connection(options)
        writer.write(b"POST /search/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n")
        writer.write(b"Content-Length: 100000\r\n\r\n")
        while time.monotonic() < until and not reader.at_eof():
            await asyncio.sleep(TRICKLE_EVERY)
            writer.write(b"x")
            await writer.drain()
        writer.close()
    except (OSError, ssl.SSLError, asyncio.IncompleteReadError):
        pass


async def get(options, path):
    """Return (status or error, seconds) of one GET on a new connection ("503+" for a 503 with Retry-After)."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(PROBE_TIMEOUT):
            reader, writer = await open_connection(options)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            status_line = await reader.readline()
            rest = await reader.read()
            writer.close()
        status = status_line.split()[1].decode() if status_line else "closed"
        if status == "503" and b"\r\nretry-after:" in rest.split(b"\r\n\r\n", 1)[0].lower():
            status = "503+"
    except TimeoutError:
        status = "timeout"
    except (OSError, ssl.SSLError, IndexError):
        status = "error"
    return status, time.monotonic() - started


async def get_kept_alive(connection, path):
    """One GET on an open keep-alive connection; return ((status, seconds), the connection or None if closed)."""
    reader, writer = connection
    started = time.monotonic()
    try:
        async with asyncio.timeout(PROBE_TIMEOUT):
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(
                next(
                    (
                        line.split(b":")[1]
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    b"0",
                )
            )
            await reader.readexactly(length)
        status = head.split()[1].decode()
        keep = b"connection: close" not in head.lower()
        return (status, time.monotonic() - started), (connection if keep else None)
    except TimeoutError:
        writer.close()
        return ("timeout", time.monotonic() - started), None
    except (OSError, ssl.SSLError, asyncio.IncompleteReadError, IndexError, ValueError):
        writer.close()
        return ("error", time.monotonic() - started), None


def children(parent):
    """Return the processes whose parent is `parent` (PostgreSQL's backends and helpers), from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdecimal():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry))
    return found


def freezer(options, started):
    """Stop a process and all its children (SIGSTOP) for a while, then resume them; return (start, end)."""

    async def run():
        await asyncio.sleep(max(0, started + options.freeze_after - time.monotonic()))
        frozen_at = time.monotonic()
        parent = options.freeze_parent
        pids = [parent, *children(parent)]  # every backend that exists now, the workers' among them
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        await asyncio.sleep(options.freeze_for)
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
        return frozen_at, time.monotonic()

    return run()


def summary(name, answers, *, only=None):
    if only is not None:
        answers = [answer for moment, answer in answers if only(moment)]
    else:
        answers = [answer for _, answer in answers]
    if not answers:
        return f"{name}: no requests"
    statuses = Counter(status for status, _ in answers)
    seconds = sorted(took for _, took in answers)
    p99 = seconds[max(0, round(len(seconds) * 0.99) - 1)]
    failures = sum(1 for status, took in answers if status not in ("200", "301", "503+") or took > 1.0)
    return (
        f"{name}: {len(answers)} requests, {dict(statuses)}, p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms, max {seconds[-1] * 1000:.0f} ms, {failures} slower than 1 s or failed"
    )


async def main(options):
    started = time.monotonic()
    until = started + options.seconds
    timed = {}

    async def timed_probe():
        while time.monotonic() < until:
            for name, path in (("/healthz", "/healthz"), ("cached article", options.article), ("cold article", None)):
                target = path if path else f"/search/?q=cold{random.randint(1, 10**9)}"  # never cached before
                moment = time.monotonic()
                timed.setdefault(name, []).append((moment, await get(options, target)))
            await asyncio.sleep(0.25)

    async def reader(number):
        """One of `--clients` readers reading the cached article over one kept-alive connection, as a browser
        does, every `--think` seconds (a breaking story everyone reloads)."""
        connection = None
        await asyncio.sleep(random.random() * options.think)
        while time.monotonic() < until:
            moment = time.monotonic()
            if connection is None:
                try:
                    connection = await open_connection(options)
                except (OSError, ssl.SSLError):
                    timed.setdefault("cached article under load", []).append((moment, ("error", 0.0)))
                    await asyncio.sleep(options.think)
                    continue
            answer, connection = await get_kept_alive(connection, options.article)
            timed.setdefault("cached article under load", []).append((moment, answer))
            await asyncio.sleep(max(0.0, options.think - answer[1]))

    attackers = [reader(number) for number in range(options.clients)]
    if options.command == "slow-clients":
        attackers = [slow_headers(options, until) for _ in range(options.slow)]
        attackers += [slow_body(options, until) for _ in range(options.slow)]
    freeze = freezer(options, started) if options.freeze_parent else None
    await get(options, options.article)  # the cached article is in the cache
    outcome = await asyncio.gather(timed_probe(), *attackers, *([freeze] if freeze else []))
    if freeze:
        frozen_at, thawed_at = outcome[-1]
        print(f"froze PostgreSQL (process {options.freeze_parent} and its children) for {thawed_at - frozen_at:.0f} s")
        for name, answers in timed.items():
            print("before the freeze:", summary(name, answers, only=lambda moment: moment < frozen_at))
        for name, answers in timed.items():
            print("during the freeze:", summary(name, answers, only=lambda moment: frozen_at <= moment < thawed_at))
        for name, answers in timed.items():
            after = [(moment, answer) for moment, answer in answers if moment >= thawed_at]
            back = next((moment - thawed_at for moment, (status, _) in after if status == "200"), None)
            print(f"after: {name} answered 200 again {back:.2f} s after the thaw" if back is not None else "")
    else:
        for name, answers in timed.items():
            print(summary(name, answers))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["slow-clients", "probe"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--cafile")
    parser.add_argument("--article", required=True, help="path of an article page")
    parser.add_argument("--slow", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--freeze-parent", type=int, help="PostgreSQL's postmaster: frozen with its children")
    parser.add_argument("--freeze-after", type=float, default=10)
    parser.add_argument("--freeze-for", type=float, default=40)
    parser.add_argument("--clients", type=int, default=0, help="readers of the cached article meanwhile")
    parser.add_argument("--think", type=float, default=0.5, help="seconds each reader waits between pages")
    asyncio.run(main(parser.parse_args()))
