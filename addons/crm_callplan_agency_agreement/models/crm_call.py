from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Domain

AGENT_GROUP = "crm_callplan.group_crm_callplan_agent"
CALLER_GROUP = "crm_callplan.group_crm_callplan_caller"


class CrmCall(models.Model):
    """A call given to an agency falls under the agency's agreement that
    covers its purpose, channel and day; its agents see the call, and the
    customer's data the agreement shares, from the agreement's start until
    ``agency_visible_until`` and while the agreement is in force (record
    rules on ``agency_access``, evaluated at every read)."""

    _inherit = "crm.call"

    agency_agreement_id = fields.Many2one(
        "crm.call.agency.agreement",
        "Agency Agreement",
        compute="_compute_agency_agreement",
        store=True,
        readonly=True,
        index="btree_not_null",
        groups=CALLER_GROUP,
        help="The agency's data-processing agreement the call falls under: in force on the "
        "day of the call, covering its purpose and channel.",
    )
    agency_visible_until = fields.Date(
        "Customer Visible Until",
        compute="_compute_agency_agreement",
        store=True,
        readonly=True,
        help="The agency's agents see this call and its customer until this day: the "
        "agreement's window after the call, never past the agreement's end.",
    )
    agency_access = fields.Boolean(
        "Visible to the Agency",
        compute="_compute_agency_access",
        search="_search_agency_access",
    )
    # what the agreement shares with the agents (empty when it does not)
    agency_topic = fields.Char("Topic", compute="_compute_agency_data", compute_sudo=True)
    agency_email = fields.Char("Email", compute="_compute_agency_data", compute_sudo=True)
    agency_address = fields.Char("Address", compute="_compute_agency_data", compute_sudo=True)
    agency_shared_data = fields.Char(
        "Data Shared with the Agency", compute="_compute_agency_data", compute_sudo=True
    )

    def _agency_call_day(self):
        self.ensure_one()
        moment = self.date_done or self.planned_date
        return moment and moment.date()

    def _agency_purpose(self):
        self.ensure_one()
        return self.policy_id.consent_purpose or "sales_calls"

    @api.depends(
        "agency_id",
        "policy_id.consent_purpose",
        "channel",
        "planned_date",
        "date_done",
        "agency_id.agreement_ids.state",
        "agency_id.agreement_ids.date_start",
        "agency_id.agreement_ids.date_end",
        "agency_id.agreement_ids.date_ended",
        "agency_id.agreement_ids.window_days",
    )
    def _compute_agency_agreement(self):
        for call in self:
            day = call._agency_call_day()
            agreement = call.agency_agreement_id.browse()
            if call.agency_id and day:
                agreement = call.agency_id._agreement_for(call._agency_purpose(), call.channel, day)
            call.agency_agreement_id = agreement
            call.agency_visible_until = (
                min(
                    agreement.date_ended or agreement.date_end,
                    day + timedelta(days=agreement.window_days),
                )
                if agreement
                else False
            )

    @api.depends_context("uid")
    @api.depends("agency_agreement_id.state", "agency_agreement_id.date_start")
    def _compute_agency_access(self):
        today = fields.Date.context_today(self)
        for call in self.sudo():
            agreement = call.agency_agreement_id
            call.agency_access = bool(
                agreement.state == "in_force"
                and agreement.date_start <= today <= call.agency_visible_until
            )

    def _search_agency_access(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        visible = Domain(
            [
                ("agency_agreement_id.state", "=", "in_force"),
                ("agency_agreement_id.date_start", "<=", today),
                ("agency_visible_until", ">=", today),
            ]
        )
        return visible if (operator == "=") == value else ~visible

    @api.depends(
        "agency_agreement_id",
        "policy_id.name",
        "target_list_id.name",
        "partner_id.email",
        "contact_id.email",
        "partner_id.contact_address",
        "contact_id.contact_address",
    )
    def _compute_agency_data(self):
        for call in self:
            agreement = call.agency_agreement_id
            person = call.contact_id or call.partner_id
            call.agency_topic = agreement.share_topic and (
                call.target_list_id.name or call.policy_id.name
            )
            call.agency_email = agreement.share_email and (person.email or call.partner_id.email)
            call.agency_address = agreement.share_address and call.partner_id.contact_address
            call.agency_shared_data = agreement._shared_labels() if agreement else False

    def _agency_restricted(self):
        """The user reads calls as an outsourced agent (an agent who is no
        caller), who sees of a customer only what the agreement shares."""
        user = self.env.user
        return user.has_group(AGENT_GROUP) and not user.has_group(CALLER_GROUP)

    @api.depends_context("uid")
    @api.depends(
        "partner_id.phone",
        "contact_id.phone",
        "partner_id.name",
        "contact_id.name",
        "agency_agreement_id",
    )
    def _compute_contact_info(self):
        super()._compute_contact_info()
        if not self._agency_restricted():
            return
        for call in self:
            agreement = call.sudo().agency_agreement_id
            if not agreement.share_contact:
                call.contact_name = False
            if not agreement.share_phone:
                call.phone = False

    @api.model
    def _insert_planned(self, vals_list):
        # the plan inserts its calls in SQL: their agreement is computed here
        calls = super()._insert_planned(vals_list)
        given = calls.sudo().filtered("agency_id")
        if given:
            for name in ("agency_agreement_id", "agency_visible_until"):
                self.env.add_to_compute(self._fields[name], given)
            given.flush_recordset(["agency_agreement_id", "agency_visible_until"])
        return calls
