from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestQualificationTour(HttpCase):
    def test_qualification_flow(self):
        mail_new_test_user(
            self.env,
            login="tour_care_manager",
            groups="crm_customer_care.group_crm_customer_care_manager",
        )
        revenue = self.env["ir.model.fields"]._get("crm.lead", "expected_revenue")
        self.env["crm.lead.qualification.ruleset"].search([]).active = False
        self.env["crm.lead.qualification.ruleset"].create(
            {
                "name": "Tour rules",
                "criterion_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Has an email",
                            "domain": "[('email_from', '!=', False)]",
                            "points": 30,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Budget over 10k",
                            "kind": "threshold",
                            "field_id": revenue.id,
                            "threshold": 10000,
                            "points": 50,
                        },
                    ),
                ],
                "grade_ids": [
                    (0, 0, {"name": "A", "min_score": 70}),
                    (0, 0, {"name": "B", "min_score": 30}),
                ],
            }
        )
        lead = self.env["crm.lead"].create(
            {"name": "Tour hot lead", "email_from": "hot@acme.example", "expected_revenue": 20000}
        )
        self.assertEqual(lead.qualification_grade_id.name, "A")
        self.start_tour("/odoo", "crm_lead_qualification_tour", login="tour_care_manager")
