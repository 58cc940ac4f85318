import json

from odoo.addons.crm_customer_care.tests.common import check_spreadsheet_dashboard
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools import float_round

TILE = "Points liability by program (closing)"


@tagged("post_install", "-at_install", "ccare_figures")
class TestDemoLiabilityCrossScreen(TransactionCase):
    """On the demo data: the Customer Club's points liability is one figure
    in the roll-forward (its closing), on the open lots (their points at the
    value deferred for them, less the breakage recognised in proportion to
    their redemptions), in the general ledger (the liability account) and on
    the Loyalty dashboard's tile, to the cent; the month-end job run again
    posts nothing."""

    def _post(self, config):
        """The month-end job as the accountant runs it (its chunks at once);
        returns the journal entries it made."""
        moves = self.env["account.move"].search([("journal_id", "=", config.journal_id.id)])
        config.with_user(self.env.ref("base.user_admin")).with_context(
            queue_job__no_delay=True
        ).action_crm_post_liability()
        self.env.flush_all()
        return self.env["account.move"].search([("journal_id", "=", config.journal_id.id)]) - moves

    def _last(self, config):
        return [
            ("program_id", "=", config.program_id.id),
            ("company_id", "=", config.company_id.id),
            ("is_last", "=", True),
        ]

    def _open_lots_value(self, config):
        """The liability computed from the lots alone: per lot still open,
        its points at the value deferred for them (issued minus what left
        it, each rounded as booked) less the breakage: expected breakage
        (1 - rate) of its value, recognised in the share redeemed / (rate x
        points), at most the value of its unredeemed points."""
        Entry = self.env["crm.loyalty.account.entry"]
        issues = Entry.search([("config_id", "=", config.id), ("kind", "=", "issue")])
        units = {entry.lot_id.id: entry.unit_value for entry in issues}
        uses = {}
        for lot, kind, points in self.env["crm.loyalty.account.use"]._read_group(
            [("lot_id", "in", list(units))], ["lot_id", "kind"], ["points:sum"]
        ):
            uses.setdefault(lot.id, {})[kind] = points
        rate = config.redemption_rate
        rnd = config.currency_id.round
        total = 0.0
        lots = self.env["crm.loyalty.points.lot"].browse(list(units))
        for lot in lots.filtered(lambda lot: lot.remaining > 0):
            unit, used = units[lot.id], uses.get(lot.id, {})
            claw, adjust = used.get("clawback", 0.0), used.get("adjust", 0.0)
            redeemed = lot.consumed - claw - adjust
            net = lot.points - claw - adjust
            value = rnd(unit * lot.points) - rnd(unit * redeemed) - rnd(unit * claw)
            value -= rnd(unit * adjust)
            share = min(1.0, redeemed / (rate * net)) if rate > 0 and net > 0 else 1.0
            breakage = min(unit * net * (1 - rate) * share, unit * (net - redeemed))
            total += value - rnd(max(breakage, 0.0))
        return float_round(total, precision_rounding=config.currency_id.rounding)

    def test_liability_is_the_same_everywhere(self):
        config = self.env.ref("crm_loyalty_account.config_customer_club")
        program, company = config.program_id, config.company_id
        # what other addons' demo gave after this addon's posting: the
        # month-end job takes it into the books
        self._post(config)
        Lot = self.env["crm.loyalty.points.lot"]
        in_books = self.env["crm.loyalty.account.entry"].search(
            [("config_id", "=", config.id), ("kind", "=", "issue")]
        )
        self.assertTrue(in_books)
        open_lots = Lot.search(
            [
                ("program_id", "=", program.id),
                ("company_id", "in", [company.id, False]),
                ("remaining", ">", 0),
                ("pending", "<=", 0),
            ]
        )
        self.assertTrue(open_lots)
        self.assertLessEqual(open_lots, in_books.lot_id, "every open lot is in the books")

        manager = self.env.ref("crm_customer_care.user_care_manager")
        env = self.env(user=manager)
        [[closing]] = env["crm.loyalty.account.report"]._read_group(
            self._last(config), [], ["closing_amount:sum"]
        )
        self.assertGreater(closing, 0)
        # the lots
        self.assertAlmostEqual(closing, self._open_lots_value(config), places=2)
        # the general ledger: the liability account's (credit) balance
        [[ledger]] = self.env.execute_query(
            SQL(
                "SELECT coalesce(sum(balance), 0) FROM account_move_line"
                " WHERE account_id = %s AND parent_state = 'posted'",
                config.liability_account_id.id,
            )
        )
        self.assertAlmostEqual(closing, -float(ledger), places=2)
        # the dashboard tile, read as the manager's dashboard reads it
        dashboard = env.ref("crm_loyalty.spreadsheet_dashboard_loyalty")
        document = json.loads(dashboard.spreadsheet_data)
        [tile] = [
            figure["data"]
            for sheet in document["sheets"]
            for figure in sheet["figures"]
            if figure["data"]["title"]["text"] == TILE
        ]
        meta = tile["metaData"]
        rows = env[meta["resModel"]]._read_group(
            [*tile["searchParams"]["domain"], ("program_id", "=", program.id)],
            meta["groupBy"],
            [f"{meta['measure']}:sum"],
        )
        self.assertAlmostEqual(sum(value for _program, value in rows), closing, places=2)
        # the month-end job again: nothing more
        self.assertFalse(self._post(config))
        self.assertAlmostEqual(
            env["crm.loyalty.account.report"]._read_group(
                self._last(config), [], ["closing_amount:sum"]
            )[0][0],
            closing,
            places=2,
        )

    def test_dashboard_charts_read_what_exists(self):
        titles = check_spreadsheet_dashboard(
            self,
            "crm_loyalty.spreadsheet_dashboard_loyalty",
            self.env.ref("crm_loyalty.user_loyalty_manager"),
        )
        self.assertIn(TILE, titles)
        self.assertIn("Breakage rate by program (%)", titles)
