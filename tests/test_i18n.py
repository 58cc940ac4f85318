"""The translation templates match the code, and every translation file
matches its template: a string added without refreshing the .pot (README,
*Translations*) fails here, so the zh_HK coverage test sees every string."""

import subprocess
import sys

import polib
from conftest import CONF
from conftest import ROOT


def _addons_with_pot():
    return sorted(path.parent.parent.name for path in ROOT.glob("addons/*/i18n/*.pot"))


def _entries(pofile, addon):
    """``{msgid: sorted occurrences}`` of ``addon`` in ``pofile`` (the
    header's dates left out; a combined export lists every module)."""
    entries = {}
    for entry in pofile:
        modules = entry.comment.split(":", 1)[-1].replace(" ", "").split(",")
        if entry.msgid and addon in modules:
            entries[entry.msgid] = sorted(
                place
                for place in entry.occurrences
                if f"{addon}." in place[0] or f"/{addon}/" in place[0]
            )
    return entries


# One registry load for every addon (``odoo-bin i18n export`` loads one per
# call): each addon's own export, as ``i18n export <addon>`` writes it (a
# combined export shares terms between modules differently).
EXPORT = """
import sys
from odoo.tools.translate import trans_export
installed = env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
for addon in set(sys.argv[1:]) & set(installed):
    with open(f"{FOLDER}/{addon}.pot", "wb") as buffer:
        trans_export(None, [addon], buffer, "po", env)
"""


def test_pot_templates_match_the_code(odoo_bin, test_db, tmp_path):
    addons = _addons_with_pot()
    script = EXPORT.replace("{FOLDER}", str(tmp_path)).replace("sys.argv[1:]", repr(addons))
    done = subprocess.run(
        [*odoo_bin, "shell", "-c", str(CONF), "-d", test_db, "--no-http"],
        cwd=ROOT,
        input=script,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # an addon not installed in this database (the bridge, run alone) is not compared
    addons = [addon for addon in addons if (tmp_path / f"{addon}.pot").exists()]
    exported = {addon: polib.pofile(str(tmp_path / f"{addon}.pot")) for addon in addons}
    stale = []
    for addon in addons:
        committed = polib.pofile(str(ROOT / "addons" / addon / "i18n" / f"{addon}.pot"))
        now, then = _entries(exported[addon], addon), _entries(committed, addon)
        if now != then:
            new, gone = set(now) - set(then), set(then) - set(now)
            moved = [msgid for msgid in set(now) & set(then) if now[msgid] != then[msgid]]
            stale.append(
                f"{addon}: {len(new)} new, {len(gone)} gone, {len(moved)} moved, "
                f"e.g. {sorted(new | gone)[:2] + moved[:1]}"
            )
    assert not stale, "refresh the .pot templates (README, Translations):\n" + "\n".join(stale)


def test_po_files_follow_their_templates():
    done = subprocess.run(
        [sys.executable, str(ROOT / "setup" / "i18n_sync.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, "run setup/i18n_sync.py:\n" + done.stdout
