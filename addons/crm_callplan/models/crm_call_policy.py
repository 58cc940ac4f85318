from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.models.res_partner_contact import CONSENT_PURPOSES
from odoo.exceptions import ValidationError

CALL_CHANNELS = [
    ("visit", "Visit"),
    ("phone", "Phone"),
    ("video", "Video call"),
    ("email", "Email"),
]
# The consent channel each call channel is checked on: a video call reaches
# the customer remotely like a phone call, so it needs the "phone" consent.
CONSENT_CHANNEL = {"visit": "visit", "phone": "phone", "video": "phone", "email": "email"}
WEEKDAYS = ["day_mon", "day_tue", "day_wed", "day_thu", "day_fri", "day_sat", "day_sun"]


class CrmCallPolicy(models.Model):
    """How often, and how, the accounts of a segment (or one account) are called."""

    _name = "crm.call.policy"
    _description = "Call Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    segment_id = fields.Many2one(
        "crm.customer.segment", check_company=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        index="btree_not_null",
        ondelete="cascade",
        domain="[('parent_id', '=', False)]",
        help="Set to make this policy apply to one account only, overriding its segment's.",
    )
    channel = fields.Selection(CALL_CHANNELS, required=True, default="phone")
    interval_number = fields.Integer("Every", default=1, required=True)
    interval_type = fields.Selection(
        [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
        required=True,
        default="months",
    )
    duration = fields.Integer("Duration (min)", default=30, required=True)
    hour_from = fields.Float("Preferred From", default=9.0, required=True)
    hour_to = fields.Float("Preferred To", default=17.0, required=True)
    day_mon = fields.Boolean("Mon", default=True)
    day_tue = fields.Boolean("Tue", default=True)
    day_wed = fields.Boolean("Wed", default=True)
    day_thu = fields.Boolean("Thu", default=True)
    day_fri = fields.Boolean("Fri", default=True)
    day_sat = fields.Boolean("Sat")
    day_sun = fields.Boolean("Sun")
    tolerance_days = fields.Integer(
        "Tolerance (days)",
        default=3,
        help="A call done up to this many days after its due date is on time; the plan may "
        "also place it up to this many days later when the callers are full.",
    )
    checklist_template_id = fields.Many2one("crm.call.checklist.template", check_company=True)
    consent_purpose = fields.Selection(
        CONSENT_PURPOSES,
        default="sales_calls",
        required=True,
        help="Calls are never planned for accounts that may not be contacted for this "
        "purpose on the policy's channel (do-not-contact, refusals, blacklists).",
    )
    require_opt_in = fields.Boolean(
        "Consent Required",
        help="Only call accounts that explicitly granted consent for the purpose and channel "
        "(marketing, profiling and sharing always need it).",
    )
    max_contacts = fields.Integer(
        "Max Contacts", help="At most this many calls per account in the period (0: no limit)."
    )
    max_contacts_days = fields.Integer("Per (days)", default=30)
    min_gap_days = fields.Integer(
        "Minimum Gap (days)", help="Never plan a call closer than this to the last contact."
    )
    caller_ids = fields.Many2many(
        "crm.call.caller",
        string="Callers",
        check_company=True,
        help="Who may make these calls; empty: the callers of the segment.",
    )
    call_count = fields.Integer(compute="_compute_call_count")

    _interval_positive = models.Constraint(
        "CHECK(interval_number > 0)",
        "The call frequency must be at least one day, week or month.",
    )
    _duration_positive = models.Constraint(
        "CHECK(duration > 0)", "The duration of a call must be at least one minute."
    )
    _segment_unique = models.UniqueIndex(
        "(segment_id, company_id) WHERE active AND partner_id IS NULL",
        "A segment can only have one active call policy per company.",
    )
    _partner_unique = models.UniqueIndex(
        "(partner_id, company_id) WHERE active AND partner_id IS NOT NULL",
        "An account can only have one active call policy of its own per company.",
    )

    @api.constrains("name", "segment_id", "partner_id")
    def _check_target(self):
        for policy in self:
            if not policy.segment_id and not policy.partner_id:
                raise ValidationError(
                    self.env._(
                        "Call policy “%(policy)s”: choose the segment (or the account) it "
                        "applies to.",
                        policy=policy.name,
                    )
                )

    @api.constrains("hour_from", "hour_to", "tolerance_days", "max_contacts", "max_contacts_days")
    def _check_numbers(self):
        for policy in self:
            if not 0 <= policy.hour_from < policy.hour_to <= 24:
                raise ValidationError(
                    self.env._(
                        "Call policy “%(policy)s”: the preferred hours must be a window within "
                        "the day (from before to, between 00:00 and 24:00).",
                        policy=policy.name,
                    )
                )
            if policy.tolerance_days < 0 or policy.max_contacts < 0 or policy.min_gap_days < 0:
                raise ValidationError(
                    self.env._(
                        "Call policy “%(policy)s”: tolerance, maximum contacts and minimum gap "
                        "cannot be negative.",
                        policy=policy.name,
                    )
                )
            if policy.max_contacts and policy.max_contacts_days <= 0:
                raise ValidationError(
                    self.env._(
                        "Call policy “%(policy)s”: the period of the maximum contacts must be "
                        "at least one day.",
                        policy=policy.name,
                    )
                )

    @api.constrains(*WEEKDAYS)
    def _check_days(self):
        for policy in self:
            if not any(policy[day] for day in WEEKDAYS):
                raise ValidationError(
                    self.env._(
                        "Call policy “%(policy)s”: choose at least one preferred day.",
                        policy=policy.name,
                    )
                )

    def _compute_call_count(self):
        counts = dict(
            self.env["crm.call"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.call_count = counts.get(policy, 0)

    @property
    def consent_channel(self):
        return CONSENT_CHANNEL[self.channel]

    def _interval(self):
        self.ensure_one()
        return relativedelta(**{self.interval_type: self.interval_number})

    def _weekdays(self):
        self.ensure_one()
        return {index for index, day in enumerate(WEEKDAYS) if self[day]}

    def action_open_calls(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_callplan.crm_call_action")
        action["domain"] = [("policy_id", "=", self.id)]
        return action
