from datetime import date
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.exceptions import AccessError
from odoo.tests import Form
from odoo.tests import tagged

TODAY = "2025-08-20 10:00:00"


@tagged("post_install", "-at_install")
class TestPartnerPnl(CustomerCareCommon, AccountTestInvoicingCommon):
    """Customer P&L. AccountTestInvoicingCommon runs first: it gives the test
    company a chart of accounts, then CustomerCareCommon adds its users to
    that company.

    Today is 2025-08-20; Acme (a company with a contact, Jane) was invoiced:

    ========== ===================================== ========= =====
    date       what                                  revenue   COGS
    ========== ===================================== ========= =====
    2024-01-15 10 widgets                            1000      600
    2024-10-01 1 widget                              100       60
    2025-02-01 5 widgets                             500       300
    2025-07-10 2 widgets (invoiced to Jane)          200       120
    2025-08-05 3 widgets (+15% tax) and a 50 fee     350       180
    2025-08-10 credit note: 1 widget                 -100      -60
    2025-08-12 draft invoice: 7 widgets              (ignored)
    ========== ===================================== ========= =====
    """

    @classmethod
    def get_default_groups(cls):
        # the accountant of AccountTestInvoicingCommon also works the leads
        return super().get_default_groups() | cls.env.ref("sales_team.group_sale_manager")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Corp", "is_company": True})
        cls.jane = Partner.create({"name": "Jane Buyer", "parent_id": cls.acme.id})
        cls.other = Partner.create({"name": "Other Customer", "is_company": True})
        cls.lead = cls.env["crm.lead"].create({"name": "Acme renewal", "partner_id": cls.jane.id})
        cls.widget = cls.env["product.product"].create(
            {"name": "Widget", "list_price": 100.0, "standard_price": 60.0, "type": "consu"}
        )
        cls.fee_account = cls.company_data["default_account_revenue"]
        cls._invoice(cls.acme, "2024-01-15", 10)
        cls._invoice(cls.acme, "2024-10-01", 1)
        cls._invoice(cls.acme, "2025-02-01", 5)
        cls._invoice(cls.jane, "2025-07-10", 2)
        cls._invoice(cls.acme, "2025-08-05", 3, fee=50.0, taxes=cls.tax_sale_a)
        cls._invoice(cls.acme, "2025-08-10", 1, move_type="out_refund")
        cls._invoice(cls.acme, "2025-08-12", 7, post=False)
        cls._invoice(cls.other, "2025-08-06", 4)
        # what one activity costs
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.todo_type = cls.env.ref("mail.mail_activity_data_todo")
        cls.call_type.ccare_unit_cost = 10.0
        cls.todo_type.ccare_unit_cost = 2.5

    @classmethod
    def _invoice(
        cls, partner, day, quantity, fee=0.0, taxes=None, move_type="out_invoice", post=True
    ):
        lines = [
            Command.create(
                {
                    "product_id": cls.widget.id,
                    "quantity": quantity,
                    "price_unit": 100.0,
                    "tax_ids": [Command.set(taxes.ids if taxes else [])],
                }
            )
        ]
        if fee:
            lines.append(
                Command.create(
                    {
                        "name": "Setup fee",
                        "account_id": cls.fee_account.id,
                        "quantity": 1,
                        "price_unit": fee,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": day,
                "date": day,
                "invoice_line_ids": lines,
            }
        )
        if post:
            move.action_post()
        return move

    def _done_activity(self, record, activity_type, when):
        with freeze_time(when):
            record.activity_schedule(activity_type_id=activity_type.id).action_feedback()

    def _pnl(self, partner, period="this_month", date_from=None, date_to=None):
        partner = partner.with_user(self.care_manager)
        values = {"pnl_period": period}
        if period == "custom":
            values.update(pnl_date_from=date_from, pnl_date_to=date_to)
        partner.write(values)
        return {
            "revenue": partner.pnl_revenue,
            "cogs": partner.pnl_cogs,
            "cost_to_serve": partner.pnl_cost_to_serve,
            "margin": partner.pnl_margin,
            "margin_percent": partner.pnl_margin_percent,
        }

    @freeze_time(TODAY)
    def test_revenue_net_of_refunds_and_cogs_in_period(self):
        pnl = self._pnl(self.acme)
        self.assertEqual(pnl["revenue"], 250.0, "300 + 50 fee - 100 credit note, untaxed")
        self.assertEqual(pnl["cogs"], 120.0, "(3 - 1) widgets at today's cost of 60")
        self.assertEqual(self._pnl(self.other)["revenue"], 400.0)
        # a contact shows its company's figures
        self.assertEqual(self._pnl(self.jane)["revenue"], 250.0)
        # today's cost: a cost price change applies to the past
        self.widget.standard_price = 70.0
        self.acme.invalidate_recordset()
        self.assertEqual(self._pnl(self.acme)["cogs"], 140.0)

    @freeze_time(TODAY)
    def test_periods(self):
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner._ccare_pnl_period_dates("this_month"), (date(2025, 8, 1), date(2025, 8, 31))
        )
        self.assertEqual(
            Partner._ccare_pnl_period_dates("this_quarter"), (date(2025, 7, 1), date(2025, 9, 30))
        )
        self.assertEqual(
            Partner._ccare_pnl_period_dates("this_year"), (date(2025, 1, 1), date(2025, 12, 31))
        )
        self.assertEqual(
            Partner._ccare_pnl_period_dates("last_12_months"),
            (date(2024, 8, 21), date(2025, 8, 20)),
        )
        acme = self.acme.with_user(self.care_manager)
        self.assertEqual(acme.pnl_period, "this_year", "the default period")
        self.assertEqual(
            (acme.pnl_date_from, acme.pnl_date_to), (date(2025, 1, 1), date(2025, 12, 31))
        )
        expected = {
            "this_month": (250.0, 120.0),
            "this_quarter": (450.0, 240.0),
            "this_year": (950.0, 540.0),
            "last_12_months": (1050.0, 600.0),
        }
        for period, (revenue, cogs) in expected.items():
            with self.subTest(period=period):
                pnl = self._pnl(self.acme, period)
                self.assertEqual((pnl["revenue"], pnl["cogs"]), (revenue, cogs))
        pnl = self._pnl(self.acme, "custom", date(2024, 1, 1), date(2024, 12, 31))
        self.assertEqual((pnl["revenue"], pnl["cogs"]), (1100.0, 660.0))

    @freeze_time(TODAY)
    def test_period_on_the_form(self):
        """The manager picks the period on the form; custom dates are editable."""
        form = Form(self.acme.with_user(self.care_manager))
        self.assertEqual(form.pnl_revenue, 950.0)
        form.pnl_period = "this_quarter"
        self.assertEqual(
            (form.pnl_date_from, form.pnl_date_to), (date(2025, 7, 1), date(2025, 9, 30))
        )
        self.assertEqual(form.pnl_revenue, 450.0)
        form.pnl_period = "custom"
        form.pnl_date_from = date(2024, 10, 1)
        form.pnl_date_to = date(2024, 10, 31)
        self.assertEqual(form.pnl_revenue, 100.0)
        self.assertEqual(form.pnl_cogs, 60.0)

    @freeze_time(TODAY)
    def test_cost_to_serve_and_margin(self):
        self._done_activity(self.acme, self.call_type, datetime(2025, 8, 4, 9))
        self._done_activity(self.jane, self.call_type, datetime(2025, 8, 14, 9))
        self._done_activity(self.lead, self.todo_type, datetime(2025, 8, 18, 9))
        self._done_activity(self.acme, self.call_type, datetime(2025, 6, 2, 9))  # last quarter
        self._done_activity(self.other, self.call_type, datetime(2025, 8, 5, 9))
        self.acme.activity_schedule("mail.mail_activity_data_call")  # not done: no cost
        pnl = self._pnl(self.acme)
        self.assertEqual(pnl["cost_to_serve"], 22.5, "2 calls at 10 + 1 to-do at 2.5")
        self.assertEqual(pnl["margin"], 107.5, "250 - 120 - 22.5")
        self.assertAlmostEqual(pnl["margin_percent"], 43.0)
        self.assertEqual(self._pnl(self.acme, "this_year")["cost_to_serve"], 32.5)
        self.assertEqual(self._pnl(self.other)["cost_to_serve"], 10.0)

    @freeze_time(TODAY)
    def test_no_revenue_no_margin_percent(self):
        nobody = self.env["res.partner"].create({"name": "New prospect"})
        self._done_activity(nobody, self.call_type, datetime(2025, 8, 4, 9))
        pnl = self._pnl(nobody)
        self.assertEqual((pnl["revenue"], pnl["margin"], pnl["margin_percent"]), (0.0, -10.0, 0.0))

    @freeze_time(TODAY)
    def test_no_cost_recorded_is_no_margin(self):
        """Goods sold without a cost price: the cost is unknown, not zero. The
        contact form says "no cost recorded" where the margin and its
        percentage would read 400 and 100%."""
        self.widget.standard_price = 0.0
        pnl = self._pnl(self.other)
        self.assertEqual((pnl["revenue"], pnl["cogs"]), (400.0, 0.0))
        self.assertTrue(self.other.with_user(self.care_manager).pnl_cost_unknown)
        self.assertNotEqual(pnl["margin_percent"], 100.0)
        self.assertEqual((pnl["margin"], pnl["margin_percent"]), (0.0, 0.0))
        arch = self.env["res.partner"].with_user(self.care_manager).get_view(view_type="form")
        self.assertIn("no cost recorded", arch["arch"])
        # with a cost price the margin is back
        self.widget.standard_price = 60.0
        self.other.invalidate_recordset()
        pnl = self._pnl(self.other)
        self.assertEqual((pnl["margin"], pnl["margin_percent"]), (160.0, 40.0))
        self.assertFalse(self.other.with_user(self.care_manager).pnl_cost_unknown)

    @freeze_time(TODAY)
    def test_cost_to_serve_extension_point(self):
        """Later addons add their costs by summing with super."""
        Partner = type(self.env["res.partner"])
        original = Partner._ccare_cost_to_serve

        def _ccare_cost_to_serve(partners, date_from, date_to):
            costs = original(partners, date_from, date_to)
            for partner_id in partners.ids:  # say, 40 of calls each
                costs[partner_id] = costs.get(partner_id, 0.0) + 40.0
            return costs

        self._done_activity(self.acme, self.call_type, datetime(2025, 8, 4, 9))
        self.patch(Partner, "_ccare_cost_to_serve", _ccare_cost_to_serve)
        pnl = self._pnl(self.acme)
        self.assertEqual(pnl["cost_to_serve"], 50.0)
        self.assertEqual(pnl["margin"], 80.0)

    @freeze_time(TODAY)
    def test_pnl_is_set_based(self):
        self._done_activity(self.lead, self.todo_type, datetime(2025, 8, 18, 9))
        self._done_activity(self.other, self.call_type, datetime(2025, 8, 5, 9))
        partners = self.acme | self.jane | self.other
        partners = partners.with_user(self.care_manager)
        partners.mapped("pnl_margin")  # warm up the caches (groups, company, types)
        partners.invalidate_recordset()
        queries_three = self.count_queries(lambda: partners.mapped("pnl_margin"))
        many = self.env["res.partner"].create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(30)]
        )
        many = (many | partners).with_user(self.care_manager)
        many.invalidate_recordset()
        self.assertEqual(self.count_queries(lambda: many.mapped("pnl_margin")), queries_three)
        self.assertEqual(
            many.filtered(lambda p: p == self.acme).pnl_margin, 407.5
        )  # 950 - 540 - 2.5

    def test_pnl_for_managers_only(self):
        acme_user = self.acme.with_user(self.care_user)
        with self.assertRaises(AccessError):
            acme_user.pnl_revenue  # noqa: B018  # pylint: disable=pointless-statement
        self.assertNotIn("pnl_margin", acme_user.fields_get())
        self.assertIn("last_contact_date", acme_user.fields_get())
        self.assertIn("pnl_margin", self.acme.with_user(self.care_manager).fields_get())
        # the contact form shows the P&L to managers only
        arch = self.env["res.partner"].with_user(self.care_user).get_view(view_type="form")["arch"]
        self.assertNotIn('name="pnl_revenue"', arch)
        self.assertIn('name="last_contact_date"', arch)
        arch = (
            self.env["res.partner"].with_user(self.care_manager).get_view(view_type="form")["arch"]
        )
        self.assertIn('name="pnl_revenue"', arch)

    def test_unit_cost_set_by_managers(self):
        self.call_type.with_user(self.care_manager).ccare_unit_cost = 12.0
        self.assertEqual(self.call_type.ccare_unit_cost, 12.0)
        with self.assertRaises(AccessError):
            self.call_type.with_user(self.care_user).ccare_unit_cost = 1.0
