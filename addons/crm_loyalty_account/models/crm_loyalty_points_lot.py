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
    "expiry_date",
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
    def _loyalty_account_enqueue(self, configs, date=None, chunk_size=10000):
        """Queue the posting of ``configs``' lots that the books do not hold
        closed yet (open, or closed since the last run), one job per chunk."""
        if not configs:
            return 0
        self.env["crm.loyalty.account.entry"].flush_model()
        self.flush_model()
        domain = Domain.OR(
            Domain("program_id", "=", config.program_id.id)
            & Domain("company_id", "in", [config.company_id.id, False])
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
            "_loyalty_account_post",
            chunk_size=chunk_size,
            description=self.env._("Post the loyalty points liability"),
            date=fields.Date.to_string(date or fields.Date.context_today(self)),
        )

    def _loyalty_account_configs(self):
        """``{lot_id: config}`` for these lots: their program's configuration
        in their company (a lot of no company: the program's only one),
        active and with a usable redemption rate (lots before its start
        date too: they come in as an opening balance)."""
        configs = (
            self.env["crm.loyalty.account.config"]
            .sudo()
            .search([("program_id", "in", self.program_id.ids)])
        )
        configs = configs.filtered(lambda c: c._loyalty_usable_rate() is not None)
        by_key = {(c.program_id.id, c.company_id.id): c for c in configs}
        by_program = defaultdict(list)
        for config in configs:
            by_program[config.program_id.id].append(config)
        result = {}
        for lot in self:
            config = by_key.get((lot.program_id.id, lot.company_id.id))
            if not config and not lot.company_id and len(by_program[lot.program_id.id]) == 1:
                config = by_program[lot.program_id.id][0]
            if config:
                result[lot.id] = config
        return result

    def _loyalty_account_units(self, configs):
        """``{lot_id: (deferred value of a point, with a sale)}`` for these
        lots. A lot earned with an order takes its share of the revenue of
        the order's posted customer invoices (their goods lines, untaxed, in
        the company's currency at the invoice's rate; credit notes claw the
        points back instead): each invoice's revenue is split between the
        goods and the points in proportion to their stand-alone selling
        prices, goods at the order's untaxed price (reward lines left out,
        in the company's currency at the order date), points at points x
        SSP. The lot's share = invoiced x its points SSP / (price + points
        SSP of every lot of the order): a partly invoiced order defers only
        the invoiced part (nothing before its first invoice), the rest when
        it is invoiced. A lot giving back a cancelled redemption's points:
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
        lot_configs = {**order_lots._loyalty_account_configs(), **configs}
        ssp = defaultdict(float)
        for lot in order_lots:
            config = lot_configs.get(lot.id)
            ssp[(lot.order_id or lot.crm_account_order_id).id] += lot.points * (
                config.point_value if config else 0.0
            )
        prices, invoiced = {}, {}
        for order in all_orders:
            goods = order.order_line.filtered(
                lambda line: not line.is_reward_line and not line.display_type
            )
            prices[order.id] = order.currency_id._convert(
                sum(goods.mapped("price_subtotal")),
                order.company_id.currency_id,
                order.company_id,
                order.date_order.date(),
            )
            invoiced[order.id] = -sum(
                goods.invoice_lines.filtered(
                    lambda line: (
                        line.parent_state == "posted"
                        and line.display_type == "product"
                        and line.move_id.move_type == "out_invoice"
                    )
                ).mapped("balance")
            )
        units = self._loyalty_account_refund_units(configs)
        for lot in self:
            if lot.id in units:
                continue
            config, order = configs[lot.id], orders[lot.id]
            price = prices.get(order.id, 0.0)
            if order and price > 0 and config.point_value > 0:
                share = invoiced[order.id] * lot.points * config.point_value
                units[lot.id] = (share / (price + ssp[order.id]) / lot.points, True)
            else:
                units[lot.id] = (config.point_value, lot.source == "sale")
        return units

    def _loyalty_account_post(self, date=None):
        """Post these lots' liability movements up to ``date`` (today): the
        issue of lots not in the books, then redemptions, breakage, expiry,
        claw-backs and adjustments since the last run, as sub-ledger rows
        and one journal entry per program and company. Re-running it posts
        nothing more. Returns the journal entries.

        Lots earned before the configuration's start date come in as an
        opening balance (``crm.loyalty.account.entry._loyalty_opening_rows``).

        Set-based: the lots' figures, their configuration and whether they
        are in the books come from one query each; only lots earned with an
        order (their share follows the order's invoices, so it is taken
        again at each run) or giving back a redemption go through the ORM
        for their deferred value."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        figures, configs = self._loyalty_account_figures()
        if not figures:
            return self.env["account.move"]
        Entry = self.env["crm.loyalty.account.entry"].sudo()
        state = Entry._loyalty_lot_state([lot["id"] for lot in figures])
        issued = state[2]
        values = {config.id: config.point_value for config in set(configs.values())}
        units, special = {}, []
        for lot in figures:
            has_order, refund = lot.pop("has_order"), lot.pop("refund")
            if (has_order and not refund) or (refund and lot["id"] not in issued):
                special.append(lot["id"])
            elif lot["id"] in issued:
                continue
            else:
                units[lot["id"]] = (values[lot["config_id"]], lot["source"] == "sale")
        if special:
            units.update(
                self.browse(special)
                .sudo()
                ._loyalty_account_units({lot_id: configs[lot_id] for lot_id in special})
            )
        rows = Entry._loyalty_movement_rows(figures, configs, units, date, state)
        with Entry._ccare_append_only_unlocked():
            return Entry._loyalty_post_rows(rows, date)

    def _loyalty_account_figures(self):
        """``(figures, configs)`` for these lots, in one query: a dict per
        lot not pending that has a configuration (``LOT_FIELDS``,
        ``has_order``: earned with an order, ``refund``: giving back a
        redemption, ``opening``: earned before the configuration's start
        date), and ``{lot_id: config}``: its program's configuration in its
        company (a lot of no company: the program's only one), active and
        with a usable redemption rate."""
        self.flush_model()
        # every active configuration (a handful): cheaper than asking which
        # programs the chunk's lots belong to first
        usable = (
            self.env["crm.loyalty.account.config"]
            .sudo()
            .search([])
            .filtered(lambda c: c._loyalty_usable_rate() is not None)
        )
        if not usable:
            return [], {}
        rows = self.env.execute_query(
            SQL(
                """
                SELECT %(fields)s, c.id,
                       l.order_id IS NOT NULL OR l.crm_account_order_id IS NOT NULL,
                       l.redemption_id IS NOT NULL,
                       c.date_start IS NOT NULL AND l.date < c.date_start
                  FROM crm_loyalty_points_lot l
                  JOIN crm_loyalty_account_config c
                    ON c.id = ANY(%(usable)s) AND c.program_id = l.program_id
                   AND (c.company_id = l.company_id
                        OR (l.company_id IS NULL
                            AND (SELECT count(*) FROM crm_loyalty_account_config o
                                  WHERE o.id = ANY(%(usable)s)
                                    AND o.program_id = l.program_id) = 1))
                 WHERE l.id BETWEEN %(first)s AND %(last)s AND l.id = ANY(%(ids)s)
                   AND coalesce(l.pending, 0) <= 0
              ORDER BY l.id
                """,
                fields=SQL(", ").join(SQL.identifier("l", name) for name in LOT_FIELDS),
                usable=usable.ids,
                ids=self.ids,
                first=min(self.ids),
                last=max(self.ids),
            )
        )
        by_id = {config.id: config for config in usable}
        figures, configs = [], {}
        for row in rows:
            lot = dict(zip(LOT_FIELDS, row[: len(LOT_FIELDS)], strict=True))
            lot["has_order"], lot["refund"], lot["opening"] = row[-3:]
            lot["config_id"] = row[-4]
            configs[lot["id"]] = by_id[row[-4]]
            figures.append(lot)
        return figures, configs

    def _loyalty_account_refund_units(self, configs):
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
