from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestDemoProgrammeCrossScreen(TransactionCase):
    """On the demo data: a programme's members and ROI are one figure on
    its card, its form and its effectiveness report (the manager dashboard
    shows no figure: it opens these screens)."""

    def test_members_and_roi_are_the_same_everywhere(self):
        manager = self.env.ref("crm_customer_care.user_care_manager")
        env = self.env(user=manager)
        company = manager.company_id
        running = env["crm.relationship.programme"].search(
            [("state", "=", "running"), ("company_id", "in", company.ids)]
        )
        programme = env.ref("crm_relationship_programme.programme_key_accounts")
        self.assertIn(programme, running)
        # card and form read the same fields; the effectiveness report
        # counts the same participants
        [card] = programme.web_read({"member_count": {}, "holdout_count": {}, "roi": {}})
        self.assertEqual(
            (card["member_count"], card["holdout_count"], card["roi"]),
            (programme.member_count, programme.holdout_count, programme.roi),
        )
        self.assertTrue(programme.member_count)
        rows = env["crm.relationship.effectiveness.report"].search(
            [("programme_id", "=", programme.id)]
        )
        self.assertEqual(
            len(rows.filtered(lambda row: row.group == "member")), programme.member_count
        )
        self.assertEqual(
            len(rows.filtered(lambda row: row.group == "holdout")), programme.holdout_count
        )
