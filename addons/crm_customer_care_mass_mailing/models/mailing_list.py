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

    def _mailing_get_opt_out_list(self, mailing):
        """mass_mailing's opted-out subscriptions, and the addresses of the
        recipients our consent API blocks for e-mail marketing
        (``mailing.contact._ccare_email_marketing_blocked_emails``)."""
        opt_out = set(super()._mailing_get_opt_out_list(mailing))
        contacts = self.env["mailing.contact"].search(mailing._get_recipients_domain())
        return opt_out | contacts._ccare_email_marketing_blocked_emails()
