"""The demo server runs queue_job's job runner; the addons uninstall cleanly."""

import os
import socket
import subprocess
import time

import psycopg2
from conftest import CONF
from conftest import ROOT
from conftest import log_problems
from conftest import run_odoo


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _query(db, sql, params=()):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


ENQUEUE = """
partners = env["res.partner"].create(
    [{"name": "Job runner check %d" % i} for i in range(5)]
)
env["crm.customer.care.chunked.job"]._enqueue_chunks(
    partners, "write", chunk_size=2, vals={"comment": "written by the job runner"}
)
env.cr.commit()
print("PARTNERS", ",".join(map(str, partners.ids)))
"""


def test_job_runner_runs_enqueued_jobs(odoo_bin, test_db):
    """Start the server as setup/run does (odoo.conf's server_wide_modules
    start the runner), queue three chunk jobs, and see them done."""
    shell = run_odoo(odoo_bin, "shell", "-d", test_db, "--no-http", stdin=ENQUEUE)
    assert shell.returncode == 0, shell.stderr[-3000:]
    ids = [int(i) for i in shell.stdout.split("PARTNERS ")[1].split()[0].split(",")]
    pending = _query(
        test_db,
        "SELECT count(*) FROM queue_job WHERE state = 'pending' AND method_name = 'write'"
        " AND model_name = 'res.partner' AND records::text LIKE %s",
        (f"%{ids[0]}%",),
    )[0][0]
    assert pending == 1, "the first chunk waits for the runner"

    port = _free_port()
    server = subprocess.Popen(
        [
            *odoo_bin,
            "-c",
            str(CONF),
            "-d",
            test_db,
            "--db-filter",
            f"^{test_db}$",
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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "ODOO_QUEUE_JOB_PORT": str(port)},
    )
    try:
        deadline = time.time() + 120
        done = 0
        while time.time() < deadline:
            done = _query(
                test_db,
                "SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND comment::text LIKE %s",
                (ids, "%written by the job runner%"),
            )[0][0]
            if done == len(ids):
                break
            time.sleep(1)
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0]
    assert "starting jobrunner thread" in output, output[-3000:]
    assert done == len(ids), output[-3000:]
    states = _query(
        test_db,
        "SELECT state, count(*) FROM queue_job WHERE method_name = 'write'"
        " AND model_name = 'res.partner' GROUP BY state",
    )
    assert dict(states).get("done") == 3, states
    assert not log_problems(output), log_problems(output)


UNINSTALL = """
modules = env["ir.module.module"].search([("name", "in", {names!r})])
modules.button_immediate_uninstall()
env.cr.commit()
"""


def _uninstall(odoo_bin, db, names):
    shell = run_odoo(odoo_bin, "shell", "-d", db, "--no-http", stdin=UNINSTALL.format(names=names))
    assert shell.returncode == 0, shell.stderr[-3000:]
    assert not log_problems(shell.stdout + shell.stderr), log_problems(shell.stderr)
    states = dict(
        _query(db, "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", (names,))
    )
    assert states == dict.fromkeys(names, "uninstalled"), states


def _tables(db, names):
    return {
        name
        for (name,) in _query(
            db, "SELECT tablename FROM pg_tables WHERE tablename = ANY(%s)", (names,)
        )
    }


BRIDGE = "crm_customer_care_mass_mailing"


def _installed(db, name):
    return bool(
        _query(
            db, "SELECT 1 FROM ir_module_module WHERE name = %s AND state = 'installed'", (name,)
        )
    )


def test_zz_our_addons_uninstall_cleanly(odoo_bin, test_db):
    """Last, on the tested database: every addon of ours goes (the mass_mailing
    bridge setup/test installed after them too), leaving Odoo, and Email
    Marketing, working."""
    ours = sorted(path.parent.name for path in (ROOT / "addons").glob("*/__manifest__.py"))
    names = [name for name in ours if _installed(test_db, name)]
    bridge = BRIDGE in names
    _uninstall(odoo_bin, test_db, names)
    assert not _tables(test_db, ["crm_customer_segment", "crm_call_policy"])
    assert not _query(test_db, "SELECT id FROM ir_ui_menu WHERE name->>'en_US' = 'Customer Care'")
    if bridge:
        assert _installed(test_db, "mass_mailing")
        assert not _query(
            test_db,
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'mailing_contact' AND column_name LIKE %s",
            ("ccare%",),
        ), "the bridge's columns are dropped"


def _query_admin(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()
