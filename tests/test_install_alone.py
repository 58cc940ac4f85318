"""Every addon installs with only its declared dependencies, its own tests
pass there, and it uninstalls cleanly.

The addons are discovered (every folder of ``addons/``), so an addon split
off later is checked without naming it. To fit CI's budget, one template
database holds the third-party dependencies of all our addons (with demo
data, as the tested database); each addon is then installed on a copy of
it (``CREATE DATABASE ... TEMPLATE``, seconds); the addons that depend on
``crm_customer_care`` start from a second template where the core is
installed (alone), so the core's install is paid once. ``CCARE_ALONE=<a>,<b>``
checks only those addons; ``CCARE_ALONE_TESTS=0`` installs and uninstalls
without running the addon's tests.
"""

import ast
import os
import shutil
import socket

import psycopg2
import pytest
from conftest import ROOT
from conftest import log_problems
from conftest import run_odoo

ADDONS = sorted(path.parent.name for path in (ROOT / "addons").glob("*/__manifest__.py"))
CORE = "crm_customer_care"
LATE_BRIDGES = {"crm_customer_care_mass_mailing"}
TIMEOUT = 2400


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manifest(name):
    return ast.literal_eval((ROOT / "addons" / name / "__manifest__.py").read_text())


def _ours_closure(name):
    """Our addons that installing ``name`` brings in, itself included."""
    seen, todo = set(), [name]
    while todo:
        addon = todo.pop()
        if addon in seen:
            continue
        seen.add(addon)
        todo.extend(dep for dep in _manifest(addon)["depends"] if dep in ADDONS)
    return seen


def _third_party():
    """The dependencies of our addons that are not ours, but for the bridges
    to apps Odoo does not install by default (the bridge's check installs
    its app)."""
    return sorted(
        {
            dep
            for addon in ADDONS
            if addon not in LATE_BRIDGES
            for dep in _manifest(addon)["depends"]
            if dep not in ADDONS
        }
    )


def _expected(addon, installed_apps):
    """Our addons installing ``addon`` must bring: what it declares, and the
    auto-install bridges whose dependencies are then all installed."""
    expected = _ours_closure(addon)
    for other in ADDONS:
        manifest = _manifest(other)
        if manifest.get("auto_install") and all(
            dep in expected or dep in installed_apps for dep in manifest["depends"]
        ):
            expected |= _ours_closure(other)
    return expected


def _admin(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def _query(db, sql, params=()):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _drop(db):
    _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    shutil.rmtree(ROOT / ".local" / "data" / "filestore" / db, ignore_errors=True)


def _copy(src, dst):
    """A copy of database ``src`` with its filestore."""
    _admin(f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')
    store = ROOT / ".local" / "data" / "filestore"
    if (store / src).exists():
        shutil.copytree(store / src, store / dst)


@pytest.fixture(scope="module")
def template(odoo_bin, test_db):
    db = f"{test_db}_deps"
    _drop(db)
    done = run_odoo(
        odoo_bin,
        "server",
        "-d",
        db,
        "-i",
        ",".join(_third_party()),
        "--with-demo",
        "--stop-after-init",
        "--no-http",
        "--workers",
        "0",
        "--max-cron-threads",
        "0",
        "--log-level",
        "warn",
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert not log_problems(done.stderr), log_problems(done.stderr)
    try:
        yield db
    finally:
        _drop(db)


@pytest.fixture(scope="module")
def core_template(odoo_bin, template):
    db = f"{template}_core"
    _drop(db)
    _copy(template, db)
    done = run_odoo(
        odoo_bin,
        "server",
        "-d",
        db,
        "-i",
        CORE,
        "--stop-after-init",
        "--no-http",
        "--workers",
        "0",
        "--max-cron-threads",
        "0",
        "--log-level",
        "warn",
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert not log_problems(done.stderr), log_problems(done.stderr)
    try:
        yield db
    finally:
        _drop(db)


UNINSTALL = """
modules = env["ir.module.module"].search([("name", "=", {name!r})])
modules.button_immediate_uninstall()
env.cr.commit()
"""

TABLES = """
import json
tables = sorted({
    env[m]._table for m in env.registry
    if env[m]._original_module == %r and env[m]._auto and not env[m]._abstract
})
print("TABLES " + json.dumps(tables))
"""


def _selected():
    only = os.environ.get("CCARE_ALONE")
    return [a for a in ADDONS if not only or a in only.split(",")]


@pytest.mark.parametrize("addon", _selected())
def test_addon_installs_alone_and_uninstalls(odoo_bin, test_db, template, request, addon):
    db = f"{test_db}_alone"
    _drop(db)
    start = template
    if addon != CORE and CORE in _ours_closure(addon):
        start = request.getfixturevalue("core_template")
    _copy(start, db)
    tests = os.environ.get("CCARE_ALONE_TESTS", "1") == "1"
    try:
        install = run_odoo(
            odoo_bin,
            "server",
            "-d",
            db,
            "-i",
            addon,
            *(["--test-enable", "--test-tags", f"/{addon}"] if tests else []),
            "--stop-after-init",
            "--http-port",
            str(_free_port()),
            "--http-interface",
            "127.0.0.1",
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
            "--log-level",
            "info" if tests else "warn",
            timeout=TIMEOUT,
        )
        output = install.stdout + install.stderr
        assert install.returncode == 0, output[-3000:]
        assert not log_problems(output), log_problems(output)
        if tests:
            assert " 0 failed, 0 error(s) of " in output or "odoo.tests.result" not in output, [
                line for line in output.splitlines() if "odoo.tests.result" in line
            ]
        installed = {
            name
            for (name,) in _query(
                db,
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                (ADDONS,),
            )
        }
        apps = {
            name
            for (name,) in _query(db, "SELECT name FROM ir_module_module WHERE state = 'installed'")
        }
        assert installed == _expected(addon, apps), "only the addon and what it declares"
        shell = run_odoo(odoo_bin, "shell", "-d", db, "--no-http", stdin=TABLES % addon)
        tables = [line for line in shell.stdout.splitlines() if line.startswith("TABLES ")]
        own_tables = ast.literal_eval(tables[-1][7:]) if tables else []

        shell = run_odoo(
            odoo_bin, "shell", "-d", db, "--no-http", stdin=UNINSTALL.format(name=addon)
        )
        assert shell.returncode == 0, shell.stderr[-3000:]
        assert not log_problems(shell.stdout + shell.stderr), log_problems(shell.stderr)
        state = _query(db, "SELECT state FROM ir_module_module WHERE name = %s", (addon,))
        assert state == [("uninstalled",)]
        left = _query(
            db, "SELECT tablename FROM pg_tables WHERE tablename = ANY(%s)", (own_tables,)
        )
        assert not left, f"tables left after the uninstall: {left}"
    finally:
        _drop(db)
