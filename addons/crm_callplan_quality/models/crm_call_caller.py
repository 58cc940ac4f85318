from odoo import models


class CrmCallCaller(models.Model):
    _inherit = "crm.call.caller"

    def _ccare_qa_draw(self, sample_id):
        """Draw these callers' calls into the QA sample ``sample_id`` (one
        queued chunk of a large draw; idempotent, see ``crm.call.qa.sample``)."""
        sample = self.env["crm.call.qa.sample"].sudo().browse(sample_id).exists()
        if sample:
            sample._qa_draw(self)
        return True
