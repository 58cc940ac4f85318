"""Bring each addon's translations in step with its .pot template.

    .venv/bin/python setup/i18n_sync.py [--check]

For every ``addons/<addon>/i18n/<addon>.pot`` and every ``<lang>.po`` beside
it: the .po gets exactly the .pot's entries (new ones untranslated, removed
ones dropped, occurrences refreshed), each keeping its translation. A msgid
whose only change is its white space (a template re-indented) keeps its
translation too. The file is written as OCA's po-pretty-format check wants it
(entries sorted by msgid, wrapped at 78 columns, a translation equal to its
msgid left empty, one final newline). ``--check`` writes nothing and exits 1
when a .po is out of step, for CI. Refresh the .pot first (README, *Translations*).
"""

import argparse
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def _key(msgid):
    return " ".join(msgid.split())


def sync(pot_path, po_path):
    """The merged .po as text."""
    pot = polib.pofile(str(pot_path), wrapwidth=78)
    old = polib.pofile(str(po_path), wrapwidth=78)
    exact = {entry.msgid: entry.msgstr for entry in old if entry.msgstr}
    loose = {_key(entry.msgid): entry.msgstr for entry in old if entry.msgstr}
    merged = polib.POFile(wrapwidth=78)
    merged.header = old.header or pot.header
    merged.metadata = dict(pot.metadata)
    for name in ("Language", "Language-Team", "Plural-Forms", "Last-Translator"):
        if old.metadata.get(name):
            merged.metadata[name] = old.metadata[name]
    for entry in sorted(pot, key=lambda entry: entry.msgid):
        translation = exact.get(entry.msgid) or loose.get(_key(entry.msgid), "")
        if translation == entry.msgid:
            translation = ""  # po-pretty-format: nothing to translate
        merged.append(
            polib.POEntry(
                msgid=entry.msgid,
                msgstr=translation,
                occurrences=entry.occurrences,
                comment=entry.comment,
                tcomment=entry.tcomment,
                flags=entry.flags,
            )
        )
    return str(merged)  # ends with one newline


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args()
    stale = []
    for pot_path in sorted(ROOT.glob("addons/*/i18n/*.pot")):
        for po_path in sorted(pot_path.parent.glob("*.po")):
            text = sync(pot_path, po_path)
            if po_path.read_text(encoding="utf-8") != text:
                stale.append(po_path.relative_to(ROOT))
                if not args.check:
                    po_path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if args.check else 'updated'}: {path}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
