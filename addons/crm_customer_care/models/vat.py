"""Tax IDs (VAT numbers) compared as one: the single rule, in Python and in
SQL, by which two tax IDs written differently are the same.

The rule: keep the letters and digits, in upper case; nothing else counts.
E.g. ``"be 0477.472.701"``, ``"BE-0477 472 701"`` and ``"BE0477472701"`` are
all ``"BE0477472701"``; ``" - "`` is no tax ID at all (``False``; ``""`` in
SQL).

``normalise_vat`` is the rule on a value (what an import line holds);
``vat_normalised_sql`` is the same rule on a column, for lookups and the
expression index of ``res.partner.vat`` (the lookup must be written with
the same expression for PostgreSQL to use the index).
"""

import re

from odoo.tools import SQL

VAT_CLEAN = re.compile(r"[^0-9A-Za-z]")
# a column, optionally of a table alias: "vat", "o.vat"
COLUMN = re.compile(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?")


def normalise_vat(value):
    """``value`` normalised by the rule, or ``False`` when nothing is left."""
    return VAT_CLEAN.sub("", value or "").upper() or False


def vat_normalised_sql(column="vat"):
    """The SQL expression of the rule over ``column`` (a column name, or
    ``alias.column``): ``upper(regexp_replace(column, '[^0-9A-Za-z]', '', 'g'))``."""
    if not COLUMN.fullmatch(column):
        raise ValueError(f"{column!r} is not a column")
    return SQL(f"upper(regexp_replace({column}, '[^0-9A-Za-z]', '', 'g'))")
