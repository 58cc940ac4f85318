from odoo import api
from odoo import fields
from odoo import models


class ResPartner(models.Model):
    """What an erasure leaves on the person (the closing and anonymisation
    dates the retention and the mail paths read) and the extension point
    through which every addon erases its own records
    (crm_customer_privacy anonymises)."""

    _inherit = "res.partner"

    ccare_closed_date = fields.Date(
        "Account Closed On",
        readonly=True,
        copy=False,
        help="Set when a close-account request is carried out: the retention clock starts.",
    )
    ccare_anonymised_date = fields.Date("Anonymised On", readonly=True, copy=False)

    def _ccare_anonymise_hook(self):
        """Extension point: erase what an addon holds on the people of
        ``self`` (customers and all their contacts, active or not).

        Contract:

        - *When*: during ``_ccare_anonymise``, after everything planned was
          cancelled (``_ccare_consent_changed``) and *before* the partners'
          own contact data is cleared (so copies can still be found by
          e-mail or phone), in the same transaction; irreversible.
        - *As whom*: superuser (``self`` is sudo).
        - *What an override does*: erase personal data in the records it
          owns (free text, copies of names and addresses, their chatter
          through ``_ccare_erase_messages``, attachments), keep figures
          and links that carry no person (amounts, dates, states), and
          return ``super()``'s list plus the labels of what it erased (the
          anonymisation log shows them). Set-based: a constant number of
          queries however many people.

        Here: leads, activities, attachments, chatter (messages, tracking
        values, notifications), mails and portal logins. Each split addon
        erases its own records in its ``res_partner_anonymise*.py``.
        """
        people = self.sudo().with_context(active_test=False, tracking_disable=True)
        env = people.env
        leads = (
            env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", people.ids)])
        )
        leads.write(
            {
                "name": self.env._("Anonymised lead"),
                "partner_name": False,
                "contact_name": False,
                "email_from": False,
                "phone": False,
                "function": False,
                "website": False,
                "description": False,
                "street": False,
                "street2": False,
                "zip": False,
                "city": False,
            }
        )
        self._ccare_erase_messages("crm.lead", leads.ids)
        self._ccare_erase_messages("res.partner", people.ids)
        # mails to or from them, wherever they were posted
        env["mail.mail"].sudo().search(
            ["|", ("recipient_ids", "in", people.ids), ("author_id", "in", people.ids)]
        ).unlink()
        authored = env["mail.message"].sudo().search([("author_id", "in", people.ids)])
        authored.write({"body": False, "subject": False, "email_from": False})
        env["mail.notification"].sudo().search([("res_partner_id", "in", people.ids)]).write(
            {"failure_reason": False}
        )
        # their portal logins are their e-mail addresses
        for user in people.user_ids.filtered("share"):
            user.write({"login": f"anonymised-{user.id}", "active": False})
        return [
            "leads",
            "messages",
            "tracking values",
            "mails",
            "attachments",
        ]

    @api.model
    def _ccare_erase_messages(self, model, res_ids):
        """Erase the chatter of ``model`` records ``res_ids``: message
        bodies, subjects, senders and record names, their tracking values,
        attachments and activities. A few queries for any number."""
        if not res_ids:
            return
        env = self.env(su=True)
        messages = (
            env["mail.message"]
            .sudo()
            .search([("model", "=", model), ("res_id", "in", list(res_ids))])
        )
        messages.tracking_value_ids.unlink()
        messages.write({"body": False, "subject": False, "email_from": False, "record_name": False})
        env["mail.mail"].sudo().search([("mail_message_id", "in", messages.ids)]).unlink()
        env["mail.activity"].sudo().with_context(active_test=False).search(
            [("res_model", "=", model), ("res_id", "in", list(res_ids))]
        ).unlink()
        env["ir.attachment"].sudo().search(
            [("res_model", "=", model), ("res_id", "in", list(res_ids))]
        ).unlink()
