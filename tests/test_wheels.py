"""Our addons install the way Odoo users install community addons: as
``odoo-addon-<name>`` wheels built by whool from each addon's
``pyproject.toml``, into a virtualenv where Odoo finds them with no
``addons_path`` entry for this repository."""

import configparser
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import Parser
from pathlib import Path

import psycopg2
from conftest import CONF
from conftest import ROOT
from conftest import _odoo_src
from conftest import log_problems
from packaging.requirements import Requirement

ADDONS = sorted(path.parent.name for path in (ROOT / "addons").glob("*/__manifest__.py"))
# all but the bridge to Email Marketing, which needs mass_mailing
INSTALLED = [addon for addon in ADDONS if addon != "crm_customer_care_mass_mailing"]

# The fresh virtualenv sees the project's (Odoo, editable, and the OCA
# wheels of setup/requirements.txt) through a .pth that adds its site dir,
# .pth files included: "beside Odoo and the OCA wheels".
BESIDE = "import site; site.addsitedir({site!r})\n"


def _admin(sql):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(sql)
    conn.close()


def _build(wheelhouse):
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["-w", str(wheelhouse)]
        + [str(ROOT / "addons" / addon) for addon in ADDONS],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    wheels = sorted(wheelhouse.glob("*.whl"))
    assert len(wheels) == len(ADDONS), wheels
    return wheels


def _requirements(wheel):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(name).decode())
    return [Requirement(text) for text in metadata.get_all("Requires-Dist") or []]


def _fresh_venv(path):
    subprocess.run([sys._base_executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "zz_beside_project.pth").write_text(
        BESIDE.format(site=sysconfig.get_paths()["purelib"])
    )
    return python, Path(site)


def test_wheels_install_and_odoo_finds_them(test_db, tmp_path):
    wheels = _build(tmp_path / "wheelhouse")
    # every dependency a wheel declares is met by Odoo, the OCA wheels or ours
    from importlib.metadata import version  # noqa: PLC0415

    ours = {f"odoo-addon-{addon}" for addon in ADDONS}
    for wheel in wheels:
        for requirement in _requirements(wheel):
            if requirement.name in ours:
                continue
            assert version(requirement.name) in requirement.specifier, (wheel.name, requirement)

    python, site = _fresh_venv(tmp_path / "venv")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site)]
        + [str(wheel) for wheel in wheels],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    conf = configparser.ConfigParser()
    conf.read(CONF)
    conf["options"].pop("addons_path")  # Odoo's own addons and site-packages only
    conf["options"]["data_dir"] = str(tmp_path / "data")
    conf_path = tmp_path / "odoo.conf"
    with conf_path.open("w") as handle:
        conf.write(handle)

    db = f"{test_db}_wheels"
    _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    try:
        install = subprocess.run(
            [
                *(str(python), str(_odoo_src() / "odoo-bin"), "-c", str(conf_path), "-d", db),
                *("-i", ",".join(INSTALLED), "--stop-after-init", "--no-http"),
            ],
            capture_output=True,
            text=True,
            timeout=1200,
            cwd=tmp_path,
        )
        output = install.stdout + install.stderr
        assert install.returncode == 0, output[-3000:]
        assert not log_problems(output), log_problems(output)
        with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                (INSTALLED,),
            )
            assert sorted(name for (name,) in cr.fetchall()) == sorted(INSTALLED)
        # found in the fresh virtualenv, not in this repository
        paths = next(line for line in output.splitlines() if "addons paths:" in line)
        assert str(site / "odoo" / "addons") in paths, paths
        assert str(ROOT / "addons") not in paths, paths
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
