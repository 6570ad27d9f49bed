"""Summarise bench/edge.sh (issue 26): the edge's hits against the Python page cache and nginx's static file, the
edge under moderation decisions (hit ratio, decision-to-visible), and the edge with every app node stopped.

Usage: python bench/edge_report.py RESULTS_DIR  (Markdown to stdout, also written to RESULTS_DIR/edge.md)
"""

import sys
from pathlib import Path
from statistics import median, quantiles

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import parse  # noqa: E402

GOALS = {"edge/python": 8.0, "edge/static": 0.5, "decisions/edge": 0.9, "hit ratio": 0.99, "visible p99": 2.0}


def rounds(folder, name):
    rows = [parse(path) for path in sorted(folder.glob(f"{name}-round*.wrk"))]
    return {"rps": median(row["rps"] for row in rows), "cpu": median(row["cpu"] for row in rows), "n": len(rows)}


def counters(path):
    return {key: int(value) for key, value in (item.split("=") for item in path.read_text().split())}


def main(folder):
    folder = Path(folder)
    names = ("edge-hit", "edge-decisions-5s", "python-hit", "static-nginx")
    edge, decisions, python, static = (rounds(folder, name) for name in names)
    down = parse(folder / "edge-app-down.wrk")
    hits = misses = fetches = grace = 0
    for before_file in folder.glob("edge-decisions-5s-round*.before"):
        before, after = counters(before_file), counters(before_file.with_suffix(".after"))
        hits += after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
        grace += after["MAIN.cache_hit_grace"] - before["MAIN.cache_hit_grace"]
        misses += after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
        fetches += after["MAIN.backend_req"] - before["MAIN.backend_req"]
    visible_decisions = parse(folder / "edge-visible.wrk")
    delays = [line for line in (folder / "edge-visible.changes.visible").read_text().split()]
    seen = sorted(float(delay) for delay in delays if delay != "None")
    p99 = quantiles(seen, n=100)[98] if len(seen) > 1 else (seen[0] if seen else float("inf"))
    results = {
        "edge/python": edge["rps"] / python["rps"],
        "edge/static": edge["rps"] / static["rps"],
        "decisions/edge": decisions["rps"] / edge["rps"],
        "hit ratio": hits / (hits + misses),
        "visible p99": p99,
    }
    lines = [
        "| row | req/s | CPU ms/req (all answering processes) | rounds |",
        "|---|---:|---:|---:|",
        f"| edge hit (Varnish) | {edge['rps']:.0f} | {edge['cpu']:.3f} | {edge['n']} |",
        f"| Python page-cache hit | {python['rps']:.0f} | {python['cpu']:.3f} | {python['n']} |",
        f"| nginx, the page as a static file | {static['rps']:.0f} | {static['cpu']:.3f} | {static['n']} |",
        f"| edge, 5 decisions/s | {decisions['rps']:.0f} | {decisions['cpu']:.3f} | {decisions['n']} |",
        f"| edge, every app node stopped | {down['rps']:.0f} | | 1 |",
        "",
        "| measure | value | goal |",
        "|---|---:|---:|",
        f"| edge hit throughput / Python hit | {results['edge/python']:.1f} × | ≥ {GOALS['edge/python']} × |",
        f"| edge hit throughput / nginx static | {results['edge/static']:.2f} × | ≥ {GOALS['edge/static']} × |",
        f"| edge with 5 decisions/s / edge alone | {results['decisions/edge']:.2f} × | ≥ {GOALS['decisions/edge']} × |",
        f"| edge hit ratio with 5 decisions/s | {results['hit ratio']:.4f} ({hits} hits, {grace} of them stale "
        f"while refreshing; {misses} misses; {fetches} fetches from the app) | ≥ {GOALS['hit ratio']} |",
        f"| decision to visible at the edge, p50 / p99 | {median(seen):.3f} s / {p99:.3f} s "
        f"({len(seen)} of {len(delays)} seen; readers meanwhile {visible_decisions['rps']:.0f} req/s) "
        f"| p99 ≤ {GOALS['visible p99']} s |",
        f"| app nodes down: answers not 200 | {down['bad']} of {down['requests']} "
        f"({100 * (1 - down['bad'] / down['requests']):.2f} % answered 200) | 100 % |",
    ]
    text = "\n".join(lines) + "\n"
    (folder / "edge.md").write_text(text)
    print(text, end="")


if __name__ == "__main__":
    main(sys.argv[1])
