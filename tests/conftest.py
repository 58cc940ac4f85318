"""Project tests: the setup scripts, the job runner, install and uninstall.

They run after setup/test has installed the addons into a throw-away
database (CCARE_TEST_DB) with the project's virtualenv; run alone they
need the same (``CCARE_TEST_DB=<db> .venv/bin/python -m pytest tests``).
"""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "odoo.conf"
LOG_PROBLEM = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+ \d+ (ERROR|CRITICAL) ", re.M)


def _odoo_src():
    src = os.environ.get("CCARE_ODOO_SRC")
    if not src:
        import odoo.release  # noqa: PLC0415 (only without setup/test)

        src = str(Path(odoo.release.__file__).resolve().parent.parent)
    return Path(src)


@pytest.fixture(scope="session")
def odoo_bin():
    return [sys.executable, str(_odoo_src() / "odoo-bin")]


@pytest.fixture(scope="session")
def test_db():
    db = os.environ.get("CCARE_TEST_DB")
    if not db:
        pytest.fail("CCARE_TEST_DB is not set: run these tests through setup/test")
    return db


def run_odoo(odoo_bin, command, *args, stdin=None, timeout=900):
    """Run ``odoo-bin <command>`` (server, shell...) from the project root
    with odoo.conf; return the completed process."""
    cmd = [*odoo_bin, command, "-c", str(CONF), *args]
    return subprocess.run(
        cmd, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=timeout
    )


def log_problems(output):
    return [line for line in output.splitlines() if LOG_PROBLEM.match(line)]


# --- databases of their own: one template of the third-party dependencies

ADDON_NAMES = sorted(path.parent.name for path in (ROOT / "addons").glob("*/__manifest__.py"))
# bridges to apps Odoo does not install by default: their own checks
# install the app
LATE_BRIDGES = {"crm_customer_care_mass_mailing"}
INSTALL_TIMEOUT = 2400


def manifest(name):
    return ast.literal_eval((ROOT / "addons" / name / "__manifest__.py").read_text())


def third_party():
    """The dependencies of our addons that are not ours (but the late
    bridges')."""
    return sorted(
        {
            dep
            for addon in ADDON_NAMES
            if addon not in LATE_BRIDGES
            for dep in manifest(addon)["depends"]
            if dep not in ADDON_NAMES
        }
    )


def admin_sql(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


def drop_db(db):
    admin_sql(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    shutil.rmtree(ROOT / ".local" / "data" / "filestore" / db, ignore_errors=True)


def copy_db(src, dst):
    """A copy of database ``src`` with its filestore (seconds: PostgreSQL
    copies the files)."""
    drop_db(dst)
    admin_sql(f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')
    store = ROOT / ".local" / "data" / "filestore"
    if (store / src).exists():
        shutil.copytree(store / src, store / dst)


def install_quietly(odoo_bin, db, modules, *options):
    """``odoo-bin -i modules`` on ``db``, no HTTP, no cron, warnings only;
    asserts it exits cleanly with no ERROR/CRITICAL line."""
    done = run_odoo(
        odoo_bin,
        "server",
        "-d",
        db,
        *options,
        "-i",
        modules,
        "--stop-after-init",
        "--no-http",
        "--workers",
        "0",
        "--max-cron-threads",
        "0",
        "--log-level",
        "warn",
        timeout=INSTALL_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert not log_problems(done.stderr), log_problems(done.stderr)
    return done


@pytest.fixture(scope="session")
def deps_template(odoo_bin, test_db):
    """A database with every third-party dependency of our addons installed
    with demo data, made once per session: the upgrade from the release and
    each addon installed alone start from copies of it, so Odoo's and OCA's
    modules are installed once, not once per check."""
    db = f"{test_db}_deps"
    drop_db(db)
    install_quietly(odoo_bin, db, ",".join(third_party()), "--with-demo")
    try:
        yield db
    finally:
        drop_db(db)
