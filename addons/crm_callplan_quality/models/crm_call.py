from odoo import fields
from odoo import models


class CrmCall(models.Model):
    _inherit = "crm.call"

    qa_scorecard_ids = fields.One2many(
        "crm.call.qa.scorecard",
        "call_id",
        string="QA Scorecards",
        groups="crm_callplan_quality.group_crm_callplan_qa_reviewer",
    )
