"""One guard for the numbers written to any model: finite, and in range.

JSON-RPC accepts the tokens ``NaN`` and ``Infinity``, Python's ``float()``
accepts the strings "nan" and "inf", and PostgreSQL stores both in a float
or numeric column, where ``CHECK (x >= 0)`` lets NaN through (every
comparison with NaN is false). A NaN balance then passes every later
comparison. So every ``create`` (client values, defaults from the context
or ``ir.default``, precomputed values) and every ``write`` on every model,
Odoo's included, refuses for its Integer, Float and Monetary fields:

* NaN and +/-infinity, and what is not a number at all ("abc");
* an integer outside PostgreSQL's int4 column (the database would fail);
* for the fields of our addons, and the Odoo fields our models name in
  ``_ccare_bounded_numbers`` (a loyalty balance), a magnitude above
  ``MAX_MAGNITUDE``: up to it a float still counts units exactly, and no
  sum or product of two such numbers overflows to infinity.

Pure Python on the values given, no query. Negative values are refused by
each model's own ``CHECK`` constraints (which do hold once NaN is out).
"""

import functools
import math
import os

from odoo import api
from odoo import models
from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path

NUMERIC_TYPES = frozenset({"integer", "float", "monetary"})
INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1
# 10^15 < 2^53: a float still holds every whole unit below it
MAX_MAGNITUDE = 1e15
# the addon that holds this file: every addon of ours lives beside it
_HOME = "crm_customer_care"


@functools.cache
def is_our_module(module):
    """True for the addons of this project (beside ``crm_customer_care``)."""
    home = get_module_path(_HOME, display_warning=False)
    path = module and get_module_path(module, display_warning=False)
    return bool(home and path) and os.path.dirname(path) == os.path.dirname(home)


def _as_number(field, value):
    """The number Odoo would store for ``value`` (as ``convert_to_cache``
    does), or None when it does not convert."""
    try:
        if field.type == "integer" and not isinstance(value, float):
            return int(value)
        return float(value)
    except (TypeError, ValueError, OverflowError):
        return None


class Base(models.AbstractModel):
    _inherit = "base"

    # Odoo fields of this model that our code writes, bounded as our own
    _ccare_bounded_numbers = ()

    @api.model
    def _ccare_number_problem(self, field, value):
        """Why ``value`` may not be written to ``field`` (a message), or None."""
        if value is None or value is False or isinstance(value, (bool, dict)):
            return None  # empty, or an integer inverse of a one2many
        number = _as_number(field, value)
        if number is None or (isinstance(number, float) and not math.isfinite(number)):
            return self.env._("it must be a finite number, not %(value)r.", value=value)
        low, high = None, None
        if field.type == "integer" and field.column_type == ("int4", "int4"):
            low, high = INT4_MIN, INT4_MAX
        if field.type != "integer" and (
            is_our_module(field._module) or field.name in self._ccare_bounded_numbers
        ):
            low, high = -MAX_MAGNITUDE, MAX_MAGNITUDE
        if low is not None and not low <= number <= high:
            return self.env._(
                "%(value)s is out of range (from %(low)s to %(high)s).",
                value=value,
                low=low,
                high=high,
            )
        return None

    @api.model
    def _ccare_check_numbers(self, vals_list):
        """Refuse the first non-finite or out-of-range number in ``vals_list``."""
        fields_ = self._fields
        for vals in vals_list:
            for name, value in vals.items():
                field = fields_.get(name)
                if field is None or field.type not in NUMERIC_TYPES:
                    continue
                problem = self._ccare_number_problem(field, value)
                if problem:
                    raise ValidationError(
                        self.env._(
                            "%(field)s (%(model)s): %(problem)s",
                            field=field._description_string(self.env),
                            model=self._description,
                            problem=problem,
                        )
                    )

    @api.model
    def default_get(self, fields):
        # the client's default_<field> keys, before Odoo converts them
        # (int(NaN) would fail with a bare ValueError)
        context = self.env.context

        self._ccare_check_numbers(
            [{name: context[f"default_{name}"] for name in fields if f"default_{name}" in context}]
        )
        return super().default_get(fields)

    def write(self, vals):
        self._ccare_check_numbers([vals])
        return super().write(vals)

    def _prepare_create_values(self, vals_list):
        # the values given (before the precomputed fields read them), then
        # with the defaults (the model's, ir.default's) added
        self._ccare_check_numbers(vals_list)
        result = super()._prepare_create_values(vals_list)
        self._ccare_check_numbers(result)
        return result
