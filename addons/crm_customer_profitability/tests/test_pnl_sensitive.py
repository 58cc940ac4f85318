from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPnlSensitive(CustomerCareCommon):
    """The P&L figures are sensitive data: their reads are logged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna = cls.env["res.partner"].create({"name": "Anna Private"})
        cls.Log = cls.env["crm.customer.sensitive.access"]

    def _logs(self, user):
        return self.Log.search([("user_id", "=", user.id)])

    def test_pnl_figures_are_sensitive(self):
        self.anna.with_user(self.care_manager).read(["pnl_margin"])
        self.assertEqual(self._logs(self.care_manager).field_names, "pnl_margin")

    def test_log_shows_the_fields_by_their_labels(self):
        """The privacy officer reads "Cost of Goods, Margin", the names on
        the contact form, not pnl_cogs."""
        self.anna.with_user(self.care_manager).read(["pnl_cogs", "pnl_margin"])
        log = self._logs(self.care_manager).with_user(self.privacy_officer)
        self.assertEqual(log.field_labels, "Cost of Goods, Margin")
        arch = self.Log.with_user(self.privacy_officer).get_view(view_type="list")["arch"]
        self.assertIn('name="field_labels"', arch)
        self.assertRegex(arch, r'name="field_names"[^>]*optional="hide"')
