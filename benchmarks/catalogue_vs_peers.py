"""Serving the catalogue: Guidebook against Datasette and nginx, in one run.

Builds a synthetic catalogue (2,000 programmes, about 20,000 studies by default) in a
throwaway SQLite database, serves it with gunicorn (one worker per CPU), and loads
three kinds of request at 32 concurrent clients:

1. a programme page,
2. the catalogue page, filtered and searched (``/programmes/?age_group=...&q=...``),
3. the API list with the same filter and search (``/api/programmes?...``).

Each is loaded twice: straight from gunicorn, and through Varnish running the shipped
front-cache configuration (guidebook/deploy/guidebook.vcl), as a production site would
serve it. Two pages no cache answers are loaded too: the catalogue page rendered on
every request (``Cache-Control: no-cache``, as a hard reload asks), to measure the
finder itself, and the programme page for a visitor with a session (it shows whether
the programme is on their shortlist).

Beside them, on the same machine in the same run:

- Datasette serving the equivalent of each over a copy of the same SQLite file: the
  snapshot's row page; the snapshot table filtered, searched and faceted, as HTML and
  as JSON;
- nginx serving the same programme page saved as a static file.

It prints requests per second and p50/p99 latency for each, Guidebook's ratio to
Datasette and to nginx, and whether Guidebook meets the targets: at least twice
Datasette's throughput, at least a quarter of nginx's, and p99 under 50 ms.

    .venv/bin/pip install -e '.[bench]'          # Datasette
    apt-get install -y wrk nginx varnish          # load generator, static server, cache
    .venv/bin/python benchmarks/catalogue_vs_peers.py [--programmes 2000] [--seconds 10]

A peer that is not installed is reported as missing and left out of the ratios. The
load generator is wrk. Figures depend on the machine: wrk, the servers and anything
else running share its CPUs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidebook.deploy.varnish import find_varnishd, varnishd_command, vcl_for

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CONNECTIONS = 32
TARGET_VS_DATASETTE = 2.0
# Pages no cache answers (a session, a hard reload) must still beat Datasette by this.
TARGET_UNCACHED_VS_DATASETTE = 3.0
TARGET_WORKER_RSS_MB = 150.0
MIXED_REQUESTS = 10_000
TARGET_VS_NGINX = 0.25
TARGET_P99_MS = 50.0
AGE_GROUP = "infants"
SEARCH = "anxiety"

# The catalogue query, in SQL, as Datasette is asked it: listed current snapshots with
# the age group, the search word, sorted by rating, a page of 20, with facets.
_AGE_GROUP_CLAUSE = (
    "id in (select snapshot_id from catalogue_snapshotfacet "
    f"where kind = 'age_group' and key = '{AGE_GROUP}')"
)
DATASETTE_LIST = {
    "is_current": "1",
    "listed": "1",
    "search_text__contains": SEARCH,
    "_where": _AGE_GROUP_CLAUSE,
    "_sort_desc": "rating_rank",
    "_col": ["slug", "name", "summary", "rating", "cost_rating", "unit_cost"],
    "_facet": ["rating", "cost_rating"],
    "_size": "20",
}


@dataclass(frozen=True)
class Load:
    """What wrk measured for one address."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Row:
    target: str
    server: str
    url: str
    load: Load | None
    note: str = ""
    peer_target: str = ""
    """The peers' row this one is compared with (default: the same target)."""


# --- Processes and ports -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


