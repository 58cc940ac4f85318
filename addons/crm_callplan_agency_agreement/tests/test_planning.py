from datetime import timedelta

from odoo.tests import tagged

from .common import AgreementCommon


@tagged("post_install", "-at_install", "ccare_agency_agreement")
class TestPlanning(AgreementCommon):
    """Dora (Dialling Ltd) is the only caller of the SMB policy; her
    agreement covers sales calls by phone and video until 100 days from
    today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy_smb.caller_ids = [(6, 0, cls.caller_dora.ids)]
        cls.accounts = cls._partners(3)

    def _planned(self):
        return self.env["crm.call"].search([("partner_id", "in", self.accounts.ids)])

    def _unfitted(self, run):
        return run.line_ids.filtered(
            lambda line: line.line_type == "unfitted" and line.partner_id in self.accounts
        )

    def test_covered_policy_goes_to_the_agency(self):
        """Phone sales calls every two weeks over 4 weeks: 3 accounts x 2
        calls, all Dora's, each under her agreement."""
        run = self._run()
        calls = self._planned()
        self.assertEqual(len(calls), 6)
        self.assertEqual(calls.caller_id, self.caller_dora)
        self.assertEqual(calls.agency_agreement_id, self.agreement)
        self.assertTrue(all(calls.mapped("agency_access")))
        self.assertFalse(self._unfitted(run))

    def test_channel_not_covered(self):
        """Visits are not in Dora's agreement: no call goes to her."""
        self.policy_smb.channel = "visit"
        run = self._run()
        self.assertFalse(self._planned())
        self.assertEqual(len(self._unfitted(run)), 6)
        self.assertEqual(
            set(self._unfitted(run).mapped("reason")), {"no caller covers this account's segment"}
        )

    def test_purpose_not_covered(self):
        """An agency whose agreement covers marketing calls only gets no
        sales call."""
        marketing = self.env["crm.call.agency"].create({"name": "Promo Calls"})
        self._agreement(marketing, purpose_sales_calls=False, purpose_marketing=True).action_start()
        self.caller_dora.agency_id = marketing
        run = self._run()
        self.assertFalse(self._planned())
        self.assertEqual(len(self._unfitted(run)), 6)

    def test_run_past_the_agreements_end(self):
        """A run whose horizon ends after the agreement gives her nothing:
        the plan may place a call on any day of it."""
        run = self._run(date_from=self.agreement.date_end - timedelta(days=7))
        self.assertFalse(self._planned().filtered(lambda c: c.caller_id == self.caller_dora))
        self.assertTrue(self._unfitted(run))

    def test_draft_or_ended_agreement_covers_nothing(self):
        self.agreement.action_end()
        renewal = self._agreement(self.dialling, name="Renewal (not signed)")
        run = self._run()
        self.assertEqual(renewal.state, "draft")
        self.assertFalse(self._planned())
        self.assertEqual(len(self._unfitted(run)), 6)
