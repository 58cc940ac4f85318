"""Over the wire (JSON-RPC and XML-RPC), a plain Loyalty User and a portal
member are refused the roll-forward, the sub-ledger and the posting
method; a Loyalty Manager reads the report but may not post."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .common import LiabilityCommon


@tagged("post_install", "-at_install", "crm_loyalty_account", "ccare_security")
class TestPointsLiabilityRpc(LiabilityCommon, RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_member = mail_new_test_user(
            cls.env,
            login="loy_portal",
            name="Pat Portal",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )

    def test_refused_to_loyalty_users_and_portal(self):
        for login in ("loy_user", "loy_portal"):
            self.assertRefused(
                login, "crm.loyalty.account.report", "search_read", [[]], {"fields": ["id"]}
            )
            self.assertRefused(
                login, "crm.loyalty.account.entry", "search_read", [[]], {"fields": ["id"]}
            )
            self.assertRefused(
                login, "crm.loyalty.account.config", "action_crm_post_liability", [self.config.ids]
            )
            self.assertXmlRpcRefused(
                login, "crm.loyalty.account.config", "action_crm_post_liability", [self.config.ids]
            )
        # a Loyalty Manager reads the roll-forward but does not post
        self.call_kw(
            "loy_manager", "crm.loyalty.account.report", "search_read", [[]], {"fields": ["id"]}
        )
        self.assertRefused(
            "loy_manager",
            "crm.loyalty.account.config",
            "action_crm_post_liability",
            [self.config.ids],
        )
        self.assertFalse(
            self.env["crm.loyalty.account.entry"].search([("config_id", "=", self.config.id)])
        )
