"""Summarise bench/run's wrk outputs: requests per second, p50/p99 latency, and ratios to the references.

Usage: python bench/report.py RESULTS_DIR  (reads RESULTS_DIR/*.wrk, writes a Markdown table to stdout)
"""

import re
import sys
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

# (measure, reference it is compared with, goal for the throughput ratio)
PAGES = [
    ("static", None, None),
    ("template-cache-on", None, None),
    ("static-cache-off", None, None),
    ("template", None, None),
    ("article-warm", "static", 0.8),
    ("home-warm", "static", None),
    ("article-cold", "template", 0.5),
    ("home-cold", "template", 0.4),
    ("category-p1-cold", "template", None),
    ("category-p500-cold", "template", 0.4),
    ("comment-post", "template", None),
    ("article-cold-small-db", "template-small-db", None),
    ("template-small-db", None, None),
]


def parse(path):
    text = path.read_text()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    latency = {}
    for percent, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE):
        latency[percent] = float(value) * UNITS_MS[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {
        "rps": rps,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "bad": int(bad.group(1)) if bad else 0,
        "socket": errors.group(1) if errors else "",
    }


def main(folder):
    results = {path.stem: parse(path) for path in Path(folder).glob("*.wrk")}
    print("| measure | req/s | p50 ms | p99 ms | ratio to reference | goal | non-2xx/3xx |")
    print("|---|---:|---:|---:|---|---|---:|")
    for name, reference, goal in PAGES:
        if name not in results:
            continue
        row = results[name]
        ratio = ""
        if reference and reference in results:
            ratio = f"{row['rps'] / results[reference]['rps']:.2f} × {reference}"
        verdict = ""
        if goal is not None and reference in results:
            verdict = f"≥ {goal}: {'met' if row['rps'] / results[reference]['rps'] >= goal else 'NOT met'}"
        print(
            f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | {ratio} | {verdict} | {row['bad']} |"
        )
    extras = []
    if "article-warm" in results and "static" in results:
        factor = results["article-warm"]["p99"] / results["static"]["p99"]
        verdict = "met" if factor <= 1.5 else "NOT met"
        extras.append(f"- article warm p99 / static p99 = {factor:.2f} (goal ≤ 1.5: {verdict})")
    if "article-cold" in results and "article-cold-small-db" in results:
        factor = results["article-cold"]["p50"] / results["article-cold-small-db"]["p50"]
        extras.append(
            f"- article cold p50 at the large data set / at 100 articles = {factor:.2f} "
            f"(goal ≤ 1.3: {'met' if factor <= 1.3 else 'NOT met'})"
        )
    if "category-p500-cold" in results and "category-p1-cold" in results:
        factor = results["category-p1-cold"]["rps"] / results["category-p500-cold"]["rps"]
        extras.append(f"- category page 1 throughput / page 500 throughput = {factor:.2f} (deep pagination cost)")
    print()
    print("\n".join(extras))


if __name__ == "__main__":
    main(sys.argv[1])
