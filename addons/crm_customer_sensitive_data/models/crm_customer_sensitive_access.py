import psycopg2.errors

from odoo import api
from odoo import fields
from odoo import models
from odoo.http import request


class CrmCustomerSensitiveAccess(models.Model):
    """Who saw customers' sensitive data: one entry per read or export that
    included sensitive fields (user, customers, fields, time, action, route).
    Written by the server only, readable by privacy officers, never edited.

    We keep our own trail rather than an OCA ``auditlog`` rule: auditlog
    allows one rule per model (it would take over a customer's own partner
    rule), copies the values read into its log (a second copy of the very
    data we protect) and writes one log per record, where a list view of 80
    customers is one bulk read here."""

    _name = "crm.customer.sensitive.access"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Sensitive Data Access Log"
    _order = "date desc, id desc"
    _rec_name = "action"

    date = fields.Datetime(default=fields.Datetime.now, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", "By", default=lambda self: self.env.user, readonly=True, index=True
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, readonly=True, index=True
    )
    action = fields.Selection(
        [
            ("view", "Viewed"),
            ("bulk_read", "Read in bulk"),
            ("export", "Exported"),
            ("subject_access", "Subject-access export"),
        ],
        required=True,
        readonly=True,
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "crm_customer_sensitive_access_partner_rel",
        "access_id",
        "partner_id",
        string="Customers",
        readonly=True,
    )
    record_count = fields.Integer("Records", readonly=True)
    field_names = fields.Char(
        "Technical Field Names", readonly=True, help="The contact fields read, as stored."
    )
    field_labels = fields.Char(
        "Fields",
        compute="_compute_field_labels",
        help="The contact fields read, by the names users see on the contact form.",
    )
    origin = fields.Char("Route", readonly=True, help="The web request that read the data.")

    @api.depends("field_names")
    def _compute_field_labels(self):
        partner_fields = self.env["res.partner"]._fields
        for entry in self:
            names = [name.strip() for name in (entry.field_names or "").split(",")]
            entry.field_labels = ", ".join(
                partner_fields[name]._description_string(self.env)
                if name in partner_fields
                else name
                for name in names
                if name
            )

    @api.model
    def _ccare_log(self, action, partners, field_names):
        """Record one access by the current user. Called with sudo by the
        server; users cannot create entries themselves (no ACL)."""
        if self.env.cr.readonly:
            # reads run on a read-only cursor: ask Odoo to run the request
            # again on a read/write one (what it does after a failed INSERT,
            # without the failed INSERT and its error in the log)
            raise psycopg2.errors.ReadOnlySqlTransaction(
                "logging a read of sensitive data needs a read/write cursor"
            )
        origin = False
        if request:
            origin = request.httprequest.path
        Log = self.sudo()
        with Log._ccare_append_only_unlocked():
            return Log.create(
                {
                    "action": action,
                    "user_id": self.env.uid,
                    "partner_ids": [fields.Command.set(partners.ids)],
                    "record_count": len(partners),
                    "field_names": ", ".join(sorted(field_names)),
                    "origin": origin,
                }
            )
