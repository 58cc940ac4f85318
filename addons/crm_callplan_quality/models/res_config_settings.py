from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ccare_qa_sample_percent = fields.Float(
        related="company_id.ccare_qa_sample_percent", readonly=False
    )
    ccare_qa_bar = fields.Float(related="company_id.ccare_qa_bar", readonly=False)
    ccare_qa_min_sample = fields.Integer(related="company_id.ccare_qa_min_sample", readonly=False)
