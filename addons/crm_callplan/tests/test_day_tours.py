from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_day")
class TestCallPlanDayTours(HttpCase):
    """Each role's day on the demo data, as the demo user, through the UI."""

    def test_caller_day_calls_today(self):
        """Cal Caller opens My Calls Today, completes today's Azure Interior
        call (checklist, outcome) with a follow-up in two weeks: the call is
        done, the follow-up planned for Cal on that day, the list one shorter."""
        call = self.env.ref("crm_callplan.call_azure_today")
        caller = self.env.ref("crm_callplan.user_caller")
        self.assertEqual((call.state, call.user_id), ("planned", caller))
        self.start_tour("/odoo", "caller_day_calls_today", login="caller")
        self.assertEqual((call.state, call.outcome), ("done", "reached"))
        self.assertEqual(
            call.answer_ids.filtered(lambda a: a.question_type == "yes_no").value_yes_no, "yes"
        )
        follow_up = self.env["crm.call"].search([("previous_call_id", "=", call.id)])
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(
            (follow_up.state, follow_up.user_id, follow_up.partner_id),
            ("planned", caller, call.partner_id),
        )
        self.assertEqual(follow_up.planned_date.date(), fields.Date.today() + timedelta(days=14))
        self.assertEqual(follow_up.checklist_template_id, call.checklist_template_id)

    def test_agent_day_own_calls(self):
        """Anna Agent opens her Agent Calls app: her calls only (none of Cal's
        Azure Interior calls), the customer's name but not the record, the
        checklist but not the findings, no Cancel button."""
        agent = self.env.ref("crm_callplan.user_agent")
        Call = self.env["crm.call"]
        self.assertTrue(
            Call.search_count(
                [("user_id", "!=", agent.id), ("partner_id.name", "=", "Azure Interior")]
            ),
            "the demo has another caller's calls to hide",
        )
        self.start_tour("/odoo", "agent_day_own_calls", login="agent")
