#!/usr/bin/env python3
"""Take the README's screenshots (docs/*.png) from a demo database.

Each screenshot is taken as the demo user who would see that screen
(password = login, as `setup/run` prints), in headless Chromium driven
through the Chrome DevTools protocol (``websocket-client``):

    .venv/bin/python setup/screenshots.py --db ccare_demo
    .venv/bin/python setup/screenshots.py --db ccare_demo --url http://localhost:8069 \\
        --only dashboard,portal_loyalty

Without ``--url`` (or when nothing answers there) the script starts an Odoo
server on the database itself (the project's odoo.conf, a free port) and
stops it afterwards. A screen that shows an error dialog, or never shows
what it waits for, is reported and its PNG left as it was; the exit status
is then 1. Look at every PNG afterwards: a screenshot proves only that the
screen loaded.
"""

import argparse
import base64
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1400, 900
# taller screens: every chart of the dashboard
HEIGHTS = {"dashboard": 1250}
# what the web client shows while it loads
BUSY = ".o_loading_indicator, .o_blockUI, .o_spreadsheet_dashboard_action .o_loading"
ERRORS = ".o_error_dialog, .o_dialog_error, .o_notification.border-danger"


# --------------------------------------------------------------------------
# what to take: name -> (login, path, selector to wait for, steps)
# ``path`` may name records found by ``lookup``: {card}, {run}, ...
# ``steps`` are clicks (CSS selectors) done after the page shows.
def shots():
    return {
        "customers": (
            "care.manager",
            "/odoo/action-crm_customer_care.res_partner_action_customers",
            ".o_kanban_record:not(.o_kanban_ghost)",
            [],
        ),
        "qualified_leads": (
            "care.manager",
            "/odoo/action-crm_lead_qualification.crm_lead_action_qualified",
            ".o_data_row, .o_kanban_record:not(.o_kanban_ghost)",
            [],
        ),
        "dashboard": (
            "care.manager",
            "/odoo/dashboards?dashboard_id={dashboard}",
            ".o_spreadsheet_dashboard_action canvas",
            [],
        ),
        "manager_dashboard": (
            "care.manager",
            "/odoo/action-crm_customer_review.crm_customer_review_dashboard_action",
            ".o_form_view button[name=action_open_dashboard]",
            [],
        ),
        "plan_load": (
            "care.manager",
            "/odoo/action-crm_callplan.crm_call_plan_run_action/{run}",
            ".o_form_view .o_notebook",
            [".o_notebook .nav-link:contains('Load per Caller and Day')"],
        ),
        "call_calendar": (
            "care.manager",
            "/odoo/action-crm_callplan.crm_call_action?view_type=calendar",
            ".o_calendar_view .fc-event, .o_calendar_view .o_event",
            # next week: the plan's first full week
            [".o_calendar_button_next"],
        ),
        "loyalty_card": (
            # the care manager also reads the orders the history lines name
            "care.manager",
            "/odoo/action-crm_loyalty.crm_loyalty_card_action/{card}",
            ".o_form_view .o_notebook",
            [],
        ),
        "portal_loyalty": ("member.individual", "/my/loyalty", "main table", []),
        "programme_effectiveness": (
            "care.manager",
            "/odoo/action-crm_relationship_programme.crm_relationship_programme_action/{programme}",
            ".o_form_view .o_notebook",
            [".o_notebook .nav-link:contains('Effectiveness')"],
        ),
    }


