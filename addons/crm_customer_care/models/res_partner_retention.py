from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .ccare_guard import ANONYMISE
from .ccare_guard import unlocked

# What anonymisation clears on the customer and its contacts.
PERSONAL_FIELDS = (
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "website",
    "function",
    "vat",
    "company_registry",
    "comment",
    "ref",
    "image_1920",
    "ccare_birthdate",
    "ccare_id_number",
    "ccare_name_zh",
)


class ResPartner(models.Model):
    """Retention: closed accounts are anonymised after the company's
    retention period (chunked queue_job jobs), irreversibly and logged.
    Invoices and statistics keep their figures; only the person goes."""

    _inherit = "res.partner"

    ccare_closed_date = fields.Date(
        "Account Closed On",
        readonly=True,
        copy=False,
        help="Set when a close-account request is carried out: the retention clock starts.",
    )
    ccare_anonymised_date = fields.Date("Anonymised On", readonly=True, copy=False)

    @api.model
    def _cron_anonymise_closed_accounts(self):
        """Queue the anonymisation of every account closed for longer than
        its company's retention period."""
        today = fields.Date.context_today(self)
        due = self.browse()
        for company in self.env["res.company"].sudo().search([("ccare_retention_months", ">", 0)]):
            limit = today - relativedelta(months=company.ccare_retention_months)
            due |= self.sudo().search(
                [
                    ("ccare_closed_date", "!=", False),
                    ("ccare_closed_date", "<=", limit),
                    ("ccare_anonymised_date", "=", False),
                    ("parent_id", "=", False),
                    ("company_id", "in", [False, company.id]),
                ]
            )
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            due,
            "_ccare_anonymise",
            description=self.env._("Anonymise closed accounts"),
            reason="retention",
        )

    def _ccare_anonymise(self, reason="retention"):
        """Erase the personal data of these customers and their contacts:
        contact data, free text, images, attachments, message bodies and the
        contact data copied on their leads. Irreversible; logged. Set-based:
        a few writes for the whole chunk."""
        targets = self.sudo().filtered(lambda p: not p.ccare_anonymised_date)
        customers = targets.filtered(lambda p: not p.parent_id)
        if not targets:
            return
        people = (customers | customers.child_ids).with_context(active_test=False)
        people = people | people.search([("commercial_partner_id", "in", customers.ids)])
        # a contact erased on its own (an erasure request of one person of a
        # company): that person only, the company and its other contacts stay
        lone_contacts = targets - people
        people = people | lone_contacts
        if people.user_ids.filtered(lambda u: not u.share):
            raise UserError(self.env._("Employees' contacts cannot be anonymised."))
        today = fields.Date.context_today(self)
        contacts = people - customers
        # nothing planned survives (calls, activities, queued mails)
        people._ccare_consent_changed()
        # every addon erases what it holds on these people, while their
        # contact data is still there to find copies by
        with unlocked(ANONYMISE):
            erased = people._ccare_anonymise_hook()
        # one UPDATE for every name ("Anonymised customer 42"), then the
        # ORM recomputes what depends on the name (complete_name...)
        self.env["res.partner"].flush_model(["name"])
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET name = CASE WHEN id = ANY(%s) THEN %s ELSE %s END"
                " || ' ' || id WHERE id = ANY(%s)",
                customers.ids,
                self.env._("Anonymised customer"),
                self.env._("Anonymised contact"),
                people.ids,
            )
        )
        people.invalidate_recordset(["name"])
        people.modified(["name"])
        # no tracking: it would keep the old values in the chatter
        people.with_context(tracking_disable=True).write(
            {
                **dict.fromkeys(PERSONAL_FIELDS, False),
                "ccare_anonymised_date": today,
                "dnc_all": True,
                "active": True,
            }
        )
        contacts.with_context(tracking_disable=True).write({"active": False})
        Log = self.env["crm.customer.anonymisation"].sudo()
        with Log._ccare_append_only_unlocked():
            Log.create(
                [
                    {
                        "partner_id": p.id,
                        "partner_ref": p.id,
                        "company_id": p.company_id.id,
                        "reason": reason,
                        "erased": ", ".join((*PERSONAL_FIELDS, "name", *erased)),
                    }
                    for p in customers | lone_contacts
                ]
            )

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

    def action_anonymise(self):
        """Privacy officers anonymise a closed account at once."""
        if not self.env.user.has_group("crm_customer_care.group_crm_customer_care_privacy_officer"):
            raise UserError(self.env._("Only a privacy officer can anonymise a customer."))
        if self.filtered(lambda p: p.lifecycle_stage != "closed"):
            raise UserError(self.env._("Only closed accounts can be anonymised."))
        self._ccare_anonymise(reason="manual")
