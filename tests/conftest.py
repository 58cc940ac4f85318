"""Project tests: the setup scripts, the job runner, install and uninstall.

They run after setup/test has installed the addons into a throw-away
database (CCARE_TEST_DB) with the project's virtualenv; run alone they
need the same (``CCARE_TEST_DB=<db> .venv/bin/python -m pytest tests``).
"""

import os
import re
import subprocess
import sys
from pathlib import Path

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
