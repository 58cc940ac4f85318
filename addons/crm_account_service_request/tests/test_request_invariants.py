"""Attacks on the four-eyes promise of account requests, driven over the
web client's own JSON-RPC path by users who must be refused: a review
approved by writing it, a preparer who becomes someone else, a sensitive
change slipped into an approved request, a portal user reading reviews."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import UserError
from odoo.tests import tagged

USER = "crm_customer_care.group_crm_customer_care_user"
MANAGER = "crm_customer_care.group_crm_customer_care_manager"


@tagged("post_install", "-at_install", "ccare_security", "ccare_account_request")
class TestRequestInvariants(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new = mail_new_test_user
        cls.user = new(cls.env, login="inv_user", name="Ulla User", groups=USER)
        cls.manager = new(cls.env, login="inv_manager", name="Mo Manager", groups=MANAGER)
        cls.manager2 = new(cls.env, login="inv_manager2", name="Mia Manager", groups=MANAGER)
        cls.portal = new(cls.env, login="inv_portal", name="Pat Portal", groups="base.group_portal")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Victim Trading Ltd", "is_company": True, "vat": "BE0477472701"}
        )
        cls.Request = cls.env["crm.account.service.request"]

    def _line(self, name, value):
        field = self.env["ir.model.fields"]._get("res.partner", name)
        return (0, 0, {"field_id": field.id, "new_value": value})

    def _request(self, user, request_type="update", lines=()):
        return self.Request.with_user(user).create(
            {"partner_id": self.customer.id, "request_type": request_type, "line_ids": list(lines)}
        )

    # ------------------------------------------------------------ four-eyes
    def test_account_closed_without_approval_is_refused(self):
        """The ways a Customer Care User closed an account with no approval
        besides writing or creating its state (``test_attack_guarded.py``
        attacks every guarded field), each refused; the customer stays open."""
        # 1. approve its own tier review by writing it
        request = self._request(self.user, "close")
        request.with_user(self.user).action_submit()
        self.assertEqual(request.state, "approval")
        self.assertTrue(request.review_ids)
        self.assertRefused(
            "inv_user",
            "tier.review",
            "write",
            [request.review_ids.ids, {"status": "approved", "done_by": self.manager.id}],
        )
        self.assertRefused("inv_user", "crm.account.service.request", "action_done", [request.ids])
        # 2. a sensitive change slipped into an auto-approved request
        update = self._request(self.user, lines=[self._line("city", "Bruges")])
        update.with_user(self.user).action_submit()
        self.assertEqual(update.state, "approved")
        vat = self.env["ir.model.fields"]._get("res.partner", "vat")
        self.assertRefused(
            "inv_user",
            "crm.account.service.request.line",
            "create",
            [{"request_id": update.id, "field_id": vat.id, "new_value": "BE0000000097"}],
        )
        self.assertFalse(self.customer.dnc_all)
        self.assertNotEqual(self.customer.lifecycle_stage, "closed")
        self.assertEqual(self.customer.vat, "BE0477472701")

    def test_preparer_cannot_become_someone_else(self):
        """A manager rewrites who asked for the review, then approves:
        refused (rewriting who prepared the request, with OCA's context key,
        is attacked with every guarded field by ``test_attack_guarded.py``)."""
        request = self._request(self.manager, "close")
        request.with_user(self.manager).action_submit()
        self.assertRefused(
            "inv_manager",
            "tier.review",
            "write",
            [request.review_ids.ids, {"requested_by": self.manager2.id}],
        )
        self.assertRefused(
            "inv_manager", "crm.account.service.request", "validate_tier", [request.ids]
        )
        # the comment wizard approves through _validate_tier: same check
        wizard = (
            self.env["comment.wizard"]
            .with_user(self.manager)
            .create(
                {
                    "res_model": request._name,
                    "res_id": request.id,
                    "review_ids": [(6, 0, request.review_ids.ids)],
                    "validate_reject": "validate",
                    "comment": "fine by me",
                }
            )
        )
        with self.assertRaises(UserError):
            wizard.add_comment()
        self.assertEqual(request.state, "approval")
        # another manager approves: the only way through
        request.with_user(self.manager2).validate_tier()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.review_ids.done_by, self.manager2)

    def test_portal_reads_no_tier_review(self):
        request = self._request(self.manager, "close")
        request.with_user(self.manager).action_submit()
        self.assertTrue(request.review_ids)
        found = self.call_kw(
            "inv_portal",
            "tier.review",
            "search_read",
            [[("model", "=", "crm.account.service.request")]],
            {"fields": ["res_id", "requested_by", "comment"]},
        )
        self.assertEqual(found, [])
