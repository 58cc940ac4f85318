from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.queue_job.job import Job
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestProgrammeTour(HttpCase):
    def test_manager_programme_and_tier_review_tour(self):
        mail_new_test_user(
            self.env,
            login="tour_programme_manager",
            groups="crm_loyalty.group_crm_loyalty_manager",
        )
        segment = self.env["crm.customer.segment"].create(
            {"name": "Tour Segment", "domain": "[('id', '=', 0)]", "sequence": 999}
        )
        customers = self.env["res.partner"].create(
            [{"name": f"Tour Member {i}", "email": f"tm{i}@example.com"} for i in range(30)]
        )
        customers._ccare_record_consent("marketing", "email", "granted")
        customers.with_context(ccare_assigning_segment=True).write({"segment_id": segment.id})
        program = self.env["loyalty.program"].create(
            {"name": "Tour Club Card", "program_type": "loyalty", "crm_tier_window_months": 12}
        )
        silver = self.env["crm.loyalty.tier"].create(
            {"program_id": program.id, "name": "Silver", "sequence": 1, "threshold": 100}
        )
        card = self.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": customers[0].id}
        )
        card._loyalty_points_add({card.id: 150}, "manual", "Welcome points")

        self.start_tour(
            "/odoo/action-crm_relationship_programme.crm_relationship_programme_action",
            "crm_loyalty_manager_tour",
            login="tour_programme_manager",
        )
        programme = self.env["crm.relationship.programme"].search(
            [("name", "=", "Tour Spring Club")]
        )
        self.assertEqual(programme.state, "running")
        self.assertEqual(programme.holdout_percent, 20)
        self.assertEqual(programme.loyalty_program_id, program)
        self.assertEqual(programme.member_count + programme.holdout_count, 30)
        self.assertTrue(programme.holdout_count, "a holdout group was drawn")
        # the manager queued the tier review; the queue's runner would do this
        jobs = self.env["queue.job"].search(
            [("model_name", "=", "loyalty.card"), ("method_name", "=", "_loyalty_evaluate_tiers")]
        )
        self.assertTrue(jobs)
        for job in jobs:
            Job.load(self.env, job.uuid).perform()
        self.assertEqual(card.crm_tier_id, silver)
