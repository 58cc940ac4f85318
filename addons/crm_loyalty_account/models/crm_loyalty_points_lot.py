from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

LOT_FIELDS = (
    "id",
    "program_id",
    "company_id",
    "partner_id",
    "source",
    "points",
    "consumed",
    "expired",
    "remaining",
)


class CrmLoyaltyPointsLot(models.Model):
    _inherit = "crm.loyalty.points.lot"

    crm_account_order_id = fields.Many2one(
        "sale.order",
        "Order (books)",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The sale order whose price the lot's points share.",
        groups="crm_loyalty.group_crm_loyalty_manager,account.group_account_user,"
        "account.group_account_manager",
    )

    @api.model
    def _crm_account_enqueue(self, configs, date=None, chunk_size=5000):
        """Queue the posting of ``configs``' lots that the books do not hold
        closed yet (open, or closed since the last run), one job per chunk."""
        if not configs:
            return 0
        self.env["crm.loyalty.account.entry"].flush_model()
        self.flush_model()
        domain = Domain.OR(
            Domain("program_id", "=", config.program_id.id)
            & Domain("company_id", "in", [config.company_id.id, False])
            & (Domain("date", ">=", config.date_start) if config.date_start else Domain.TRUE)
            for config in configs
        )
        query = self.sudo()._search(
            domain & (Domain("pending", "<=", 0) | Domain("pending", "=", False))
        )
        lot_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT l.id FROM crm_loyalty_points_lot l
                     WHERE l.id IN (%s)
                       AND (l.remaining > 0
                            OR NOT EXISTS (SELECT FROM crm_loyalty_account_entry e
                                            WHERE e.lot_id = l.id AND e.kind = 'issue')
                            OR (SELECT abs(sum(e.points)) FROM crm_loyalty_account_entry e
                                 WHERE e.lot_id = l.id) > 0.0001)
                    """,
                    query.select("crm_loyalty_points_lot.id"),
                )
            )
        ]
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            self.sudo().browse(lot_ids),
            "_crm_account_post",
            chunk_size=chunk_size,
            description=self.env._("Post the loyalty points liability"),
            date=fields.Date.to_string(date or fields.Date.context_today(self)),
        )

    def _crm_account_configs(self):
        """``{lot_id: config}`` for these lots: their program's configuration
        in their company (a lot of no company: the program's only one),
        active and with a usable redemption rate."""
        configs = (
            self.env["crm.loyalty.account.config"]
            .sudo()
            .search([("program_id", "in", self.program_id.ids)])
        )
        configs = configs.filtered(lambda c: c._crm_usable_rate() is not None)
        by_key = {(c.program_id.id, c.company_id.id): c for c in configs}
        by_program = defaultdict(list)
        for config in configs:
            by_program[config.program_id.id].append(config)
        result = {}
        for lot in self:
            config = by_key.get((lot.program_id.id, lot.company_id.id))
            if not config and not lot.company_id and len(by_program[lot.program_id.id]) == 1:
                config = by_program[lot.program_id.id][0]
            if config and (not config.date_start or lot.date >= config.date_start):
                result[lot.id] = config
        return result

    def _crm_account_units(self, configs):
        """``{lot_id: (deferred value of a point, with a sale)}`` for these
        lots. A lot earned with an order shares the order's untaxed price
        (reward lines left out, in the company's currency at the order date)
        with the goods in proportion to stand-alone selling prices: the
        points' share = price x points SSP / (price + points SSP of every lot
        of the order). A lot giving back a cancelled redemption's points:
        the deferred value of the lots the redemption consumed (its revenue
        is reversed). Other lots: the point's stand-alone selling price."""
        orders = {lot.id: lot.order_id or lot.crm_account_order_id for lot in self}
        all_orders = self.env["sale.order"].sudo().browse({o.id for o in orders.values() if o})
        order_lots = self.sudo().search(
            [
                "|",
                ("order_id", "in", all_orders.ids),
                ("crm_account_order_id", "in", all_orders.ids),
            ]
        )
        lot_configs = {**order_lots._crm_account_configs(), **configs}
        ssp = defaultdict(float)
        for lot in order_lots:
            config = lot_configs.get(lot.id)
            ssp[(lot.order_id or lot.crm_account_order_id).id] += lot.points * (
                config.point_value if config else 0.0
            )
        prices = {}
        for order in all_orders:
            price = sum(
                order.order_line.filtered(
                    lambda line: not line.is_reward_line and not line.display_type
                ).mapped("price_subtotal")
            )
            prices[order.id] = order.currency_id._convert(
                price, order.company_id.currency_id, order.company_id, order.date_order.date()
            )
        units = self._crm_account_refund_units(configs)
        for lot in self:
            if lot.id in units:
                continue
            config, order = configs[lot.id], orders[lot.id]
            price = prices.get(order.id, 0.0)
            if order and price > 0 and config.point_value > 0:
                share = price * lot.points * config.point_value / (price + ssp[order.id])
                units[lot.id] = (share / lot.points, True)
            else:
                units[lot.id] = (config.point_value, lot.source == "sale")
        return units

    def _crm_account_post(self, date=None):
        """Post these lots' liability movements up to ``date`` (today): the
        issue of lots not in the books, then redemptions, breakage, expiry,
        claw-backs and adjustments since the last run, as sub-ledger rows
        and one journal entry per program and company. Re-running it posts
        nothing more. Returns the journal entries.

        Set-based: the lots' figures, their configuration and whether they
        are in the books come from one query each; only lots earned with an
        order or giving back a redemption go through the ORM for their
        deferred value."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        figures, configs = self._crm_account_figures()
        if not figures:
            return self.env["account.move"]
        Entry = self.env["crm.loyalty.account.entry"].sudo()
        Entry.flush_model()
        [issued] = self.env.execute_query(
            SQL(
                "SELECT array_agg(lot_id) FROM crm_loyalty_account_entry"
                " WHERE lot_id = ANY(%s) AND kind = 'issue'",
                [lot["id"] for lot in figures],
            )
        )[0]
        issued = set(issued or ())
        units, special = {}, []
        for lot in figures:
            if lot.pop("special") and lot["id"] not in issued:
                special.append(lot["id"])
            elif lot["id"] in issued:
                continue
            else:
                config = configs[lot["id"]]
                units[lot["id"]] = (config.point_value, lot["source"] == "sale")
        if special:
            units.update(
                self.browse(special)
                .sudo()
                ._crm_account_units({lot_id: configs[lot_id] for lot_id in special})
            )
        rows = Entry._crm_movement_rows(figures, configs, units, date)
        with Entry._ccare_append_only_unlocked():
            return Entry._crm_post_rows(rows, date)

    def _crm_account_figures(self):
        """``(figures, configs)`` for these lots, in one query: a dict per
        lot not pending that has a configuration (``LOT_FIELDS`` and
        ``special``: earned with an order or giving back a redemption), and
        ``{lot_id: config}``: its program's configuration in its company (a
        lot of no company: the program's only one), active, with a usable
        redemption rate and starting no later than the lot."""
        self.flush_model()
        usable = (
            self.env["crm.loyalty.account.config"]
            .sudo()
            .search([("program_id", "in", self._crm_account_program_ids())])
            .filtered(lambda c: c._crm_usable_rate() is not None)
        )
        if not usable:
            return [], {}
        rows = self.env.execute_query(
            SQL(
                """
                SELECT %(fields)s, c.id,
                       l.order_id IS NOT NULL OR l.crm_account_order_id IS NOT NULL
                           OR l.redemption_id IS NOT NULL
                  FROM crm_loyalty_points_lot l
                  JOIN crm_loyalty_account_config c
                    ON c.id = ANY(%(usable)s) AND c.program_id = l.program_id
                   AND (c.company_id = l.company_id
                        OR (l.company_id IS NULL
                            AND (SELECT count(*) FROM crm_loyalty_account_config o
                                  WHERE o.id = ANY(%(usable)s)
                                    AND o.program_id = l.program_id) = 1))
                   AND (c.date_start IS NULL OR l.date >= c.date_start)
                 WHERE l.id = ANY(%(ids)s) AND coalesce(l.pending, 0) <= 0
              ORDER BY l.id
                """,
                fields=SQL(", ").join(SQL.identifier("l", name) for name in LOT_FIELDS),
                usable=usable.ids,
                ids=self.ids,
            )
        )
        by_id = {config.id: config for config in usable}
        figures, configs = [], {}
        for row in rows:
            lot = dict(zip(LOT_FIELDS, row[: len(LOT_FIELDS)], strict=True))
            lot["special"] = row[-1]
            configs[lot["id"]] = by_id[row[-2]]
            figures.append(lot)
        return figures, configs

    def _crm_account_program_ids(self):
        """The programs of these lots, in one query."""
        if not self:
            return []
        [[program_ids]] = self.env.execute_query(
            SQL(
                "SELECT array_agg(DISTINCT program_id) FROM crm_loyalty_points_lot"
                " WHERE id = ANY(%s)",
                self.ids,
            )
        )
        return program_ids or []

    def _crm_account_refund_units(self, configs):
        """``{lot_id: (value of a point, True)}`` for the lots of ``self``
        that give a cancelled redemption's points back: the mean deferred
        value of the points the redemption took, lot by lot (a lot not in
        the books counts at the point's stand-alone selling price)."""
        refunds = self.filtered("redemption_id")
        if not refunds:
            return {}
        used = (
            self.env["crm.loyalty.redemption.lot"]
            .sudo()
            .search([("redemption_id", "in", refunds.redemption_id.ids)])
        )
        issued = {
            entry.lot_id.id: entry.unit_value
            for entry in self.env["crm.loyalty.account.entry"]
            .sudo()
            .search_fetch(
                [("lot_id", "in", used.lot_id.ids), ("kind", "=", "issue")],
                ["lot_id", "unit_value"],
            )
        }
        configs_by_redemption = {lot.redemption_id.id: configs[lot.id] for lot in refunds}
        totals = defaultdict(lambda: [0.0, 0.0])
        for line in used:
            config = configs_by_redemption[line.redemption_id.id]
            unit = issued.get(line.lot_id.id, config.point_value)
            totals[line.redemption_id.id][0] += line.points * unit
            totals[line.redemption_id.id][1] += line.points
        return {
            lot.id: (value / points, True)
            for lot in refunds
            for value, points in [totals[lot.redemption_id.id]]
            if points > 0
        }
