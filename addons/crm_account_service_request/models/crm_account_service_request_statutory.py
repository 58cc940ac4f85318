from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .crm_account_service_request import STATUTORY_TYPES
from .crm_account_service_request import CrmAccountServiceRequest

OFFICER_GROUP = "crm_customer_care.group_crm_customer_care_privacy_officer"
CLOSED_STATES = ("done", "rejected", "cancelled")


class CrmAccountServiceRequestStatutory(models.Model):
    """Statutory requests of a data subject, tracked as account requests:
    a copy of their data (PDPO s.18 / GDPR art. 15), a correction (PDPO
    s.22 / art. 16) or an erasure (art. 17). Each gets a legal deadline
    from the day it was received (PDPO: 40 days, configurable per company;
    GDPR: one month), an owner, an overdue alert, and its response recorded
    on the request: the ZIP sent, the values changed, the anonymisation
    carried out. Erasure is irreversible: it always goes through the
    four-eyes approval of the account-request workflow, and only a privacy
    officer carries out a statutory request.

    The legal clock is the data subject's, not the staff's: the day received
    and the deadline are fixed at receipt (``create``) and never move,
    whatever happens to the request (reopened, resubmitted); what the
    request is about (who, for whom, which right) is fixed with them. Only
    a privacy officer stops the clock (cancels or refuses the request), with
    a reason kept on the request and in its history."""

    _inherit = "crm.account.service.request"

    _ccare_workflow_fields = (
        *CrmAccountServiceRequest._ccare_workflow_fields,
        "legal_deadline",
        "legal_regime",
        "legal_alert",
        "response_file",
        "response_file_name",
        "response_summary",
        "anonymisation_id",
        "closure_reason",
        "closed_by_id",
    )
    # what the legal clock is about: set at receipt, never changed after
    _ccare_receipt_fields = ("received_date", "partner_id", "data_subject_id", "company_id")
    _ccare_frozen_fields = (
        "partner_id",
        "request_type",
        "line_ids",
        "company_id",
        "data_subject_id",
        "received_date",
    )

    is_statutory = fields.Boolean(
        "Statutory", compute="_compute_is_statutory", store=True, index=True
    )
    data_subject_id = fields.Many2one(
        "res.partner",
        "Data Subject",
        index=True,
        help="The person whose data the request is about: the customer itself, or one of "
        "its contacts.",
    )
    received_date = fields.Date(
        "Received On",
        default=fields.Date.context_today,
        copy=False,
        help="The legal deadline runs from this day.",
    )
    legal_regime = fields.Selection(
        [("pdpo", "Hong Kong PDPO"), ("gdpr", "EU GDPR")], readonly=True, copy=False
    )
    legal_deadline = fields.Date(readonly=True, copy=False, tracking=True, index=True)
    legal_overdue = fields.Boolean(compute="_compute_legal_overdue", search="_search_legal_overdue")
    legal_alert = fields.Selection(
        [("due_soon", "Due soon"), ("overdue", "Overdue")], readonly=True, copy=False
    )
    response_file = fields.Binary(
        "Data Sent", attachment=True, readonly=True, copy=False, groups=OFFICER_GROUP
    )
    response_file_name = fields.Char(readonly=True, copy=False)
    response_summary = fields.Text("Response", readonly=True, copy=False)
    anonymisation_id = fields.Many2one(
        "crm.customer.anonymisation", "Anonymisation", readonly=True, copy=False
    )
    closure_reason = fields.Text(
        "Reason for Closing",
        readonly=True,
        copy=False,
        help="Why a privacy officer cancelled or refused the statutory request.",
    )
    closed_by_id = fields.Many2one("res.users", "Closed By", readonly=True, copy=False)

    @api.depends("request_type")
    def _compute_is_statutory(self):
        for request in self:
            request.is_statutory = request.request_type in STATUTORY_TYPES

    def _compute_legal_overdue(self):
        today = fields.Date.context_today(self)
        for request in self:
            request.legal_overdue = bool(
                request.legal_deadline
                and request.legal_deadline < today
                and request.state not in CLOSED_STATES
            )

    def _search_legal_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on legal deadline overdue."))
        domain = [
            ("legal_deadline", "<", fields.Date.context_today(self)),
            ("state", "not in", CLOSED_STATES),
        ]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.constrains("data_subject_id", "partner_id", "request_type")
    def _check_data_subject(self):
        for request in self.filtered("is_statutory"):
            subject = request.data_subject_id
            account = request.partner_id.commercial_partner_id
            if subject and subject.commercial_partner_id != account:
                raise ValidationError(
                    self.env._(
                        "%(person)s is not %(customer)s or one of its contacts.",
                        person=subject.display_name,
                        customer=request.partner_id.display_name,
                    )
                )

    @api.constrains("received_date")
    def _check_received_date(self):
        today = fields.Date.context_today(self)
        if any(r.received_date and r.received_date > today for r in self):
            raise ValidationError(self.env._("A request cannot be received in the future."))

    # ------------------------------------------------------------ deadline
    def _ccare_legal_deadline(self):
        """The day the answer is due: PDPO, the company's number of days
        (40 by default, s.19 and s.23); GDPR, one month (art. 12(3))."""
        self.ensure_one()
        company = self.company_id
        received = self.received_date or fields.Date.context_today(self)
        if company.ccare_privacy_regime == "gdpr":
            return "gdpr", received + relativedelta(months=1)
        return "pdpo", received + timedelta(days=company.ccare_statutory_days or 40)

    def _ccare_start_legal_clock(self):
        """Set the legal deadline of the statutory requests of ``self`` that
        have none yet (at receipt, or when a draft becomes statutory): set
        once, never recomputed. One write per distinct deadline."""
        todo = defaultdict(lambda: self.browse())
        for request in self.filtered(lambda r: r.is_statutory and not r.legal_deadline):
            todo[request._ccare_legal_deadline()] |= request
        for (regime, deadline), requests in todo.items():
            with requests._ccare_transition():
                requests.write({"legal_regime": regime, "legal_deadline": deadline})

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("request_type") in STATUTORY_TYPES and not vals.get("data_subject_id"):
                vals["data_subject_id"] = vals.get("partner_id")
        requests = super().create(vals_list)
        requests._ccare_start_legal_clock()
        return requests

    def write(self, vals):
        if not self._ccare_in_transition() and self.filtered("legal_deadline"):
            changed = set(self._ccare_receipt_fields) & vals.keys()
            if "request_type" in vals and vals["request_type"] not in STATUTORY_TYPES:
                changed.add("request_type")
            if changed:
                self._ccare_refuse(changed)
        res = super().write(vals)
        if "request_type" in vals:
            self._ccare_start_legal_clock()
        return res

    def action_submit(self):
        # requests received before the clock started at receipt get it now
        drafts = self.filtered(lambda r: r.is_statutory and r.state == "draft")
        drafts.check_access("write")
        for request in drafts.filtered(lambda r: not r.data_subject_id):
            with request._ccare_transition():
                request.data_subject_id = request.partner_id
        drafts._ccare_start_legal_clock()
        return super().action_submit()

    # ------------------------------------------------------------ closing
    def _ccare_close_statutory(self, state, reason):
        """Cancel or refuse (``state``) the statutory requests of ``self``:
        a privacy officer's decision, with its reason on the request and in
        its history. The legal deadline stays what it was."""
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a privacy officer can cancel or refuse a statutory request: the "
                    "customer's legal deadline runs until it is answered."
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Give the reason for cancelling or refusing a statutory request.")
            )
        self.check_access("write")
        if any(r.state in CLOSED_STATES for r in self):
            raise UserError(self.env._("Only open requests can be cancelled or refused."))
        label = dict(self._fields["state"]._description_selection(self.env))[state]
        with self._ccare_transition():
            self.with_context(skip_validation_check=True).write(
                {"state": state, "closure_reason": reason, "closed_by_id": self.env.uid}
            )
        for request in self:
            request._message_log(
                body=self.env._(
                    "%(state)s by the privacy officer: %(reason)s", state=label, reason=reason
                )
            )
        return True

    def action_cancel(self, reason=None):
        statutory = self.filtered("is_statutory")
        if statutory:
            statutory._ccare_close_statutory("cancelled", reason)
        return super(CrmAccountServiceRequestStatutory, self - statutory).action_cancel()

    def action_reject(self, reason=None):
        statutory = self.filtered("is_statutory")
        if statutory:
            statutory._ccare_close_statutory("rejected", reason)
        return super(CrmAccountServiceRequestStatutory, self - statutory).action_reject()

    def _ccare_check_not_statutory_rejection(self):
        if self.filtered("is_statutory"):
            raise UserError(
                self.env._(
                    "A statutory request is refused by a privacy officer, with a reason "
                    "(Refuse): reviewers approve it or leave it pending."
                )
            )

    def reject_tier(self):
        self._ccare_check_not_statutory_rejection()
        return super().reject_tier()

    def _rejected_tier(self, tiers=False):
        self._ccare_check_not_statutory_rejection()
        return super()._rejected_tier(tiers)

    def action_draft(self):
        reopened = self.filtered(lambda r: r.is_statutory and r.closure_reason)
        res = super().action_draft()
        with reopened._ccare_transition():
            reopened.write({"closure_reason": False, "closed_by_id": False})
        for request in reopened:
            request._message_log(body=self.env._("Reopened: the legal deadline is unchanged."))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_statutory(self):
        # a statutory request is the record of a data subject's right: it is
        # cancelled (with a reason), not deleted
        if self.filtered("legal_deadline"):
            raise UserError(
                self.env._(
                    "A statutory request cannot be deleted: a privacy officer cancels it "
                    "with a reason."
                )
            )

    # ------------------------------------------------------------ carrying out
    def action_done(self):
        if self.filtered("is_statutory") and not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(
                self.env._("Only a privacy officer can carry out a statutory request.")
            )
        return super().action_done()

    def _ccare_target_partner(self):
        if self.is_statutory and self.data_subject_id:
            return self.data_subject_id.sudo()
        return super()._ccare_target_partner()

    def _apply(self):
        if self.request_type == "data_access":
            return self._ccare_apply_data_access()
        if self.request_type == "data_erasure":
            return self._ccare_apply_data_erasure()
        res = super()._apply()
        if self.request_type == "data_correction":
            self.response_summary = "\n".join(
                f"{line.field_id.field_description}: {line.old_value or '-'} -> {line.new_value}"
                for line in self.line_ids.sudo()
            )
        return res

    def _ccare_apply_data_access(self):
        """The subject-access export, kept on the request as the data sent."""
        export = self.env["crm.customer.subject.access"].create(
            {"partner_id": self.data_subject_id.id}
        )
        export.action_export()
        self.write(
            {
                "response_file": export.zip_file,
                "response_file_name": export.zip_name,
                "response_summary": export.summary,
            }
        )

    def _ccare_apply_data_erasure(self):
        """Close the account if the person is the account itself, then
        anonymise the person (the account with its contacts, or the one
        contact). Refused while invoices are open: they must be kept."""
        subject = self._ccare_target_partner()
        self._ccare_check_no_open_invoices(subject)
        if not subject.parent_id and subject.lifecycle_stage != "closed":
            subject.write(
                {
                    "lifecycle_override": "closed",
                    "dnc_all": True,
                    "ccare_closed_date": fields.Date.context_today(self),
                }
            )
        subject._ccare_anonymise(reason=self.env._("Erasure request %s", self.name))
        log = (
            self.env["crm.customer.anonymisation"]
            .sudo()
            .search([("partner_ref", "=", subject.id)], order="id desc", limit=1)
        )
        self.write(
            {
                "anonymisation_id": log.id,
                "response_summary": self.env._("Erased: %s", log.erased or ""),
            }
        )

    # ------------------------------------------------------------ alerts
    def _ccare_statutory_owner(self):
        return self.user_id or self.company_id.ccare_privacy_officer_id

    @api.model
    def _cron_statutory_deadlines(self):
        """Warn the owner once when a statutory request is due within the
        company's warning days, and once more when it is overdue. Writes
        only the requests whose alert level changes."""
        today = fields.Date.context_today(self)
        open_requests = self.sudo().search(
            [
                ("is_statutory", "=", True),
                ("legal_deadline", "!=", False),
                ("state", "not in", CLOSED_STATES),
            ]
        )
        levels = {"due_soon": self.browse(), "overdue": self.browse()}
        for request in open_requests:
            warn = request.company_id.ccare_statutory_warn_days
            if request.legal_deadline < today:
                level = "overdue"
            elif request.legal_deadline <= today + timedelta(days=warn):
                level = "due_soon"
            else:
                continue
            if request.legal_alert != level:
                levels[level] |= request
        for level, requests in levels.items():
            if not requests:
                continue
            # the alert is ours, not the approval's: it may move while the
            # reviews are pending (our transition guards the field)
            with requests._ccare_transition():
                requests.with_context(skip_validation_check=True).write({"legal_alert": level})
            for request in requests:
                owner = request._ccare_statutory_owner()
                summary = (
                    self.env._("Statutory deadline passed: %s", request.legal_deadline)
                    if level == "overdue"
                    else self.env._("Statutory deadline on %s", request.legal_deadline)
                )
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=request.legal_deadline,
                    summary=summary,
                    user_id=owner.id or self.env.uid,
                )
        return True