@contextmanager
def running(
    command: list[str], env: dict[str, str], url: str, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group until the block ends; wait for ``url``."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            try:
                wait_until_up(url)
            except RuntimeError:
                print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
                raise
            yield process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- Load ------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def measure(
    url: str,
    seconds: int,
    threads: int,
    headers: dict[str, str] | None = None,
    connections: int = CONNECTIONS,
) -> Load:
    """Run wrk against ``url`` after a short warm-up and read its summary."""
    # A long timeout, so a slow answer counts in the latency rather than as an error.
    threads = min(threads, connections)
    base = ["wrk", f"-t{threads}", f"-c{connections}", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        base += ["-H", f"{name}: {value}"]
    subprocess.run([*base, "-d2s", url], capture_output=True, check=True)
    run = subprocess.run([*base, f"-d{seconds}s", url], capture_output=True, text=True, check=True)
    out = run.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _milliseconds(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _milliseconds(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    failed = int(errors.group(1)) if errors else 0
    if socket_errors:
        failed += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Load(rate, p50, p99, failed)


# --- The catalogue -----------------------------------------------------------------------------


def build_catalogue(data_dir: Path, programmes: int, seed: int) -> float:
    """Migrate a fresh SQLite database and add the synthetic catalogue; seconds taken."""
    env = guidebook_env(data_dir)
    guidebook = str(BIN / "guidebook")
    subprocess.run([guidebook, "migrate", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run(
        [guidebook, "demo", "--synthetic", str(programmes), "--seed", str(seed)],
        env=env,
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def guidebook_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["GUIDEBOOK_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(REPO)
    return env


def typical_programme(database: Path) -> tuple[str, int]:
    """The slug and snapshot id of a listed programme with about 10 studies."""
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "select slug, id from catalogue_snapshot where is_current and listed "
            "order by abs(json_array_length(record, '$.studies') - 10), slug limit 1"
        ).fetchone()
    return str(row[0]), int(row[1])


def catalogue_size(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as connection:
        programmes = connection.execute("select count(*) from catalogue_programme").fetchone()
        studies = connection.execute("select count(*) from catalogue_study").fetchone()
    return int(programmes[0]), int(studies[0])


# --- Servers -------------------------------------------------------------------------------------


def gunicorn_command(port: int, workers: int, worker_class: str, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "guidebook.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--log-level",
        "warning",
        # As ``guidebook serve`` gives them: the first download after a publication
        # writes the open data files.
        "--timeout",
        "60",
    ]


def datasette_command(database: Path, port: int) -> list[str] | None:
    datasette = shutil.which("datasette", path=str(BIN)) or shutil.which("datasette")
    if datasette is None:
        return None
    # Immutable mode is Datasette's advice for data that does not change while served.
    # Facet suggestions are a browsing aid that costs a query per column on every
    # table page; a site serving traffic would turn them off, so they are off here.
    return [
        datasette,
        "serve",
        "-i",
        str(database),
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        "--setting",
        "suggest_facets",
        "off",
    ]


NGINX_CONFIG = """
worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    types {{ text/html html; }}
    client_body_temp_path {root}/client_body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root}/site;
        location / {{ try_files $uri $uri/index.html =404; }}
    }}
}}
"""


def nginx_command(root: Path, port: int, workers: int, page: bytes, path: str) -> list[str] | None:
    nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if nginx is None:
        return None
    folder = root / "site" / path.strip("/")
    folder.mkdir(parents=True)
    (folder / "index.html").write_bytes(page)
    config = root / "nginx.conf"
    config.write_text(NGINX_CONFIG.format(workers=workers, root=root, port=port))
    return [nginx, "-p", str(root), "-c", str(config), "-g", "daemon off;"]


def varnish_command(root: Path, port: int, ban_port: int, backend_port: int) -> list[str] | None:
    """varnishd with the shipped configuration, pointed at gunicorn (guidebook.deploy)."""
    varnishd = find_varnishd()
    if varnishd is None:
        return None
    root.mkdir(parents=True)
    config = root / "guidebook.vcl"
    config.write_text(vcl_for("127.0.0.1", backend_port), encoding="utf-8")
    listen, ban = f"127.0.0.1:{port}", f"127.0.0.1:{ban_port}"
    return varnishd_command(varnishd, config, listen, ban, root / "work")


# --- Memory ---------------------------------------------------------------------------------


def some_slugs(database: Path, count: int = 400) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "select slug from catalogue_snapshot where is_current order by slug"
        ).fetchall()
    slugs = [str(row[0]) for row in rows]
    return random.Random(7).sample(slugs, min(count, len(slugs)))


_FILTERS = [
    "",
    "age_group=infants",
    "age_group=toddlers&sort=rating",
    "q=anxiety",
    "q=parenting&age_group=primary-school",
    "rating=3&page=2",
    "sort=-cost",
]


def mixed_requests(base: str, slugs: list[str], session: str, count: int) -> list[tuple[str, str]]:
    """A day's traffic in small: (url, cookie) pairs of pages, API, PDFs and downloads."""
    pick = random.Random(11)
    requests = []
    for _ in range(count):
        slug, roll = pick.choice(slugs), pick.random()
        query = pick.choice(_FILTERS)
        if roll < 0.45:
            request = (f"{base}/programmes/{slug}/", "")
        elif roll < 0.60:
            request = (f"{base}/programmes/{slug}/", session)
        elif roll < 0.72:
            request = (f"{base}/programmes/?{query}", "")
        elif roll < 0.82:
            request = (f"{base}/api/programmes?{query}", "")
        elif roll < 0.90:
            request = (f"{base}/api/programmes/{slug}", "")
        elif roll < 0.96:
            request = (f"{base}/programmes/{slug}.json", "")
        elif roll < 0.985:
            request = (f"{base}/programmes/not-listed/?{query}", session)
        elif roll < 0.995:
            request = (f"{base}/programmes/{slug}.pdf", "")
        else:
            request = (f"{base}/downloads/" + pick.choice(["", "programmes.csv"]), "")
        requests.append(request)
    return requests


def _get(request: tuple[str, str]) -> int:
    url, cookie = request
    wanted = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(wanted, timeout=300) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def load_mixed(base: str, requests: list[tuple[str, str]], master: int) -> dict[str, Any]:
    """Send the mixed requests from 8 clients; each worker's resident memory after."""
    print(f"Memory: {len(requests):,} mixed requests (pages, API, PDFs, downloads)", flush=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(8) as clients:
        statuses = list(clients.map(_get, requests))
    failed = sum(1 for status in statuses if status >= 500)
    return {
        "requests": len(requests),
        "seconds": time.perf_counter() - started,
        "server_errors": failed,
        "worker_rss_mb": worker_rss_mb(master),
    }


# --- The run ------------------------------------------------------------------------------


def guidebook_urls(base: str, slug: str) -> dict[str, str]:
    query = urllib.parse.urlencode({"age_group": AGE_GROUP, "q": SEARCH})
    return {
        "programme page": f"{base}/programmes/{slug}/",
        "catalogue page": f"{base}/programmes/?{query}",
        "API list": f"{base}/api/programmes?{query}",
    }


def datasette_urls(base: str, database: str, snapshot_id: int) -> dict[str, str]:
    query = urllib.parse.urlencode(DATASETTE_LIST, doseq=True)
    table = f"{base}/{database}/catalogue_snapshot"
    return {
        "programme page": f"{table}/{snapshot_id}",
        "catalogue page": f"{table}?{query}",
        "API list": f"{table}.json?{query}",
    }


def load_all(server: str, urls: dict[str, str], seconds: int, threads: int) -> list[Row]:
    rows = []
    for target, url in urls.items():
        status, _ = fetch(url)
        if status != 200:
            rows.append(Row(target, server, url, None, f"answers {status}: not measured"))
            continue
        rows.append(Row(target, server, url, measure(url, seconds, threads)))
    return rows


FRONT = "Guidebook + Varnish"
NGINX = "nginx (static file)"
UNCACHED = "catalogue page, rendered"
WITH_SESSION = "programme page, session"
ALONE_SECONDS = 5


def shortlist_session(base: str, slug: str) -> str:
    """The cookie of a visitor who put the programme on their shortlist."""
    connection = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=30)
    connection.request(
        "POST",
        f"/shortlist/add/{slug}/",
        body="next=/",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Sec-Fetch-Site": "same-origin",
        },
    )
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie") or ""
    connection.close()
    if not cookie.startswith("sessionid="):
        raise RuntimeError(f"adding to the shortlist set no session cookie ({response.status})")
    return cookie.split(";", 1)[0]


def load_uncached(
    urls: dict[str, str], seconds: int, threads: int, session: str
) -> tuple[list[Row], dict[str, float]]:
    """Pages no cache answers: the catalogue page re-rendered on every request (as a
    hard reload asks), and the programme page for a visitor with a shortlist. Each is
    loaded at 32 connections, then alone (one connection) for its time per request."""
    cases = [
        (UNCACHED, "catalogue page", {"Cache-Control": "no-cache"}, "no-cache"),
        (WITH_SESSION, "programme page", {"Cookie": session}, "session cookie"),
    ]
    rows, alone = [], {}
    for target, peer, headers, note in cases:
        url = urls[peer]
        status, _ = fetch(url)
        if status != 200:
            rows.append(Row(target, "Guidebook", url, None, f"answers {status}: not measured"))
            continue
        load = measure(url, seconds, threads, headers)
        rows.append(Row(target, "Guidebook", url, load, note, peer))
        single = measure(url, ALONE_SECONDS, 1, headers, connections=1)
        alone[target] = 1000.0 / single.requests_per_second
    return rows, alone


def prepare_catalogue(args: argparse.Namespace, root: Path) -> Path:
    """The folder holding the synthetic catalogue's SQLite file, built unless reused."""
    data_dir: Path = args.catalogue or root / "guidebook"
    if (data_dir / "guidebook.sqlite3").exists():
        print(f"Reusing the catalogue in {data_dir}", flush=True)
        return data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"Building {args.programmes} synthetic programmes (seed {args.seed})...")
    seconds = build_catalogue(data_dir, args.programmes, args.seed)
    print(f"  built in {seconds:.0f} s", flush=True)
    return data_dir


@dataclass
class Extras:
    """Figures beside the table: each uncached page's time alone, and worker memory."""

    alone_ms: dict[str, float]
    memory: dict[str, Any] | None


def load_guidebook(
    args: argparse.Namespace, root: Path, data_dir: Path, slug: str, workers: int
) -> tuple[list[Row], bytes, Extras]:
    """Guidebook straight from gunicorn, then through Varnish; also the programme page."""
    port, front_port, ban_port = free_port(), free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    urls = guidebook_urls(base, slug)
    front_urls = guidebook_urls(f"http://127.0.0.1:{front_port}", slug)
    env = guidebook_env(data_dir)
    # Pages say a shared cache may keep them, and publications would clear Varnish.
    env["GUIDEBOOK_FRONT_CACHES"] = f"http://127.0.0.1:{ban_port}"
    threads = args.server_threads if args.worker_class == "gthread" else 1
    print(
        f"Guidebook: gunicorn, {workers} {args.worker_class} worker(s), {threads} thread(s)",
        flush=True,
    )
    command = gunicorn_command(port, workers, args.worker_class, threads)
    with running(command, env, urls["programme page"], root / "g.log") as gunicorn:
        _, page = fetch(urls["programme page"])
        session = shortlist_session(base, slug)
        rows = load_all("Guidebook", urls, args.seconds, args.threads)
        uncached, alone = load_uncached(urls, args.seconds, args.threads, session)
        rows += uncached
        varnish = varnish_command(root / "varnish", front_port, ban_port, port)
        if varnish is None:
            rows += [Row(t, FRONT, u, None, "not installed") for t, u in front_urls.items()]
        else:
            print("Guidebook behind Varnish: guidebook/deploy/guidebook.vcl", flush=True)
            with running(varnish, env, front_urls["programme page"], root / "v.log"):
                rows += load_all(FRONT, front_urls, args.seconds, args.threads)
        memory = None
        if args.mixed:
            slugs = some_slugs(data_dir / "guidebook.sqlite3")
            memory = load_mixed(
                base, mixed_requests(base, slugs, session, args.mixed), gunicorn.pid
            )
    return rows, page, Extras(alone, memory)


def load_datasette(
    args: argparse.Namespace, root: Path, exported: Path, snapshot_id: int
) -> list[Row]:
    port = free_port()
    datasette = datasette_command(exported, port)
    urls = datasette_urls(f"http://127.0.0.1:{port}", "catalogue", snapshot_id)
    if datasette is None:
        return [Row(t, "Datasette", u, None, "not installed") for t, u in urls.items()]
    print("Datasette: immutable mode", flush=True)
    with running(datasette, os.environ.copy(), urls["programme page"], root / "d.log"):
        return load_all("Datasette", urls, args.seconds, args.threads)


def load_nginx(
    args: argparse.Namespace, root: Path, page: bytes, slug: str, workers: int
) -> list[Row]:
    port = free_port()
    path = f"/programmes/{slug}/"
    url = f"http://127.0.0.1:{port}{path}"
    nginx = nginx_command(root / "nginx", port, workers, page, path)
    if nginx is None:
        return [Row("programme page", NGINX, url, None, "not installed")]
    print(f"nginx: {workers} worker(s), the programme page as a static file", flush=True)
    with running(nginx, os.environ.copy(), url, root / "n.log"):
        return load_all(NGINX, {"programme page": url}, args.seconds, args.threads)


def run(args: argparse.Namespace) -> tuple[list[Row], Extras]:
    workers = args.workers or os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="guidebook-bench-") as folder:
        root = Path(folder)
        # nginx started by root serves as "nobody", who must be able to read the page.
        root.chmod(0o755)
        data_dir = prepare_catalogue(args, root)
        database = data_dir / "guidebook.sqlite3"
        programmes, studies = catalogue_size(database)
        print(f"  {programmes} programmes, {studies} studies", flush=True)
        slug, snapshot_id = typical_programme(database)
        exported = root / "catalogue.db"
        with sqlite3.connect(database) as connection:
            connection.execute("vacuum into ?", (str(exported),))
        rows, page, extras = load_guidebook(args, root, data_dir, slug, workers)
        rows += load_datasette(args, root, exported, snapshot_id)
        rows += load_nginx(args, root, page, slug, workers)
    return rows, extras


# --- The table ----------------------------------------------------------------------------


def _ratio(mine: Load | None, theirs: Load | None) -> float | None:
    if mine is None or theirs is None or theirs.requests_per_second == 0:
        return None
    return mine.requests_per_second / theirs.requests_per_second


def _cell(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.{digits}f}{suffix}"


def figures_of(rows: list[Row]) -> list[dict[str, object]]:
    """Each row as plain data, with Guidebook's ratios to the peers."""
    found = {(row.server, row.target): row.load for row in rows}
    nginx = found.get((NGINX, "programme page"))
    figures: list[dict[str, object]] = []
    for row in rows:
        load, guidebook = row.load, row.server.startswith("Guidebook")
        peer_target = row.peer_target or row.target
        figures.append(
            {
                "target": row.target,
                "server": row.server,
                "url": row.url,
                **(vars(load) if load else dict.fromkeys(vars(Load(0, 0, 0, 0)))),
                "vs_datasette": _ratio(load, found.get(("Datasette", peer_target)))
                if guidebook
                else None,
                "vs_nginx": _ratio(load, nginx) if guidebook and not row.peer_target else None,
                "note": row.note,
            }
        )
    return figures


def report(figures: list[dict[str, Any]]) -> None:
    """Print the table, then the verdict on each of Guidebook's targets."""
    header = (
        f"{'target':<24} {'server':<20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'x Datasette':>12} {'x nginx':>8}"
    )
    print(f"\n{header}\n{'-' * len(header)}")
    for f in figures:
        errors = f"  ({f['errors']} errors)" if f["errors"] else ""
        print(
            f"{f['target']:<24} {f['server']:<20} {_cell(f['requests_per_second'], 0):>9} "
            f"{_cell(f['p50_ms'], 2):>8} {_cell(f['p99_ms'], 2):>8} "
            f"{_cell(f['vs_datasette'], 2, 'x'):>12} {_cell(f['vs_nginx'], 2, 'x'):>8}"
            + (f"  {f['note']}" if f["note"] else "")
            + errors
        )
    print(
        f"\nTargets for Guidebook: >= {TARGET_VS_DATASETTE:g}x Datasette, "
        f">= {TARGET_VS_NGINX:.0%} of nginx, p99 < {TARGET_P99_MS:g} ms"
    )
    print(
        f"and, for the pages no cache answers (a session, a hard reload), "
        f">= {TARGET_UNCACHED_VS_DATASETTE:g}x Datasette and p99 < {TARGET_P99_MS:g} ms"
    )
    print("(the cached rows are judged on Guidebook + Varnish; the gunicorn rows show each layer)")
    for f in figures:
        if not f["server"].startswith("Guidebook") or f["requests_per_second"] is None:
            continue
        answered = f["requests_per_second"] > 0 and not f["errors"]
        uncached = f["target"] in {UNCACHED, WITH_SESSION}
        wanted = TARGET_UNCACHED_VS_DATASETTE if uncached else TARGET_VS_DATASETTE
        checks = [
            _verdict(f["vs_datasette"], wanted, f"{wanted:g}x Datasette"),
            "p99 met" if answered and f["p99_ms"] < TARGET_P99_MS else "p99 MISSED",
        ]
        if not uncached:
            checks.insert(1, _verdict(f["vs_nginx"], TARGET_VS_NGINX, "vs nginx"))
        print(f"  {f['target']:<24} {f['server']:<20} " + ", ".join(checks))


def report_extras(extras: Extras) -> None:
    for target, ms in extras.alone_ms.items():
        print(f"  {target:<24} alone (one connection): {ms:.2f} ms a request")
    memory = extras.memory
    if memory is None:
        return
    sizes = ", ".join(f"{size:.0f} MB" for size in memory["worker_rss_mb"])
    worst = max(memory["worker_rss_mb"], default=0.0)
    verdict = "met" if worst <= TARGET_WORKER_RSS_MB else "MISSED"
    print(
        f"\nMemory after {memory['requests']:,} mixed requests in {memory['seconds']:.0f} s "
        f"({memory['server_errors']} server errors): workers {sizes}; "
        f"target <= {TARGET_WORKER_RSS_MB:g} MB each: {verdict}"
    )


def _verdict(ratio: float | None, target: float, name: str) -> str:
    if ratio is None:
        return f"{name} not measured"
    return f"{name} met" if ratio >= target else f"{name} MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programmes", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=10, help="length of each load run")
    parser.add_argument("--workers", type=int, help="gunicorn and nginx workers (default: CPUs)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class (guidebook serve: sync)"
    )
    parser.add_argument("--server-threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument(
        "--catalogue",
        type=Path,
        help="keep the built catalogue in this folder, or reuse the one already there",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument(
        "--mixed",
        type=int,
        default=MIXED_REQUESTS,
        help="mixed requests sent before reading worker memory (0: skip)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is needed as the load generator: apt-get install -y wrk", file=sys.stderr)
        return 2
    rows, extras = run(args)
    figures = figures_of(rows)
    report(figures)
    report_extras(extras)
    if args.json:
        kept = {"rows": figures, "alone_ms": extras.alone_ms, "memory": extras.memory}
        args.json.write_text(json.dumps(kept, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