def lookup(rpc):
    """Ids the paths name, read as the administrator."""

    def xmlid(name):
        module, name = name.split(".")
        rows = rpc("ir.model.data", "search_read", [[("module", "=", module), ("name", "=", name)]],
                   {"fields": ["res_id"]})  # fmt: skip
        return rows[0]["res_id"] if rows else 0

    def first(model, domain, order):
        rows = rpc(model, "search_read", [domain], {"fields": ["id"], "order": order, "limit": 1})
        return rows[0]["id"] if rows else 0

    member = xmlid("crm_loyalty.partner_member_individual")
    return {
        "dashboard": xmlid("crm_customer_care.spreadsheet_dashboard_customer_care"),
        # the latest plan run that was carried out
        "run": first("crm.call.plan.run", [("state", "=", "done")], "date_from desc, id desc"),
        # a card with points expiring soon, else the individual member's
        "card": _card_expiring(rpc)
        or first("loyalty.card", [("partner_id", "=", member)], "points desc, id"),
        # the running programme with the most participants (the demo year's)
        "programme": _largest_programme(rpc),
    }


def _card_expiring(rpc):
    soon = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    lots = rpc(
        "crm.loyalty.points.lot",
        "search_read",
        [[("remaining", ">", 0), ("expiry_date", "<=", soon)]],
        {"fields": ["card_id", "remaining"]},
    )
    points = {}
    for lot in lots:
        points[lot["card_id"][0]] = points.get(lot["card_id"][0], 0) + lot["remaining"]
    return max(points, key=lambda card: (points[card], -card)) if points else 0


def _largest_programme(rpc):
    programmes = rpc(
        "crm.relationship.programme",
        "search_read",
        [[("state", "=", "running")]],
        {"fields": ["member_count", "holdout_count"]},
    )
    programmes.sort(key=lambda p: (-(p["member_count"] + p["holdout_count"]), p["id"]))
    return programmes[0]["id"] if programmes else 0


# --------------------------------------------------------------------------
class Odoo:
    """A JSON-RPC session on the server."""

    def __init__(self, url, db, login):
        self.url, self.session = url, requests.Session()
        reply = self.session.post(
            f"{url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}},
            timeout=120,
        ).json()
        if reply.get("error") or not reply.get("result", {}).get("uid"):
            raise SystemExit(f"cannot log in as {login}: {reply.get('error') or reply}")
        self.cookie = self.session.cookies["session_id"]

    def __call__(self, model, method, args, kwargs=None):
        reply = self.session.post(
            f"{self.url}/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
            },
            timeout=120,
        ).json()
        if reply.get("error"):
            raise SystemExit(f"{model}.{method}: {reply['error']['data']['message']}")
        return reply["result"]


class Chromium:
    """Headless Chromium, one page, driven by the DevTools protocol."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="ccare-shots-")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--force-device-scale-factor=1",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                "--lang=en-GB",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            # the web client shows times in the browser's zone: the demo's
            # team is in Hong Kong, its calls at nine are at nine
            env={**os.environ, "TZ": "Asia/Hong_Kong"},
        )
        port_file = Path(self.profile) / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        page = next(
            t for t in requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
            if t["type"] == "page"
        )  # fmt: skip
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=120, suppress_origin=True
        )
        self.next_id = 0
        self.send("Page.enable")

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def js(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        return result.get("result", {}).get("value")

    def has(self, selector):
        """Whether ``selector`` matches (``:contains(text)`` as the last part)."""
        css, _sep, text = selector.partition(":contains(")
        text = text[:-1].strip("'\"") if text else ""
        return self.js(
            f"""[...document.querySelectorAll({json.dumps(css)})].some(
                   e => e.offsetParent !== null && e.textContent.includes({json.dumps(text)}))"""
        )

    def click(self, selector):
        css, _sep, text = selector.partition(":contains(")
        text = text[:-1].strip("'\"") if text else ""
        return self.js(
            f"""(() => {{ const e = [...document.querySelectorAll({json.dumps(css)})].find(
                   e => e.textContent.includes({json.dumps(text)}));
                 if (e) e.click(); return !!e; }})()"""
        )

    def wait(self, selector, timeout=90):
        """Wait until ``selector`` shows and the client is idle; False when
        an error dialog shows or the time runs out."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.has(ERRORS):
                return False
            if self.has(selector) and not self.has(BUSY) and self.idle(deadline):
                time.sleep(3)  # charts and counters animate in
                return not self.has(ERRORS)
            time.sleep(0.5)
        return False

    def idle(self, deadline, quiet=2.5):
        """Wait until the page has fetched nothing for ``quiet`` seconds (a
        spreadsheet loads its charts' data after it shows)."""
        count, since = -1, time.time()
        while time.time() < deadline:
            now = self.js("performance.getEntriesByType('resource').length")
            if now != count:
                count, since = now, time.time()
            elif time.time() - since >= quiet:
                return True
            time.sleep(0.25)
        return False

    def error_text(self):
        return self.js(
            f"""[...document.querySelectorAll({json.dumps(ERRORS)})]
                   .map(e => e.innerText.slice(0, 300)).join(' | ')"""
        )

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=30)
            shutil.rmtree(self.profile, ignore_errors=True)


