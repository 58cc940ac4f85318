from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

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
)


class ResPartner(models.Model):
    """Retention: closed accounts are anonymised after the company's
    retention period (chunked queue_job jobs), irreversibly and logged.
    Invoices and statistics keep their figures; only the person goes."""

    _inherit = "res.partner"

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
        customers = self.sudo().filtered(lambda p: not p.ccare_anonymised_date and not p.parent_id)
        if not customers:
            return
        if customers.user_ids.filtered(lambda u: not u.share):
            raise UserError(self.env._("Employees' contacts cannot be anonymised."))
        people = customers | customers.child_ids
        today = fields.Date.context_today(self)
        contacts = people - customers
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
        people.write(
            {
                **dict.fromkeys(PERSONAL_FIELDS, False),
                "ccare_anonymised_date": today,
                "active": True,
            }
        )
        contacts.write({"active": False})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "res.partner"), ("res_id", "in", people.ids)]
        ).unlink()
        self.env["mail.message"].sudo().search(
            [("model", "=", "res.partner"), ("res_id", "in", people.ids)]
        ).write({"body": False, "subject": False})
        self.env["crm.lead"].sudo().with_context(active_test=False).search(
            [("partner_id", "in", people.ids)]
        ).write(
            {
                "contact_name": False,
                "email_from": False,
                "phone": False,
                "description": False,
                "street": False,
                "street2": False,
                "zip": False,
                "city": False,
            }
        )
        Log = self.env["crm.customer.anonymisation"].sudo()
        with Log._ccare_append_only_unlocked():
            Log.create(
                [
                    {
                        "partner_id": p.id,
                        "partner_ref": p.id,
                        "company_id": p.company_id.id,
                        "reason": reason,
                        "erased": ", ".join(
                            (
                                *PERSONAL_FIELDS,
                                "name",
                                "attachments",
                                "messages",
                                "lead contact data",
                            )
                        ),
                    }
                    for p in customers
                ]
            )

    def action_anonymise(self):
        """Privacy officers anonymise a closed account at once."""
        if not self.env.user.has_group("crm_customer_care.group_crm_customer_care_privacy_officer"):
            raise UserError(self.env._("Only a privacy officer can anonymise a customer."))
        if self.filtered(lambda p: p.lifecycle_stage != "closed"):
            raise UserError(self.env._("Only closed accounts can be anonymised."))
        self._ccare_anonymise(reason="manual")
