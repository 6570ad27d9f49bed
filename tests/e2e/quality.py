"""Page-quality checks shared by the browser tests: accessibility (axe-core), valid HTML (vnu), phone layout."""

import atexit
import json
import socket
import subprocess
import time
import urllib.request

from tests.e2e.tools import ARTIFACTS, AXE_JS, VNU_JAR

IMPACTS = ["minor", "moderate", "serious", "critical"]


def axe_violations(page, *, worst_allowed):
    """Run axe-core in the page and return its violations above `worst_allowed`, one readable line each.

    axe is evaluated through the DevTools protocol rather than added as a <script>, so the site's
    Content-Security-Policy (own scripts only) stays in force and cannot block the checker.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    limit = IMPACTS.index(worst_allowed)
    lines = []
    for violation in results["violations"]:
        if IMPACTS.index(violation["impact"] or "minor") <= limit:
            continue
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['impact']}: {violation['id']}: {violation['help']} [{targets}]")
    return lines


class _Checker:
    """The Nu Html Checker as a local HTTP service, started once per test process (a JVM per page cost seconds of
    CPU each). Documents go in as the request body: the checker refuses to fetch localhost URLs itself."""

    process = None
    port = None

    @classmethod
    def url(cls):
        if cls.process is None or cls.process.poll() is not None:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                cls.port = probe.getsockname()[1]
            cls.process = subprocess.Popen(
                [
                    "java",
                    "-Dnu.validator.servlet.bind-address=127.0.0.1",
                    "-cp",
                    str(VNU_JAR),
                    "nu.validator.servlet.Main",
                    str(cls.port),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            atexit.register(cls.process.terminate)
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and _check(cls.address(), "<!doctype html><title>up?</title>") is None:
                time.sleep(0.3)
        return cls.address()

    @classmethod
    def address(cls):
        return f"http://127.0.0.1:{cls.port}/?out=json"


def _check(url, html):
    """Return the checker's messages for a document, or None when it does not answer."""
    request = urllib.request.Request(  # noqa: S310 - our own checker, http on loopback
        url, data=html.encode(), headers={"Content-Type": "text/html; charset=utf-8"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310 - our own checker on loopback
            return json.loads(answer.read())["messages"]
    except (OSError, ValueError, KeyError):
        return None


def html_errors(html):
    """Return the Nu Html Checker's errors for a document, one readable line each."""
    messages = _check(_Checker.url(), html)
    if messages is None:
        return ["the Nu Html Checker did not answer"]
    return [
        f"line {message.get('lastLine', '?')}: {message['message']} «{(message.get('extract') or '').strip()}»"
        for message in messages
        if message["type"] in {"error", "non-document-error"}
    ]


def horizontal_overflow(page):
    """Return how many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def elements_past_right_edge(page):
    """Name the visible elements that end beyond the right edge of the screen.

    This catches what `horizontal_overflow` cannot: content a container clips, which a phone reader would never
    find. A row that scrolls sideways (the sections) is a way to reach it, so what it holds is not counted.
    """
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
            .filter(el => {
                for (let box = el.parentElement; box; box = box.parentElement) {
                    if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return false;
                }
                return true;
            })
            .filter(el => el.getBoundingClientRect().width > 1)
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5)
            .map(el => `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`
                 + ` ends at ${Math.round(el.getBoundingClientRect().right)}px`)"""
    )


def screenshot(page, name, *, full_page=True):
    """Save a screenshot (of the whole page, or of the window) under tests/e2e/artifacts/ for a person to look at;
    return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def header_height(page):
    """Return the height in CSS pixels of the site header (brand, search, sections, banner)."""
    return page.evaluate("() => document.querySelector('.site-header').getBoundingClientRect().height")


def grids_with_empty_cells(page):
    """Name the grids in the page whose last row is not full (a hole a reader sees as a gap)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(el => getComputedStyle(el).display === 'grid' && el.children.length)
            .map(el => {
                const columns = getComputedStyle(el).gridTemplateColumns.split(' ').length;
                const items = [...el.children].filter(child => !child.matches('.rail, [hidden]')).length;
                return {el, columns, items};
            })
            .filter(({el, columns, items}) => !el.matches('.home-top__grid, .with-rail') && items % columns)
            .map(({el, columns, items}) => `${el.className}: ${items} items in ${columns} columns`)"""
    )
