from datetime import timedelta

from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_buying_habits")
class TestCallCampaign(CallPlanCommon):
    """A call campaign over a target list of customers and leads.

    The list holds three SMB customers and five open leads:

    ============================  ==========================================
    unit                          expected
    ============================  ==========================================
    customer Ok                   called about its lead (one call, not two)
    customer No calls (dnc_phone) skipped: do not contact
    customer Withdrawn            skipped: consent withdrawn
    lead of Ok                    the call above, linked to the lead
    prospect Pat (no customer)    a customer created from the lead, called
    prospect Blacky (blacklisted) skipped, no customer created
    lead of Wanda (withdrew)      skipped: consent withdrawn
    lead of Nina (person, ok)     called at her company, Nina the contact
    ============================  ==========================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ok = cls._partners(1, name="Ok Ltd")
        cls.no_calls = cls._partners(1, name="No calls Ltd", dnc_phone=True)
        cls.withdrawn = cls._partners(1, name="Withdrawn Ltd")
        cls.withdrawn._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        cls.nina_company = cls._partners(1, segment=cls.segment_key, name="Nina Corp")
        Partner = cls.env["res.partner"]
        cls.nina = Partner.create(
            {"name": "Nina", "parent_id": cls.nina_company.id, "phone": "+1 555 0200001"}
        )
        cls.wanda = Partner.create({"name": "Wanda", "phone": "+1 555 0200002"})
        cls.wanda._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        Lead = cls.env["crm.lead"]
        cls.lead_ok = Lead.create({"name": "CPC Ok upsell", "partner_id": cls.ok.id})
        cls.lead_pat = Lead.create(
            {
                "name": "CPC Pat prospect",
                "contact_name": "Pat Prospect",
                "email_from": "pat@prospect.example.com",
                "phone": "+1 555 0200003",
            }
        )
        cls.lead_blacky = Lead.create(
            {"name": "CPC Blacky prospect", "contact_name": "Blacky", "phone": "+32 470 12 34 56"}
        )
        cls.env["phone.blacklist"]._add([cls.lead_blacky.phone_sanitized])
        cls.lead_wanda = Lead.create({"name": "CPC Wanda", "partner_id": cls.wanda.id})
        cls.lead_nina = Lead.create({"name": "CPC Nina", "partner_id": cls.nina.id})
        cls.customers = cls.ok | cls.no_calls | cls.withdrawn
        cls.leads = cls.lead_ok | cls.lead_pat | cls.lead_blacky | cls.lead_wanda | cls.lead_nina
        cls.target = cls.env["crm.customer.target.list"].create(
            {
                "name": "CPC campaign list",
                "audience": "both",
                # the leads' customers must be in the list too (Wanda, Nina's company)
                "partner_domain": repr(
                    [("id", "in", (cls.customers | cls.wanda | cls.nina_company).ids)]
                ),
                "lead_domain": repr([("id", "in", cls.leads.ids)]),
                "holdout_percent": 0.0,
            }
        )

    def _campaign(self, **values):
        run = self.env["crm.call.plan.run"].create(
            {
                "date_from": self.date_from,
                "horizon_weeks": 2,
                "target_list_id": self.target.id,
                "campaign_policy_id": self.policy_smb.id,
                **values,
            }
        )
        run.action_generate()
        return run

    def _campaign_calls(self, run):
        return self.env["crm.call"].search([("plan_run_id", "=", run.id)])

    def test_campaign_over_leads_and_customers(self):
        run = self._campaign()
        self.assertEqual(run.state, "done")
        calls = self._campaign_calls(run)
        by_lead = {call.lead_id: call for call in calls}
        # Ok is called once, about its lead; Pat and Nina about theirs
        self.assertEqual(set(by_lead), {self.lead_ok, self.lead_pat, self.lead_nina})
        self.assertEqual(len(calls), 3)
        self.assertEqual(by_lead[self.lead_ok].partner_id, self.ok)
        self.assertFalse(by_lead[self.lead_ok].contact_id)
        # Nina is a person of Nina Corp: the account is called, Nina is the contact
        self.assertEqual(by_lead[self.lead_nina].partner_id, self.nina_company)
        self.assertEqual(by_lead[self.lead_nina].contact_id, self.nina)
        # the prospect got a customer from its details, as Odoo's conversion does
        pat = self.lead_pat.partner_id
        self.assertEqual(pat.name, "Pat Prospect")
        self.assertEqual(pat.email, "pat@prospect.example.com")
        self.assertEqual(by_lead[self.lead_pat].partner_id, pat)
        for call in calls:
            self.assertEqual(call.target_list_id, self.target)
            self.assertEqual(call.policy_id, self.policy_smb)
            self.assertEqual(call.channel, "phone")
            self.assertEqual(call.state, "planned")
            self.assertEqual(call.deadline_date, run.date_to)
            self.assertLessEqual(call.planned_date.date(), run.date_to)
            self.assertEqual(len(call.answer_ids), 3)  # the policy's checklist
        self.assertEqual(by_lead[self.lead_ok].name, "Phone: CPC Ok upsell")

        skipped = {
            (line.partner_id, line.lead_id): line.reason
            for line in run.line_ids
            if line.line_type == "skipped"
        }
        Lead = self.env["crm.lead"]
        self.assertIn("do not contact", skipped[self.no_calls, Lead])
        self.assertEqual(skipped[self.withdrawn, Lead], "consent withdrawn")
        self.assertEqual(skipped[self.wanda, self.lead_wanda], "consent withdrawn")
        self.assertEqual(skipped[self.env["res.partner"], self.lead_blacky], "blacklisted address")
        # a customer with a lead of the list is called (or skipped) about the lead only
        self.assertEqual(len(skipped), 4)
        self.assertEqual(run.skipped_count, 4)
        # no customer is created for a prospect that may not be called
        self.assertFalse(self.lead_blacky.partner_id)
        self.assertFalse(self.env["crm.call"].search([("partner_id", "=", self.no_calls.id)]))

    def test_our_own_company_on_the_list_is_not_called(self):
        """A target list that takes in our own company (it matches the
        list's rule like any company) and a colleague's lead: neither is
        called, and the report says why."""
        ours = self.env.company.partner_id
        colleague = self.callplan_manager.partner_id
        colleague_lead = self.env["crm.lead"].create(
            {"name": "CPC colleague", "partner_id": colleague.id}
        )
        self.target.write(
            {
                "partner_domain": repr([("id", "in", (self.ok | ours | colleague).ids)]),
                "lead_domain": repr([("id", "in", colleague_lead.ids)]),
            }
        )
        run = self._campaign()
        self.assertEqual(self._campaign_calls(run).partner_id, self.ok)
        lines = {(line.partner_id, line.lead_id): line for line in run.line_ids}
        Lead = self.env["crm.lead"]
        self.assertEqual(lines[ours, Lead].line_type, "skipped")
        self.assertIn("our own companies", lines[ours, Lead].reason)
        self.assertIn("our own companies", lines[colleague, colleague_lead].reason)

    def test_list_shows_its_campaigns(self):
        self.assertEqual(self.target.campaign_count, 0)
        run = self._campaign()
        self.target.invalidate_recordset(["campaign_count"])
        self.assertEqual(self.target.campaign_count, 1)
        action = self.target.action_open_campaigns()
        self.assertEqual(self.env["crm.call.plan.run"].search(action["domain"]), run)
        self.assertEqual(action["context"]["default_target_list_id"], self.target.id)
        # a Customer Care user (no call plan rights) still opens the list
        self.assertEqual(self.target.with_user(self.care_user).campaign_count, 1)

    def test_retried_chunk_and_recurring_plan(self):
        """A retried chunk plans nothing twice; the recurring plan still
        plans its own calls for an account the campaign calls the same day."""
        run = self._campaign()
        self.assertEqual(run.call_count, 3)
        run._generate_chunk((self.no_calls | self.withdrawn).ids, self.leads.ids)
        self.assertEqual(len(self._campaign_calls(run)), 3)
        plan = self._run(weeks=2)
        regular = self.env["crm.call"].search(
            [("plan_run_id", "=", plan.id), ("partner_id", "=", self.ok.id)]
        )
        self.assertEqual(regular.mapped("due_date"), [self.date_from])
        self.assertFalse(regular.target_list_id)

    def test_campaign_needs_a_policy(self):
        run = self.env["crm.call.plan.run"].create(
            {"date_from": self.date_from, "target_list_id": self.target.id}
        )
        with self.assertRaisesRegex(UserError, "no campaign policy"):
            run.action_generate()
        self.assertEqual(run.state, "draft")

    def test_opt_in_policy_refuses_prospects(self):
        """A policy that needs a grant cannot call a prospect (it granted
        nothing) and creates no customer for it."""
        self.policy_smb.require_opt_in = True
        self.ok._ccare_record_consent("sales_calls", "phone", "granted")
        run = self._campaign()
        calls = self._campaign_calls(run)
        self.assertEqual(calls.lead_id, self.lead_ok)
        self.assertFalse(self.lead_pat.partner_id)
        reasons = {line.lead_id: line.reason for line in run.line_ids if line.lead_id}
        self.assertEqual(reasons[self.lead_pat], "no consent given")

    def test_withdrawal_cancels_campaign_call(self):
        """Consent until the moment of contact: a withdrawal after planning
        cancels the campaign's call to the lead's contact."""
        run = self._campaign()
        call = self._campaign_calls(run).filtered(lambda c: c.lead_id == self.lead_nina)
        self.nina._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        self.assertEqual(call.state, "cancelled")

    def test_campaign_frozen_once_started(self):
        run = self._campaign()
        with self.assertRaises(UserError):
            run.write({"target_list_id": False})
        call = self._campaign_calls(run)[:1]
        with self.assertRaises(UserError):
            call.write({"target_list_id": False})

    def test_min_gap_pushes_or_skips(self):
        """The policy's minimum gap after the last contact: Ok was reached
        yesterday, the gap (20 days) ends after the two-week horizon."""
        self.policy_smb.min_gap_days = 20
        done = self._call(self.ok, planned_date=self.date_from - timedelta(days=1))
        with done._ccare_transition():
            done.write({"state": "done", "date_done": done.planned_date})
        self.env.flush_all()
        run = self._campaign()
        self.assertFalse(self._campaign_calls(run).filtered(lambda c: c.partner_id == self.ok))
        limits = [line for line in run.line_ids if line.line_type == "limit"]
        self.assertEqual([line.lead_id for line in limits], [self.lead_ok])
        self.assertIn("no call before", limits[0].reason)


@tagged("post_install", "-at_install", "ccare_buying_habits")
class TestCallCampaignQueries(CallPlanCommon):
    """A campaign's launch and chunk work in a constant number of queries:
    customers, and leads of customers (each with its own contact person)."""

    def _world(self, count):
        customers = self._partners(count, name=f"Q{count} Ltd")
        people = self.env["res.partner"].create(
            [
                {"name": f"Q{count} person {i}", "parent_id": c.id, "phone": f"+1 555 03{i:05d}"}
                for i, c in enumerate(customers)
            ]
        )
        leads = self.env["crm.lead"].create(
            [{"name": f"Q{count} lead {i}", "partner_id": p.id} for i, p in enumerate(people)]
        )
        others = self._partners(count, name=f"Q{count} other")
        target = self.env["crm.customer.target.list"].create(
            {
                "name": f"Q{count}",
                "audience": "both",
                "partner_domain": repr([("id", "in", (customers | others).ids)]),
                "lead_domain": repr([("id", "in", leads.ids)]),
                "holdout_percent": 0.0,
            }
        )
        run = self.env["crm.call.plan.run"].create(
            {
                "date_from": self.date_from,
                "horizon_weeks": 2,
                "target_list_id": target.id,
                "campaign_policy_id": self.policy_smb.id,
            }
        )
        return run

    def test_constant_queries(self):
        # the user's time zone in the context, as the web client sends it: the
        # consent check's "today" then reads no user record, whatever the cache
        self.env = self.env(context=dict(self.env.context, tz=self.env.user.tz or "UTC"))
        self._world(5).action_generate()  # a first campaign: the others also see its calls
        counts = []
        for count in (12, 30):
            run = self._world(count)
            # the launch (list, consent, holdout) and its one chunk
            counts.append(self.count_queries(run.action_generate))
            run.invalidate_recordset()
            self.assertEqual(run.call_count, 2 * count)
            self.assertEqual((run.state, run.chunk_done), ("done", 1), count)
        self.assertEqual(len(set(counts)), 1, counts)
