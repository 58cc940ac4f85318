from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.fields import Domain

CHECK_TYPES = [
    ("required", "Required Fields"),
    ("email", "Invalid Email"),
    ("phone", "Invalid Phone"),
    ("duplicate", "Duplicate Candidates"),
    ("stale", "Stale Profile"),
    ("domain", "Custom Rule"),
]
SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
# points an open issue takes off the 0-100 data-quality score of its partner
SEVERITY_PENALTY = {"low": 5, "medium": 10, "high": 20, "critical": 40}


class CrmDataQualityCheck(models.Model):
    """A data-quality check laid down by a manager: what makes a customer
    profile wrong (a missing field for a segment, an invalid email or
    phone, a probable duplicate, no review for N days, any rule written as a
    domain) and how serious it is. The periodic job opens one issue per
    partner and check while the problem lasts."""

    _name = "crm.data.quality.check"
    _inherit = ["crm.customer.care.filter.mixin"]
    _description = "Data Quality Check"
    _order = "sequence, id"
    _check_company_auto = True
    _ccare_filter_fields = {"domain": "res.partner"}
    # a check tests its Rule, or its Required Fields (an issue opens where
    # one is empty): the author must be able to read them
    _ccare_filter_depends = ("check_type", "field_ids")

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", help="Only partners of this company (and shared ones); empty: all."
    )
    check_type = fields.Selection(CHECK_TYPES, "Type", required=True, default="required")
    severity = fields.Selection(SEVERITIES, required=True, default="medium")
    segment_ids = fields.Many2many(
        "crm.customer.segment",
        string="Segments",
        help="Apply only to partners of these segments; empty: every partner.",
    )
    field_ids = fields.Many2many(
        "ir.model.fields",
        string="Required Fields",
        domain="[('model', '=', 'res.partner'), ('store', '=', True), "
        "('ttype', 'not in', ('boolean', 'binary', 'one2many'))]",
        ondelete="cascade",
    )
    stale_days = fields.Integer(
        "Review Every (days)", default=365, help="A profile not reviewed for so long is stale."
    )
    domain = fields.Char(
        "Rule", default="[]", help="Custom rule: the partners matching it have the problem."
    )
    description = fields.Text("How to Fix", translate=True)
    issue_ids = fields.One2many("crm.data.quality.issue", "check_id", string="Issues")
    open_issue_count = fields.Integer("Open Issues", compute="_compute_open_issue_count")

    def _compute_open_issue_count(self):
        counts = dict(
            self.env["crm.data.quality.issue"]._read_group(
                [("check_id", "in", self.ids), ("state", "=", "open")], ["check_id"], ["__count"]
            )
        )
        for check in self:
            check.open_issue_count = counts.get(check, 0)

    # ------------------------------------------------------------ validation
    def _ccare_custom_domain(self):
        self.ensure_one()
        return self._ccare_filter("domain")

    def _ccare_missing_fields_domain(self):
        """The partners with one of the Required Fields empty. Reads the
        fields' names only (ir.model.fields is not every manager's to read)."""
        self.ensure_one()
        names = self.sudo().field_ids.mapped("name")
        return Domain.OR(Domain(name, "=", False) for name in names)

    def _ccare_filter_tests(self):
        tests = super()._ccare_filter_tests()
        if self.check_type == "required" and self.sudo().field_ids:
            tests.append((self.env["res.partner"], self._ccare_missing_fields_domain()))
        return tests

    @api.constrains("check_type", "domain", "field_ids", "stale_days")
    def _check_configuration(self):
        for check in self:
            if check.check_type == "domain":
                if check._ccare_custom_domain().is_true():
                    raise ValidationError(
                        self.env._(
                            "Data-quality check “%(check)s”: write a Rule; an empty rule "
                            "would flag every contact.",
                            check=check.name,
                        )
                    )
            elif check.check_type == "required" and not check.sudo().field_ids:
                raise ValidationError(
                    self.env._(
                        "Data-quality check “%(check)s”: choose at least one Required Field.",
                        check=check.name,
                    )
                )
            elif check.check_type == "stale" and check.stale_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Data-quality check “%(check)s”: Review Every (days) must be positive.",
                        check=check.name,
                    )
                )
            if check.check_type == "required":
                wrong = check.sudo().field_ids.filtered(lambda f: f.model != "res.partner")
                if wrong:
                    raise ValidationError(
                        self.env._(
                            "Data-quality check “%(check)s”: %(fields)s are not contact fields.",
                            check=check.name,
                            fields=", ".join(wrong.mapped("name")),
                        )
                    )

    # ------------------------------------------------------------ matching
    def _ccare_scope_domain(self):
        """The partners this check judges: customers of its segments and
        company, never our own companies, their contacts or our staff
        (their data is not a customer profile)."""
        self.ensure_one()
        domain = ~self.env["res.partner"]._ccare_own_partner_domain()
        if self.segment_ids:
            domain &= Domain("commercial_partner_id.segment_id", "in", self.segment_ids.ids)
        if self.company_id:
            domain &= Domain("company_id", "in", [False, self.company_id.id])
        return domain

    def _ccare_candidate_domain(self, today):
        """The partners that have (or, for email/phone/duplicates, may have:
        Python or SQL decides) the problem this check looks for."""
        self.ensure_one()
        scope = self._ccare_scope_domain()
        if self.check_type == "required":
            return scope & self._ccare_missing_fields_domain()
        if self.check_type == "email":
            return scope & Domain("email", "!=", False)
        if self.check_type == "phone":
            return scope & Domain("phone", "!=", False)
        if self.check_type == "stale":
            cutoff = today - timedelta(days=self.stale_days)
            return scope & (
                Domain("data_reviewed_date", "<", cutoff)
                | (Domain("data_reviewed_date", "=", False) & Domain("create_date", "<", cutoff))
            )
        if self.check_type == "domain":
            return scope & self._ccare_custom_domain()
        return scope  # duplicates: decided in SQL

    def _ccare_message(self, partner, detail=None):
        self.ensure_one()
        if self.check_type == "required":
            missing = [f.field_description for f in self.field_ids if not partner[f.name]]
            return self.env._("Missing: %(fields)s", fields=", ".join(missing))
        if self.check_type == "stale":
            return self.env._("Not reviewed for more than %(days)s days", days=self.stale_days)
        return detail or self.name

    # ------------------------------------------------------------ jobs
    @api.model
    def _cron_run_checks(self):
        """Queue the checks over every partner in chunks."""
        partners = self.env["res.partner"].sudo().search([])
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            partners,
            "_ccare_run_data_quality",
            description=self.env._("Data-quality checks"),
        )

    def action_run_now(self):
        """Run every active check over every partner now (managers)."""
        if not self.env.user.has_group("crm_customer_care.group_crm_customer_care_manager"):
            raise AccessError(
                self.env._("Only a Customer Care manager can run the data-quality checks.")
            )
        self.check_access("write")
        partners = self.env["res.partner"].sudo().search([])
        helper = self.env["crm.customer.care.chunked.job"]
        for chunk in helper._split_in_chunks(partners.ids):
            partners.browse(chunk)._ccare_run_data_quality()
        return self.action_open_issues()

    def action_open_issues(self):
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_data_quality.crm_data_quality_issue_action"
        )
        if len(self) == 1:
            action["domain"] = [("check_id", "=", self.id)]
        return action
