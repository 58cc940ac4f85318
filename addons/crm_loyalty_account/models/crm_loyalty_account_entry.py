import json
from collections import defaultdict
from datetime import timedelta
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
ONE_DAY = timedelta(days=1)
NOTHING = (0.0, 0.0, 0)


def half_up_rounder(rounding):
    """``float_round(value, precision_rounding=rounding)`` (HALF-UP), for a
    rounding below 1 (a currency's), without its per-call checks: the
    posting job rounds several amounts per lot."""
    if not 0 < rounding < 1:
        return partial(float_round, precision_rounding=rounding)
    factor = float_invert(rounding)

    # value x factor nudged away from zero by 2 ** (log2 |value x factor| - 50),
    # as float_round does, in one multiplication
    nudge = factor * (1 + 2**-50)

    def rnd(value):
        return round(value * nudge) / factor

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
    opening = fields.Boolean(
        "Opening Balance",
        help="Brought into the books as the opening balance of a lot earned before the "
        "configuration's start date: what it owed the day before.",
    )
    move_id = fields.Many2one("account.move", "Journal Entry", index="btree_not_null")

    _key_unique = models.UniqueIndex("(key)", "This liability movement has been posted already.")

    @api.model
    def _loyalty_lot_state(self, lot_ids):
        """What the books hold and what the lots did, per lot, in three
        queries: ``(posted, uses, units)`` with ``posted[lot][kind] =
        [points, amount, count]``, ``uses[lot][kind] = points`` and
        ``units[lot] = (unit value, with_sale)`` of its last issue row (a
        lot of an order is revalued as the order is invoiced)."""
        self.flush_model()
        self.env["crm.loyalty.account.use"].flush_model()
        # the range lets the index answer a chunk of consecutive lots alone,
        # however large the table
        span = (min(lot_ids, default=0), max(lot_ids, default=0))
        posted = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0, 0]))
        units = {}
        for lot_id, kind, points, amount, count, unit, with_sale in self.env.execute_query(
            SQL(
                """
                SELECT lot_id, kind, sum(points), sum(amount), count(*),
                       (array_agg(unit_value ORDER BY id DESC))[1], bool_or(with_sale)
                  FROM crm_loyalty_account_entry
                 WHERE lot_id BETWEEN %s AND %s AND lot_id = ANY(%s)
              GROUP BY 1, 2
                """,
                *span,
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
                " WHERE lot_id BETWEEN %s AND %s AND lot_id = ANY(%s) GROUP BY 1, 2",
                *span,
                lot_ids,
            )
        ):
            uses[lot_id][kind] = points
        return posted, uses, units

    @api.model
    def _loyalty_targets(self, lot, unit, uses, posted, rate, rnd):
        """What lot ``lot`` (a dict of its figures) should have moved in the
        books, per kind: ``{kind: (points, amount)}``, amounts in liability
        terms (a release is negative).

        Redemptions, claw-backs and adjustments release the deferred value of
        their points; breakage (the share never expected to be redeemed,
        ``1 - rate``) follows the redemptions: redeemed / (rate x points) x
        (1 - rate) x value, never more than the value still open; when the
        lot closes by expiry, whatever it still holds is released, and a lot
        used up without expiring keeps no breakage and releases its rounding
        with the last redemption. The issue is points x ``unit``: when a
        lot's value changes (its order invoiced further), the difference is
        issued and every release follows.
        """
        issued = rnd(unit * lot["points"])
        claw, adjust = uses.get("clawback", 0.0), uses.get("adjust", 0.0)
        redeemed = max(lot["consumed"] - claw - adjust, 0.0)
        targets = {
            "issue": (lot["points"], issued),
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
            released = sum(amount for kind, (_p, amount) in targets.items() if kind != "issue")
            targets["expire"] = (-lot["expired"], -rnd(issued + released))
        else:
            # nothing left unredeemed: no breakage (what was recognised is reversed)
            targets["breakage"] = targets["expire"] = (0.0, 0.0)
            released = sum(amount for kind, (_p, amount) in targets.items() if kind != "issue")
            points, amount = targets["redeem"]
            targets["redeem"] = (points, amount - rnd(issued + released))
        return targets

    @api.model
    def _loyalty_movement_rows(self, lots, configs, units, date, state=None):
        """The rows to insert for ``lots`` (dicts): an issue for a lot not in
        the books yet (a lot earned before the configuration's start date:
        its opening balance first, ``_loyalty_opening_state``), then each kind
        whose target differs from what is posted. ``units``: ``{lot_id:
        (value of a point, with a sale)}`` for the lots not in the books and
        those revalued. ``state``: ``_loyalty_lot_state`` of the lots, if read
        already."""
        posted, uses, known = state or self._loyalty_lot_state([lot["id"] for lot in lots])
        # per configuration, read once: no field access in the loop over lots
        settings = {
            config.id: (
                half_up_rounder(config.currency_id.rounding),
                config._loyalty_usable_rate(),
                config.date_start,
            )
            for config in set(configs.values())
        }
        opening = [lot for lot in lots if lot["opening"] and lot["id"] not in known]
        since = self._loyalty_uses_since(opening, configs) if opening else {}
        rows = []
        for lot in lots:
            config_id = lot["config_id"]
            rnd, rate, start = settings[config_id]
            lot_posted = posted[lot["id"]]
            base = {
                "config_id": config_id,
                "lot_id": lot["id"],
                "partner_id": lot["partner_id"],
                "date": date,
                "opening": False,
            }
            if lot["id"] in known:
                unit, with_sale = known[lot["id"]]
                unit = units.get(lot["id"], (unit,))[0]
            else:
                unit, with_sale = units[lot["id"]]
                amount = rnd(unit * lot["points"])
                head = {**base, "unit_value": unit, "with_sale": with_sale}
                if lot["opening"]:
                    head.update(opening=True, date=start - ONE_DAY)
                rows.append(
                    {
                        **head,
                        "key": f"{lot['id']}:issue",
                        "kind": "issue",
                        "points": lot["points"],
                        "amount": amount,
                    }
                )
                lot_posted["issue"] = [lot["points"], amount, 1]
                if lot["opening"]:
                    at_start, uses_at_start = self._loyalty_opening_state(
                        lot, uses[lot["id"]], since.get(lot["id"], {}), start
                    )
                    targets = self._loyalty_targets(
                        at_start, unit, uses_at_start, lot_posted, rate, rnd
                    )
                    rows += self._loyalty_delta_rows(head, targets, lot_posted, rnd)
            base.update(unit_value=unit, with_sale=with_sale)
            targets = self._loyalty_targets(lot, unit, uses[lot["id"]], lot_posted, rate, rnd)
            rows += self._loyalty_delta_rows(base, targets, lot_posted, rnd)
        return rows

    @api.model
    def _loyalty_delta_rows(self, base, targets, lot_posted, rnd):
        """A row per kind whose target ``{kind: (points, amount)}`` differs
        from what ``lot_posted`` holds (updated with the rows), keyed with
        the kind's next count."""
        rows = []
        posted = lot_posted.get
        for kind, (points, amount) in targets.items():
            done_points, done_amount, count = posted(kind) or NOTHING
            moved = points - done_points
            if -EPSILON < moved < EPSILON:
                if -EPSILON < amount - done_amount < EPSILON:
                    continue
                delta = rnd(amount - done_amount)
                if -EPSILON < delta < EPSILON:
                    continue
            else:
                delta = rnd(amount - done_amount)
            rows.append(
                {
                    **base,
                    "key": f"{base['lot_id']}:{kind}:{count + 1}",
                    "kind": kind,
                    "points": moved,
                    "amount": delta,
                }
            )
            lot_posted[kind] = [points, done_amount + delta, count + 1]
        return rows

    @api.model
    def _loyalty_uses_since(self, lots, configs):
        """``{lot_id: {kind: points}}``: what the lot-use trail took from
        ``lots`` on or after their configuration's start date, one query."""
        since = defaultdict(lambda: defaultdict(float))
        for lot_id, kind, points in self.env.execute_query(
            SQL(
                """
                SELECT u.lot_id, u.kind, sum(u.points)
                  FROM crm_loyalty_account_use u
                  JOIN unnest(%s::int[], %s::date[]) AS s(lot_id, start) ON s.lot_id = u.lot_id
                 WHERE u.create_date >= s.start::timestamp AT TIME ZONE %s AT TIME ZONE 'UTC'
              GROUP BY 1, 2
                """,
                [lot["id"] for lot in lots],
                [configs[lot["id"]].date_start for lot in lots],
                self.env.tz.zone,  # the start date's midnight in the user's time zone
            )
        ):
            since[lot_id][kind] = points
        return since

    @api.model
    def _loyalty_opening_state(self, lot, uses, since, start):
        """Lot ``lot`` as it stood the day before ``start``: the points the
        lot-use trail took on or after it (``since``) given back, its expiry
        undone unless it expired before; consumption the trail does not
        explain happened before. Returns ``(lot, uses)`` for
        ``_loyalty_targets``."""
        taken = sum(since.values())
        expired = lot["expired"] if lot["expiry_date"] and lot["expiry_date"] < start else 0.0
        consumed = max(lot["consumed"] - taken, 0.0)
        at_start = {
            **lot,
            "consumed": consumed,
            "expired": expired,
            "remaining": lot["points"] - consumed - expired,
        }
        return at_start, {kind: uses.get(kind, 0.0) - since.get(kind, 0.0) for kind in uses}

    @api.model
    def _loyalty_insert(self, rows, heads):
        """Insert ``rows`` in one statement, skipping keys already posted;
        returns the rows that went in. A row's ``head`` indexes ``heads``:
        what its journal entry's rows share (configuration, program,
        company, date, opening, journal entry)."""
        if not rows:
            return []
        self.flush_model()
        # one JSON document, not one array per column: PostgreSQL parses it
        # at once where an ARRAY[...] of literals costs a node per value;
        # what a journal entry's rows share is sent once
        document = json.dumps(
            [
                {
                    "k": row["key"],
                    "l": row["lot_id"],
                    "p": row["partner_id"],
                    "t": row["kind"],
                    "q": row["points"],
                    "a": row["amount"],
                    "u": row["unit_value"],
                    "s": row["with_sale"],
                    "h": row["head"],
                }
                for row in rows
            ],
            separators=(",", ":"),
        )
        shared = json.dumps(
            [
                {"h": index, "c": c, "g": g, "o": o, "d": str(d), "n": n, "m": m}
                for index, (c, g, o, d, n, m) in enumerate(heads)
            ]
        )
        keys = self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_loyalty_account_entry
                       (key, lot_id, partner_id, kind, points, amount, unit_value, with_sale,
                        config_id, program_id, company_id, date, opening, move_id,
                        create_uid, create_date, write_uid, write_date)
                SELECT r.k, r.l, r.p, r.t, r.q, r.a, r.u, r.s, h.c, h.g, h.o, h.d, h.n, h.m,
                       %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
                  FROM jsonb_to_recordset(%(document)s::jsonb)
                       AS r(k varchar, l int, p int, t varchar, q float, a numeric, u float,
                            s bool, h int)
                  JOIN jsonb_to_recordset(%(shared)s::jsonb)
                       AS h(h int, c int, g int, o int, d date, n bool, m int) ON h.h = r.h
                ON CONFLICT DO NOTHING
             RETURNING key
                """,
                document=document,
                shared=shared,
                uid=self.env.uid,
            )
        )
        self.invalidate_model()
        accepted = {key for [key] in keys}
        return [row for row in rows if row["key"] in accepted]

    @api.model
    def _loyalty_move_lines(self, config, rows, opening=False):
        """The journal items of ``rows`` (one configuration's): per kind and
        counter account, the liability against revenue (a sale's points,
        and every redemption) or marketing expense (points given without a
        sale). An opening balance is one pair: the liability the lots owed
        against the opening balance account."""
        totals = defaultdict(float)
        revenue_id, expense_id = config.revenue_account_id.id, config.expense_account_id.id
        opening_id = opening and config._loyalty_opening_account().id
        for row in rows:
            if opening:
                totals[("opening", opening_id)] += row["amount"]
                continue
            counter_id = revenue_id if row["kind"] == "redeem" or row["with_sale"] else expense_id
            totals[(row["kind"], counter_id)] += row["amount"]
        labels = dict(ENTRY_KINDS)
        lines = []
        for (kind, counter_id), amount in sorted(totals.items()):
            amount = config.currency_id.round(amount)
            if config.currency_id.is_zero(amount):
                continue
            if opening:
                name = self.env._(
                    "Loyalty points opening balance: %(program)s", program=config.program_id.name
                )
            else:
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
    def _loyalty_post_rows(self, rows, date):
        """Book ``rows``: one journal entry per configuration, and one dated
        the day before its start for the opening balances, created with
        their lines (so that each row is inserted with its entry, never
        updated); the rows whose key is new inserted; an entry some of whose
        rows were posted meanwhile (two runs at once) gets the lines of the
        others, an entry left without lines is deleted; the rest is posted
        (``action_post``: sequence, checks, lock dates). Returns the posted
        journal entries."""
        if not rows:
            return self.env["account.move"]
        Config = self.env["crm.loyalty.account.config"]
        groups = sorted({(row["config_id"], row["opening"], row["date"]) for row in rows})
        index = {group: number for number, group in enumerate(groups)}
        planned = defaultdict(list)
        for row in rows:
            row["head"] = index[(row["config_id"], row["opening"], row["date"])]
            planned[row["head"]].append(row)
        Move = self.env["account.move"].sudo()
        moves = []
        for number, (config_id, opening, move_date) in enumerate(groups):
            config = Config.browse(config_id)
            label = (
                self.env._(
                    "Loyalty points opening balance: %(program)s", program=config.program_id.name
                )
                if opening
                else self.env._(
                    "Loyalty points liability: %(program)s", program=config.program_id.name
                )
            )
            moves.append(
                Move.with_company(config.company_id).create(
                    {
                        "move_type": "entry",
                        "journal_id": config.journal_id.id,
                        "company_id": config.company_id.id,
                        "date": move_date,
                        "ref": label,
                        "line_ids": self._loyalty_move_lines(config, planned[number], opening),
                    }
                )
            )
        heads = [
            (config.id, config.program_id.id, config.company_id.id, move_date, opening, move.id)
            for (config_id, opening, move_date), move in zip(groups, moves, strict=True)
            for config in [Config.browse(config_id)]
        ]
        accepted = defaultdict(list)
        for row in self._loyalty_insert(rows, heads):
            accepted[row["head"]].append(row)
        posted, empty = Move, Move
        for number, move in enumerate(moves):
            if len(accepted[number]) != len(planned[number]):
                config_id, opening, _date = groups[number]
                config = Config.browse(config_id)
                lines = self._loyalty_move_lines(config, accepted[number], opening)
                move.with_company(config.company_id).write({"line_ids": [Command.clear(), *lines]})
            if move.line_ids:
                posted |= move
            else:
                empty |= move
        empty.unlink()
        posted.action_post()
        return posted
