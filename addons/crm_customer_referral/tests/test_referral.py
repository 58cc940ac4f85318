from unittest.mock import patch

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests import users


@tagged("post_install", "-at_install", "ccare_referral")
class TestReferral(CustomerCareCommon, AccountTestInvoicingCommon):
    """The referral network: tree, loops, counts, conversions, revenue and
    the conversion hook other addons override."""

    @classmethod
    def get_default_groups(cls):
        # the accountant the account tests run as also manages customer care
        return super().get_default_groups() | cls.quick_ref(
            "crm_customer_care.group_crm_customer_care_manager"
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # Ada referred Ben and Eve; Ben referred Cid, who referred Dan.
        cls.ada = Partner.create({"name": "Ada Referrer"})
        cls.ben, cls.eve = Partner.create(
            [
                {"name": "Ben Referred", "referred_by_id": cls.ada.id},
                {"name": "Eve Referred", "referred_by_id": cls.ada.id},
            ]
        )
        cls.cid = Partner.create({"name": "Cid Second", "referred_by_id": cls.ben.id})
        cls.dan = Partner.create({"name": "Dan Third", "referred_by_id": cls.cid.id})
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.open_stage = cls.env["crm.stage"].search([("is_won", "=", False)], limit=1)

    def _invoice(self, partner, amount, move_type="out_invoice", post=True):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": "2025-01-15",
                "invoice_line_ids": [
                    Command.create({"name": "Referred sale", "quantity": 1, "price_unit": amount})
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _patch_hook(self):
        return patch.object(
            type(self.env["res.partner"]),
            "_ccare_referral_converted",
            autospec=True,
            return_value=True,
        )

    # ------------------------------------------------------------
    # NETWORK
    # ------------------------------------------------------------

    def test_network_tree_three_levels(self):
        ada = self.ada
        self.assertEqual(ada.referral_ids, self.ben | self.eve)
        self.assertEqual(ada.referral_count, 2)
        self.assertEqual(ada.referral_network_count, 4, "Ben, Eve, Cid and Dan")
        self.assertEqual((self.ben.referral_count, self.ben.referral_network_count), (1, 2))
        self.assertEqual((self.dan.referral_count, self.dan.referral_network_count), (0, 0))

        tree = str(ada.referral_tree_html)
        # Ada's list, Ben's (Cid), Cid's (Dan): three nested levels
        self.assertEqual(tree.count("<ul"), 3)
        self.assertLess(tree.index("Ben Referred"), tree.index("Cid Second"))
        self.assertLess(tree.index("Cid Second"), tree.index("Dan Third"))
        self.assertIn(f'href="/odoo/res.partner/{self.dan.id}"', tree)
        self.assertFalse(self.dan.referral_tree_html)

        action = ada.action_view_referrals()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]),
            self.ben | self.eve | self.cid | self.dan,
        )

    def test_network_ignores_archived_but_crosses_them(self):
        self.cid.action_archive()
        self.ada.invalidate_recordset()
        self.assertEqual(self.ada.referral_network_count, 3, "Dan still counts, Cid not")

    def test_cycle_rejected(self):
        loop = "cannot be referred by itself, directly or through its own referrals"
        with self.assertRaises(ValidationError) as error:
            self.ada.referred_by_id = self.dan
        self.assertIn(loop, str(error.exception))
        with self.assertRaises(ValidationError) as error:
            self.ben.referred_by_id = self.ben
        self.assertIn(loop, str(error.exception))
        # moving a branch elsewhere is fine
        self.cid.referred_by_id = self.eve
        self.assertEqual(self.eve.referral_network_count, 2)

    @users("care_user")
    def test_network_counts_query_count(self):
        """The network counts of many partners cost the same few queries."""
        Partner = self.env["res.partner"].sudo()
        for size in (10, 50):
            roots = Partner.create([{"name": f"Root {size}-{i}"} for i in range(size)])
            level1 = Partner.create(
                [{"name": f"L1 {root.name}", "referred_by_id": root.id} for root in roots]
            )
            Partner.create(
                [{"name": f"L2 {ref.name}", "referred_by_id": ref.id} for ref in list(level1) * 2]
            )
            roots = roots.with_env(self.env)
            roots.mapped("referral_count")  # warm up the user's caches
            roots.mapped("referral_customer_conversion")
            self.env.flush_all()
            self.env["res.partner"].invalidate_model()
            with self.assertQueryCount(care_user=1):
                counts = roots.mapped("referral_network_count")
                direct = roots.mapped("referral_count")
            self.assertEqual(set(counts), {3})
            self.assertEqual(set(direct), {1})
            # leads, referrals, invoices: one query each, whatever the size
            with self.assertQueryCount(care_user=3):
                roots.mapped("referral_customer_conversion")

    # ------------------------------------------------------------
    # LEADS
    # ------------------------------------------------------------

    def test_lead_referrer_goes_to_partner(self):
        Lead = self.env["crm.lead"]
        newcomer = self.env["res.partner"].create({"name": "Newcomer"})
        Lead.create(
            {"name": "Referred deal", "partner_id": newcomer.id, "referred_by_id": self.eve.id}
        )
        self.assertEqual(newcomer.referred_by_id, self.eve)

        # a partner keeps its own referrer
        Lead.create({"name": "Ben again", "partner_id": self.ben.id, "referred_by_id": self.eve.id})
        self.assertEqual(self.ben.referred_by_id, self.ada)

        # the partner created from the lead gets the referrer
        lead = Lead.create(
            {
                "name": "Prospect",
                "contact_name": "Fay Prospect",
                "email_from": "fay@example.com",
                "referred_by_id": self.dan.id,
            }
        )
        lead._handle_partner_assignment(create_missing=True)
        self.assertEqual(lead.partner_id.name, "Fay Prospect")
        self.assertEqual(lead.partner_id.referred_by_id, self.dan)

        # a referrer set later on a lead with a customer passes on too
        other = self.env["res.partner"].create({"name": "Gil"})
        lead = Lead.create({"name": "Gil's deal", "partner_id": other.id})
        lead.referred_by_id = self.cid
        self.assertEqual(other.referred_by_id, self.cid)

        # no loop: Ada's lead referred by Dan leaves Ada alone, without error
        Lead.create(
            {"name": "Ada's deal", "partner_id": self.ada.id, "referred_by_id": self.dan.id}
        )
        self.assertFalse(self.ada.referred_by_id)

    def test_lead_conversion_hook_once(self):
        Lead = self.env["crm.lead"]
        lead1, lead2, lead3, lead4 = Lead.create(
            [
                {"name": f"Referred {i}", "type": "opportunity", "referred_by_id": self.ada.id}
                for i in range(4)
            ]
        )
        unreferred = Lead.create({"name": "Walk-in", "type": "opportunity"})
        with self._patch_hook() as hook:
            (lead1 | lead2 | unreferred).action_set_won()
            self.assertEqual(hook.call_count, 1, "one call for the whole batch")
            __, referrals, cause = hook.call_args.args
            self.assertEqual(referrals, lead1 | lead2)
            self.assertEqual(cause, "lead_won")
            self.assertTrue(lead1.referral_converted_date)

            # a drag to the won stage converts too
            lead3.stage_id = self.won_stage
            self.assertEqual(hook.call_count, 2)
            self.assertEqual(hook.call_args.args[1], lead3)

            # back in the pipe, lost, then won again: converted already
            lead1.stage_id = self.open_stage
            lead1.action_set_lost()
            lead1.action_set_won()
            self.assertEqual(lead1.won_status, "won")
            lead4.action_set_lost()
            self.assertEqual(hook.call_count, 2)

        self.ada.invalidate_recordset()
        self.assertEqual(self.ada.referral_lead_count, 4, "lost leads count too")
        self.assertEqual(self.ada.referral_won_lead_count, 3)
        self.assertAlmostEqual(self.ada.referral_lead_conversion, 75.0)

    def test_lead_created_won_is_converted(self):
        with self._patch_hook() as hook:
            lead = self.env["crm.lead"].create(
                {
                    "name": "Signed at once",
                    "type": "opportunity",
                    "stage_id": self.won_stage.id,
                    "referred_by_id": self.ben.id,
                }
            )
            hook.assert_called_once()
        self.assertEqual(lead.won_status, "won")
        self.assertTrue(lead.referral_converted_date)

    # ------------------------------------------------------------
    # INVOICES
    # ------------------------------------------------------------

    def test_revenue_and_customer_conversion(self):
        self._invoice(self.ben, 100)
        self._invoice(self.eve, 300)
        self._invoice(self.eve, 50, move_type="out_refund")
        self._invoice(self.eve, 999, post=False)  # a draft is no sale
        self._invoice(self.cid, 1000)  # Ben's referral, not Ada's
        self.env.invalidate_all()
        ada, ben = self.ada, self.ben
        self.assertEqual(ada.referral_revenue, 350.0, "100 + 300 - 50 refunded")
        self.assertEqual(ada.referral_customer_count, 2)
        self.assertEqual(ada.referral_customer_conversion, 100.0)
        self.assertEqual(ben.referral_revenue, 1000.0)
        self.assertEqual(ben.referral_customer_count, 1)
        self.assertEqual(self.cid.referral_customer_count, 0, "Dan did not buy")
        self.assertEqual(self.cid.referral_customer_conversion, 0.0)

    def test_refund_only_is_no_customer(self):
        self._invoice(self.ben, 80, move_type="out_refund")
        self.assertEqual(self.ada.referral_customer_count, 0)
        self.assertEqual(self.ada.referral_revenue, -80.0)

    def test_first_invoice_converts_once(self):
        with self._patch_hook() as hook:
            self._invoice(self.ada, 500)  # Ada was referred by no one
            hook.assert_not_called()
            self._invoice(self.ben, 100)
            hook.assert_called_once()
            __, referrals, cause = hook.call_args.args
            self.assertEqual((referrals, cause), (self.ben, "invoice_posted"))
            self.assertTrue(self.ben.referral_converted_date)
            self._invoice(self.ben, 200)
            self._invoice(self.ben, 20, move_type="out_refund")
            hook.assert_called_once()

    def test_invoices_posted_together_convert_in_one_call(self):
        moves = self._invoice(self.ben, 10, post=False) | self._invoice(self.eve, 10, post=False)
        with self._patch_hook() as hook:
            moves.action_post()
            hook.assert_called_once()
            self.assertEqual(hook.call_args.args[1], self.ben | self.eve)

    # ------------------------------------------------------------
    # REPORT AND ACCESS
    # ------------------------------------------------------------

    def test_report_matches_contact(self):
        self._invoice(self.ben, 100)
        self._invoice(self.eve, 300)
        Lead = self.env["crm.lead"]
        leads = Lead.create(
            [
                {"name": f"R{i}", "type": "opportunity", "referred_by_id": self.ada.id}
                for i in range(2)
            ]
        )
        leads[0].action_set_won()
        self.env.flush_all()
        Report = self.env["crm.customer.referral.report"].with_user(self.care_user)
        row = Report.search([("referrer_id", "=", self.ada.id)])
        self.assertEqual(len(row), 1)
        ada = self.ada.with_user(self.care_user)
        self.assertEqual(
            (
                row.referral_count,
                row.network_count,
                row.lead_count,
                row.won_lead_count,
                row.customer_count,
            ),
            (
                ada.referral_count,
                ada.referral_network_count,
                ada.referral_lead_count,
                ada.referral_won_lead_count,
                ada.referral_customer_count,
            ),
        )
        self.assertEqual((row.referral_count, row.network_count), (2, 4))
        self.assertAlmostEqual(row.lead_conversion, 50.0)
        # the referred revenue is for managers
        with self.assertRaises(AccessError):
            row.read(["revenue"])
        row = row.with_user(self.care_manager)
        self.assertAlmostEqual(row.revenue, self.ada.with_user(self.care_manager).referral_revenue)
        self.assertAlmostEqual(row.revenue, 400.0)
        self.assertEqual(Report.search([("referrer_id", "=", self.cid.id)]).network_count, 1)
        self.assertFalse(Report.search([("referrer_id", "=", self.dan.id)]))

    def test_access(self):
        self.assertEqual(
            self.ada.with_user(self.care_user).referral_network_count, 4, "care users see it"
        )
        with self.assertRaises(AccessError):
            self.env["crm.customer.referral.report"].with_user(self.plain_user).search([])
        with self.assertRaises(AccessError):
            self.ada.with_user(self.plain_user).read(["referral_network_count"])
        # anyone may still read who referred a contact
        self.assertEqual(self.ben.with_user(self.plain_user).referred_by_id, self.ada)
