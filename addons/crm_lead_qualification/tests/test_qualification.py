from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests import users
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestLeadQualification(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lead.qualification.ruleset"].search([]).active = False
        cls.env["queue.job"].search([]).unlink()  # no waiting chunk from the demo data
        cls.team = cls.env["crm.team"].create({"name": "Qualification Team"})
        cls.revenue_field = cls.env["ir.model.fields"]._get("crm.lead", "expected_revenue")
        cls.ruleset = cls.env["crm.lead.qualification.ruleset"].create(
            {
                "name": "Standard",
                "criterion_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Has an email",
                            "kind": "domain",
                            "domain": "[('email_from', '!=', False)]",
                            "points": 20,
                            "required": True,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Big deal",
                            "kind": "threshold",
                            "field_id": cls.revenue_field.id,
                            "operator": ">=",
                            "threshold": 10000,
                            "points": 50,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Has a phone",
                            "kind": "domain",
                            "domain": "[('phone', '!=', False)]",
                            "points": 15,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Free mail",
                            "kind": "domain",
                            "domain": "[('email_from', 'ilike', '@gmail.')]",
                            "points": -30,
                        },
                    ),
                ],
                "grade_ids": [
                    (0, 0, {"name": "A", "min_score": 70}),
                    (0, 0, {"name": "B", "min_score": 35}),
                    (0, 0, {"name": "C", "min_score": 20}),
                ],
            }
        )
        cls.grade = {g.name: g for g in cls.ruleset.grade_ids}

    def _lead(self, **vals):
        return self.env["crm.lead"].create({"name": "Qualification lead", **vals})

    def test_empty_qualified_leads_says_what_the_user_can_see(self):
        """A care user whose colleagues hold every qualified lead sees an
        empty Qualified Leads: the screen says what they can see, not that
        there are no qualified leads."""
        self._lead(email_from="big@corp.example.com", user_id=self.care_manager.id)
        action = self.env.ref("crm_lead_qualification.crm_lead_action_qualified")
        domain = safe_eval(action.domain)
        Lead = self.env["crm.lead"]
        self.assertGreater(
            Lead.search_count(domain), Lead.with_user(self.care_user).search_count(domain)
        )
        self.assertNotIn("No qualified leads yet", action.help)
        self.assertIn("You see your own leads and the unassigned ones", action.help)

    def test_grades_from_weighted_criteria(self):
        hot = self._lead(
            email_from="buyer@acme.example", phone="+32 2 555 12 12", expected_revenue=25000
        )
        warm = self._lead(email_from="buyer@acme.example", phone="+32 2 555 12 13")
        cold = self._lead(email_from="someone@gmail.com", phone="+32 2 555 12 14")
        self.assertEqual(
            (hot.qualification_score, hot.qualification_grade_id), (85, self.grade["A"])
        )
        self.assertEqual(
            (warm.qualification_score, warm.qualification_grade_id), (35, self.grade["B"])
        )
        # negative points: 20 + 15 - 30 = 5, below every grade
        self.assertEqual(cold.qualification_score, 5)
        self.assertTrue(cold.qualification_disqualified)
        self.assertFalse(cold.qualification_grade_id)
        self.assertEqual(hot.qualification_ruleset_id, self.ruleset)
        self.assertTrue(hot.qualification_date)

    def test_required_criterion_knocks_out(self):
        lead = self._lead(phone="+32 2 555 12 12", expected_revenue=99999)
        self.assertEqual(lead.qualification_score, 65, "points still count")
        self.assertTrue(lead.qualification_disqualified, "but the gate failed")
        self.assertIn("missed required: Has an email", lead.qualification_summary)

    def test_why_lists_matched_and_missed_criteria(self):
        lead = self._lead(email_from="buyer@acme.example", expected_revenue=20000)
        explanation = str(lead.qualification_explanation)
        for name in ("Has an email", "Big deal", "Has a phone", "Free mail"):
            self.assertIn(name, explanation)
        self.assertIn("+50", explanation)
        self.assertEqual(lead.qualification_details["m"], self.ruleset.criterion_ids[:2].ids)
        self.assertEqual(lead.qualification_summary, "A (70): Has an email +20; Big deal +50")

    def test_requalified_when_a_criteria_field_changes(self):
        lead = self._lead(email_from="buyer@acme.example")
        self.assertEqual(lead.qualification_grade_id, self.grade["C"])
        lead.expected_revenue = 50000
        self.assertEqual(lead.qualification_grade_id, self.grade["A"])
        lead.email_from = False
        self.assertTrue(lead.qualification_disqualified)

    def test_team_ruleset_preferred(self):
        team_rules = self.env["crm.lead.qualification.ruleset"].create(
            {
                "name": "Team rules",
                "team_id": self.team.id,
                "criterion_ids": [(0, 0, {"name": "Anything", "domain": "[]", "points": 1})],
                "grade_ids": [(0, 0, {"name": "OK", "min_score": 1})],
            }
        )
        in_team = self._lead(team_id=self.team.id)
        elsewhere = self._lead()
        self.assertEqual(in_team.qualification_ruleset_id, team_rules)
        self.assertEqual(in_team.qualification_grade_id.name, "OK")
        self.assertEqual(elsewhere.qualification_ruleset_id, self.ruleset)

    def test_no_ruleset_leaves_lead_unqualified(self):
        self.ruleset.active = False
        lead = self._lead(email_from="buyer@acme.example")
        self.assertFalse(lead.qualification_ruleset_id)
        self.assertFalse(lead.qualification_explanation)

    def test_rule_change_requalifies_in_jobs_queued_once(self):
        leads = self._lead(email_from="a@acme.example") | self._lead(email_from="b@acme.example")
        self.assertEqual(set(leads.mapped("qualification_grade_id.name")), {"C"})
        with trap_jobs() as trap:
            self.ruleset.criterion_ids[0].points = 40
            trap.perform_enqueued_jobs()
        self.assertEqual(set(leads.mapped("qualification_grade_id.name")), {"B"})
        # with real storage, a second run never queues a chunk that still waits
        before = self.env["queue.job"].search_count([])
        self.env["crm.lead.qualification.ruleset"]._cron_rescore_leads()
        queued = self.env["queue.job"].search_count([]) - before
        self.assertGreaterEqual(queued, 1)
        self.env["crm.lead.qualification.ruleset"]._cron_rescore_leads()
        self.assertEqual(self.env["queue.job"].search_count([]) - before, queued)

    def test_coexists_with_predictive_probability(self):
        lead = self._lead(email_from="buyer@acme.example", probability=37)
        automated = lead.automated_probability
        lead._ccare_qualify()
        self.assertEqual(lead.probability, 37)
        self.assertEqual(lead.automated_probability, automated)
        self.assertTrue(lead.qualification_grade_id)

    def test_qualification_is_set_based(self):
        small = self.env["crm.lead"].create(
            [
                {"name": f"S{i}", "email_from": f"s{i}@acme.example", "expected_revenue": i * 1000}
                for i in range(10)
            ]
        )
        large = self.env["crm.lead"].create(
            [
                {"name": f"L{i}", "email_from": f"l{i}@acme.example", "expected_revenue": i * 100}
                for i in range(100)
            ]
        )
        self.env.cr.flush()  # the end of the creating transaction: qualified then
        self.env.cr.execute(
            "UPDATE crm_lead SET qualification_score = 0 WHERE id = ANY(%s)",
            [(small | large).ids],
        )
        self.env.invalidate_all()
        first = self.count_queries(small._ccare_qualify)
        self.env.invalidate_all()
        second = self.count_queries(large._ccare_qualify)
        self.assertEqual(first, second, "queries must not grow with the number of leads")

    def test_rescoring_one_statement_over_rule_sets_and_relational_criteria(self):
        """One batch of leads under a team's rule set (criteria on a tag and
        on the customer's country: subqueries and joins in SQL), the company's
        rule set and none (another company): the rules in three queries and
        the whole batch in one statement; a re-run writes nothing."""
        vip = self.env["crm.tag"].create({"name": "VIP qualification"})
        belgium = self.env.ref("base.be")
        team_rules = self.env["crm.lead.qualification.ruleset"].create(
            {
                "name": "Team rules",
                "team_id": self.team.id,
                "criterion_ids": [
                    (
                        0,
                        0,
                        {"name": "VIP", "domain": repr([("tag_ids", "in", vip.ids)]), "points": 30},
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Belgian customer",
                            "domain": "[('partner_id.country_id.code', '=', 'BE')]",
                            "points": 20,
                            "required": True,
                        },
                    ),
                ],
                "grade_ids": [
                    (0, 0, {"name": "Top", "min_score": 50}),
                    (0, 0, {"name": "Fair", "min_score": 20}),
                ],
            }
        )
        other_company = self.env["res.company"].create({"name": "Unruled company"})
        belgian = self.env["res.partner"].create({"name": "Belgian", "country_id": belgium.id})
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": "T1",
                    "team_id": self.team.id,
                    "partner_id": belgian.id,
                    "tag_ids": vip.ids,
                },
                {"name": "T2", "team_id": self.team.id, "partner_id": belgian.id},
                {"name": "T3", "team_id": self.team.id, "tag_ids": vip.ids},
                {"name": "C1", "email_from": "c1@acme.example", "expected_revenue": 20000},
                {"name": "N1", "company_id": other_company.id, "email_from": "n1@acme.example"},
            ]
        )
        self.env.cr.flush()
        self.env.cr.execute(
            "UPDATE crm_lead SET qualification_score = -1, qualification_details = NULL,"
            " qualification_grade_id = NULL, qualification_ruleset_id = NULL"
            " WHERE id = ANY(%s)",
            [leads.ids],
        )
        self.env.invalidate_all()
        written = []
        # rule sets, criteria, grades, then one UPDATE for the whole batch
        # (the threshold criterion's field name from the registry's cache)
        self.assertEqual(self.count_queries(lambda: written.append(leads._ccare_qualify())), 4)
        self.assertEqual(written, [5], "N1 too: no rule set, its score back to 0")
        t1, t2, t3, c1, n1 = leads
        vip_c, be_c = team_rules.criterion_ids
        self.assertEqual(
            [(lead.qualification_ruleset_id, lead.qualification_score) for lead in leads],
            [
                (team_rules, 50),
                (team_rules, 20),
                (team_rules, 30),
                (self.ruleset, 70),
                (self.env["crm.lead.qualification.ruleset"], 0),
            ],
        )
        self.assertEqual(t1.qualification_grade_id.name, "Top")
        self.assertEqual(t2.qualification_grade_id.name, "Fair")
        self.assertTrue(t3.qualification_disqualified, "not Belgian: the required gate failed")
        self.assertFalse(t3.qualification_grade_id)
        self.assertEqual(t3.qualification_details, {"m": [vip_c.id], "x": [be_c.id]})
        self.assertEqual(t1.qualification_details, {"m": [vip_c.id, be_c.id], "x": []})
        self.assertEqual(c1.qualification_grade_id, self.grade["A"])
        self.assertFalse(n1.qualification_details)
        self.assertFalse(n1.qualification_disqualified)
        self.assertEqual(leads._ccare_qualify(), 0)
        # the tag goes: only that lead is written
        t1.tag_ids = False
        self.env.cr.flush()
        self.assertEqual((t1.qualification_score, t1.qualification_grade_id.name), (20, "Fair"))
        self.assertEqual(leads._ccare_qualify(), 0)

    def test_invalid_criteria_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid filter on Lead"):
            self.ruleset.criterion_ids = [(0, 0, {"name": "Bad", "domain": "[('nope', '=', 1)]"})]
        name_field = self.env["ir.model.fields"]._get("crm.lead", "name")
        with self.assertRaisesRegex(ValidationError, "needs a numeric lead field"):
            self.ruleset.criterion_ids = [
                (0, 0, {"name": "Text", "kind": "threshold", "field_id": name_field.id})
            ]

    @users("care_user")
    def test_salespeople_see_but_cannot_change(self):
        lead = self.env["crm.lead"].create(
            {"name": "Mine", "email_from": "buyer@acme.example", "user_id": self.env.uid}
        )
        self.assertEqual(lead.qualification_grade_id.name, "C")
        self.assertIn("Has an email", str(lead.qualification_explanation))
        with self.assertRaisesRegex(UserError, "set by the qualification rules"):
            lead.write({"qualification_score": 100})
        with self.assertRaises(AccessError):
            self.ruleset.with_env(self.env).write({"name": "Mine now"})
