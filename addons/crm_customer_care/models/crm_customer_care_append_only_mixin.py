from odoo import api
from odoo import models
from odoo.exceptions import UserError

from .ccare_guard import ANONYMISE
from .ccare_guard import is_unlocked
from .ccare_guard import unlocked


class CrmCustomerCareAppendOnlyMixin(models.AbstractModel):
    """Records that are written once and never change: consents, histories,
    logs, frozen figures.

    ``write`` and ``unlink`` are refused to everyone, sudo included, except
    inside ``with records._ccare_append_only_unlocked():`` in the model's own
    server code (a consent superseded, figures recomputed before approval),
    and the anonymisation, which may erase ``_ccare_erasable_fields`` only.
    With ``_ccare_server_create_only``, ``create`` is the server's too.
    """

    _name = "crm.customer.care.append.only.mixin"
    _description = "Append-only record"

    # personal data the anonymisation may erase; nothing else ever changes
    _ccare_erasable_fields = ()
    _ccare_server_create_only = False

    @api.model
    def _ccare_append_only_key(self):
        return f"append:{self._name}"

    def _ccare_append_only_unlocked(self):
        """Context manager: the block is the server's own change."""
        return unlocked(self._ccare_append_only_key())

    @api.model
    def _ccare_append_only_message(self):
        return self.env._(
            "%(model)s is a permanent record: its entries cannot be changed and cannot be deleted.",
            model=self._description,
        )

    @api.model_create_multi
    def create(self, vals_list):
        if self._ccare_server_create_only and not is_unlocked(self._ccare_append_only_key()):
            self.check_access("create")
            raise UserError(
                self.env._(
                    "%(model)s is written by the server only; it cannot be created by hand.",
                    model=self._description,
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self or is_unlocked(self._ccare_append_only_key()):
            return super().write(vals)
        if is_unlocked(ANONYMISE) and vals.keys() <= set(self._ccare_erasable_fields):
            return super().write(vals)
        self.check_access("write")
        raise UserError(self._ccare_append_only_message())

    @api.ondelete(at_uninstall=False)
    def _unlink_except_append_only(self):
        if not is_unlocked(self._ccare_append_only_key()):
            raise UserError(self._ccare_append_only_message())
