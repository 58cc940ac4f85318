from odoo.addons.crm_loyalty.tests.test_ledger import LedgerCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tools import SQL


class LiabilityCommon(LedgerCommon):
    """crm_loyalty's ledger world (a program giving 100 points per
    confirmed order, a cold room at 500, a member with a card), put in the
    books: a liability, a revenue and a marketing expense account, a
    miscellaneous journal, a point's stand-alone selling price of 0.10 and
    an expected redemption rate of 80 % set by hand (the program has no
    history)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = mail_new_test_user(
            cls.env,
            login="loy_accountant",
            name="Ada Accountant",
            groups="account.group_account_user",
        )
        cls.config = cls._config(cls.env.company, cls.program, 0.10, 0.80)

    @classmethod
    def _config(cls, company, program, value, rate, prefix="LY"):
        Account = cls.env["account.account"].with_company(company)
        accounts = Account.create(
            [
                {
                    "name": f"{prefix} points liability",
                    "code": f"{prefix}2901",
                    "account_type": "liability_current",
                    "company_ids": company.ids,
                },
                {
                    "name": f"{prefix} sales",
                    "code": f"{prefix}4001",
                    "account_type": "income",
                    "company_ids": company.ids,
                },
                {
                    "name": f"{prefix} marketing",
                    "code": f"{prefix}6101",
                    "account_type": "expense",
                    "company_ids": company.ids,
                },
            ]
        )
        journal = cls.env["account.journal"].create(
            {
                "name": f"{prefix} loyalty",
                "code": f"{prefix}J",
                "type": "general",
                "company_id": company.id,
            }
        )
        return cls.env["crm.loyalty.account.config"].create(
            {
                "program_id": program.id,
                "company_id": company.id,
                "liability_account_id": accounts[0].id,
                "revenue_account_id": accounts[1].id,
                "expense_account_id": accounts[2].id,
                "journal_id": journal.id,
                "point_value": value,
                "use_manual_rate": True,
                "manual_rate": rate,
            }
        )

    def _post(self, config=None, date=None):
        """Run the posting job on the program's lots (what one queued chunk
        does); returns the journal entries it made."""
        config = config or self.config
        self.env.flush_all()
        lots = self.env["crm.loyalty.points.lot"].search(
            [("program_id", "=", config.program_id.id)]
        )
        return lots._loyalty_account_post(date=date)

    def _entries(self, kind, config=None):
        return self.env["crm.loyalty.account.entry"].search(
            [("config_id", "=", (config or self.config).id), ("kind", "=", kind)]
        )

    def _gl(self, account):
        """The general ledger balance (debit - credit) of ``account``, posted
        entries only."""
        self.env.flush_all()
        return self.env.execute_query(
            SQL(
                "SELECT coalesce(sum(balance), 0) FROM account_move_line"
                " WHERE account_id = %s AND parent_state = 'posted'",
                account.id,
            )
        )[0][0]

    def _subledger(self, config=None):
        """Points and money the sub-ledger holds for the configuration."""
        entries = self.env["crm.loyalty.account.entry"].search(
            [("config_id", "=", (config or self.config).id)]
        )
        return round(sum(entries.mapped("points")), 4), round(sum(entries.mapped("amount")), 2)

    def assertLiability(self, amount, points, config=None):
        """The liability is ``amount`` for ``points`` outstanding in the
        sub-ledger, in the general ledger (a credit balance) and in the
        roll-forward's closing."""
        config = config or self.config
        self.assertEqual(self._subledger(config), (points, amount))
        self.assertAlmostEqual(self._gl(config.liability_account_id), -amount, places=2)
        self.env["crm.loyalty.account.report"].invalidate_model()
        report = self.env["crm.loyalty.account.report"].search(
            [("program_id", "=", config.program_id.id), ("company_id", "=", config.company_id.id)],
            order="date desc",
            limit=1,
        )
        self.assertAlmostEqual(report.closing_amount, amount, places=2)
        self.assertAlmostEqual(report.closing_points, points, places=4)
