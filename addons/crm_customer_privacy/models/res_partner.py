from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.models.ccare_guard import ANONYMISE
from odoo.addons.crm_customer_care.models.ccare_guard import unlocked
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
    "ccare_name_zh",
)


class ResPartner(models.Model):
    """Retention: closed accounts are anonymised after the company's
    retention period (chunked queue_job jobs), irreversibly and logged.
    Invoices and statistics keep their figures; only the person goes. Each
    addon erases what it holds through ``_ccare_anonymise_hook``."""

    _inherit = "res.partner"

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

    def action_anonymise(self):
        """Privacy officers anonymise a closed account at once."""
        if not self.env.user.has_group("crm_customer_care.group_crm_customer_care_privacy_officer"):
            raise UserError(self.env._("Only a privacy officer can anonymise a customer."))
        if self.filtered(lambda p: p.lifecycle_stage != "closed"):
            raise UserError(self.env._("Only closed accounts can be anonymised."))
        self._ccare_anonymise(reason="manual")
