"""Cold renders side by side (issue 27): Newsportal's story, home and section pages rendered from the database,
beside Wagtail's bakerydemo on the same machine, in interleaved rounds (A B C … A B C …), each subject served by
gunicorn with 2 sync workers and measured with wrk. Beside requests per second it reports what each request cost
in CPU: the subject's workers (utime + stime from /proc, before and after) and its database server (the PostgreSQL
backends serving its database; Redis for the cached pages), so a page that moves work into SQL is not flattered.

Run through bench/run (`SCENARIOS=cold`), which exports the production environment and fills the database:

    WAGTAIL_DIR=/path/to/bakerydemo SCENARIOS=cold bench/run

WAGTAIL_DIR: a bakerydemo prepared with ../shared/anchors/wag_setup.sh (its own .venv, database perf_wagtail);
without it Newsportal is measured alone. The subjects:

- `*-cold`: the page cache off (PAGE_CACHE_SECONDS=0): every request renders everything;
- `article-miss`: the page cache on, each request a different story (the long tail: crawlers, old links), so
  every page is rendered but the parts all pages share are reused, as in production;
- `article-warm`: the page cache on, one story: a hit.

Then the same cold story again with a week of Most read counts in the table (`--week-of-reads`), to show its cost
does not grow with traffic history.
"""

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
PG = "postgres://postgres@127.0.0.1:5432"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ticks(pid):
    """CPU ticks (user + system) a process has used, or None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(fields[11]) + int(fields[12])


def children(pid):
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(child) for child in found.stdout.split()]


def backends(database):
    """The PostgreSQL server processes serving `database` (persistent connections: CONN_MAX_AGE)."""
    found = subprocess.run(
        ["psql", f"{PG}/postgres", "-AtF", " ", "-c", "SELECT pid, datname FROM pg_stat_activity"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = (line.split(" ", 1) for line in found.stdout.splitlines())
    return [int(pid) for pid, name in rows if name == database]


def redis_server():
    info = subprocess.run(["redis-cli", "info", "server"], capture_output=True, text=True, check=True).stdout
    return [int(re.search(r"process_id:(\d+)", info).group(1))]


def cpu_snapshot(pids):
    return {pid: value for pid in pids if (value := ticks(pid)) is not None}


def cpu_ms_between(before, after):
    return sum(value - before.get(pid, 0) for pid, value in after.items()) * 1000 / TICKS


@dataclass
class Server:
    """One gunicorn serving a subject; stopped at the end."""

    name: str
    command: list
    env: dict
    cwd: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path, log_dir):
        log = open(log_dir / f"cold-{self.name}.log", "w")  # noqa: SIM115 - gunicorn writes it until stopped
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [*self.command, "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--worker-class", "sync"],
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(150):
            if subprocess.run(["curl", "-fs", "-o", "/dev/null", self.base + ready_path], check=False).returncode == 0:
                return self
            time.sleep(0.2)
        sys.exit(f"{self.name} did not start: see its log")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)


@dataclass
class Subject:
    name: str
    server: Server
    path: str
    database: tuple  # ("pg", name) or ("redis",)
    rotations: list = None  # per round, paths requested in turn (bench/read_articles.lua), none of them twice
    results: list = field(default_factory=list)

    def database_pids(self):
        return backends(self.database[1]) if self.database[0] == "pg" else redis_server()


def run_wrk(subject, duration, connections):
    url = subject.server.base + subject.path
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency", url]
    if subject.rotations:
        command[5:5] = ["-s", str(ROOT / "bench" / "read_articles.lua")]
        command += ["--", *subject.rotations[len(subject.results)]]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def milliseconds(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def measure(subject, duration, connections):
    subprocess.run(["curl", "-fsS", "-o", "/dev/null", subject.server.base + subject.path], check=True)
    app_pids = children(subject.server.process.pid)
    app_before, db_before = cpu_snapshot(app_pids), cpu_snapshot(subject.database_pids())
    output = run_wrk(subject, duration, connections)
    app_after, db_after = cpu_snapshot(app_pids), cpu_snapshot(subject.database_pids())
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    subject.results.append(
        {
            "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": milliseconds(re.search(r"^\s*50%\s+(\S+)", output, re.MULTILINE).group(1)),
            "p99": milliseconds(re.search(r"^\s*99%\s+(\S+)", output, re.MULTILINE).group(1)),
            "app_ms": cpu_ms_between(app_before, app_after) / requests,
            "db_ms": cpu_ms_between(db_before, db_after) / requests,
            "errors": int(errors.group(1)) if errors else 0,
        }
    )
    last = subject.results[-1]
    print(
        f"  {subject.name:<34} {last['requests_per_second']:8.1f} req/s  app {last['app_ms']:6.2f} ms  "
        f"db {last['db_ms']:5.2f} ms  non-2xx {last['errors']}",
        flush=True,
    )


def rounds(subjects, count, duration, connections):
    for number in range(1, count + 1):
        print(f"== round {number} of {count}", flush=True)
        for subject in subjects:
            measure(subject, duration, connections)


def median(subject, key):
    return statistics.median(result[key] for result in subject.results)


def page_bytes(subject):
    """The page's size; for a rotation, the median of its first twenty pages."""
    paths = subject.rotations[0][:20] if subject.rotations else [subject.path]
    sizes = [
        len(subprocess.run(["curl", "-fsS", subject.server.base + path], capture_output=True, check=True).stdout)
        for path in paths
    ]
    return int(statistics.median(sizes))


