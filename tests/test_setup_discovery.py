"""setup/test and setup/run find Odoo 19, or stop with a clear paragraph."""

import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT


def _run_setup(tmp_path, script="test", **env):
    """Run a setup script where no Odoo can be found: an empty virtualenv
    path, an empty search path and an unreachable git URL."""
    conf = tmp_path / "odoo.conf"
    conf.write_text("[options]\ndb_host = 127.0.0.1\n")
    base = {k: v for k, v in os.environ.items() if k not in {"ODOO_SRC", "VIRTUAL_ENV"}}
    base.update(
        CCARE_VENV=str(tmp_path / "venv"),
        CCARE_LOCAL=str(tmp_path / "local"),
        CCARE_CONF=str(conf),
        CCARE_ODOO_SEARCH_PATH=str(tmp_path / "nowhere"),
        CCARE_ODOO_GIT_URL=f"file://{tmp_path}/no-such-repo.git",
        CCARE_PYTHON="python3",
    )
    base.update(env)
    return subprocess.run(
        [str(ROOT / "setup" / script)], env=base, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("script", ["test", "run"])
def test_no_odoo_anywhere(tmp_path, script):
    result = _run_setup(tmp_path, script)
    assert result.returncode != 0
    message = " ".join(result.stderr.split())
    assert "no Odoo 19.0 source tree was found" in message
    # it names every way to provide one
    for way in ("ODOO_SRC=", "odoo_src =", "git clone --depth 1 --branch 19.0"):
        assert way in message, way
    assert "Nothing was created" in message
    assert not (tmp_path / "venv").exists(), "no half-created virtualenv"
    assert not (tmp_path / "local").exists(), "no half-cloned Odoo"


def test_wrong_odoo_version(tmp_path):
    old = tmp_path / "odoo-18.0"
    (old / "odoo").mkdir(parents=True)
    (old / "setup.py").write_text("")
    (old / "odoo" / "release.py").write_text("version_info = (18, 0, 0, 'final', 0, '')\n")
    result = _run_setup(tmp_path, ODOO_SRC=str(old))
    assert result.returncode != 0
    message = " ".join(result.stderr.split())
    assert f"ODOO_SRC={old} holds Odoo 18.0" in message
    assert "need Odoo 19.0" in message
    assert not (tmp_path / "venv").exists()


def test_odoo_src_not_a_tree(tmp_path):
    result = _run_setup(tmp_path, ODOO_SRC=str(tmp_path))
    assert result.returncode != 0
    assert "is not an Odoo source tree" in " ".join(result.stderr.split())


def test_found_on_the_search_path(tmp_path):
    """The discovery itself, as CI uses it: no variables, a tree on the path."""
    src = Path(os.environ.get("CCARE_ODOO_SRC", ""))
    if not (src / "odoo-bin").exists():
        pytest.fail("CCARE_ODOO_SRC must name the Odoo tree setup/test found")
    script = f'source "{ROOT}/setup/lib.sh"; ccare_find_odoo'
    env = {k: v for k, v in os.environ.items() if k != "ODOO_SRC"}
    env.update(
        CCARE_VENV=str(tmp_path / "venv"),
        CCARE_ODOO_SEARCH_PATH=f"{tmp_path}/nowhere:{src}",
        CCARE_CONF=str(tmp_path / "none.conf"),
    )
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(src.resolve())


def test_conf_names_the_odoo_tree(tmp_path):
    src = Path(os.environ["CCARE_ODOO_SRC"])
    conf = tmp_path / "odoo.conf"
    conf.write_text(f"[options]\ndb_host = 127.0.0.1\n\n[setup]\nodoo_src = {src}\n")
    script = f'source "{ROOT}/setup/lib.sh"; ccare_find_odoo'
    env = {k: v for k, v in os.environ.items() if k != "ODOO_SRC"}
    env.update(
        CCARE_VENV=str(tmp_path / "venv"),
        CCARE_ODOO_SEARCH_PATH=f"{tmp_path}/nowhere",
        CCARE_CONF=str(conf),
    )
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(src.resolve())
