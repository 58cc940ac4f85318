"""The addons scale out: prefork workers with queue_job's runner, and two
servers on one database, with real servers on the installed test database.

Jobs are queued from ``odoo-bin shell`` (committed), then a server started
as in production runs them; the tests read the outcome in PostgreSQL.
"""

import os
import subprocess
import time

import psycopg2
import requests
from conftest import CONF
from conftest import ROOT
from conftest import log_problems
from conftest import run_odoo
from test_server import _free_port

# generous for a loaded machine; on an idle one the tests take seconds
JOB_TIMEOUT = 180


def _query(db, sql, params=()):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _last_job_id(db):
    return _query(db, "SELECT coalesce(max(id), 0) FROM queue_job")[0][0]


def _shell(odoo_bin, db, code):
    shell = run_odoo(odoo_bin, "shell", "-d", db, "--no-http", stdin=code)
    assert shell.returncode == 0, shell.stderr[-3000:]
    assert not log_problems(shell.stdout + shell.stderr), log_problems(shell.stderr)
    return shell.stdout


def _start_server(odoo_bin, db, port, *args, runner_port=None, channels=None):
    env = {**os.environ, "ODOO_QUEUE_JOB_PORT": str(runner_port or port)}
    if channels:
        env["ODOO_QUEUE_JOB_CHANNELS"] = channels
    return subprocess.Popen(
        [
            *odoo_bin,
            "-c",
            str(CONF),
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--http-port",
            str(port),
            "--http-interface",
            "127.0.0.1",
            "--max-cron-threads",
            "0",
            *args,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def _stop(server):
    server.terminate()
    try:
        return server.communicate(timeout=60)[0]
    except subprocess.TimeoutExpired:
        server.kill()
        return server.communicate()[0]


def _wait_jobs(db, first_id, count, timeout=JOB_TIMEOUT):
    """Wait until the ``count`` jobs after id ``first_id`` are done; their
    states by count."""
    deadline = time.time() + timeout
    while True:
        rows = _query(
            db, "SELECT state, count(*) FROM queue_job WHERE id > %s GROUP BY state", (first_id,)
        )
        states = dict(rows)
        if states.get("done", 0) >= count or time.time() > deadline:
            return states
        time.sleep(0.5)


def _wait_http(port, timeout=JOB_TIMEOUT):
    """Wait until the server answers with its registry loaded (the login
    page needs it)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/web/login", timeout=timeout).ok:
                return True
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    return False


def _login(port, db, login, password):
    session = requests.Session()
    response = session.post(
        f"http://127.0.0.1:{port}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
        timeout=30,
    )
    assert response.ok and response.json().get("result", {}).get("uid"), response.text[:500]
    return session


def _call_kw(session, port, model, method, args, kwargs=None):
    response = session.post(
        f"http://127.0.0.1:{port}/web/dataset/call_kw/{model}/{method}",
        json={
            "jsonrpc": "2.0",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        },
        timeout=30,
    )
    assert response.ok, response.text[:500]
    body = response.json()
    assert "error" not in body, body["error"]
    return body["result"]


ENQUEUE_REAL = """
helper = env["crm.customer.care.chunked.job"]
partners = env["res.partner"].search([("parent_id", "=", False)], limit=30, order="id")
leads = env["crm.lead"].search([], limit=20, order="id")
print("CHUNKS", helper._enqueue_chunks(partners, "_ccare_assign_segments", chunk_size=10,
                                      cause="change")
      + helper._enqueue_chunks(leads, "_ccare_qualify", chunk_size=10))
env.cr.commit()
"""


def test_prefork_runs_queued_jobs_and_answers(odoo_bin, test_db):
    """``--workers=2`` with queue_job's runner (its own process): five real
    chunk jobs (segment assignment, lead requalification) are all done, each
    run by a worker process in its kind's channel, while a portal page and a
    backend JSON-RPC call answer."""
    first = _last_job_id(test_db)
    out = _shell(odoo_bin, test_db, ENQUEUE_REAL)
    assert "CHUNKS 5" in out, out[-2000:]
    assert _query(test_db, "SELECT count(*) FROM queue_job WHERE id > %s", (first,))[0][0] == 5

    port = _free_port()
    started = time.time()
    server = _start_server(
        odoo_bin, test_db, port, "--workers", "2", "--gevent-port", str(_free_port())
    )
    try:
        assert _wait_http(port), "the prefork server did not answer"
        states = _wait_jobs(test_db, first, 5)
        elapsed = time.time() - started

        portal = _login(port, test_db, "portal", "portal")
        page = portal.get(f"http://127.0.0.1:{port}/my/loyalty", timeout=30)
        assert page.status_code == 200 and "Loyalty" in page.text, page.text[:500]

        admin = _login(port, test_db, "admin", "admin")
        count = _call_kw(admin, port, "res.partner", "search_count", [[]])
        sql_count = _query(test_db, "SELECT count(*) FROM res_partner WHERE active")[0][0]
    finally:
        output = _stop(server)
    assert states == {"done": 5}, (states, output[-3000:])
    assert count == sql_count
    assert "WorkerJobRunner" in output or "queue job runner ready" in output, output[-3000:]
    runs = _query(
        test_db,
        "SELECT method_name, channel, worker_pid FROM queue_job WHERE id > %s ORDER BY id",
        (first,),
    )
    assert [(m, c) for m, c, _pid in runs] == [
        ("_ccare_assign_segments", "root.segments"),
    ] * 3 + [("_ccare_qualify", "root.rescoring")] * 2
    # run by forked HTTP workers, not by the server's main process
    assert server.pid not in {pid for _m, _c, pid in runs}
    assert not log_problems(output), log_problems(output)
    print(f"prefork: 5 jobs done {elapsed:.1f} s after the server start")


ENQUEUE_APPEND = """
partners = env["res.partner"].create(
    [{"name": "Two-server check %d" % i} for i in range(8)]
)
env["crm.customer.care.chunked.job"]._enqueue_chunks(
    partners, "message_post", chunk_size=1, body="two-server job ran"
)
env.cr.commit()
print("PARTNERS", ",".join(map(str, partners.ids)))
"""


def test_two_servers_run_each_job_exactly_once(odoo_bin, test_db):
    """Two servers on one database, both with queue_job's runner enabled and
    each sending its jobs to the other (as a load balancer would): one wins
    the runner election (PostgreSQL advisory lock), the other stands by, and
    each of 8 jobs appends exactly one message: 8 messages, not 16. Every
    job is dispatched by the one master, so all run on the server it sends
    them to. (The standby takes over when the master stops: it may log
    "ready" during the shutdown, which is the point of having one.)"""
    port_a, port_b = _free_port(), _free_port()
    server_a = _start_server(odoo_bin, test_db, port_a, "--workers", "0", runner_port=port_b)
    server_b = _start_server(odoo_bin, test_db, port_b, "--workers", "0", runner_port=port_a)
    try:
        assert _wait_http(port_a) and _wait_http(port_b), "the servers did not answer"
        first = _last_job_id(test_db)
        out = _shell(odoo_bin, test_db, ENQUEUE_APPEND)
        ids = [int(i) for i in out.split("PARTNERS ")[1].split()[0].split(",")]
        states = _wait_jobs(test_db, first, 8)
        # leave a duplicate run the time to happen
        time.sleep(3)
        messages = dict(
            _query(
                test_db,
                "SELECT res_id, count(*) FROM mail_message WHERE model = 'res.partner'"
                " AND res_id = ANY(%s) AND body::text LIKE %s GROUP BY res_id",
                (ids, "%two-server job ran%"),
            )
        )
        performers = {
            pid
            for (pid,) in _query(
                test_db, "SELECT DISTINCT worker_pid FROM queue_job WHERE id > %s", (first,)
            )
        }
    finally:
        # both at once: the standby would otherwise take over while the
        # master shuts down
        server_a.terminate()
        server_b.terminate()
        output_a, output_b = _stop(server_a), _stop(server_b)
    assert states == {"done": 8}, (states, output_a[-2000:], output_b[-2000:])
    assert messages == dict.fromkeys(ids, 1)
    assert len(performers) == 1 and performers <= {server_a.pid, server_b.pid}, (
        "one master dispatched every job",
        performers,
        (server_a.pid, server_b.pid),
    )
    ready = f"queue job runner ready for db {test_db}"
    assert ready in output_a or ready in output_b, "a runner became master"
    assert not log_problems(output_a + output_b), log_problems(output_a + output_b)
