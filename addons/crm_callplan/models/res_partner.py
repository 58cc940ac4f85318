from datetime import datetime
from datetime import time

from odoo import fields
from odoo import models
from odoo.tools import SQL


class ResPartner(models.Model):
    """Calls on the customer: smart button, the plan job entry point, and
    the calls feeding crm_customer_care's last/next contact and cost to serve."""

    _inherit = "res.partner"

    callplan_call_ids = fields.One2many(
        "crm.call", "partner_id", string="Calls", groups="crm_callplan.group_crm_callplan_caller"
    )
    callplan_call_count = fields.Integer(
        "Call Count",
        compute="_compute_callplan_call_count",
        groups="crm_callplan.group_crm_callplan_caller",
    )

    def _ccare_subject_access_sections(self):
        calls = (
            self.env["crm.call"]
            .sudo()
            .search(
                ["|", ("partner_id", "in", self.ids), ("contact_id", "in", self.ids)],
                order="planned_date, id",
            )
        )
        fields = ["planned_date", "channel", "state", "outcome", "caller_id", "contact_id"]
        fields += ["actual_duration", "satisfaction", "summary", "findings", "date_done"]
        return [
            *super()._ccare_subject_access_sections(),
            ("calls", self.env._("Calls"), calls, fields),
        ]

    def _compute_callplan_call_count(self):
        counts = dict(
            self.env["crm.call"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.callplan_call_count = counts.get(partner._origin, 0)

    def action_open_calls(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_callplan.crm_call_action")
        action.update(
            domain=[("partner_id", "=", self.id)],
            context={"default_partner_id": self.id},
        )
        return action

    def _callplan_generate(self, run_id):
        """The queued job of one chunk of a plan run."""
        run = self.env["crm.call.plan.run"].sudo().browse(run_id).exists()
        if run:
            run._generate_chunk(self.ids)

    # ------------------------------------------------------------ contact dates
    def _ccare_contact_events(self):
        """Done calls are the last contact, planned ones the next: one query."""
        events = super()._ccare_contact_events()
        if not self:
            return events
        self.env["crm.call"].flush_model(
            ["partner_id", "contact_id", "state", "date_done", "planned_date"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id,
                       max(c.date_done) FILTER (WHERE c.state = 'done'),
                       min(c.planned_date) FILTER (WHERE c.state = 'planned')
                  FROM crm_call c
                  JOIN res_partner p ON p.id = coalesce(c.contact_id, c.partner_id)
                 WHERE coalesce(c.contact_id, c.partner_id) = ANY(%s)
                 GROUP BY p.id
                """,
                self.ids,
            )
        )
        calls = {
            partner_id: (last and last.date(), next_ and next_.date())
            for partner_id, last, next_ in rows
            if last or next_
        }
        return self._ccare_merge_contact_events(events, calls)

    # ------------------------------------------------------------ cost to serve
    def _ccare_cost_to_serve(self, date_from, date_to):
        """Add what the agencies charge for the calls done in the period."""
        costs = super()._ccare_cost_to_serve(date_from, date_to)
        if not self:
            return costs
        self.env["crm.call"].flush_model(["partner_id", "state", "date_done", "cost"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, sum(c.cost)
                  FROM crm_call c
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE p.commercial_partner_id = ANY(%s) AND c.state = 'done'
                   AND c.date_done BETWEEN %s AND %s AND c.cost > 0
                 GROUP BY p.commercial_partner_id
                """,
                self.ids,
                datetime.combine(date_from, time.min),
                datetime.combine(date_to, time.max),
            )
        )
        for partner_id, amount in rows:
            costs[partner_id] = costs.get(partner_id, 0.0) + float(amount or 0.0)
        return costs

    def _ccare_consent_changed(self):
        """Cancel the planned calls these partners' narrowed consent now
        forbids (calls to them, to their contacts, or to their account),
        with the reason on the call and in its chatter. Set-based."""
        res = super()._ccare_consent_changed()
        partners = self._ccare_affected_partners()
        calls = (
            self.env["crm.call"]
            .sudo()
            .search(
                [
                    ("state", "=", "planned"),
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("contact_id", "in", partners.ids),
                ]
            )
        )
        calls._callplan_cancel_by_consent(calls._callplan_contact_blocks())
        return res

    def _ccare_anonymise_hook(self):
        """Calls lose what they say about the person (subject, findings,
        summary, reasons, checklist answers in free text or choices, their
        chatter and meetings); dates, states, outcomes, durations and
        costs stay for the statistics."""
        erased = super()._ccare_anonymise_hook()
        people = self.sudo().with_context(active_test=False, tracking_disable=True)
        calls = people.env["crm.call"].search(
            ["|", ("partner_id", "in", people.ids), ("contact_id", "in", people.ids)]
        )
        if not calls:
            return erased
        events = calls.calendar_event_id
        # the anonymisation is a transition of its own (cancel reason included)
        with calls._ccare_transition():
            calls.write(
                {
                    "name": self.env._("Anonymised call"),
                    "findings": False,
                    "summary": False,
                    "cancel_reason": False,
                    "consent_evidence": False,
                    "share_with_customer": False,
                }
            )
        calls.answer_ids.write({"value_text": False, "value_choice": False})
        events.write(
            {"name": self.env._("Anonymised call"), "location": False, "description": False}
        )
        self._ccare_erase_messages("crm.call", calls.ids)
        self._ccare_erase_messages("calendar.event", events.ids)
        return [*erased, "calls", "checklist answers"]
