from odoo import api
from odoo import models
from odoo.exceptions import UserError

from .ccare_guard import is_unlocked
from .ccare_guard import unlocked


class CrmCustomerCareWorkflowMixin(models.AbstractModel):
    """A workflow whose state moves only through its transition methods.

    ``_ccare_workflow_fields`` names the state and its companions (approver,
    dates, preparer, amounts the workflow fixes). ``create`` accepts them
    only at their default value and ``write`` refuses them, whoever calls
    (RPC, sudo, Odoo's own screens), except inside
    ``with records._ccare_transition():`` in the model's own methods, and
    while modules load their data files. ``_ccare_frozen_fields`` (optional)
    may change only while ``_ccare_is_editable()`` says so (e.g. in draft).
    """

    _name = "crm.customer.care.workflow.mixin"
    _description = "Workflow: state changes through transitions only"

    _ccare_workflow_fields = ("state",)
    _ccare_frozen_fields = ()

    @api.model
    def _ccare_workflow_key(self):
        return f"workflow:{self._name}"

    def _ccare_transition(self):
        """Context manager: the block is the model's own transition."""
        return unlocked(self._ccare_workflow_key())

    @api.model
    def _ccare_in_transition(self):
        # data and demo files load while the registry is not ready yet: the
        # server is writing, and no request can reach a registry in that state
        return is_unlocked(self._ccare_workflow_key()) or not self.pool.ready

    def _ccare_is_editable(self):
        """Records of ``self`` whose frozen fields may still change."""
        return self.filtered(lambda r: r.state == "draft")

    def _ccare_refuse(self, names):
        labels = ", ".join(
            sorted(self._fields[name]._description_string(self.env) for name in names)
        )
        raise UserError(
            self.env._(
                "%(model)s: %(fields)s change only through the document's own actions "
                "(its buttons), never by editing them.",
                model=self._description,
                fields=labels,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        guarded = set(self._ccare_workflow_fields)
        present = {name for vals in vals_list for name in guarded & vals.keys()}
        if present and not self._ccare_in_transition():
            defaults = self.default_get(list(present))
            for vals in vals_list:
                changed = {
                    name
                    for name in guarded & vals.keys()
                    if (vals[name] or False) != (defaults.get(name) or False)
                }
                if changed:
                    self._ccare_refuse(changed)
        return super().create(vals_list)

    def write(self, vals):
        if self and not self._ccare_in_transition():
            guarded = set(self._ccare_workflow_fields) & vals.keys()
            if guarded:
                self._ccare_refuse(guarded)
            frozen = set(self._ccare_frozen_fields) & vals.keys()
            if frozen and self - self._ccare_is_editable():
                self._ccare_refuse(frozen)
        return super().write(vals)
