"""Every addon installs with only its declared dependencies, its own tests
pass there, and it uninstalls cleanly.

The addons are discovered (every folder of ``addons/``), so an addon split
off later is checked without naming it. To fit CI's budget, each addon is
installed on a copy (``CREATE DATABASE ... TEMPLATE``, seconds) of a
template where what it depends on is already installed:

- the session's template of the third-party dependencies (with demo data,
  as the tested database, ``conftest.deps_template``);
- for an addon that depends on others of ours, a template with exactly
  those installed, made once for every addon with the same dependencies
  (the call plan's or the loyalty's family share theirs), itself from the
  largest template made so far that it contains.

So each of our addons is installed about twice in all, not once per addon
that depends on it. ``CCARE_ALONE=<a>,<b>`` checks only those addons;
``CCARE_ALONE_TESTS=0`` installs and uninstalls without running the
addon's tests.
"""

import json
import os
import socket

import psycopg2
import pytest
from conftest import ADDON_NAMES as ADDONS
from conftest import INSTALL_TIMEOUT
from conftest import copy_db
from conftest import drop_db
from conftest import install_quietly
from conftest import log_problems
from conftest import manifest
from conftest import run_odoo


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ours_closure(name):
    """Our addons that installing ``name`` brings in, itself included."""
    seen, todo = set(), [name]
    while todo:
        addon = todo.pop()
        if addon in seen:
            continue
        seen.add(addon)
        todo.extend(dep for dep in manifest(addon)["depends"] if dep in ADDONS)
    return seen


def _expected(addon, installed_apps):
    """Our addons installing ``addon`` must bring: what it declares, and the
    auto-install bridges whose dependencies are then all installed."""
    expected = _ours_closure(addon)
    for other in ADDONS:
        other_manifest = manifest(other)
        if other_manifest.get("auto_install") and all(
            dep in expected or dep in installed_apps for dep in other_manifest["depends"]
        ):
            expected |= _ours_closure(other)
    return expected


def _query(db, sql, params=()):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _installed_ours(db):
    return frozenset(
        name
        for (name,) in _query(
            db,
            "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
            (ADDONS,),
        )
    )


class Templates:
    """Templates by the set of our addons installed in them, made on demand
    from the largest one they contain; dropped at the end of the module."""

    def __init__(self, odoo_bin, base):
        self.odoo_bin = odoo_bin
        self.base = base
        self.made = {frozenset(): base}
        self.created = []  # dropped at the end, even one whose install failed

    def for_dependencies(self, ours):
        ours = frozenset(ours)
        if ours not in self.made:
            start = max((s for s in self.made if s <= ours), key=len)
            db = f"{self.base}_t{len(self.created)}"
            self.created.append(db)
            copy_db(self.made[start], db)
            install_quietly(self.odoo_bin, db, ",".join(sorted(ours - start)))
            # auto-install bridges may have come too: keyed by what is there
            self.made[ours] = db
            self.made.setdefault(_installed_ours(db), db)
        return self.made[ours]

    def drop(self):
        for db in self.created:
            drop_db(db)


@pytest.fixture(scope="module")
def templates(odoo_bin, deps_template):
    made = Templates(odoo_bin, deps_template)
    try:
        yield made
    finally:
        made.drop()


# Prints the tables of the addon's own models and the modules installed
# (ours, all), then uninstalls it.
TABLES_THEN_UNINSTALL = """
import json
tables = sorted({{
    env[m]._table for m in env.registry
    if env[m]._original_module == {name!r} and env[m]._auto and not env[m]._abstract
}})
print("TABLES " + json.dumps(tables))
apps = env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
print("INSTALLED " + json.dumps([[a for a in apps if a in {ours!r}], apps]))
env["ir.module.module"].search([("name", "=", {name!r})]).button_immediate_uninstall()
env.cr.commit()
"""
# Without its tests, the install too is done in the same shell, as the Apps
# screen does it (one Odoo start per addon, not two).
INSTALL_THEN = """
env["ir.module.module"].search([("name", "=", {name!r})]).button_immediate_install()
env.cr.commit()
"""


def _selected():
    only = os.environ.get("CCARE_ALONE")
    return [a for a in ADDONS if not only or a in only.split(",")]


def _install(odoo_bin, db, addon, tests):
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
        timeout=INSTALL_TIMEOUT,
    )
    output = install.stdout + install.stderr
    assert install.returncode == 0, output[-3000:]
    assert not log_problems(output), log_problems(output)
    if tests:
        assert " 0 failed, 0 error(s) of " in output or "odoo.tests.result" not in output, [
            line for line in output.splitlines() if "odoo.tests.result" in line
        ]


@pytest.mark.parametrize("addon", _selected())
def test_addon_installs_alone_and_uninstalls(odoo_bin, test_db, templates, addon):
    db = f"{test_db}_alone"
    copy_db(templates.for_dependencies(_ours_closure(addon) - {addon}), db)
    tests = os.environ.get("CCARE_ALONE_TESTS", "1") == "1"
    try:
        script = TABLES_THEN_UNINSTALL.format(name=addon, ours=ADDONS)
        if tests:
            _install(odoo_bin, db, addon, tests)
        else:
            script = INSTALL_THEN.format(name=addon) + script
        shell = run_odoo(odoo_bin, "shell", "-d", db, "--no-http", stdin=script)
        assert shell.returncode == 0, shell.stderr[-3000:]
        assert not log_problems(shell.stdout + shell.stderr), log_problems(shell.stderr)
        installed = [line for line in shell.stdout.splitlines() if line.startswith("INSTALLED ")]
        assert installed, shell.stdout[-3000:]
        ours, apps = json.loads(installed[-1][10:])
        assert set(ours) == _expected(addon, set(apps)), "only the addon and what it declares"
        tables = [line for line in shell.stdout.splitlines() if line.startswith("TABLES ")]
        assert tables, shell.stdout[-3000:]
        own_tables = json.loads(tables[-1][7:])
        state = _query(db, "SELECT state FROM ir_module_module WHERE name = %s", (addon,))
        assert state == [("uninstalled",)]
        left = _query(
            db, "SELECT tablename FROM pg_tables WHERE tablename = ANY(%s)", (own_tables,)
        )
        assert not left, f"tables left after the uninstall: {left}"
    finally:
        drop_db(db)
