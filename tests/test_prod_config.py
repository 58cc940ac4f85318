"""setup/make_prod_conf writes a production configuration from
setup/odoo.prod.conf.example: master password generated and hashed, no
database manager, every job channel of our addons given a capacity."""

import configparser
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from lxml import etree


def _our_channels():
    names = set()
    for data in sorted(ROOT.glob("addons/*/data/queue_job_data.xml")):
        for record in etree.parse(str(data)).iter("record"):
            if record.get("model") == "queue.job.channel":
                names.add("root." + record.find("field[@name='name']").text)
    return names


def test_make_prod_conf(tmp_path):
    target = tmp_path / "odoo.conf"
    env = {**os.environ, "CCARE_VENV": str(Path(sys.executable).parent.parent)}
    result = subprocess.run(
        [str(ROOT / "setup" / "make_prod_conf"), str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    password = result.stdout.split()[-1]
    assert len(password) >= 24
    assert oct(target.stat().st_mode & 0o777) == "0o600"

    conf = configparser.RawConfigParser()
    conf.read(target)
    options = conf["options"]
    assert options["list_db"] == "False"
    assert options["proxy_mode"] == "True"
    assert int(options["workers"]) >= 2 and int(options["max_cron_threads"]) >= 1
    assert "queue_job" in options["server_wide_modules"]
    assert options["dbfilter"]
    for limit in ("limit_memory_soft", "limit_memory_hard", "limit_time_cpu", "limit_time_real"):
        assert int(options[limit]) > 0, limit

    from odoo.tools.config import crypt_context  # noqa: PLC0415 (Odoo's own hash)

    stored = options["admin_passwd"]
    assert password not in target.read_text() and stored.startswith("$pbkdf2-sha512$")
    assert crypt_context.verify(password, stored)

    # one capacity per job kind: every channel our data files declare
    capacities = dict(item.split(":") for item in conf["queue_job"]["channels"].split(","))
    channels = _our_channels()
    assert len(channels) >= 10
    assert channels <= set(capacities), channels - set(capacities)
    assert all(int(capacities[c]) <= int(capacities["root"]) for c in channels)

    again = subprocess.run(
        [str(ROOT / "setup" / "make_prod_conf"), str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode != 0 and "exists" in again.stderr
