"""One seeded data set for the cross-screen revenue tests of the three addons.

Today is 2025-08-20; the period is the last twelve months,
2024-08-21 to 2025-08-20 (accounting dates). Globex (a company shared by both
companies, with a contact Greta) bought Widgets (cost 60 in company A, 40
in company B); company A works in USD, company B in EUR, and 1 USD = 2 EUR.

=== ========== =============================================== ============= =====
co  date       what                                             revenue (A)   cost
=== ========== =============================================== ============= =====
A   2024-06-01 5 widgets (before the period)                    (500)         (300)
A   2024-10-15 2 widgets at 100 EUR, invoiced in EUR             100 USD       120
A   2025-03-10 3 widgets to Greta, invoiced apart                300           180
A   2025-05-05 credit note: 1 widget                            -100           -60
A   2025-07-01 4 widgets, 15% tax on top (untaxed counts)        400           240
A   2025-08-01 draft: 10 widgets                                (ignored)
B   2025-04-01 10 widgets at 100 EUR, company B                 (1,000 EUR in B)
=== ========== =============================================== ============= =====

Globex's revenue in company A over the period: 100 + 300 - 100 + 400 = 700
USD; cost of goods 120 + 180 - 60 + 240 = 480; gross margin 220. All time
in company A: 1,200. In company B: 1,000 EUR.
"""

from datetime import date

from odoo import Command

TODAY = "2025-08-20 10:00:00"
PERIOD = (date(2024, 8, 21), date(2025, 8, 20))
REVENUE = 700.0
COST = 480.0
REVENUE_ALL_TIME = 1200.0
REVENUE_B = 1000.0


class RevenueWorldMixin:
    """Build the data set of the module docstring; for classes that also
    inherit Odoo's ``AccountTestInvoicingCommon`` (which runs first). Its
    accountant also holds ``revenue_world_groups``: the figures are
    managers' (a class adds its own app's manager group)."""

    revenue_world_groups = (
        "crm_customer_care.group_crm_customer_care_manager",
        "sales_team.group_sale_manager",
    )

    @classmethod
    def get_default_groups(cls):
        groups = super().get_default_groups()
        for xmlid in cls.revenue_world_groups:
            groups |= cls.env.ref(xmlid)
        return groups

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_revenue_world()

    @classmethod
    def _build_revenue_world(cls):
        env = cls.env
        cls.company_a = env.company
        cls.eur = cls.setup_other_currency("EUR", rates=[("2024-01-01", 2.0)])
        cls.company_b_data = cls.setup_other_company(name="Company B", currency_id=cls.eur.id)
        cls.company_b = cls.company_b_data["company"]
        env.user.company_ids |= cls.company_b
        cls.world_segment = env["crm.customer.segment"].create(
            {
                "name": "Globex segment",
                "domain": "[('name', '=like', 'Globex%')]",
                "sequence": -1000,
            }
        )
        Partner = env["res.partner"]
        cls.rita = Partner.create({"name": "Rita Referrer", "is_company": True})
        cls.globex = Partner.create(
            {
                "name": "Globex",
                "is_company": True,
                "email": "globex@example.com",
            }
        )
        cls.greta = Partner.create(
            {"name": "Greta Globex", "parent_id": cls.globex.id, "email": "greta@example.com"}
        )
        cls.globex._ccare_assign_segments()
        cls.widget = env["product.product"].create(
            {"name": "Widget", "list_price": 100.0, "standard_price": 60.0, "type": "consu"}
        )
        cls.widget.with_company(cls.company_b).standard_price = 40.0
        cls._world_invoice(cls.globex, "2024-06-01", 5)
        cls._world_invoice(cls.globex, "2024-10-15", 2, currency=cls.eur)
        cls._world_invoice(cls.greta, "2025-03-10", 3)
        cls._world_invoice(cls.globex, "2025-05-05", 1, move_type="out_refund")
        cls._world_invoice(cls.globex, "2025-07-01", 4, taxes=cls.tax_sale_a)
        cls._world_invoice(cls.globex, "2025-08-01", 10, post=False)
        cls._world_invoice(cls.globex, "2025-04-01", 10, company_data=cls.company_b_data)

    @classmethod
    def _world_invoice(
        cls,
        partner,
        day,
        quantity,
        move_type="out_invoice",
        currency=None,
        taxes=None,
        post=True,
        company_data=None,
    ):
        company_data = company_data or cls.company_data
        company = company_data["company"]
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "date": day,
                    "journal_id": company_data["default_journal_sale"].id,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": cls.widget.id,
                                "quantity": quantity,
                                "price_unit": 100.0,
                                "tax_ids": [Command.set(taxes.ids if taxes else [])],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    def _report_revenue(self, company, period=PERIOD, partner=None):
        """The revenue report's figure: the reference every screen must match."""
        domain = [("company_id", "=", company.id)]
        if period:
            domain += [("date", ">=", period[0]), ("date", "<=", period[1])]
        if partner:
            domain += [("commercial_partner_id", "=", partner.id)]
        return (
            self.env["crm.customer.revenue.report"]
            .sudo()
            ._read_group(domain, [], ["revenue:sum"])[0][0]
            or 0.0
        )
