from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    def _ccare_email_marketing_blocks(self):
        """Why each lead of ``self`` may not get e-mail marketing:
        ``{lead_id: reason}`` (absent = it may), by the one check of every
        mass mailing (``mailing.mailing._ccare_marketing_blocks``): the
        lead's customer decides, and every customer holding the lead's
        address; a prospect whose address no customer holds has granted
        nothing yet (marketing is opt-in); the address may be blacklisted or
        suppressed. A constant number of queries."""
        return self.env["mailing.mailing"]._ccare_marketing_blocks(
            {lead.id: (lead.partner_id, [lead.email_normalized]) for lead in self}
        )
