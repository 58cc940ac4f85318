from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

AGREEMENT_STATES = [("draft", "Draft"), ("in_force", "In Force"), ("ended", "Ended")]
# the call purposes (a call's policy's consent purpose, "sales calls" for a
# call without policy) and channels an agreement may cover: one boolean each
PURPOSE_FIELDS = {
    "sales_calls": "purpose_sales_calls",
    "marketing": "purpose_marketing",
    "profiling": "purpose_profiling",
    "sharing": "purpose_sharing",
}
CHANNEL_FIELDS = {
    "phone": "channel_phone",
    "video": "channel_video",
    "visit": "channel_visit",
    "email": "channel_email",
}
# what the agents may see of a customer, beside the name (always shared:
# nobody calls an anonymous customer). Revenue, health, segment, identity
# and other sensitive data are no option at all.
SHARE_FIELDS = (
    "share_phone",
    "share_email",
    "share_contact",
    "share_address",
    "share_topic",
    "share_checklist",
)
TERM_FIELDS = (
    "name",
    "agency_id",
    "company_id",
    "date_start",
    "date_end",
    "window_days",
    *PURPOSE_FIELDS.values(),
    *CHANNEL_FIELDS.values(),
    *SHARE_FIELDS,
    "note",
)


class CrmCallAgencyAgreement(models.Model):
    """The data-processing agreement under which an outsourcing agency's
    agents call our customers (PDPO DPP2(3) and DPP4(2), GDPR art. 28):
    for which purposes and on which channels, which of the customer's data
    they see, and for how many days after a call. Its agents see a
    customer only through a call inside an agreement in force, until the
    agreement ends or the window after the call passes.

    Draft → in force → ended, through :meth:`action_start` and
    :meth:`action_end`; the terms are locked once in force."""

    _name = "crm.call.agency.agreement"
    _description = "Agency Data-Processing Agreement"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    _ccare_workflow_fields = ("state", "date_ended", "ended_by_id")
    _ccare_frozen_fields = TERM_FIELDS

    name = fields.Char("Reference", required=True, tracking=True)
    agency_id = fields.Many2one(
        "crm.call.agency",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        AGREEMENT_STATES, required=True, default="draft", tracking=True, index=True, copy=False
    )
    date_start = fields.Date("Start", required=True, tracking=True)
    date_end = fields.Date("End", required=True, tracking=True)
    date_ended = fields.Date("Ended On", readonly=True, copy=False, tracking=True)
    ended_by_id = fields.Many2one("res.users", "Ended By", readonly=True, copy=False)
    window_days = fields.Integer(
        "Days Visible After the Call",
        default=30,
        required=True,
        tracking=True,
        help="The agents see the customer of a call until this many days after the call "
        "(and never after the agreement's end).",
    )
    purpose_sales_calls = fields.Boolean("Sales Calls", default=True)
    purpose_marketing = fields.Boolean("Marketing")
    purpose_profiling = fields.Boolean("Profiling")
    purpose_sharing = fields.Boolean("Sharing with Third Parties")
    channel_phone = fields.Boolean("Phone", default=True)
    channel_video = fields.Boolean("Video Call", default=True)
    channel_visit = fields.Boolean("Visit")
    channel_email = fields.Boolean("Email")
    share_phone = fields.Boolean("Phone Number", default=True)
    share_email = fields.Boolean("Email Address")
    share_contact = fields.Boolean(
        "Contact Person", help="The name of the person to speak to at the customer."
    )
    share_address = fields.Boolean(
        "Address", help="Only for agreements that allow visits: a visit needs the address."
    )
    share_topic = fields.Boolean(
        "Call Topic", default=True, help="The policy or campaign the call is made for."
    )
    share_checklist = fields.Boolean("Checklist", default=True)
    note = fields.Html("Terms")
    call_count = fields.Integer("Calls", compute="_compute_call_count")

    _window_days_positive = models.Constraint(
        "CHECK (window_days >= 0)",
        "The days the agents see a customer after a call cannot be negative.",
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_end < agreement.date_start:
                raise ValidationError(
                    self.env._(
                        "Agreement “%(agreement)s”: it cannot end before it starts.",
                        agreement=agreement.name,
                    )
                )

    @api.constrains("share_address", "channel_visit")
    def _check_address(self):
        for agreement in self:
            if agreement.share_address and not agreement.channel_visit:
                raise ValidationError(
                    self.env._(
                        "Agreement “%(agreement)s”: the customers' address is shared only with "
                        "agencies that visit them; allow visits or do not share the address.",
                        agreement=agreement.name,
                    )
                )

    @api.constrains(*PURPOSE_FIELDS.values(), *CHANNEL_FIELDS.values())
    def _check_scope(self):
        for agreement in self:
            if not any(agreement[name] for name in PURPOSE_FIELDS.values()) or not any(
                agreement[name] for name in CHANNEL_FIELDS.values()
            ):
                raise ValidationError(
                    self.env._(
                        "Agreement “%(agreement)s”: allow at least one purpose and one channel.",
                        agreement=agreement.name,
                    )
                )

    def _compute_call_count(self):
        counts = dict(
            self.env["crm.call"]
            .sudo()
            ._read_group(
                [("agency_agreement_id", "in", self.ids)], ["agency_agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            agreement.call_count = counts.get(agreement, 0)

    # ------------------------------------------------------------ coverage
    def _covers(self, purpose, channel):
        """Whether the agreement allows calls for ``purpose`` on ``channel``."""
        self.ensure_one()
        purpose_field = PURPOSE_FIELDS.get(purpose)
        channel_field = CHANNEL_FIELDS.get(channel)
        return bool(purpose_field and channel_field and self[purpose_field] and self[channel_field])

    def _shared_labels(self):
        """The customer data the agreement shares, as the agents see it."""
        self.ensure_one()
        labels = [self.env._("Name")]
        labels += [
            self._fields[name]._description_string(self.env) for name in SHARE_FIELDS if self[name]
        ]
        return ", ".join(labels)

    # ------------------------------------------------------------ workflow
    def action_start(self):
        """Put draft agreements in force."""
        self.check_access("write")
        drafts = self.filtered(lambda a: a.state == "draft")
        if drafts != self:
            raise UserError(self.env._("Only a draft agreement can be put in force."))
        with self._ccare_transition():
            self.write({"state": "in_force"})
        return True

    def action_end(self):
        """End agreements in force today: their agents lose the customers
        of their calls at once (the calls are no longer inside it)."""
        self.check_access("write")
        if self.filtered(lambda a: a.state != "in_force"):
            raise UserError(self.env._("Only an agreement in force can be ended."))
        with self._ccare_transition():
            self.write(
                {
                    "state": "ended",
                    "date_ended": fields.Date.context_today(self),
                    "ended_by_id": self.env.uid,
                }
            )
        return True

    def action_open_calls(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_callplan.crm_call_action")
        action.update(domain=[("agency_agreement_id", "=", self.id)], context={})
        return action

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        # an agreement that was in force is the record of who processed the
        # customers' data: it stays
        if self.filtered(lambda a: a.state != "draft"):
            raise UserError(self.env._("Only a draft agreement can be deleted."))
