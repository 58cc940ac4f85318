"""An approved review's promises, attacked over the web client's own
JSON-RPC path by users who must be refused."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

USER = "crm_customer_care.group_crm_customer_care_user"
MANAGER = "crm_customer_care.group_crm_customer_care_manager"


@tagged("post_install", "-at_install", "ccare_security")
class TestReviewInvariants(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = mail_new_test_user(cls.env, login="inv_user", name="Ulla User", groups=USER)
        cls.manager = mail_new_test_user(
            cls.env, login="inv_manager", name="Mo Manager", groups=MANAGER
        )

    def test_review_approval_only_through_its_action(self):
        review = (
            self.env["crm.customer.review"]
            .with_user(self.user)
            .create({"scope": "book", "date_from": "2026-01-01", "date_to": "2026-06-30"})
        )
        review.with_user(self.user).action_compute()
        self.assertRefused("inv_user", "crm.customer.review", "action_approve", [review.ids])
        review.with_user(self.manager).action_approve()
        self.assertEqual((review.state, review.approver_id), ("approved", self.manager))
        self.assertRefused(
            "inv_manager",
            "crm.customer.review",
            "write",
            [review.ids, {"findings": "<p>rewritten</p>"}],
            context={"ccare_review_approving": True},
        )