# --------------------------------------------------------------------------
def answers(url):
    try:
        return requests.get(f"{url}/web/webclient/version_info", timeout=5).status_code < 500
    except requests.RequestException:
        return False


def start_server(db, odoo_bin):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(ROOT / ".local" / "logs" / "screenshots-server.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            odoo_bin,
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
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        if server.poll() is not None:
            raise SystemExit(f"the server stopped; see {log.name}")
        if answers(url):
            return server, url
        time.sleep(1)
    server.terminate()
    raise SystemExit(f"the server did not answer in 4 minutes; see {log.name}")


def take(browser, url, db, name, spec, ids, out):
    login, path, selector, steps = spec
    session = Odoo(url, db, login)
    browser.send(
        "Emulation.setDeviceMetricsOverride",
        width=WIDTH,
        height=HEIGHTS.get(name, HEIGHT),
        deviceScaleFactor=1,
        mobile=False,
    )
    browser.send("Network.clearBrowserCookies")
    browser.send("Network.setCookie", name="session_id", value=session.cookie, url=url)
    browser.send("Page.navigate", url=url + path.format(**ids))
    if not browser.wait(selector):
        return f"{name}: {browser.error_text() or 'never showed ' + selector}"
    for step in steps:
        if not browser.click(step):
            return f"{name}: nothing to click at {step}"
        time.sleep(1)
        if not browser.wait(selector, timeout=30):
            return f"{name}: {browser.error_text() or 'did not settle after ' + step}"
    png = base64.b64decode(browser.send("Page.captureScreenshot", format="png")["data"])
    (out / f"{name}.png").write_bytes(png)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a demo database (setup/run makes one)")
    parser.add_argument("--url", help="a server already serving the database")
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--only", help="comma-separated names: " + ", ".join(shots()))
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
    parser.add_argument("--odoo-bin", default=os.environ.get("ODOO_BIN"))
    args = parser.parse_args()
    chromium = shutil.which(args.chromium) or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("no chromium found: install it ('apt-get install chromium') or --chromium")
    selected = {
        name: spec
        for name, spec in shots().items()
        if not args.only or name in args.only.split(",")
    }
    server, url = None, args.url
    if not url or not answers(url):
        odoo_bin = args.odoo_bin
        if not odoo_bin:
            import odoo.release  # noqa: PLC0415

            odoo_bin = str(Path(odoo.release.__file__).resolve().parent.parent / "odoo-bin")
        (ROOT / ".local" / "logs").mkdir(parents=True, exist_ok=True)
        server, url = start_server(args.db, odoo_bin)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    problems = []
    browser = None
    try:
        ids = lookup(Odoo(url, args.db, "admin"))
        browser = Chromium(chromium)
        for name, spec in selected.items():
            started = time.time()
            problem = take(browser, url, args.db, name, spec, ids, out)
            print(f"{name}: {problem or 'ok'} ({time.time() - started:.0f} s)", flush=True)
            if problem:
                problems.append(problem)
    finally:
        if browser:
            browser.close()
        if server:
            server.terminate()
            server.wait(timeout=60)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
