from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

REQUEST_TYPES = [
    ("open", "Open account"),
    ("update", "Update details"),
    ("change_plan", "Change plan or terms"),
    ("suspend", "Suspend account"),
    ("close", "Close account"),
    # statutory requests of a data subject (PDPO s.18/s.22, GDPR art. 15-17):
    # each has a legal deadline, see crm_account_service_request_statutory.py
    ("data_access", "Data access (copy of personal data)"),
    ("data_correction", "Data correction"),
    ("data_erasure", "Data erasure"),
]
STATUTORY_TYPES = ("data_access", "data_correction", "data_erasure")
# Changing one of these, or closing an account, needs a second manager's
# approval (four-eyes); requests sent from the portal always do.
SENSITIVE_PARTNER_FIELDS = {
    "name",
    "vat",
    "company_registry",
    "credit_limit",
    "property_payment_term_id",
    "property_product_pricelist",
    "bank_ids",
}


class CrmAccountServiceRequest(models.Model):
    """A customer's account request, from opening to closing, with its SLA,
    its structured changes applied atomically, and four-eyes approval
    (OCA base_tier_validation, requester excluded from the reviewers)."""

    _name = "crm.account.service.request"
    _description = "Account Service Request"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "tier.validation",
        "crm.customer.care.workflow.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True

    # the workflow and who moved it: only the transition methods write them
    _ccare_workflow_fields = (
        "state",
        "prepared_by_id",
        "submitted_date",
        "sla_deadline",
        "done_date",
    )
    # what the approval is about: fixed once the request leaves draft
    _ccare_frozen_fields = ("partner_id", "request_type", "line_ids", "company_id")

    # base_tier_validation: reviews are requested in "approval" and the
    # request may only move on to "approved" once they are all approved
    _state_from = ["approval"]
    _state_to = ["approved"]
    _cancel_state = "cancelled"
    _tier_validation_manual_config = False

    name = fields.Char(default="New", readonly=True, copy=False)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        tracking=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    request_type = fields.Selection(REQUEST_TYPES, required=True, default="update", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approval", "Waiting Approval"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    source = fields.Selection(
        [
            ("internal", "Staff"),
            ("portal", "Customer portal"),
            ("email", "Email"),
            ("phone", "Phone"),
        ],
        default="internal",
        required=True,
    )
    description = fields.Text("Reason")
    line_ids = fields.One2many(
        "crm.account.service.request.line", "request_id", string="Requested Changes", copy=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Assigned To",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    prepared_by_id = fields.Many2one("res.users", "Prepared By", readonly=True, copy=False)
    submitted_date = fields.Datetime(readonly=True, copy=False)
    sla_deadline = fields.Datetime("SLA Deadline", readonly=True, copy=False, tracking=True)
    done_date = fields.Datetime(readonly=True, copy=False)
    needs_approval = fields.Boolean(compute="_compute_needs_approval", store=True)
    sla_overdue = fields.Boolean(compute="_compute_sla_overdue", search="_search_sla_overdue")

    @api.depends("request_type", "source", "line_ids.field_id")
    def _compute_needs_approval(self):
        for request in self:
            request.needs_approval = (
                request.request_type in ("close", "data_erasure")
                or request.source == "portal"
                or any(
                    name in SENSITIVE_PARTNER_FIELDS
                    for name in request.line_ids.sudo().field_id.mapped("name")
                )
            )

    def _compute_sla_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.sla_overdue = bool(
                request.sla_deadline
                and request.sla_deadline < now
                and request.state not in ("done", "rejected", "cancelled")
            )

    def _search_sla_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on SLA overdue."))
        domain = [
            ("sla_deadline", "<", fields.Datetime.now()),
            ("state", "not in", ("done", "rejected", "cancelled")),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model_create_multi
    def create(self, vals_list):
        # a portal request always needs four eyes: only the portal route
        # (inside a transition) may say a request comes from the portal
        if any(vals.get("source") == "portal" for vals in vals_list):
            if not self._ccare_in_transition():
                self._ccare_refuse({"source"})
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("crm.account.service.request") or "New"
                )
        return super().create(vals_list)

    def write(self, vals):
        # where a request comes from decides its approval: it never changes
        if "source" in vals and not self._ccare_in_transition():
            self._ccare_refuse({"source"})
        return super().write(vals)

    # ------------------------------------------------------------ workflow
    def _sla_hours(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("crm_customer_care.service_request_sla_hours", 16)
        )

    def action_submit(self):
        self.check_access("write")
        for request in self:
            if request.state != "draft":
                raise UserError(self.env._("Only draft requests can be submitted."))
            if (
                request.request_type in ("update", "change_plan", "data_correction")
                and not request.line_ids
            ):
                raise ValidationError(
                    self.env._(
                        "Request %(name)s: list the changes the customer asks for.",
                        name=request.name,
                    )
                )
            request.line_ids._check_new_value()
            calendar = request.company_id.resource_calendar_id
            now = fields.Datetime.now()
            deadline = (
                calendar.plan_hours(request._sla_hours(), now, compute_leaves=True)
                if calendar
                else now + timedelta(hours=request._sla_hours())
            )
            with request._ccare_transition():
                request.write(
                    {
                        "state": "approval" if request.needs_approval else "approved",
                        "prepared_by_id": self.env.uid,
                        "submitted_date": now,
                        "sla_deadline": deadline,
                    }
                )
                if request.needs_approval:
                    # sudo keeps the uid: the preparer stays the requester that
                    # the four-eyes rule excludes from the reviewers
                    # need_validation is not recomputed by the state change nor
                    # by the reviews' creation: drop it around the request
                    request.invalidate_recordset(["need_validation"])
                    request.sudo().request_validation()
                    request.invalidate_recordset(["need_validation", "review_ids"])
            if request.user_id:
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=deadline.date(),
                    summary=self.env._("Handle %(name)s", name=request.name),
                    user_id=request.user_id.id,
                )
        return True

    def _ccare_check_four_eyes(self):
        """Four-eyes on the server: whoever prepared the request, or asked
        for its reviews, cannot approve or reject it, whatever the button
        shows. Checked in ``_validate_tier``/``_rejected_tier``, which every
        path reaches (the buttons, the comment wizard)."""
        for request in self:
            if request.prepared_by_id == self.env.user or any(
                review.requested_by == self.env.user for review in request.review_ids
            ):
                raise UserError(
                    self.env._(
                        "You prepared %(name)s: another manager must approve it.",
                        name=request.name,
                    )
                )
            if request.state != "approval":
                raise UserError(
                    self.env._("%(name)s is not waiting for approval.", name=request.name)
                )
            if not request.can_review:
                raise UserError(
                    self.env._("You are not among the approvers of %(name)s.", name=request.name)
                )

    def validate_tier(self):
        self._ccare_check_four_eyes()
        with self._ccare_transition():
            return super().validate_tier()

    def reject_tier(self):
        self._ccare_check_four_eyes()
        with self._ccare_transition():
            return super().reject_tier()

    def _validate_tier(self, tiers=False):
        self._ccare_check_four_eyes()
        with self._ccare_transition():
            res = super()._validate_tier(tiers)
            self.invalidate_recordset(["validation_status"])
            if self.validation_status == "validated" and self.state == "approval":
                self.state = "approved"
        return res

    def _rejected_tier(self, tiers=False):
        self._ccare_check_four_eyes()
        with self._ccare_transition():
            res = super()._rejected_tier(tiers)
            self.invalidate_recordset(["validation_status"])
            if self.validation_status == "rejected":
                self.with_context(skip_validation_check=True).write({"state": "rejected"})
        return res

    def request_validation(self):
        with self._ccare_transition():
            return super().request_validation()

    def restart_validation(self):
        with self._ccare_transition():
            return super().restart_validation()

    def action_done(self):
        """Apply the requested changes to the customer, all or nothing."""
        self.check_access("write")
        for request in self:
            if request.state != "approved":
                raise UserError(
                    self.env._(
                        "%(name)s must be approved before it is carried out.", name=request.name
                    )
                )
            with self.env.cr.savepoint(), request._ccare_transition():
                request._apply()
                request.write({"state": "done", "done_date": fields.Datetime.now()})
            request.activity_ids.action_feedback(feedback=self.env._("Done"))
        return True

    def _ccare_target_partner(self):
        """The record the requested changes apply to: the account."""
        return self.partner_id.sudo()

    def _ccare_check_no_open_invoices(self, partner):
        open_invoices = (
            self.env["account.move"]
            .sudo()
            .search_count(
                [
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("payment_state", "not in", ("paid", "in_payment", "reversed")),
                ]
            )
        )
        if open_invoices:
            raise UserError(
                self.env._(
                    "%(customer)s still has %(count)s open invoice(s): settle them "
                    "before closing the account.",
                    customer=partner.commercial_partner_id.display_name,
                    count=open_invoices,
                )
            )

    def _apply(self):
        partner = self._ccare_target_partner()
        values = self.line_ids._partner_values()
        if self.request_type == "close":
            self._ccare_check_no_open_invoices(partner)
            values.update(
                lifecycle_override="closed",
                dnc_all=True,
                ccare_closed_date=fields.Date.context_today(self),
            )
        elif self.request_type == "suspend":
            values.update(dnc_all=True)
        elif self.request_type == "open":
            values.update(lifecycle_override=False, dnc_all=False, ccare_closed_date=False)
        for line in self.line_ids.sudo():
            line.old_value = line._display_value(partner[line.field_id.name])
        if values:
            partner.write(values)
        partner.message_post(
            body=self.env._(
                "Account request %(name)s carried out: %(type)s.",
                name=self.name,
                type=dict(self._fields["request_type"]._description_selection(self.env))[
                    self.request_type
                ],
            ),
        )

    def action_reject(self):
        """Reject a request that does not go through the reviewers (a
        four-eyes request is rejected by a reviewer, ``reject_tier``)."""
        self.check_access("write")
        if any(r.state in ("done", "rejected", "cancelled") for r in self):
            raise UserError(self.env._("Only open requests can be rejected."))
        if any(r.state == "approval" for r in self):
            raise UserError(
                self.env._("A request waiting for approval is rejected by its reviewers.")
            )
        with self._ccare_transition():
            self.with_context(skip_validation_check=True).write({"state": "rejected"})

    def action_cancel(self):
        self.check_access("write")
        if any(r.state == "done" for r in self):
            raise UserError(self.env._("A request that was carried out cannot be cancelled."))
        with self._ccare_transition():
            self.with_context(skip_validation_check=True).write({"state": "cancelled"})

    def action_draft(self):
        self.check_access("write")
        reopened = self.filtered(lambda r: r.state in ("rejected", "cancelled"))
        with reopened._ccare_transition():
            # a new submission asks for new reviews: the old verdicts go
            reopened.review_ids.sudo().unlink()
            reopened.with_context(skip_validation_check=True).write(
                {
                    "state": "draft",
                    "prepared_by_id": False,
                    "submitted_date": False,
                    "sla_deadline": False,
                }
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(r.state not in ("draft", "cancelled") for r in self):
            raise UserError(self.env._("Only draft or cancelled requests can be deleted."))

    def unlink(self):
        # base_tier_validation deletes the reviews with the request
        with self._ccare_transition():
            return super().unlink()
