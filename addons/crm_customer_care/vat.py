"""Tax ID (VAT) normalisation: the one implementation, in Python and SQL.

Two tax IDs are the same when they are equal without their separators and
case: ``be 0477.472.701`` and ``BE0477472701`` are one tax ID.

- Python: :func:`normalize_vat` (``"be 0477.472.701"`` -> ``"BE0477472701"``).
- SQL: :func:`vat_normalized_sql` of a ``vat`` column, the same rule; its
  text without a table alias, ``VAT_NORMALIZED_SQL``, is the expression of
  the index ``res_partner._ccare_vat_normalized_idx``, so a lookup
  ``vat IS NOT NULL AND <expression> = ...`` on ``res_partner`` uses it.
"""

import re

from odoo.tools import SQL

# what is dropped from a tax ID: anything but ASCII letters and digits
VAT_SEPARATORS = "[^0-9A-Za-z]"
VAT_NORMALIZED_SQL = f"upper(regexp_replace(vat, '{VAT_SEPARATORS}', '', 'g'))"
_VAT_SEPARATORS_RE = re.compile(VAT_SEPARATORS)


def normalize_vat(vat):
    """``vat`` in upper case without separators, or False when empty."""
    return _VAT_SEPARATORS_RE.sub("", vat or "").upper() or False


def vat_normalized_sql(alias=None):
    """SQL of the normalised ``vat`` column (of the table aliased ``alias``):
    ``vat_normalized_sql("o")`` is ``upper(regexp_replace("o"."vat", ...))``."""
    column = SQL.identifier(alias, "vat") if alias else SQL.identifier("vat")
    return SQL("upper(regexp_replace(%s, %s, '', 'g'))", column, VAT_SEPARATORS)
