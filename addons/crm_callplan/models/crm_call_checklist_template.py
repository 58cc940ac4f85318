from odoo import api
from odoo import fields
from odoo import models


class CrmCallChecklistTemplate(models.Model):
    """The topics and questions every caller (internal or outsourced) goes
    through during a call."""

    _name = "crm.call.checklist.template"
    _description = "Call Checklist Template"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    question_ids = fields.One2many(
        "crm.call.checklist.question", "template_id", string="Questions", copy=True
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        self.question_ids._unlink_except_answered()
