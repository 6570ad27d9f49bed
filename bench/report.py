"""Summarise bench/run's outputs: requests per second, p50/p99 latency, worker CPU per request, ratios to the
references, and for the busy hour (bench/churn.sh) the hit ratio and the renders per change.

Usage: python bench/report.py RESULTS_DIR  (reads RESULTS_DIR/*.wrk and what sits beside them; Markdown to stdout)
"""

import re
import sys
from collections import Counter
from pathlib import Path
from statistics import median

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}

# (measure, reference it is compared with, goal for the throughput ratio)
PAGES = [
    ("static", None, None),
    ("static-lookup", None, None),
    ("template-cache-on", None, None),
    ("static-cache-off", None, None),
    ("template", None, None),
    ("article-warm", "static", 0.8),
    ("article-warm", "static-lookup", 0.8),
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
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    cpu_file = path.with_suffix(".cpu")
    cpu = int(cpu_file.read_text()) / requests if cpu_file.exists() and requests else None
    return {
        "requests": requests,
        "cpu": cpu,
        "rps": rps,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "bad": int(bad.group(1)) if bad else 0,
        "socket": errors.group(1) if errors else "",
    }


def main(folder):
    results = {path.stem: parse(path) for path in Path(folder).glob("*.wrk")}
    if any(name in results for name, _, _ in PAGES):
        speed_table(results)
    if "churn-none" in results:
        churn_table(Path(folder), results)


def cpu_text(row):
    return f"{row['cpu']:.2f}" if row["cpu"] is not None else ""


def speed_table(results):
    print("| measure | req/s | p50 ms | p99 ms | CPU ms/req | ratio to reference | goal | non-2xx/3xx |")
    print("|---|---:|---:|---:|---:|---|---|---:|")
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
            f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | {cpu_text(row)} | {ratio} | "
            f"{verdict} | {row['bad']} |"
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


CHURN_ROWS = [
    ("churn-none", "no changes"),
    ("churn-moderation-1s", "1 moderation decision/s"),
    ("churn-moderation-5s", "5 moderation decisions/s"),
    ("churn-editorial-10s", "an editorial save every 10 s (a story in the rotation)"),
    ("churn-editorial-newest-10s", "an editorial save every 10 s (the newest story: on every page)"),
    ("churn-recommends-50s", "50 recommends/s (written down once a minute, as the worker does)"),
    *(
        (f"churn-{kind}-round{number}", f"{label} (round {number})")
        for number in range(1, 10)
        for kind, label in (("quiet", "no changes"), ("heartbeats", "50 editors' heartbeats, each every 15 s"))
    ),
]


def churn_row(folder, name, row, warm):
    """Return the busy-hour figures of one row, from gunicorn's access log and the driver's log of changes."""
    lines = (folder / f"{name}.access").read_text().splitlines()
    # readers only (not editors' heartbeats, not the recommends sent meanwhile)
    answers = [line.split() for line in lines if line.strip() and not line.startswith(("/admin/", "/comments/"))]
    states = Counter(answer[2] for answer in answers)
    renders = Counter(answer[0] for answer in answers if answer[2] == "MISS")
    start, end = (float(line) for line in (folder / f"{name}.window").read_text().split())
    changes_file = folder / f"{name}.changes"
    changes = []
    if changes_file.exists():
        for line in changes_file.read_text().splitlines():
            moment, path = line.split()
            if start <= float(moment) <= end:
                changes.append(path)
    pages = int((folder / f"{name}.pages").read_text())
    everywhere = pages > 1
    affected = Counter() if everywhere else Counter(changes)
    excess = max(
        (count - (len(changes) if everywhere else affected[path]) for path, count in renders.items()), default=0
    )
    total = len(answers)
    return {
        "rps": row["rps"],
        "ratio": row["rps"] / warm["rps"],
        "p50": row["p50"],
        "p99": row["p99"],
        "cpu": row["cpu"],
        "hit": (states["HIT"] + states["STALE"]) / total if total else 0,
        "stale": states["STALE"] / total if total else 0,
        "renders": sum(renders.values()),
        "changes": len(changes),
        "per_change": sum(renders.values()) / len(changes) if changes else None,
        "per_page": sum(renders.values()) / (len(changes) * pages) if changes and pages else None,
        "excess": excess,
        "errors": row["bad"],
    }


def churn_table(folder, results):
    warm = results["churn-none"]
    print()
    print(
        "| while readers read 50 pages | req/s | × no-churn | p50 ms | p99 ms | CPU ms/req | hit ratio | stale | "
        "renders | changes | renders/change | renders/page changed | extra renders of one key | non-2xx/3xx |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    figures = {}
    for name, label in CHURN_ROWS:
        if name not in results:
            continue
        row = figures[name] = churn_row(folder, name, results[name], warm)
        per_change = f"{row['per_change']:.2f}" if row["per_change"] is not None else "–"
        per_page = f"{row['per_page']:.2f}" if row["per_page"] is not None else "–"
        print(
            f"| {label} | {row['rps']:.0f} | {row['ratio']:.2f} | {row['p50']:.1f} | {row['p99']:.1f} | "
            f"{cpu_text(row)} | {row['hit']:.3f} | {row['stale']:.3f} | {row['renders']} | {row['changes']} | "
            f"{per_change} | {per_page} | {max(row['excess'], 0)} | {row['errors']} |"
        )
    print()
    five = figures.get("churn-moderation-5s")
    if five:
        print(
            f"- at 5 decisions/s: throughput {five['ratio']:.2f} × no-churn (goal ≥ 0.8: "
            f"{'met' if five['ratio'] >= 0.8 else 'NOT met'}), hit ratio {five['hit']:.3f} (goal ≥ 0.97: "
            f"{'met' if five['hit'] >= 0.97 else 'NOT met'}), {five['per_change']:.2f} renders per decision "
            f"(goal ≤ 1.2: {'met' if five['per_change'] <= 1.2 else 'NOT met'})"
        )
    recommending = figures.get("churn-recommends-50s")
    if recommending:
        print(
            f"- at 50 recommends/s: readers' throughput {recommending['ratio']:.2f} × none (goal ≥ 0.95: "
            f"{'met' if recommending['ratio'] >= 0.95 else 'NOT met'}), hit ratio {recommending['hit']:.3f} "
            f"(goal ≥ 0.99: {'met' if recommending['hit'] >= 0.99 else 'NOT met'})"
        )
    rounds = {
        kind: [row for name, row in figures.items() if name.startswith(f"churn-{kind}-round")]
        for kind in ("quiet", "heartbeats")
    }
    if rounds["heartbeats"]:
        ratio = median(row["rps"] for row in rounds["heartbeats"]) / median(row["rps"] for row in rounds["quiet"])
        cpu = median(row["cpu"] for row in rounds["heartbeats"]) / median(row["cpu"] for row in rounds["quiet"])
        verdict = "met" if ratio >= 0.98 else "NOT met"
        print(
            f"- with 50 editors' heartbeats: readers' throughput {ratio:.3f} × without (medians of "
            f"{len(rounds['quiet'])} alternating rounds; goal ≥ 0.98: {verdict}), CPU per request {cpu:.3f} ×, "
            f"hit ratio {min(row['hit'] for row in rounds['heartbeats']):.3f} at worst"
        )
    if "presence-heartbeat" in results:
        beat, static = results["presence-heartbeat"], results.get("static-heartbeat-run")
        compared = f", static view {static['cpu']:.2f} in the same run" if static and static["cpu"] else ""
        print(f"- one heartbeat (at full speed): {cpu_text(beat)} CPU ms, {beat['rps']:.0f} req/s{compared}")
    for name in ("churn-editorial-10s", "churn-editorial-newest-10s"):
        row = figures.get(name)
        if row and row["per_page"] is not None:
            verdict = "met" if row["per_page"] <= 1 and row["excess"] <= 0 else "NOT met"
            print(
                f"- {dict(CHURN_ROWS)[name]}: {row['per_page']:.2f} renders per page it changed, "
                f"{max(row['excess'], 0)} extra renders of one key (goal ≤ 1 and 0: {verdict})"
            )


if __name__ == "__main__":
    main(sys.argv[1])
