from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL


class CrmSalesActivityReport(models.Model):
    """Inquiries count as sales activity: one row per inquiry, on the day it
    came in, for its owner and customer (``_ccare_activity_queries``)."""

    _inherit = "crm.sales.activity.report"

    kind = fields.Selection(selection_add=[("inquiry", "Inquiry")])

    @api.model
    def _ccare_activity_queries(self):
        return [
            *super()._ccare_activity_queries(),
            SQL(
                """
                SELECT t.id * 10 + 4, 'inquiry', t.create_date, t.user_id, t.partner_id,
                       NULL::int, NULL::int, t.company_id
                  FROM helpdesk_ticket t
                """
            ),
        ]