def table(subjects, compared_with):
    """A Markdown table of the medians; `compared_with`: {subject name: the Wagtail subject it is set beside}."""
    lines = [
        "| subject | app CPU ms/req | DB CPU ms/req | app + DB | × Wagtail's (app + DB) | req/s | p50 ms | p99 ms "
        "| bytes | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    by_name = {subject.name: subject for subject in subjects}
    for subject in subjects:
        app, db = median(subject, "app_ms"), median(subject, "db_ms")
        anchor = by_name.get(compared_with.get(subject.name))
        ratio = ""
        if anchor is not None:
            ratio = f"{(app + db) / (median(anchor, 'app_ms') + median(anchor, 'db_ms')):.2f}"
        lines.append(
            f"| {subject.name} | {app:.2f} | {db:.2f} | {app + db:.2f} | {ratio} "
            f"| {median(subject, 'requests_per_second'):.0f} | {median(subject, 'p50'):.1f} "
            f"| {median(subject, 'p99'):.1f} | {page_bytes(subject):,} "
            f"| {sum(result['errors'] for result in subject.results)} |"
        )
    return "\n".join(lines)


def manage(*arguments):
    return subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def fill_a_week_of_reads(database):
    """Most read's table as a week of traffic leaves it: 300 stories × 1,008 ten-minute windows."""
    sql = """
        DELETE FROM articles_readcount;
        INSERT INTO articles_readcount (article_id, window_start, views)
        SELECT story.id, to_timestamp(floor(extract(epoch FROM now()) / 600) * 600 - window_number * 600),
               1 + (story.id * 7 + window_number * 13) % 50
        FROM (SELECT id FROM articles_article WHERE status = 'published' ORDER BY published_at DESC LIMIT 300) story,
             generate_series(1, 1008) window_number;
        ANALYZE articles_readcount;
    """
    subprocess.run(["psql", f"{PG}/{database}", "-qc", sql], check=True)
    rank_the_stories()


def rank_the_stories():
    """What the worker does when a counting window closes: Most read's order worked out once and kept."""
    manage("shell", "-v0", "-c", "from articles import popularity; popularity.rank()")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--wagtail", help="a bakerydemo prepared with ../shared/anchors/wag_setup.sh")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", default="10s")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()

    gunicorn = [str(ROOT / ".venv/bin/gunicorn"), "newsportal.wsgi", "--log-level", "warning"]
    np_env = dict(os.environ, DATABASE_URL=f"{PG}/{options.database}")
    cold = Server("newsportal-cold", gunicorn, dict(np_env, PAGE_CACHE_SECONDS="0"), ROOT)
    cached = Server("newsportal-cached", gunicorn, dict(np_env, PAGE_CACHE_SECONDS="600"), ROOT)
    servers = [cold, cached]
    query = (
        "from articles.models import Article as A; s = A.objects.live(); "
        "print(s.first().get_absolute_url()); print(s.first().category.get_absolute_url()); "
        "[print(a.get_absolute_url()) for a in s.select_related('category').order_by('pk')]"
    )
    story, section, *archive = manage("shell", "-v0", "-c", query).splitlines()
    archive.remove(story)  # rendered already, by the other subjects
    # Stories from all over the archive, a different share each round: each one rendered once, never a hit.
    long_tail = [archive[number :: options.rounds][:6000] for number in range(options.rounds)]
    np_db = ("pg", options.database)
    subjects = [
        Subject("newsportal article, cold", cold, story, np_db),
        Subject("newsportal home, cold", cold, "/", np_db),
        Subject("newsportal section, cold", cold, section, np_db),
        Subject("newsportal article, miss (long tail)", cached, long_tail[0][0], np_db, rotations=long_tail),
        Subject("newsportal article, warm hit", cached, story, ("redis",)),
    ]
    compared_with = {}
    if options.wagtail:
        bakery = Path(options.wagtail).resolve()
        wagtail_env = {
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "bakerydemo.settings.perf",
            "DJANGO_SECRET_KEY": "bench-wagtail-secret",
            "DATABASE_URL": f"{PG}/perf_wagtail",
        }
        wagtail_command = [str(bakery / ".venv/bin/gunicorn"), "bakerydemo.wsgi", "--log-level", "warning"]
        wagtail = Server("wagtail", wagtail_command, wagtail_env, bakery)
        wagtail_cached = Server(
            "wagtail-cache",
            wagtail_command,
            dict(wagtail_env, PERF_CACHE_MW="1", PERF_REDIS=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")),
            bakery,
        )
        servers += [wagtail, wagtail_cached]
        wagtail_db = ("pg", "perf_wagtail")
        subjects += [
            Subject("wagtail blog page, no cache", wagtail, "/blog/wild-yeast/", wagtail_db),
            Subject("wagtail home, no cache", wagtail, "/", wagtail_db),
            Subject("wagtail blog index, no cache", wagtail, "/blog/", wagtail_db),
            Subject("wagtail blog page, cache middleware", wagtail_cached, "/blog/wild-yeast/", ("redis",)),
        ]
        compared_with = {
            "newsportal article, cold": "wagtail blog page, no cache",
            "newsportal home, cold": "wagtail home, no cache",
            "newsportal section, cold": "wagtail blog index, no cache",
            "newsportal article, miss (long tail)": "wagtail blog page, no cache",
            "newsportal article, warm hit": "wagtail blog page, cache middleware",
        }
    try:
        for server in servers:
            server.start("/healthz" if server in (cold, cached) else "/", options.out.parent)
        subprocess.run(["psql", f"{PG}/{options.database}", "-qc", "DELETE FROM articles_readcount"], check=True)
        rank_the_stories()
        rounds(subjects, options.rounds, options.duration, options.connections)
        report = table(subjects, compared_with)
        print("== a week of read counts in Most read's table", flush=True)
        fill_a_week_of_reads(options.database)
        week = [
            Subject(f"{subject.name}, a week of reads", subject.server, subject.path, subject.database)
            for subject in subjects[:2]
        ]
        rounds(week, options.rounds, options.duration, options.connections)
        report += "\n" + "\n".join(table(week, {}).splitlines()[2:])
    finally:
        for server in servers:
            server.stop()
    options.out.write_text(report + "\n")
    print(report)
    options.out.with_suffix(".json").write_text(
        json.dumps({subject.name: subject.results for subject in subjects + week}, indent=1)
    )


if __name__ == "__main__":
    main()
