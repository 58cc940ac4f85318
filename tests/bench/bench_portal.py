"""Our portal pages against Odoo's own, side by side in one run.

    .venv/bin/python tests/bench/bench_portal.py --db ccare_demo \
        [--login portal --password portal --clients 20 --rounds 30] \
        [--pages /my/loyalty]

Starts a threaded Odoo server (``--workers 0``, as setup/run) on the
database, logs ``--clients`` sessions in as the member, and has them fetch
every portal page of ours and Odoo's ``/my/orders`` and ``/my`` in turn,
``--rounds`` times each, concurrently on loopback. Prints p50 and p90 per
page and the p90 ratio against ``/my/orders`` (the target: at or under 1.0).
Read-only: nothing is written but sessions. ``--pages``: only these of our
pages (comma-separated), beside Odoo's, for a smaller run on a shared machine.
"""

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
ODOO_PAGES = ["/my/orders", "/my"]
OUR_PAGES = [
    "/my/loyalty",
    "/my/privacy",
    "/my/requests",
    "/my/requests/new",
    "/my/calls",
    "/my/tickets",
]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server(db, port, odoo_src):
    command = [
        sys.executable,
        str(Path(odoo_src) / "odoo-bin"),
        "-c",
        str(ROOT / "odoo.conf"),
        "-d",
        db,
        "--db-filter",
        f"^{db}$",
        "--http-port",
        str(port),
        "--http-interface",
        "127.0.0.1",
        "--workers",
        "0",
        "--max-cron-threads",
        "0",
        "--log-level",
        "warn",
    ]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/web/login", timeout=60)
            return server
        except requests.RequestException:
            time.sleep(1)
    server.kill()
    raise SystemExit("the server did not answer in two minutes")


def _session(base, login, password):
    session = requests.Session()
    page = session.get(f"{base}/web/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = session.post(
        f"{base}/web/login",
        data={"login": login, "password": password, "csrf_token": token},
        allow_redirects=False,
    )
    if answer.status_code not in (302, 303):
        raise SystemExit(f"{login} cannot log in")
    return session


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="portal")
    parser.add_argument("--password", default="portal")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--pages", default=",".join(OUR_PAGES))
    args = parser.parse_args()

    import odoo.release  # noqa: PLC0415

    odoo_src = Path(odoo.release.__file__).resolve().parents[1]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _server(args.db, port, odoo_src)
    try:
        sessions = [_session(base, args.login, args.password) for _ in range(args.clients)]
        pages = [
            page
            for page in ODOO_PAGES + args.pages.split(",")
            if sessions[0].get(base + page, allow_redirects=False).status_code == 200
        ]
        timings = {page: [] for page in pages}
        lock = threading.Lock()

        def client(session):
            for _ in range(args.rounds):
                for page in pages:
                    start = time.perf_counter()
                    response = session.get(base + page, allow_redirects=False)
                    elapsed = time.perf_counter() - start
                    if response.status_code != 200:
                        raise RuntimeError(f"{page}: HTTP {response.status_code}")
                    with lock:
                        timings[page].append(elapsed)

        for session in sessions:  # warm the caches once
            for page in pages:
                session.get(base + page)
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(client, sessions))
    finally:
        server.terminate()
        server.wait(30)

    def p90(values):
        return statistics.quantiles(values, n=10)[-1]

    reference = p90(timings["/my/orders"])
    print(f"{args.clients} clients x {args.rounds} rounds, member {args.login}, db {args.db}")
    print(f"{'page':<20} {'p50 ms':>8} {'p90 ms':>8} {'p90 / orders':>13}")
    for page in pages:
        values = timings[page]
        print(
            f"{page:<20} {statistics.median(values) * 1000:8.1f} {p90(values) * 1000:8.1f} "
            f"{p90(values) / reference:13.2f}"
        )


if __name__ == "__main__":
    main()
