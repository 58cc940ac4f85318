from odoo import fields
from odoo import models


class CrmCallQaConductItem(models.Model):
    """How the call was conducted, scored on every scorecard beside the
    call's own checklist: greeting and identification, accurate
    information, consent respected, courtesy, closing... The same items for
    staff and agencies, so their scores compare."""

    _name = "crm.call.qa.conduct.item"
    _description = "Call Conduct Item"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char("Conduct Item", required=True, translate=True)
    description = fields.Text(translate=True, help="What the reviewer looks for.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: the item applies in every company."
    )
