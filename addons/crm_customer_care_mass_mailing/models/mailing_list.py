from odoo import fields
from odoo import models


class MailingList(models.Model):
    _inherit = "mailing.list"

    ccare_target_list_ids = fields.One2many(
        "crm.customer.target.list",
        "mailing_list_id",
        string="Target List",
        readonly=True,
        groups="crm_customer_care.group_crm_customer_care_user",
        help="The target list that feeds this mailing list (Send to Mailing List).",
    )
