from odoo import models
from odoo.tools import SQL


class ResPartner(models.Model):
    """The permanent sales record's lead names erase what they hold on anonymised people
    (``_ccare_anonymise_hook``: sudo, set-based)."""

    _inherit = "res.partner"

    def _ccare_anonymise_hook(self):
        erased = super()._ccare_anonymise_hook()
        History = self.env["crm.lead.stage.history"]
        History.flush_model(["lead_name"])
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead_stage_history h SET lead_name = %s FROM crm_lead l"
                " WHERE l.id = h.lead_id AND l.partner_id = ANY(%s)",
                self.env._("Anonymised lead"),
                self.ids,
            )
        )
        History.invalidate_model(["lead_name"])
        return [*erased, "lead names of the sales record"]
