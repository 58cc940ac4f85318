"""Data quality attacked over the real server (JSON-RPC as the web client
sends it, XML-RPC): what a portal user or a care user may not do."""

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_security", "ccare_data_quality")
class TestDataQualityAttacks(RpcCase, CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme DQ Portal Co", "is_company": True})
        cls.globex = Partner.create({"name": "Globex DQ Portal Co", "is_company": True})
        cls.portal_acme = mail_new_test_user(
            cls.env, login="portal_acme_dq", name="Pia Acme", groups="base.group_portal"
        )
        cls.portal_acme.partner_id.parent_id = cls.acme

    def test_portal_reads_no_data_quality_score(self):
        for record in (self.portal_acme.partner_id, self.acme):
            self.assertRefused(
                "portal_acme_dq", "res.partner", "read", [[record.id], ["data_quality_score"]]
            )

    def test_portal_cannot_mark_another_profile_reviewed(self):
        self.assertRefused(
            "portal_acme_dq", "res.partner", "action_mark_profile_reviewed", [[self.globex.id]]
        )
        self.assertRefused(
            "portal_acme_dq", "res.partner", "action_check_data_quality", [[self.globex.id]]
        )
        self.assertFalse(self.globex.data_reviewed_date)

    def test_data_quality_batch_needs_a_manager(self):
        check = self.env["crm.data.quality.check"].create(
            {"name": "Attack: e-mail", "check_type": "email"}
        )
        self.assertRefused("care_user", "crm.data.quality.check", "action_run_now", [[check.id]])
        self.assertRefused("care_user", "crm.data.quality.check", "action_run_now", [[]])
        self.assertXmlRpcRefused(
            "care_user", "crm.data.quality.check", "action_run_now", [[check.id]]
        )
        # the manager runs it
        self.call_kw("care_manager", "crm.data.quality.check", "action_run_now", [[check.id]])
