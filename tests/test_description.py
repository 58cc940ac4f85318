"""Each addon's App Store page (static/description/index.html) is in step
with its readme/ fragments: edit the fragments, then run
setup/make_description.py."""

import subprocess
import sys

from conftest import ROOT


def test_app_store_pages_follow_the_readme():
    done = subprocess.run(
        [sys.executable, str(ROOT / "setup" / "make_description.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, "run setup/make_description.py:\n" + done.stdout + done.stderr


def test_every_addon_has_its_readme_fragments():
    missing = [
        f"{addon.name}/readme/{name}"
        for addon in sorted(ROOT.glob("addons/*"))
        if (addon / "__manifest__.py").exists()
        for name in ("DESCRIPTION.md", "USAGE.md", "CONFIGURE.md")
        if not (addon / "readme" / name).exists()
    ]
    assert not missing, missing
