"""Allocations that follow the work (ITCSCR304A): training, materials and
funds allocated per team, caller, agency, channel and segment, consumed
from real events (held calls and visits, training sessions), plan against
actual per month."""

from datetime import date
from datetime import datetime
from datetime import timedelta

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.tests import tagged

from .common import CallPlanCommon


class AllocationWorld:
    @classmethod
    def _allocation_world(cls):
        cls.team = cls.env["crm.team"].create(
            {"name": "Allocation Team", "member_ids": [(6, 0, [cls.caller.id, cls.caller2.id])]}
        )
        cls.today = date.today()
        cls.Allocation = cls.env["crm.call.allocation"]

    def _allocation(self, **values):
        return self.Allocation.create(
            {
                "name": values.pop("name", "Allocation"),
                "date_from": self.today - timedelta(days=5),
                "date_to": self.today + timedelta(days=25),
                **values,
            }
        )

    def _held(self, user, caller, channel="phone", **values):
        partner = self._partners(1)
        call = self._call(partner, user=user, caller_id=caller.id, channel=channel, **values)
        call.outcome = "reached"
        call.action_done()
        return call


@tagged("post_install", "-at_install")
class TestAllocationsFollowTheWork(AllocationWorld, CallPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._allocation_world()

    def test_the_most_specific_allocation_pays(self):
        team_funds = self._allocation(name="Team funds", team_id=self.team.id, budget=500)
        carl_funds = self._allocation(name="Carl's funds", caller_id=self.caller_carl.id, budget=50)
        carl_call = self._held(self.caller, self.caller_carl, expense_amount=40)
        cleo_call = self._held(self.caller2, self.caller_cleo, expense_amount=10)
        # Carl's own allocation before his team's; Cleo only has the team's
        self.assertEqual(carl_funds.line_ids.call_id, carl_call)
        self.assertEqual(team_funds.line_ids.call_id, cleo_call)
        self.assertEqual((carl_funds.consumed_amount, carl_funds.remaining_amount), (40.0, 10.0))
        self.assertEqual(team_funds.consumed_amount, 10.0)
        self.assertFalse(carl_funds.is_overspent)
        self._held(self.caller, self.caller_carl, expense_amount=15)
        self.assertEqual(carl_funds.consumed_amount, 55.0)
        self.assertTrue(carl_funds.is_overspent)

    def test_agency_calls_draw_their_price_and_expenses(self):
        agency_funds = self._allocation(agency_id=self.agency.id, budget=100)
        self._held(self.agent, self.caller_agnes, expense_amount=7.5)
        # 12.50 per call (the agency's price) + 7.50 spent on the call
        self.assertEqual(agency_funds.consumed_amount, 20.0)
        self.assertEqual(agency_funds.line_ids.quantity, 1.0)

    def test_materials_issued_on_visits(self):
        leaflets = self._allocation(
            name="Leaflets for visits",
            allocation_type="material",
            channel="visit",
            segment_id=self.segment_smb.id,
            quantity=10,
            unit="leaflets",
        )
        self._held(self.caller, self.caller_carl, channel="visit", material_quantity=4)
        self._held(self.caller, self.caller_carl, channel="phone", material_quantity=2)
        self._held(self.caller2, self.caller_cleo, channel="visit")  # none handed out
        self.assertEqual(leaflets.consumed_quantity, 4.0, "the phone call is not a visit")
        self.assertEqual(len(leaflets.line_ids), 1)
        self.assertEqual(leaflets.remaining_quantity, 6.0)

    def test_no_matching_allocation_no_line(self):
        self._allocation(name="Other team", team_id=self.env["crm.team"].create({"name": "X"}).id)
        call = self._held(self.caller, self.caller_carl, expense_amount=40)
        self.assertFalse(self.env["crm.call.allocation.line"].search([("call_id", "=", call.id)]))

    def test_training_sessions_take_seats_and_budget(self):
        training = self._allocation(
            name="Product training",
            allocation_type="training",
            team_id=self.team.id,
            quantity=2,
            unit="seats",
            budget=250,
        )
        trainees = self.caller.partner_id | self.caller2.partner_id | self.agent.partner_id
        event = self.env["calendar.event"].create(
            {
                "name": "New range: product training",
                "start": datetime.combine(self.today, datetime.min.time()) + timedelta(hours=9),
                "stop": datetime.combine(self.today, datetime.min.time()) + timedelta(hours=12),
                "user_id": self.callplan_manager.id,
                "partner_ids": [(6, 0, (trainees | self.callplan_manager.partner_id).ids)],
                "callplan_allocation_id": training.id,
                "callplan_training_cost": 300,
            }
        )
        # three trainees (the organizer who gives it aside), 300 spent
        self.assertEqual(training.consumed_quantity, 3.0)
        self.assertEqual(training.consumed_amount, 300.0)
        self.assertEqual(training.remaining_quantity, -1.0)
        self.assertTrue(training.is_overspent)
        event.partner_ids = [(3, self.agent.partner_id.id)]
        self.assertEqual(training.consumed_quantity, 2.0)

    def test_plan_against_actual_per_month(self):
        """900 over 1 January - 31 March 2026 (90 days): 310, 280, 310 planned."""
        allocation = self.Allocation.create(
            {
                "name": "Q1 funds",
                "allocation_type": "funds",
                "team_id": self.team.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
                "budget": 900,
            }
        )
        Line = self.env["crm.call.allocation.line"]
        Line.create(
            [
                {"allocation_id": allocation.id, "date": date(2026, 1, 12), "amount": 60},
                {"allocation_id": allocation.id, "date": date(2026, 1, 20), "amount": 40},
                {"allocation_id": allocation.id, "date": date(2026, 2, 3), "amount": 400},
            ]
        )
        self.env.flush_all()
        rows = self.env["crm.call.allocation.period.report"].search(
            [("allocation_id", "=", allocation.id)], order="month"
        )
        self.assertEqual(
            [(r.month, r.planned_amount, r.actual_amount, r.is_overspent) for r in rows],
            [
                (date(2026, 1, 1), 310.0, 100.0, False),
                (date(2026, 2, 1), 280.0, 400.0, True),
                (date(2026, 3, 1), 310.0, 0.0, False),
            ],
        )
        self.assertEqual(rows[1].variance_amount, 120.0)
        self.assertEqual(sum(rows.mapped("planned_amount")), 900.0)
        self.assertEqual(rows.team_id, self.team)


@tagged("post_install", "-at_install")
class TestAllocationAttacks(AllocationWorld, RpcCase, CallPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._allocation_world()

    def test_consumption_is_fixed_once_the_call_is_held(self):
        funds = self._allocation(caller_id=self.caller_carl.id, budget=100)
        call = self._held(self.caller, self.caller_carl, expense_amount=40)
        for vals in ({"expense_amount": 0}, {"material_quantity": 5}):
            self.assertRefused("cp_caller", "crm.call", "write", [call.ids, vals])
        # callers read allocations, they do not book on them
        self.assertRefused(
            "cp_caller",
            "crm.call.allocation.line",
            "create",
            [{"allocation_id": funds.id, "amount": -40}],
        )
        self.assertRefused(
            "cp_caller", "crm.call.allocation.period.report", "search_read", [[], ["actual_amount"]]
        )
        self.assertEqual(funds.consumed_amount, 40.0)
