from odoo import fields
from odoo import models


class CrmAccountServiceRequestClosure(models.TransientModel):
    """Asks a privacy officer why a statutory request is cancelled or
    refused; the request's own methods check who may and keep the reason."""

    _name = "crm.account.service.request.closure"
    _description = "Cancel or Refuse a Statutory Request"

    request_ids = fields.Many2many(
        "crm.account.service.request",
        "crm_asr_closure_request_rel",
        "closure_id",
        "request_id",
        string="Requests",
        required=True,
        default=lambda self: self.env.context.get("active_ids"),
    )
    closure = fields.Selection(
        [("cancelled", "Cancel"), ("rejected", "Refuse")], required=True, default="cancelled"
    )
    reason = fields.Text(
        required=True,
        help="Kept on the request and in its history: what the customer is told, and why.",
    )

    def action_confirm(self):
        self.ensure_one()
        if self.closure == "rejected":
            self.request_ids.action_reject(reason=self.reason)
        else:
            self.request_ids.action_cancel(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
