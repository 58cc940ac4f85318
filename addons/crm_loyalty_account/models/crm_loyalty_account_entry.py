import json
import math
from collections import defaultdict
from functools import partial

from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Command
from odoo.tools import SQL
from odoo.tools import float_round
from odoo.tools.float_utils import float_invert

ENTRY_KINDS = [
    ("issue", "Issued"),
    ("redeem", "Redeemed"),
    ("breakage", "Breakage"),
    ("expire", "Expired"),
    ("clawback", "Clawed back"),
    ("adjust", "Adjusted"),
]
EPSILON = 0.0001


def half_up_rounder(rounding):
    """``float_round(value, precision_rounding=rounding)`` (HALF-UP), for a
    rounding below 1 (a currency's), without its per-call checks: the
    posting job rounds several amounts per lot."""
    if not 0 < rounding < 1:
        return partial(float_round, precision_rounding=rounding)
    factor = float_invert(rounding)

    def rnd(value):
        if not value:
            return 0.0
        normalized = value * factor
        epsilon = 2 ** (math.log2(abs(normalized)) - 50)
        return round(normalized + math.copysign(epsilon, normalized)) / factor

    return rnd


class CrmLoyaltyAccountEntry(models.Model):
    """The points liability sub-ledger: one row per movement of one lot's
    contract liability, in the company's currency (``amount`` > 0 raises
    the liability), and the journal entry that booked it.

    Each row has a ``key``: the lot, the kind and the how-manieth movement
    of that kind on the lot (``<lot>:issue``, ``<lot>:redeem:2``). The
    posting job computes what each lot's liability should be and posts the
    difference with the next key, ``INSERT ... ON CONFLICT DO NOTHING``, and
    books journal entries only for the rows that went in: a re-run, or two
    runs at once, post nothing twice.
    """

    _name = "crm.loyalty.account.entry"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Loyalty Points Liability Entry"
    _order = "date desc, id desc"
    _check_company_auto = True

    key = fields.Char(required=True, readonly=True)
    # few indexes: each costs every insert; the report reads the whole table
    # cascade for the uninstall only: a configuration with entries refuses
    # deletion (crm.loyalty.account.config._unlink_except_posted)
    config_id = fields.Many2one(
        "crm.loyalty.account.config", "Configuration", required=True, ondelete="cascade"
    )
    lot_id = fields.Many2one("crm.loyalty.points.lot", index=True, ondelete="set null")
    program_id = fields.Many2one("loyalty.program", required=True)
    company_id = fields.Many2one("res.company", required=True)
    partner_id = fields.Many2one("res.partner", "Member")
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True)
    kind = fields.Selection(ENTRY_KINDS, required=True)
    with_sale = fields.Boolean(help="The lot was earned with a sale (revenue deferred).")
    points = fields.Float(help="Change of the points outstanding (issued: positive).")
    amount = fields.Monetary(help="Change of the contract liability (issued: positive).")
    unit_value = fields.Float(
        "Deferred Value of a Point",
        digits=(16, 6),
        help="The lot's share of the sale (or the point's stand-alone selling price) per point.",
    )
    move_id = fields.Many2one("account.move", "Journal Entry", index="btree_not_null")

    _key_unique = models.UniqueIndex("(key)", "This liability movement has been posted already.")

    @api.model
    def _crm_lot_state(self, lot_ids):
        """What the books hold and what the lots did, per lot, in three
        queries: ``(posted, uses, units)`` with ``posted[lot][kind] =
        [points, amount, count]``, ``uses[lot][kind] = points`` and
        ``units[lot] = (unit value, with_sale)`` of its issue."""
        self.flush_model()
        self.env["crm.loyalty.account.use"].flush_model()
        posted = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0]))
        units = {}
        for lot_id, kind, points, amount, count, unit, with_sale in self.env.execute_query(
            SQL(
                """
                SELECT lot_id, kind, sum(points), sum(amount), count(*),
                       max(unit_value) FILTER (WHERE kind = 'issue'), bool_or(with_sale)
                  FROM crm_loyalty_account_entry WHERE lot_id = ANY(%s) GROUP BY 1, 2
                """,
                lot_ids,
            )
        ):
            posted[lot_id][kind] = [points or 0.0, amount or 0.0, count]
            if kind == "issue":
                units[lot_id] = (unit or 0.0, with_sale)
        uses = defaultdict(lambda: defaultdict(float))
        for lot_id, kind, points in self.env.execute_query(
            SQL(
                "SELECT lot_id, kind, sum(points) FROM crm_loyalty_account_use"
                " WHERE lot_id = ANY(%s) GROUP BY 1, 2",
                lot_ids,
            )
        ):
            uses[lot_id][kind] = points
        return posted, uses, units

    @api.model
    def _crm_targets(self, lot, unit, uses, posted, rate, rnd):
        """What lot ``lot`` (a dict of its figures) should have moved in the
        books, per kind: ``{kind: (points, amount)}``, amounts in liability
        terms (a release is negative).

        Redemptions, claw-backs and adjustments release the deferred value of
        their points; breakage (the share never expected to be redeemed,
        ``1 - rate``) follows the redemptions: redeemed / (rate x points) x
        (1 - rate) x value, never more than the value still open; when the
        lot closes by expiry, whatever it still holds is released, and a lot
        used up without expiring keeps no breakage and releases its rounding
        with the last redemption.
        """
        issued = posted["issue"][1]
        claw, adjust = uses.get("clawback", 0.0), uses.get("adjust", 0.0)
        redeemed = max(lot["consumed"] - claw - adjust, 0.0)
        targets = {
            "redeem": (-redeemed, -rnd(unit * redeemed)),
            "clawback": (-claw, -rnd(unit * claw)),
            "adjust": (-adjust, -rnd(unit * adjust)),
        }
        net = lot["points"] - claw - adjust
        if lot["remaining"] > EPSILON:
            if rate <= 0 or net <= EPSILON:
                share = 1.0
            else:
                share = min(1.0, redeemed / (rate * net))
            breakage = min(unit * net * (1 - rate) * share, unit * max(net - redeemed, 0.0))
            targets["breakage"] = (0.0, -rnd(max(breakage, 0.0)))
            targets["expire"] = tuple(posted["expire"][:2])
            return targets
        if lot["expired"] > EPSILON:
            targets["breakage"] = (0.0, posted["breakage"][1])
            released = sum(amount for _points, amount in targets.values())
            targets["expire"] = (-lot["expired"], -rnd(issued + released))
        else:
            # nothing left unredeemed: no breakage (what was recognised is reversed)
            targets["breakage"] = targets["expire"] = (0.0, 0.0)
            released = sum(amount for _points, amount in targets.values())
            points, amount = targets["redeem"]
            targets["redeem"] = (points, amount - rnd(issued + released))
        return targets

    @api.model
    def _crm_movement_rows(self, lots, configs, units, date):
        """The rows to insert for ``lots`` (dicts): an issue for a lot not in
        the books yet, then each kind whose target differs from what is
        posted."""
        posted, uses, known = self._crm_lot_state([lot["id"] for lot in lots])
        rates = {config.id: config._crm_usable_rate() for config in set(configs.values())}
        heads = {
            config.id: (config.program_id.id, config.company_id.id)
            for config in set(configs.values())
        }
        rounders = {
            config.id: half_up_rounder(config.currency_id.rounding)
            for config in set(configs.values())
        }
        rows = []
        for lot in lots:
            config = configs[lot["id"]]
            rnd = rounders[config.id]
            lot_posted = posted[lot["id"]]
            base = {
                "config_id": config.id,
                "lot_id": lot["id"],
                "program_id": heads[config.id][0],
                "company_id": heads[config.id][1],
                "partner_id": lot["partner_id"],
                "date": date,
            }
            if lot["id"] in known:
                unit, with_sale = known[lot["id"]]
            else:
                unit, with_sale = units[lot["id"]]
                amount = rnd(unit * lot["points"])
                rows.append(
                    {
                        **base,
                        "key": f"{lot['id']}:issue",
                        "kind": "issue",
                        "points": lot["points"],
                        "amount": amount,
                        "unit_value": unit,
                        "with_sale": with_sale,
                    }
                )
                lot_posted["issue"] = [lot["points"], amount, 1]
            targets = self._crm_targets(
                lot,
                unit,
                uses[lot["id"]],
                lot_posted,
                rates[config.id],
                rnd,
            )
            for kind, (points, amount) in targets.items():
                done_points, done_amount, count = lot_posted[kind]
                if abs(points - done_points) < EPSILON and abs(amount - done_amount) < EPSILON:
                    continue
                delta = rnd(amount - done_amount)
                if abs(points - done_points) < EPSILON and abs(delta) < EPSILON:
                    continue
                rows.append(
                    {
                        **base,
                        "key": f"{lot['id']}:{kind}:{count + 1}",
                        "kind": kind,
                        "points": points - done_points,
                        "amount": delta,
                        "unit_value": unit,
                        "with_sale": with_sale,
                    }
                )
        return rows

    @api.model
    def _crm_insert(self, rows):
        """Insert ``rows`` in one statement, skipping keys already posted;
        returns the rows that went in."""
        if not rows:
            return []
        self.flush_model()
        columns = (
            ("key", "varchar"),
            ("config_id", "int"),
            ("lot_id", "int"),
            ("program_id", "int"),
            ("company_id", "int"),
            ("partner_id", "int"),
            ("date", "date"),
            ("kind", "varchar"),
            ("points", "float"),
            ("amount", "numeric"),
            ("unit_value", "float"),
            ("with_sale", "bool"),
            ("move_id", "int"),
        )
        names = SQL(", ").join(SQL.identifier(name) for name, _type in columns)
        # one JSON document, not one array per column: PostgreSQL parses it
        # at once where an ARRAY[...] of literals costs a node per value
        document = json.dumps(
            [{name: row[name] for name, _type in columns} for row in rows], default=str
        )
        keys = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_loyalty_account_entry
                       (%(names)s, create_uid, create_date, write_uid, write_date)
                SELECT %(names)s, %(uid)s, now() at time zone 'utc', %(uid)s,
                       now() at time zone 'utc'
                  FROM jsonb_to_recordset(%(document)s::jsonb) AS r(%(types)s)
                ON CONFLICT DO NOTHING
             RETURNING key
                """,
                names=names,
                document=document,
                types=SQL(", ").join(
                    SQL("%s %s", SQL.identifier(name), SQL(kind)) for name, kind in columns
                ),
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
        accepted = {key for [key] in keys}
        return [row for row in rows if row["key"] in accepted]

    @api.model
    def _crm_move_lines(self, config, rows):
        """The journal items of ``rows`` (one configuration's): per kind and
        counter account, the liability against revenue (a sale's points,
        and every redemption) or marketing expense (points given without a
        sale)."""
        totals = defaultdict(float)
        revenue_id, expense_id = config.revenue_account_id.id, config.expense_account_id.id
        for row in rows:
            counter_id = revenue_id if row["kind"] == "redeem" or row["with_sale"] else expense_id
            totals[(row["kind"], counter_id)] += row["amount"]
        labels = dict(ENTRY_KINDS)
        lines = []
        for (kind, counter_id), amount in sorted(totals.items()):
            amount = config.currency_id.round(amount)
            if config.currency_id.is_zero(amount):
                continue
            name = self.env._(
                "Loyalty points %(kind)s: %(program)s",
                kind=labels[kind].lower(),
                program=config.program_id.name,
            )
            for account_id, value in (
                (config.liability_account_id.id, -amount),
                (counter_id, amount),
            ):
                lines.append(
                    Command.create(
                        {
                            "account_id": account_id,
                            "name": name,
                            "debit": max(value, 0.0),
                            "credit": max(-value, 0.0),
                        }
                    )
                )
        return lines

    @api.model
    def _crm_post_rows(self, rows, date):
        """Book ``rows``: one draft journal entry per configuration first (so
        that each row is inserted with its entry, never updated), the rows
        whose key is new inserted, then each entry gets their lines and is
        posted; an entry left without lines is deleted. Returns the posted
        journal entries."""
        if not rows:
            return self.env["account.move"]
        configs = self.env["crm.loyalty.account.config"].browse(
            sorted({row["config_id"] for row in rows})
        )
        Move = self.env["account.move"].sudo()
        drafts = Move.create(
            [
                {
                    "move_type": "entry",
                    "journal_id": config.journal_id.id,
                    "company_id": config.company_id.id,
                    "date": date,
                    "ref": self.env._(
                        "Loyalty points liability: %(program)s", program=config.program_id.name
                    ),
                }
                for config in configs
            ]
        )
        move_of = dict(zip(configs.ids, drafts, strict=True))
        for row in rows:
            row["move_id"] = move_of[row["config_id"]].id
        accepted = self._crm_insert(rows)
        posted, empty = Move, Move
        for config in configs:
            move = move_of[config.id]
            lines = self._crm_move_lines(
                config, [row for row in accepted if row["config_id"] == config.id]
            )
            if lines:
                move.with_company(config.company_id).write({"line_ids": lines})
                posted |= move
            else:
                empty |= move
        empty.unlink()
        posted.action_post()
        return posted
