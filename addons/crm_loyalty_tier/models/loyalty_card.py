from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.models.ccare_guard import is_unlocked
from odoo.addons.crm_customer_care.models.ccare_guard import unlocked
from odoo.exceptions import UserError
from odoo.tools import SQL

# the tier review may change a card's tier fields
TIER = "crm_loyalty_tier.tier"
TIER_FIELDS = frozenset({"crm_tier_id", "crm_tier_since", "crm_downgrade_date"})


class LoyaltyCard(models.Model):
    """Tiers on the loyalty cards: the tier a member's window total earns,
    changed only by the tier review (``_loyalty_evaluate_tiers``), its
    multiplier on the points the member earns, and the rewards it unlocks
    (crm_loyalty's extension points ``_loyalty_points_multipliers``,
    ``_loyalty_locked_rewards``, ``_loyalty_check_reward_allowed``)."""

    _inherit = "loyalty.card"

    crm_tier_id = fields.Many2one(
        "crm.loyalty.tier",
        string="Tier",
        readonly=True,
        index="btree_not_null",
        tracking=True,
        copy=False,
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_tier_since = fields.Date("Tier Since", readonly=True, copy=False)
    crm_downgrade_date = fields.Date(
        "Downgrade On",
        readonly=True,
        copy=False,
        help="The member fell below their tier: unless they earn enough by this date, the "
        "next review downgrades them.",
    )
    crm_tier_history_ids = fields.One2many(
        "crm.loyalty.tier.history", "card_id", groups="crm_loyalty.group_crm_loyalty_user"
    )
    crm_tier_metric = fields.Float(
        "Window Total",
        compute="_compute_crm_tier_progress",
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_next_tier_id = fields.Many2one(
        "crm.loyalty.tier",
        "Next Tier",
        compute="_compute_crm_tier_progress",
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_next_tier_missing = fields.Float(
        "To Next Tier",
        compute="_compute_crm_tier_progress",
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_tier_progress = fields.Float(
        "Tier Progress (%)",
        compute="_compute_crm_tier_progress",
        groups="crm_loyalty.group_crm_loyalty_user",
    )

    def _compute_crm_tier_progress(self):
        metrics = self._loyalty_tier_metrics(fields.Date.context_today(self))
        for card in self:
            metric = metrics.get(card.id, 0.0)
            tiers = card.program_id.crm_tier_ids.sorted("threshold")
            next_tier = tiers.filtered(lambda t, m=metric: t.threshold > m)[:1]
            card.crm_tier_metric = metric
            card.crm_next_tier_id = next_tier
            card.crm_next_tier_missing = next_tier.threshold - metric if next_tier else 0.0
            card.crm_tier_progress = (
                min(100.0, 100.0 * metric / next_tier.threshold)
                if next_tier and next_tier.threshold
                else 100.0
            )

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(name) for vals in vals_list for name in TIER_FIELDS & vals.keys()):
            self._loyalty_check_tier_right()
        return super().create(vals_list)

    def write(self, vals):
        if self and TIER_FIELDS & vals.keys():
            self._loyalty_check_tier_right()
        return super().write(vals)

    @api.model
    def _loyalty_check_tier_right(self):
        if not is_unlocked(TIER):
            raise UserError(
                self.env._(
                    "A member's tier, tier date and downgrade date are set by the tier review "
                    "(Evaluate Tiers Now), never by hand."
                )
            )

    # ------------------------------------------------------------ extension points
    def _loyalty_points_multipliers(self):
        multipliers = super()._loyalty_points_multipliers()
        for card in self.sudo():
            multipliers[card.id] *= card.crm_tier_id.points_multiplier or 1.0
        return multipliers

    @api.model
    def _loyalty_reward_tiers(self, rewards):
        """``{reward_id: the lowest tier that unlocks it}`` of the tier-only
        rewards among ``rewards`` (listed on a tier's ``reward_ids``)."""
        # from the programs' tiers, read for every program of the prefetch
        # set at once, then from the cache: no query per card or per call,
        # and the tiers a page lists (the portal's benefits) come from the
        # same reads (a reward's crm_tier_ids would read the table again)
        wanted = set(rewards.ids)
        lowest = {}
        for tier in rewards.sudo().program_id.crm_tier_ids.sorted("threshold", reverse=True):
            for reward_id in tier.reward_ids.ids:
                if reward_id in wanted:
                    lowest[reward_id] = tier
        return lowest

    def _loyalty_locked_rewards(self, rewards):
        """The tier-only rewards of ``rewards`` this card may not have: its
        tier (none, or below the reward's lowest tier) does not unlock them."""
        locked = super()._loyalty_locked_rewards(rewards)
        card = self.sudo()
        lowest = self._loyalty_reward_tiers(rewards)
        return locked | rewards.filtered(
            lambda r: (
                r.id in lowest
                and (not card.crm_tier_id or card.crm_tier_id.threshold < lowest[r.id].threshold)
            )
        )

    def _loyalty_check_reward_allowed(self, rewards):
        """A tier-only reward this card's tier does not unlock is refused
        with the tier it needs."""
        lowest = self._loyalty_reward_tiers(rewards)
        locked = self._loyalty_locked_rewards(rewards).filtered(lambda r: r.id in lowest)
        if locked:
            raise UserError(
                self.env._(
                    "%(reward)s is reserved for %(tier)s members and above; card %(code)s "
                    "(%(partner)s) is %(current)s.",
                    reward=locked[0].description,
                    tier=lowest[locked[0].id].name,
                    code=self.code,
                    partner=self.partner_id.display_name or "-",
                    current=self.sudo().crm_tier_id.name or self.env._("without tier"),
                )
            )
        return super()._loyalty_check_reward_allowed(rewards)

    # ------------------------------------------------------------ review
    def _loyalty_tier_metrics(self, today):
        """``{card_id: points earned or amount spent}`` over each card's
        program window: one query per basis (points, spend) in the chunk."""
        if not self.ids:
            return {}
        self.env["crm.loyalty.points.lot"].flush_model(["points", "date", "card_id", "source"])
        # the points basis: one aggregate over the chunk's lots, filtered on
        # the card ids while scanning (a subquery per card, or a join on a
        # CTE of the cards, sorted every lot first: a third of the review)
        spend = self.filtered(lambda card: card.program_id.crm_tier_basis == "spend")
        points = self - spend
        metrics = dict.fromkeys(self.ids, 0.0)
        if points:
            metrics.update(
                self.env.execute_query(
                    SQL(
                        """
                        SELECT l.card_id, sum(l.points)
                          FROM crm_loyalty_points_lot l
                          JOIN loyalty_card c ON c.id = l.card_id
                          JOIN loyalty_program p ON p.id = c.program_id
                         WHERE l.card_id = ANY(%(ids)s) AND l.source != 'refund'
                           AND coalesce(l.pending, 0) = 0
                           AND l.date > %(today)s::date
                               - make_interval(months => p.crm_tier_window_months)
                      GROUP BY l.card_id
                        """,
                        today=today,
                        ids=points.ids,
                    )
                )
            )
        if spend:
            metrics.update(
                self.env.execute_query(
                    SQL(
                        """
                        SELECT c.id, (
                            SELECT coalesce(sum(so.amount_untaxed), 0)
                              FROM sale_order so
                              JOIN res_partner sp ON sp.id = so.partner_id
                              JOIN res_partner cp ON cp.id = c.partner_id
                             WHERE so.state = 'sale'
                               AND sp.commercial_partner_id = cp.commercial_partner_id
                               AND so.date_order >= %(today)s::date
                                   - make_interval(months => p.crm_tier_window_months))
                          FROM loyalty_card c JOIN loyalty_program p ON p.id = c.program_id
                         WHERE c.id = ANY(%(ids)s)
                        """,
                        today=today,
                        ids=spend.ids,
                    )
                )
            )
        return metrics

    def _loyalty_evaluate_tiers(self, today=None):
        """Move each card of ``self`` to the tier its window total earns:
        upgrades at once; downgrades after the program's grace period (the
        first review below the tier starts it). Writes the tier history and
        notifies members whose consent allows. Set-based: a constant number
        of queries per chunk. Idempotent: a second run the same day changes
        nothing. Returns ``{card_id: direction}``."""
        today = today or fields.Date.context_today(self)
        tiered = set(self.sudo().program_id.filtered("crm_tier_ids").ids)
        cards = self.sudo().filtered(lambda card: card.program_id.id in tiered)
        if not cards:
            return {}
        updates, history = cards._loyalty_tier_moves(cards._loyalty_tier_metrics(today), today)
        if not updates:
            return {}
        # through the ORM (tracking of the tier, other modules' overrides),
        # one write per distinct (tier, since, downgrade date)
        by_values = defaultdict(list)
        for card_id, tier_id, since, due in updates:
            by_values[(tier_id or False, since or False, due or False)].append(card_id)
        with unlocked(TIER):
            for (tier_id, since, due), card_ids in by_values.items():
                cards.browse(card_ids).write(
                    {"crm_tier_id": tier_id, "crm_tier_since": since, "crm_downgrade_date": due}
                )
        messages = cards._loyalty_tier_messages(history)
        notified = set(cards._loyalty_notify(messages).ids) if messages else set()
        self._loyalty_insert_tier_history(history, notified)
        return {card.id: direction for card, _o, _n, direction, _m in history}

    def _loyalty_tier_moves(self, metrics, today):
        """What the review changes on the cards of ``self``: the updates
        ``[(card_id, tier_id, since, downgrade date)]`` and the history
        ``[(card, old tier, new tier, direction, metric)]``."""
        tiers_by_program = defaultdict(list)
        for tier in self.program_id.crm_tier_ids.sorted("threshold"):
            tiers_by_program[tier.program_id.id].append(tier)
        updates, history = [], []
        for card in self:
            program = card.program_id
            tiers = tiers_by_program[program.id]
            metric = metrics.get(card.id, 0.0)
            reached = [tier for tier in tiers if metric >= tier.threshold]
            target = reached[-1] if reached else self.env["crm.loyalty.tier"]
            current = card.crm_tier_id
            cur_rank = tiers.index(current) if current in tiers else -1
            new_rank = len(reached) - 1
            if new_rank > cur_rank:
                updates.append((card.id, target.id or None, today, None))
                history.append((card, current, target, "up", metric))
            elif new_rank < cur_rank:
                due = card.crm_downgrade_date
                if not program.crm_tier_grace_days or (due and due <= today):
                    updates.append((card.id, target.id or None, today, None))
                    history.append((card, current, target, "down", metric))
                elif not due:
                    due = today + relativedelta(days=program.crm_tier_grace_days)
                    updates.append((card.id, current.id, card.crm_tier_since, due))
                    history.append((card, current, current, "grace", metric))
            elif card.crm_downgrade_date:
                # back at the tier's level: the grace period is over
                updates.append((card.id, current.id or None, card.crm_tier_since, None))
        return updates, history

    def _loyalty_tier_messages(self, history):
        """``{card_id: (subject, body)}``: the upgrade and downgrade e-mails
        of ``history``, in each member's language with the reason and the
        figures, only for the members who may get one (building one per
        changed member cost more than the rest of the review)."""
        moved = [row for row in history if row[3] != "grace"]
        notifiable = set(self.browse([row[0].id for row in moved])._loyalty_notifiable().ids)
        messages = {}
        for card, old, new, direction, metric in moved:
            if card.id not in notifiable:
                continue
            member = card._loyalty_in_member_lang()
            program = member.program_id
            new_l, old_l = new.with_env(member.env), old.with_env(member.env)
            values = {
                "name": card.partner_id.name,
                "program": program.name,
                "months": program.crm_tier_window_months,
                "metric": f"{metric:g}",
            }
            if program.crm_tier_basis == "spend":
                basis = member.env._(
                    "your purchases over the last %(months)s months came to %(metric)s", **values
                )
            else:
                basis = member.env._(
                    "you earned %(metric)s points over the last %(months)s months", **values
                )
            if direction == "up":
                subject = member.env._("Welcome to %(tier)s!", tier=new_l.name)
                text = member.env._(
                    "Dear %(name)s, you are now a %(tier)s member of %(program)s: %(basis)s, "
                    "and %(tier)s starts at %(threshold)s.",
                    **values,
                    tier=new_l.name,
                    basis=basis,
                    threshold=f"{new.threshold:g}",
                )
            else:
                subject = member.env._("Your %(program)s tier has changed", program=program.name)
                text = member.env._(
                    "Dear %(name)s, your membership of %(program)s is now %(tier)s: %(basis)s, "
                    "below the %(threshold)s that %(old)s needs.",
                    **values,
                    tier=new_l.name or member.env._("without tier"),
                    basis=basis,
                    threshold=f"{old.threshold:g}",
                    old=old_l.name,
                )
            body = Markup("<p>%s</p>") % text
            if new_l.benefits and direction == "up":
                body += new_l.benefits
            messages[card.id] = (subject, body)
        return messages

    def _loyalty_insert_tier_history(self, history, notified):
        """The tier history of a review in one INSERT (the ORM would also
        recompute the card's related fields row by row: a third of a
        review's time on 5,000 cards)."""
        if not history:
            return
        History = self.env["crm.loyalty.tier.history"]
        History.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_loyalty_tier_history
                       (card_id, partner_id, program_id, company_id, date, tier_from_id,
                        tier_to_id, direction, metric, notified,
                        create_uid, create_date, write_uid, write_date)
                SELECT c.id, c.partner_id, c.program_id, c.company_id,
                       now() at time zone 'UTC', v.tier_from, v.tier_to, v.direction,
                       v.metric, v.notified,
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                  FROM unnest(%(cards)s::int[], %(froms)s::int[], %(tos)s::int[],
                              %(directions)s::varchar[], %(metrics)s::float[],
                              %(notified)s::bool[])
                       AS v(card_id, tier_from, tier_to, direction, metric, notified)
                  JOIN loyalty_card c ON c.id = v.card_id
                """,
                uid=self.env.uid,
                cards=[card.id for card, *_rest in history],
                froms=[old.id or None for _c, old, *_rest in history],
                tos=[new.id or None for _c, _o, new, *_rest in history],
                directions=[direction for *_rest, direction, _m in history],
                metrics=[metric for *_rest, metric in history],
                notified=[
                    card.id in notified and direction != "grace"
                    for card, _o, _n, direction, _m in history
                ],
            )
        )
        History.invalidate_model()

    @api.model
    def _cron_evaluate_tiers(self):
        programs = self.env["loyalty.program"].search([("crm_tier_ids", "!=", False)])
        return programs._loyalty_queue_tier_review()
