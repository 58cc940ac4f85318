import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.models.ccare_guard import is_unlocked
from odoo.addons.crm_customer_care.models.ccare_guard import unlocked
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools import format_date

from .crm_loyalty_points_lot import POINT_SOURCES
from .loyalty_ledger import BALANCE
from .loyalty_ledger import SUSPEND
from .loyalty_ledger import current_entry
from .loyalty_ledger import ledger_entry

_logger = logging.getLogger(__name__)

SUSPENSION_FIELDS = frozenset({"crm_suspended", "crm_suspended_since", "crm_suspension_reason"})
# below this, two balances are the same (points are stored as double precision)
EPSILON = 0.0001


class LoyaltyCard(models.Model):
    """Points lots with expiry and a balance that never goes negative on
    Odoo's loyalty cards.

    ``points`` remains Odoo's balance, and it is always the sum of the
    remaining points of the card's open lots, whatever path changes it
    (see ``loyalty_ledger``): ``create``/``write`` turn an increase into a
    lot and a decrease into the consumption of the oldest lots; our own
    paths (award, redeem, expire, refund) keep the lots themselves, set-based.
    Who may change a balance by hand is a right (Loyalty Managers, Sales
    Administrators); everyone else changes it only through sale_loyalty's
    order flows and this addon's. Redemptions lock the card row (``SELECT
    ... FOR NO KEY UPDATE``) and a CHECK constraint refuses any negative
    balance whatever writes it.
    """

    _inherit = "loyalty.card"

    # the member's ledger is loyalty staff's (groups): salespeople read the
    # card, not its lots and postings (the portal reads them as superuser)
    crm_lot_ids = fields.One2many(
        "crm.loyalty.points.lot",
        "card_id",
        string="Points Lots",
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_redemption_ids = fields.One2many(
        "crm.loyalty.redemption", "card_id", groups="crm_loyalty.group_crm_loyalty_user"
    )
    crm_posting_ids = fields.One2many(
        "crm.loyalty.posting",
        "card_id",
        string="Postings",
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_points_expiring = fields.Float(
        "Expiring Soon",
        compute="_compute_crm_expiry",
        groups="crm_loyalty.group_crm_loyalty_user",
        help="Points whose lots expire within the program's warning period (Warn Before "
        "Expiry): the points the member is warned about, and the lots listed on their "
        "portal page under 'Points expiring soon'.",
    )
    crm_points_pending = fields.Float(
        "Pending",
        compute="_compute_crm_pending",
        help="Points in the return window of their order: not spendable yet, not expiring.",
    )
    crm_next_release_date = fields.Date("Next Release", compute="_compute_crm_pending")
    crm_next_expiry_date = fields.Date(
        "Next Expiry", compute="_compute_crm_expiry", groups="crm_loyalty.group_crm_loyalty_user"
    )
    crm_may_adjust_balance = fields.Boolean(compute="_compute_crm_may_adjust_balance")
    crm_suspended = fields.Boolean(
        "Suspended",
        readonly=True,
        copy=False,
        tracking=True,
        help="A suspended card earns no points and redeems none (Suspend / Reinstate).",
    )
    crm_suspended_since = fields.Date("Suspended Since", readonly=True, copy=False)
    crm_suspension_reason = fields.Char("Suspension Reason", readonly=True, copy=False)

    # the balance is bounded as our own numbers (base_finite_numbers)
    _ccare_bounded_numbers = ("points",)

    _crm_points_non_negative = models.Constraint(
        "CHECK (points >= 0)", "A loyalty balance can never be negative."
    )

    # ------------------------------------------------------------ computes
    def _compute_crm_expiry(self):
        today = fields.Date.context_today(self)
        rows = self.env["crm.loyalty.points.lot"]._read_group(
            [
                ("card_id", "in", self.ids),
                ("remaining", ">", 0),
                ("expiry_date", "!=", False),
                ("expiry_date", ">=", today),
            ],
            ["card_id"],
            ["expiry_date:min"],
        )
        first = {card.id: date for card, date in rows}
        Lot = self.env["crm.loyalty.points.lot"]
        soon = dict(
            Lot._read_group(
                Lot._loyalty_expiring_soon_domain(today) & Domain("card_id", "in", self.ids),
                ["card_id"],
                ["remaining:sum"],
            )
        )
        for card in self:
            card.crm_next_expiry_date = first.get(card.id, False)
            card.crm_points_expiring = soon.get(card, 0.0)

    def _loyalty_expiring_lots(self, today=None):
        """The lots behind the cards' Expiring Soon figure, soonest first
        (``crm.loyalty.points.lot._loyalty_expiring_soon_domain``)."""
        Lot = self.env["crm.loyalty.points.lot"]
        return Lot.search_fetch(
            Lot._loyalty_expiring_soon_domain(today, programs=self.program_id)
            & Domain("card_id", "in", self.ids),
            ["card_id", "expiry_date", "remaining"],
            order="expiry_date, id",
        )

    def _compute_crm_pending(self):
        Lot = self.env["crm.loyalty.points.lot"]
        rows = Lot.sudo()._read_group(
            Domain("card_id", "in", self.ids) & Lot._loyalty_pending_domain(),
            ["card_id"],
            ["pending:sum", "release_date:min"],
        )
        pending = {card.id: (points, date) for card, points, date in rows}
        for card in self:
            card.crm_points_pending, card.crm_next_release_date = pending.get(card.id, (0.0, False))

    @api.depends_context("uid")
    def _compute_crm_may_adjust_balance(self):
        self.crm_may_adjust_balance = self._loyalty_may_change_balance()

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("points") for vals in vals_list):
            self._loyalty_check_balance_right()
        if any(vals.get(name) for vals in vals_list for name in SUSPENSION_FIELDS & vals.keys()):
            self._loyalty_check_suspension_right()
        cards = super().create(vals_list)
        opening = {card.id: card.points for card in cards.sudo() if card.points > EPSILON}
        if opening:
            cards._loyalty_ledger_follow(opening, self.env._("Opening balance"))
        return cards

    def write(self, vals):
        if not self:
            return super().write(vals)
        if SUSPENSION_FIELDS & vals.keys():
            self._loyalty_check_suspension_right()
        if "points" not in vals:
            return super().write(vals)
        self._loyalty_check_balance_right()
        before = {card.id: card.points for card in self.sudo()}
        result = super().write(vals)
        deltas = {card.id: card.points - before[card.id] for card in self.sudo()}
        self._loyalty_ledger_follow(deltas)
        self.sudo()._loyalty_balances_changed(deltas)
        return result

    # ------------------------------------------------------------ ledger
    @api.model
    def _loyalty_may_change_balance(self):
        """May the current user change balances by hand (the card form,
        Update Balance, coupons generated with points, statement lines)?
        The superuser and server flows (``unlocked(BALANCE)``) always may."""
        user = self.env.user
        return (
            self.env.su
            or is_unlocked(BALANCE)
            or user.has_group("crm_loyalty.group_crm_loyalty_manager")
            or user.has_group("sales_team.group_sale_manager")
        )

    @api.model
    def _loyalty_check_balance_right(self):
        if not self._loyalty_may_change_balance():
            raise AccessError(
                self.env._(
                    "Only Loyalty Managers and Sales Administrators may change a loyalty "
                    "balance or its statement by hand (Update Balance, with a reason). Points "
                    "otherwise change through sales orders, redemptions and the points rules."
                )
            )

    @api.model
    def _loyalty_check_suspension_right(self):
        if not is_unlocked(SUSPEND):
            raise UserError(
                self.env._(
                    "A card is suspended and reinstated with its Suspend and Reinstate actions "
                    "(Loyalty Managers), never by editing it."
                )
            )

    # ------------------------------------------------------------ suspension
    def _loyalty_check_may_suspend(self):
        if not (self.env.su or self.env.user.has_group("crm_loyalty.group_crm_loyalty_manager")):
            raise AccessError(
                self.env._("Only Loyalty Managers may suspend or reinstate a loyalty card.")
            )

    def action_crm_suspend(self, reason=None):
        """Suspend the cards: they earn nothing and redeem nothing until
        reinstated. The reason is shown to the member."""
        self._loyalty_check_may_suspend()
        cards = self.filtered(lambda c: not c.crm_suspended)
        reason = reason or self.env._("Suspended by %s", self.env.user.name)
        with unlocked(SUSPEND):
            cards.sudo().write(
                {
                    "crm_suspended": True,
                    "crm_suspended_since": fields.Date.context_today(self),
                    "crm_suspension_reason": reason,
                }
            )
        for card in cards:
            card.sudo().message_post(
                body=self.env._("Card suspended: %s", reason), subtype_xmlid="mail.mt_note"
            )
        return True

    def action_crm_reinstate(self):
        self._loyalty_check_may_suspend()
        cards = self.filtered("crm_suspended")
        with unlocked(SUSPEND):
            cards.sudo().write(
                {
                    "crm_suspended": False,
                    "crm_suspended_since": False,
                    "crm_suspension_reason": False,
                }
            )
        for card in cards:
            card.sudo().message_post(
                body=self.env._("Card reinstated."), subtype_xmlid="mail.mt_note"
            )
        return True

    def _loyalty_check_not_suspended(self):
        suspended = self.sudo().filtered("crm_suspended")
        if suspended:
            raise UserError(
                self.env._(
                    "The card %(code)s (%(partner)s) is suspended: it cannot redeem points.",
                    code=suspended[0].code,
                    partner=suspended[0].partner_id.display_name or "-",
                )
            )

    # ------------------------------------------------------------ caps
    def _loyalty_apply_caps(self, amounts, source, date=None):
        """Clip ``{card_id: points}`` earned from ``source`` to the caps of
        the program's rule for that event (``daily_cap``, ``monthly_cap``:
        points per member per day and calendar month; 0: none), counting
        what the card already earned from it (the journal). The cards are
        locked first, so two awards at once cannot both pass a cap. One query
        for the rules, one for the journal."""
        cards = self.browse(list(amounts)).sudo()
        rules = (
            self.env["crm.loyalty.points.rule"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("program_id", "in", cards.program_id.ids),
                    ("event", "=", source),
                    "|",
                    ("daily_cap", ">", 0),
                    ("monthly_cap", ">", 0),
                ]
            )
        )
        if not rules:
            return amounts
        rule_of = {rule.program_id.id: rule for rule in rules}
        capped = cards.filtered(lambda c: c.program_id.id in rule_of)
        day = date or fields.Date.context_today(self)
        month = day.replace(day=1)
        self.env["crm.loyalty.posting"].flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                capped.ids,
            )
        )
        earned = {
            card_id: (today_total, month_total)
            for card_id, today_total, month_total in self.env.execute_query(
                SQL(
                    """
                    SELECT card_id,
                           coalesce(sum(issued) FILTER (WHERE date >= %(day)s), 0),
                           coalesce(sum(issued), 0)
                      FROM crm_loyalty_posting
                     WHERE card_id = ANY(%(cards)s) AND event = 'earn' AND source = %(source)s
                       AND date >= %(month)s AND date < %(next_month)s
                  GROUP BY card_id
                    """,
                    day=day,
                    month=month,
                    next_month=month + relativedelta(months=1),
                    cards=capped.ids,
                    source=source,
                )
            )
        }
        result = dict(amounts)
        for card in capped:
            rule = rule_of[card.program_id.id]
            today_total, month_total = earned.get(card.id, (0.0, 0.0))
            room = result[card.id]
            if rule.daily_cap:
                room = min(room, rule.daily_cap - today_total)
            if rule.monthly_cap:
                room = min(room, rule.monthly_cap - month_total)
            result[card.id] = max(room, 0.0)
        return {card_id: points for card_id, points in result.items() if points > EPSILON}

    def _loyalty_ledger_follow(self, deltas, description=None):
        """Keep the lots in step with balance changes ``{card_id: new - old}``
        made through the ORM: an increase becomes a lot, a decrease consumes
        the oldest lots. Skipped inside a ``ledger_entry(lots=False)`` (the
        caller keeps the lots). A change by hand (no server flow) also gets
        its statement line. Constant number of queries per batch."""
        entry = current_entry()
        if entry and not entry.lots:
            return
        deltas = {card_id: delta for card_id, delta in deltas.items() if abs(delta) > EPSILON}
        if not deltas:
            return
        split = entry.split() if entry and entry.split else {}
        up, down = {}, {}
        for card_id, delta in deltas.items():
            earned, spent = split.get(card_id, (None, None))
            if earned is not None and abs(earned - spent - delta) < EPSILON:
                up[card_id], down[card_id] = earned, spent
            elif delta > 0:
                up[card_id] = delta
            else:
                down[card_id] = -delta
        if entry:
            source = entry.source
            description = entry.description or dict(POINT_SOURCES).get(source, source)
        else:
            source = "manual"
            description = description or self.env._("Adjusted by hand by %s", self.env.user.name)
        Card = self.env["loyalty.card"].sudo()
        if not entry or entry.journal:
            res_model, res_id = (entry and entry.origin) or (None, None)
            self.env["crm.loyalty.posting"].sudo()._loyalty_post(
                [
                    {
                        "card_id": card_id,
                        "event": entry.event if entry else "adjust",
                        "source": source,
                        "issued": up.get(card_id, 0.0),
                        "used": down.get(card_id, 0.0),
                        "description": description,
                        "res_model": res_model,
                        "res_id": res_id,
                    }
                    for card_id in deltas
                ]
            )
        if down:
            short = Card._loyalty_consume_lots(down)
            if short:
                _logger.warning("Loyalty cards debited beyond their open lots: %s", short)
        if up:
            Card._loyalty_create_lots(up, source, description)
        if not entry and not self.env.su:
            # a hand adjustment writes its own statement line; server flows
            # (sale_loyalty, Update Balance, ours) write theirs
            with unlocked(BALANCE):
                self.env["loyalty.history"].sudo().create(
                    [
                        {
                            "card_id": card_id,
                            "description": description,
                            "issued": max(delta, 0.0),
                            "used": max(-delta, 0.0),
                        }
                        for card_id, delta in deltas.items()
                    ]
                )

    def _loyalty_write_balances(self, deltas, bulk=False):
        """Add ``{card_id: delta}`` to the balances through the ORM, so that
        Odoo's "When reaching" communications and tracking happen: the card
        rows locked, then one ``write`` per new balance. The caller keeps
        the lots (call it inside ``ledger_entry(..., lots=False)``).

        ``bulk`` (the expiry and release jobs, thousands of cards a chunk):
        only the cards whose balance rises on a program with a "When
        reaching" communication go through the ORM; the others, where that
        communication cannot fire, get one UPDATE (a ``write`` per balance
        cost more than the rest of the job). Their change is on the card's
        statement line and journal posting, not in its chatter."""
        deltas = {card_id: delta for card_id, delta in deltas.items() if abs(delta) > EPSILON}
        if not deltas:
            return
        cards = self.env["loyalty.card"].sudo().browse(list(deltas))
        cards.flush_recordset(["points"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM loyalty_card WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                cards.ids,
            )
        )
        cards.invalidate_recordset(["points"])
        if bulk:
            cards = cards._loyalty_reaching_cards(deltas)
            through_orm = set(cards.ids)
            by_sql = [card_id for card_id in deltas if card_id not in through_orm]
            if by_sql:
                self._loyalty_check_balance_right()
                self.env.cr.execute(
                    SQL(
                        """
                        UPDATE loyalty_card c
                           SET points = coalesce(c.points, 0) + v.delta,
                               write_date = now() at time zone 'utc', write_uid = %s
                          FROM unnest(%s::int[], %s::float[]) AS v(id, delta)
                         WHERE c.id = v.id
                        """,
                        self.env.uid,
                        by_sql,
                        [deltas[card_id] for card_id in by_sql],
                    )
                )
                self.env["loyalty.card"].browse(by_sql).invalidate_recordset(
                    ["points", "write_date", "write_uid"]
                )
                self.env["loyalty.card"].browse(by_sql)._loyalty_balances_changed(
                    {card_id: deltas[card_id] for card_id in by_sql}
                )
        by_balance = defaultdict(list)
        for card in cards:
            by_balance[(card.points or 0.0) + deltas[card.id]].append(card.id)
        for balance, card_ids in by_balance.items():
            cards.browse(card_ids).write({"points": balance})

    def _loyalty_reaching_cards(self, deltas):
        """The cards of ``self`` on which Odoo's "When reaching" communication
        may fire for ``{card_id: delta}``: the balance rises and the program
        has such a communication."""
        if self.env.context.get("loyalty_no_mail"):
            return self.browse()
        reaching = {
            program.id
            for program in self.program_id
            if program.communication_plan_ids.filtered(lambda c: c.trigger == "points_reach")
        }
        return self.filtered(
            lambda card: card.program_id.id in reaching and deltas.get(card.id, 0.0) > 0
        )

    def _loyalty_insert_statement_lines(self, lines):
        """Statement lines (``loyalty.history``) ``[(card_id, description,
        issued, used)]`` in one INSERT, for the batch jobs (the ORM's create
        costs several times the insert on thousands of lines; the model has
        no side effect to keep)."""
        if not lines:
            return
        self._loyalty_check_balance_right()
        History = self.env["loyalty.history"]
        History.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO loyalty_history
                       (card_id, description, issued, used,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.card_id, v.description, v.issued, v.used,
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM unnest(%(cards)s::int[], %(descriptions)s::text[], %(issued)s::float[],
                              %(used)s::float[]) AS v(card_id, description, issued, used)
                """,
                uid=self.env.uid,
                cards=[line[0] for line in lines],
                descriptions=[line[1] for line in lines],
                issued=[line[2] for line in lines],
                used=[line[3] for line in lines],
            )
        )
        History.invalidate_model()
        self.env["loyalty.card"].invalidate_model(["history_ids"])

    # ------------------------------------------------------------ extension points
    def _loyalty_points_multipliers(self):
        """Extension point: ``{card_id: factor}`` the points each card of
        ``self`` earns are multiplied by, on activities and on orders
        (crm_loyalty_tier: the tier's multiplier). 1 here."""
        return dict.fromkeys(self.ids, 1.0)

    def _loyalty_locked_rewards(self, rewards):
        """Extension point: the rewards of ``rewards`` this card may not
        have (crm_loyalty_tier: those its tier does not unlock). They are
        left out of an order's claimable rewards and of the portal's list,
        and refused by ``_loyalty_check_reward_allowed``. None here."""
        self.ensure_one()
        return rewards.browse()

    def _loyalty_check_reward_allowed(self, rewards):
        """Raise a UserError when this card may not have a reward of
        ``rewards`` (``_loyalty_locked_rewards``); an extension may say why
        first."""
        locked = self._loyalty_locked_rewards(rewards)
        if locked:
            raise UserError(
                self.env._(
                    "%(reward)s is not available to card %(code)s (%(partner)s).",
                    reward=locked[0].description,
                    code=self.code,
                    partner=self.partner_id.display_name or "-",
                )
            )

    # ------------------------------------------------------------ points
    def _loyalty_create_lots(self, amounts, source, description, date=None):
        """Create one lot per ``{card_id: points}`` (points > 0), expiring by
        each card's program policy. No balance change: the caller did it."""
        date = date or fields.Date.context_today(self)
        cards = self.browse(list(amounts)).sudo()
        return (
            self.env["crm.loyalty.points.lot"]
            .sudo()
            .create(
                [
                    card._loyalty_lot_values(amounts[card.id], source, description, date)
                    for card in cards
                    if amounts[card.id] > 0
                ]
            )
        )

    def _loyalty_lot_values(self, points, source, description, date):
        self.ensure_one()
        return {
            "card_id": self.id,
            "date": date,
            "expiry_date": self.program_id._loyalty_expiry_date(date),
            "source": source,
            "description": description,
            "points": points,
            "remaining": points,
        }

    def _loyalty_points_add(self, amounts, source, description, date=None, origins=None):
        """Credit ``{card_id: points}``: journal, balance, history line and
        lot, set-based. ``origins`` (``{card_id: record}``): the document each
        credit comes from; its posting is keyed by (source, document), so a
        card credited twice for the same document gets it once."""
        amounts = {card_id: points for card_id, points in amounts.items() if points}
        if not amounts:
            return self.env["crm.loyalty.points.lot"]
        if any(points < 0 for points in amounts.values()):
            raise UserError(self.env._("Points awarded cannot be negative."))
        # a suspended card earns nothing; the caps of the event's rule apply
        suspended = set(self.browse(list(amounts)).sudo().filtered("crm_suspended").ids)
        amounts = {
            card_id: points for card_id, points in amounts.items() if card_id not in suspended
        }
        if amounts:
            amounts = self._loyalty_apply_caps(amounts, source, date)
        if not amounts:
            return self.env["crm.loyalty.points.lot"]
        amounts = self._loyalty_post_once(amounts, "earn", source, description, origins)
        if not amounts:
            return self.env["crm.loyalty.points.lot"]
        with ledger_entry(source, description, lots=False):
            self._loyalty_write_balances(amounts)
            self.env["loyalty.history"].sudo().create(
                [
                    {"card_id": card_id, "description": description, "issued": points, "used": 0.0}
                    for card_id, points in amounts.items()
                ]
            )
        return self._loyalty_create_lots(amounts, source, description, date=date)

    def _loyalty_post_once(self, amounts, event, source, description, origins=None, used=False):
        """Journal ``{card_id: points}`` (issued, or ``used``); a card whose
        document (``origins[card_id]``) was already posted for ``source`` is
        left out. Returns the amounts that went in."""
        Posting = self.env["crm.loyalty.posting"].sudo()
        origins = origins or {}
        rows = []
        for card_id, points in amounts.items():
            origin = origins.get(card_id)
            rows.append(
                {
                    "card_id": card_id,
                    "event": event,
                    "source": source,
                    "issued": 0.0 if used else points,
                    "used": points if used else 0.0,
                    "description": description,
                    "res_model": origin._name if origin else None,
                    "res_id": origin.id if origin else None,
                    "key": Posting._loyalty_key(source, origin) if origin else None,
                }
            )
        accepted = Posting._loyalty_post(rows)
        return {rows[i]["card_id"]: amounts[rows[i]["card_id"]] for i in sorted(accepted)}

    def _loyalty_points_refund(self, redemptions):
        """Give the points of cancelled ``redemptions`` back: the balances
        (one write per new balance), one statement line and one lot per
        redemption, the lot keyed by the redemption so that the database
        refuses to refund it twice."""
        if not redemptions:
            return self.env["crm.loyalty.points.lot"]
        Posting = self.env["crm.loyalty.posting"].sudo()
        rows = [
            {
                "card_id": request.card_id.id,
                "event": "refund",
                "source": "refund",
                "issued": request.points,
                "description": self.env._("Cancelled redemption: %(name)s", name=request.name),
                "res_model": request._name,
                "res_id": request.id,
                "key": Posting._loyalty_key("refund", request),
            }
            for request in redemptions
        ]
        redemptions = redemptions.browse(
            [rows[i]["res_id"] for i in sorted(Posting._loyalty_post(rows))]
        )
        if not redemptions:
            return self.env["crm.loyalty.points.lot"]
        amounts = defaultdict(float)
        for request in redemptions:
            amounts[request.card_id.id] += request.points
        date = fields.Date.context_today(self)
        with ledger_entry("refund", self.env._("Cancelled redemption"), lots=False):
            self._loyalty_write_balances(amounts)
            self.env["loyalty.history"].sudo().create(
                [
                    {
                        "card_id": request.card_id.id,
                        "description": self.env._(
                            "Cancelled redemption: %(name)s", name=request.name
                        ),
                        "issued": request.points,
                        "used": 0.0,
                        "order_model": request._name,
                        "order_id": request.id,
                    }
                    for request in redemptions
                ]
            )
        return (
            self.env["crm.loyalty.points.lot"]
            .sudo()
            .create(
                [
                    {
                        **request.card_id._loyalty_lot_values(
                            request.points,
                            "refund",
                            self.env._("Cancelled redemption: %(name)s", name=request.name),
                            date,
                        ),
                        "redemption_id": request.id,
                    }
                    for request in redemptions
                ]
            )
        )

    def _loyalty_consume_lots(self, amounts, detail=None):
        """Take ``{card_id: points}`` from each card's open lots, oldest first,
        in one statement. Returns ``{card_id: points not covered by lots}``;
        ``detail`` (a list) receives ``(card_id, lot_id, points)`` per lot
        taken from."""
        amounts = {card_id: points for card_id, points in amounts.items() if points > 0}
        if not amounts:
            return {}
        Lot = self.env["crm.loyalty.points.lot"]
        Lot.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                WITH need AS (
                    SELECT * FROM unnest(%s::int[], %s::float[]) AS n(card_id, amount)
                ), ranked AS (
                    SELECT l.id, l.card_id, l.remaining, n.amount,
                           sum(l.remaining) OVER (PARTITION BY l.card_id
                                                  ORDER BY l.date, l.id) AS running
                      FROM crm_loyalty_points_lot l
                      JOIN need n ON n.card_id = l.card_id
                     WHERE l.remaining > 0
                ), taken AS (
                    UPDATE crm_loyalty_points_lot l
                       SET consumed = l.consumed + t.take, remaining = l.remaining - t.take,
                           write_date = now() at time zone 'utc', write_uid = %s
                      FROM (SELECT id, least(remaining, amount - (running - remaining)) AS take
                              FROM ranked WHERE running - remaining < amount) t
                     WHERE l.id = t.id
                 RETURNING l.card_id, l.id, t.take
                )
                SELECT n.card_id, n.amount - coalesce(sum(t.take), 0),
                       array_remove(array_agg(t.id ORDER BY t.id), NULL),
                       array_remove(array_agg(t.take ORDER BY t.id), NULL)
                  FROM need n LEFT JOIN taken t ON t.card_id = n.card_id
              GROUP BY n.card_id, n.amount
                """,
                list(amounts),
                list(amounts.values()),
                self.env.uid,
            )
        )
        Lot.invalidate_model()
        taken = [
            (card_id, lot_id, take)
            for card_id, _left, lot_ids, takes in rows
            for lot_id, take in zip(lot_ids, takes, strict=True)
        ]
        if detail is not None:
            detail.extend(taken)
        if taken:
            self._loyalty_lots_consumed(taken)
        return {card_id: left for card_id, left, _ids, _takes in rows if left > EPSILON}

    def _loyalty_balances_changed(self, deltas):
        """Extension point: the balances of the cards ``{card_id: new - old}``
        changed, through ``write`` or the batch jobs' UPDATE; it runs in the
        changing transaction, the lots already kept (crm_loyalty_clawback:
        the points a card owes are paid off from what it just got). Nothing
        is done here."""

    def _loyalty_lots_consumed(self, taken):
        """Extension point: ``taken`` (``[(card_id, lot_id, points)]``) are
        the lots ``_loyalty_consume_lots`` just took points from, oldest first.
        It runs inside the consuming flow, whose ``current_entry()`` (source,
        event, origin) says why; nothing is done here (the points liability
        in the books classifies each take as a redemption, a claw-back or an
        adjustment)."""

    def _loyalty_points_redeem(self, points, description, origin=None):
        """Spend ``points`` of this card: lock the card, check the balance,
        debit it, consume the oldest lots, log it. Raises UserError (nothing
        written) when the card expired or the balance is too low."""
        self.ensure_one()
        # written so that NaN fails them too (every comparison with NaN is false)
        if not points > 0:
            raise UserError(self.env._("Points to redeem must be positive (got %s).", points))
        self.flush_recordset(["points", "expiration_date", "active"])
        self.env.cr.execute(
            SQL(
                "SELECT points, expiration_date, active FROM loyalty_card WHERE id = %s"
                " FOR NO KEY UPDATE",
                self.id,
            )
        )
        balance, expiration, active = self.env.cr.fetchone()
        balance = balance or 0.0
        if not active or (expiration and expiration < fields.Date.context_today(self)):
            raise UserError(
                self.env._("The card %s has expired: its points cannot be redeemed.", self.code)
            )
        self.invalidate_recordset(["crm_suspended"])
        self._loyalty_check_not_suspended()
        if not points <= balance + EPSILON:
            raise UserError(
                self.env._(
                    "Cannot redeem %(points)s points: the balance of card %(code)s is %(balance)s.",
                    points=points,
                    code=self.code,
                    balance=balance,
                )
            )
        if not self._loyalty_post_once(
            {self.id: points},
            "redeem",
            "other",
            description,
            {self.id: origin} if origin else None,
            used=True,
        ):
            return False  # this document has already spent its points
        vals = {"card_id": self.id, "description": description, "issued": 0.0, "used": points}
        if origin:
            vals.update(order_model=origin._name, order_id=origin.id)
        with ledger_entry("other", description, lots=False):
            self.invalidate_recordset(["points"])
            self.sudo().write({"points": max(balance - points, 0.0)})
            taken = []
            self._loyalty_consume_lots({self.id: points}, detail=taken)
            self.env["loyalty.history"].sudo().create(vals)
        if origin and origin._name == "crm.loyalty.redemption" and taken:
            Used = self.env["crm.loyalty.redemption.lot"].sudo()
            with Used._ccare_append_only_unlocked():
                Used.create(
                    [
                        {"redemption_id": origin.id, "lot_id": lot_id, "points": take}
                        for _card_id, lot_id, take in taken
                    ]
                )
        return True

    @api.model
    def _loyalty_award(
        self, event, partners, points=None, program=None, description=None, origins=None
    ):
        """THE entry point for points from relationship activities.

        Give each partner (their commercial entity's card) the points of the
        active ``crm.loyalty.points.rule`` for ``event`` on every program
        that has one (only ``program``'s rule when given; ``points`` on
        ``program`` when both are given), creating the card if needed; the
        card's multiplier applies (``_loyalty_points_multipliers``). Set-based: a
        constant number of queries whatever the number of partners. A partner listed
        twice earns twice. ``origins`` (records, one per partner): the
        document each award comes from (the call held, the survey answer,
        the referral); an award already posted for that document and card is
        not posted again (a job re-run, a retried request). Returns the lots
        created.
        """
        partners = list(partners)
        commercial = [p.commercial_partner_id.id for p in partners]
        if not commercial:
            return self.env["crm.loyalty.points.lot"]
        if origins is not None and len(origins) != len(partners):
            raise UserError(self.env._("One origin per partner awarded, please."))
        if program and points is not None:
            plan = [(program, points)]
        else:
            domain = [("event", "=", event)]
            if program:
                domain.append(("program_id", "=", program.id))
            rules = self.env["crm.loyalty.points.rule"].sudo().search(domain)
            plan = [(rule.program_id, points or rule.points) for rule in rules]
        Card = self.sudo()
        entries = defaultdict(float)  # (card_id, origin) -> points
        for prog, prog_points in plan:
            if not prog_points or prog_points < 0:
                raise UserError(self.env._("Points awarded must be positive."))
            cards = Card.search([("program_id", "=", prog.id), ("partner_id", "in", commercial)])
            by_partner = {card.partner_id.id: card for card in cards}
            missing = sorted(set(commercial) - set(by_partner))
            if missing:
                for card in Card.create(
                    [{"program_id": prog.id, "partner_id": pid, "points": 0} for pid in missing]
                ):
                    by_partner[card.partner_id.id] = card
            multipliers = Card.browse(
                by_partner[pid].id for pid in commercial
            )._loyalty_points_multipliers()
            for index, pid in enumerate(commercial):
                card = by_partner[pid]
                origin = origins[index] if origins is not None else None
                entries[(card.id, origin)] += prog_points * multipliers[card.id]
        # one credit per card and call: a card earning for two documents at
        # once takes two rounds (two keys)
        rounds = []
        for (card_id, origin), amount in entries.items():
            for batch in rounds:
                if card_id not in batch:
                    batch[card_id] = (origin, amount)
                    break
            else:
                rounds.append({card_id: (origin, amount)})
        lots = self.env["crm.loyalty.points.lot"]
        for batch in rounds:
            lots |= Card._loyalty_points_add(
                {card_id: amount for card_id, (_o, amount) in batch.items()},
                event,
                description or dict(POINT_SOURCES).get(event, event),
                origins={card_id: origin for card_id, (origin, _a) in batch.items() if origin},
            )
        self._loyalty_awarded(event, self.env["res.partner"].browse(commercial))
        return lots

    @api.model
    def _loyalty_awarded(self, event, partners):
        """Extension point: ``partners`` (commercial entities) earned points
        for ``event`` (relationship programmes record their members'
        activity)."""

    # ------------------------------------------------------------ pending
    def _loyalty_create_pending_lots(self, pending, date=None):
        """Open a pending lot per ``{(order_id, card_id): points}``: out of
        the balance, not expiring, released after the card's program return
        window."""
        date = date or fields.Date.context_today(self)
        orders = self.env["sale.order"].sudo().browse(sorted({o for o, _c in pending}))
        cards = self.sudo().browse(sorted({c for _o, c in pending}))
        names = {order.id: order.name for order in orders}
        vals = []
        for (order_id, card_id), points in pending.items():
            if points <= EPSILON:
                continue
            card = cards.browse(card_id)
            release = date + relativedelta(days=card.program_id.crm_return_window_days)
            vals.append(
                {
                    "card_id": card_id,
                    "date": date,
                    "source": "sale",
                    "description": self.env._(
                        "Order %(order)s (pending until %(date)s)",
                        order=names[order_id],
                        date=release,
                    ),
                    "points": points,
                    "pending": points,
                    "remaining": 0.0,
                    "release_date": release,
                    "order_id": order_id,
                }
            )
        return self.env["crm.loyalty.points.lot"].sudo().create(vals)

    def _loyalty_release_pending(self, today=None):
        """Release the pending lots (of the cards in ``self``, or of all)
        whose return window has closed: one keyed posting per lot (a job run
        twice releases once), one statement to open the lots with their
        expiry date from the release day, the balances credited (through the
        ORM for the cards of programs with a "When reaching" communication,
        one statement for the others) with one history line per card.
        Returns the number of lots released."""
        today = today or fields.Date.context_today(self)
        Lot = self.env["crm.loyalty.points.lot"].sudo()
        Lot.flush_model()
        card_filter = SQL("l.card_id = ANY(%s)", self.ids) if self else SQL("TRUE")
        due = self.env.execute_query(
            SQL(
                """
                SELECT l.id, l.card_id, l.pending FROM crm_loyalty_points_lot l
                 WHERE l.pending > 0 AND l.release_date <= %s AND %s
                 ORDER BY l.id FOR UPDATE
                """,
                today,
                card_filter,
            )
        )
        if not due:
            return 0
        Posting = self.env["crm.loyalty.posting"].sudo()
        description = self.env._("Pending points released")
        rows = [
            {
                "card_id": card_id,
                "event": "release",
                "source": "sale",
                "issued": points,
                "description": description,
                "res_model": Lot._name,
                "res_id": lot_id,
                "key": f"release:{Lot._name},{lot_id}",
            }
            for lot_id, card_id, points in due
        ]
        accepted = [rows[i] for i in sorted(Posting._loyalty_post(rows))]
        if not accepted:
            return 0
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_loyalty_points_lot l
                   SET remaining = l.pending, pending = 0,
                       expiry_date = CASE p.crm_points_expiry
                           WHEN 'months' THEN (%(today)s::date
                               + make_interval(months => p.crm_points_validity_months))::date
                           WHEN 'end_of_year' THEN (date_trunc('year', %(today)s::date)
                               + interval '2 years' - interval '1 day')::date
                           ELSE NULL END,
                       write_date = now() at time zone 'utc', write_uid = %(uid)s
                  FROM loyalty_card c JOIN loyalty_program p ON p.id = c.program_id
                 WHERE l.id = ANY(%(ids)s) AND c.id = l.card_id
                """,
                today=today,
                uid=self.env.uid,
                ids=[row["res_id"] for row in accepted],
            )
        )
        Lot.invalidate_model()
        amounts = defaultdict(float)
        for row in accepted:
            amounts[row["card_id"]] += row["issued"]
        with ledger_entry("sale", description, lots=False):
            Card = self.env["loyalty.card"].sudo()
            Card._loyalty_write_balances(amounts, bulk=True)
            Card._loyalty_insert_statement_lines(
                [(card_id, description, points, 0.0) for card_id, points in amounts.items()]
            )
        return len(accepted)

    @api.model
    def _cron_release_pending_points(self, chunk_size=5000):
        """Queue the release of the pending points due today, in chunks of
        cards (queue_job, channel ``loyalty_pending``)."""
        today = fields.Date.context_today(self)
        self.env["crm.loyalty.points.lot"].flush_model()
        card_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT DISTINCT card_id FROM crm_loyalty_points_lot"
                    " WHERE pending > 0 AND release_date <= %s",
                    today,
                )
            )
        ]
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            self.browse(card_ids),
            "_loyalty_release_pending",
            chunk_size=chunk_size,
            description=self.env._("Release pending loyalty points"),
        )

    # ------------------------------------------------------------ expiry
    def _loyalty_expire_points(self, today=None):
        """Expire every open lot past its date (of the cards in ``self``, or
        of all cards): one statement zeroes the lots, then the cards are
        debited in one statement (``_loyalty_write_balances(bulk=True)``: a debit
        never fires a "When reaching" communication), journaled and get one
        ``loyalty.history`` line each, inserted at once. Re-running it does
        nothing more.
        Returns the number of cards touched."""
        today = today or fields.Date.context_today(self)
        self.env["crm.loyalty.points.lot"].flush_model()
        card_filter = SQL("l.card_id = ANY(%s)", self.ids) if self else SQL("TRUE")
        rows = self.env.execute_query(
            SQL(
                """
                WITH expired AS (
                    UPDATE crm_loyalty_points_lot l
                       SET expired = l.expired + o.remaining, remaining = 0,
                           write_date = now() at time zone 'utc', write_uid = %(uid)s
                      FROM (SELECT id, remaining FROM crm_loyalty_points_lot l
                             WHERE l.remaining > 0 AND l.expiry_date < %(today)s
                               AND %(filter)s) o
                     -- a lot a redemption changed meanwhile is left to the next
                     -- run (no lock taken first: locking doubled the writes)
                     WHERE l.id = o.id AND l.remaining = o.remaining
                 RETURNING l.card_id, o.remaining
                )
                SELECT card_id, sum(remaining) FROM expired GROUP BY card_id
                """,
                today=today,
                filter=card_filter,
                uid=self.env.uid,
            )
        )
        self.env["crm.loyalty.points.lot"].invalidate_model()
        if not rows:
            return 0
        Card = self.env["loyalty.card"].sudo()
        cards = Card.browse([card_id for card_id, _points in rows])
        expired = dict(rows)
        description = self.env._("Points expired")
        with ledger_entry("other", description, lots=False):
            # never below zero: a balance the lots did not cover loses what it has
            cards.flush_recordset(["points"])
            cards.invalidate_recordset(["points"])
            debit = {card.id: min(expired[card.id], card.points or 0.0) for card in cards}
            cards._loyalty_post_once(debit, "expire", "other", description, used=True)
            cards._loyalty_write_balances(
                {card_id: -points for card_id, points in debit.items()}, bulk=True
            )
            cards._loyalty_insert_statement_lines(
                [
                    (card_id, description, 0.0, points)
                    for card_id, points in debit.items()
                    if points > EPSILON
                ]
            )
        return len(rows)

    @api.model
    def _cron_expire_points(self, chunk_size=5000):
        today = fields.Date.context_today(self)
        card_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT DISTINCT card_id FROM crm_loyalty_points_lot"
                    " WHERE remaining > 0 AND expiry_date < %s",
                    today,
                )
            )
        ]
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            self.browse(card_ids),
            "_loyalty_expire_points",
            chunk_size=chunk_size,
            description=self.env._("Expire loyalty points"),
        )

    def _loyalty_warn_expiring_points(self, today=None):
        """E-mail members (consent permitting) whose points expire within
        their program's warning period; each lot is warned once."""
        today = today or fields.Date.context_today(self)
        Lot = self.env["crm.loyalty.points.lot"].sudo()
        Lot.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.id, l.card_id, l.remaining, l.expiry_date
                  FROM crm_loyalty_points_lot l
                  JOIN loyalty_card c ON c.id = l.card_id
                  JOIN loyalty_program p ON p.id = c.program_id
                 WHERE l.remaining > 0 AND NOT coalesce(l.warning_sent, false)
                   AND p.crm_expiry_warning_days > 0 AND l.expiry_date >= %s
                   AND l.expiry_date <= %s::date + p.crm_expiry_warning_days
                   AND (%s OR l.card_id = ANY(%s))
                """,
                today,
                today,
                not self,
                self.ids,
            )
        )
        if not rows:
            return 0
        per_card = defaultdict(lambda: [0.0, None])
        for _lot_id, card_id, remaining, expiry in rows:
            per_card[card_id][0] += remaining
            first = per_card[card_id][1]
            per_card[card_id][1] = min(first, expiry) if first else expiry
        cards = self.browse(list(per_card)).sudo()
        messages = {}
        for card in cards:
            # in the member's language: the text and the date format
            member = card._loyalty_in_member_lang()
            messages[card.id] = (
                member.env._("Your %(program)s points expire soon", program=member.program_id.name),
                Markup("<p>%s</p>")
                % member.env._(
                    "Dear %(name)s, %(points)s of your points on %(program)s expire on "
                    "%(date)s. Redeem them before then!",
                    name=card.partner_id.name,
                    points=card._format_points(per_card[card.id][0]),
                    program=member.program_id.name,
                    date=format_date(member.env, per_card[card.id][1]),
                ),
            )
        sent = cards._loyalty_notify(messages)
        Lot.browse([row[0] for row in rows]).write({"warning_sent": True})
        return len(sent)

    @api.model
    def _cron_warn_expiring_points(self):
        return self._loyalty_warn_expiring_points()

    # ------------------------------------------------------------ notify
    def _loyalty_in_member_lang(self):
        """This card in its member's language (the company's, else English)."""
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang or "en_US"
        return self.with_context(lang=lang)

    def _loyalty_notifiable(self):
        """The cards of ``self`` whose member may be e-mailed: an address,
        and consent for marketing by e-mail."""
        blocked = self.partner_id._ccare_contact_blocks("marketing", "email")
        return self.filtered(
            lambda c: c.partner_id and c.partner_id.email and c.partner_id.id not in blocked
        )

    def _loyalty_notify(self, messages):
        """Send ``{card_id: (subject, body)}`` to each card's member by
        e-mail, only to those whose consent allows it (purpose marketing,
        channel email), in one batch. Returns the cards notified."""
        allowed = self.browse(list(messages)).sudo()._loyalty_notifiable()
        if allowed:
            sender = {
                company: company.email_formatted or self.env.user.email_formatted
                for company in allowed.company_id
            }
            default_sender = self.env.user.email_formatted
            Mail = self.env["mail.mail"].sudo()
            Mail.create(
                [
                    {
                        # body with the unsubscribe link, List-Unsubscribe
                        # headers, the purpose (a withdrawal cancels it)
                        **Mail._ccare_consent_mail_values(
                            card.partner_id, "marketing", *messages[card.id]
                        ),
                        "model": "loyalty.card",
                        "res_id": card.id,
                        # the chatter's copy of the mail: without it the
                        # card shows an empty "This message has been
                        # removed" (mail.mail sends body_html; the footer,
                        # with its signed unsubscribe link, stays out)
                        "body": Markup(messages[card.id][1]),
                        "email_from": sender.get(card.company_id, default_sender),
                        # given, so that mail.message does not look up aliases per mail
                        "reply_to": sender.get(card.company_id, default_sender),
                    }
                    for card in allowed
                ]
            )
        return allowed

    # ------------------------------------------------------------ actions
    def action_crm_statement(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Points Statement: %s", self.display_name),
            "res_model": "crm.loyalty.points.lot",
            "view_mode": "list,pivot",
            "domain": [("card_id", "=", self.id)],
            "context": {"default_card_id": self.id},
        }

    def action_crm_print_statement(self):
        self.check_access("read")
        return self.env.ref("crm_loyalty.action_report_points_statement").report_action(self)

    def _loyalty_statement_values(self):
        """Earned, redeemed, expired and balance of the card, by lot."""
        self.ensure_one()
        lots = self.sudo().crm_lot_ids
        return {
            "earned": sum(lots.mapped("points")),
            "redeemed": sum(lots.mapped("consumed")),
            "expired": sum(lots.mapped("expired")),
            "pending": sum(lots.mapped("pending")),
            "expiring": self.crm_points_expiring,
            "balance": self.points,
            "lots": lots,
        }
