import uuid
from collections import defaultdict

import psycopg2

from odoo import fields
from odoo import http
from odoo.addons.crm_customer_care.controllers.params import Id
from odoo.addons.crm_customer_care.controllers.params import Text
from odoo.addons.crm_customer_care.controllers.params import route_params
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError
from odoo.exceptions import MissingError
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import request

# the key of a portal form (a request sent twice counts once)
REQUEST_KEY = Text(64)


class CrmLoyaltyPortal(CustomerPortal):
    """/my/loyalty: the member's cards (of their commercial entity only,
    through the portal record rules), balance, points expiring, history,
    rewards, redemption requests (crm_loyalty_tier adds the tier and its
    progress)."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "crm_loyalty_count" in counters:
            Card = request.env["loyalty.card"]
            values["crm_loyalty_count"] = (
                Card.search_count(self._loyalty_card_domain()) if Card.has_access("read") else 0
            )
        return values

    def _loyalty_card_domain(self):
        """The cards of the visitor's commercial entity. The portal record
        rule already walks the partner tree (``child_of``); the domain does
        not walk it a second time: a subquery on the stored commercial
        entity, as superuser (the partner rules would only repeat the card
        rule, which still applies to the cards)."""
        commercial = request.env.user.partner_id.commercial_partner_id
        members = (
            request.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            ._search([("commercial_partner_id", "=", commercial.id)])
        )
        return [("partner_id", "in", members)]

    def _loyalty_card_fields(self):
        """The card columns the page shows, read with the cards in the one
        query that finds them (an extension adds its own)."""
        return [
            "program_id",
            "partner_id",
            "points",
            "code",
            "crm_suspended",
            "crm_suspended_since",
            "crm_suspension_reason",
        ]

    def _loyalty_program_fields(self):
        """The program columns the page shows (a program has many more)."""
        return [
            "name",
            "program_type",
            "active",
            "currency_id",
            "portal_point_name",
            "crm_expiry_warning_days",
        ]

    def _loyalty_redemption_fields(self):
        """The columns of the requests the page lists (an extension adds
        what its kind of request pays)."""
        return ["create_date", "name", "points", "state", "coupon_id"]

    def _loyalty_cards(self):
        """The visitor's cards, as superuser, with the columns the page
        shows: one query, whose subquery is the visitor's own search (their
        record rules and ``_loyalty_card_domain``), so that only the cards
        they may read are read; then their programs' columns the page
        shows, in one query."""
        mine = request.env["loyalty.card"]._search(self._loyalty_card_domain())
        cards = (
            request.env["loyalty.card"]
            .sudo()
            .search_fetch([("id", "in", mine)], self._loyalty_card_fields())
        )
        cards.program_id.fetch(self._loyalty_program_fields())
        return cards

    def _loyalty_values(self, cards):
        """What the page shows, read as superuser from cards the visitor was
        allowed to read (``cards`` comes from the portal user's search).

        A constant number of queries whatever the number of cards: each
        figure is read once for every card (the rewards of each program,
        the expiring and pending lots, the history and requests shown),
        never card by card."""
        today = fields.Date.context_today(request.env.user)
        cards_sudo = cards.sudo().filtered(
            lambda c: c.program_id.program_type in ("loyalty", "ewallet") and c.program_id.active
        )
        env = cards_sudo.env
        # the active rewards of every program, read with what the page shows
        # (each card's records keep all cards' as what they prefetch: what
        # the page reads on one is read for every card at once)
        all_rewards = env["loyalty.reward"].search_fetch(
            [("program_id", "in", cards_sudo.program_id.ids)],
            ["program_id", "description", "required_points"],
        )
        rewards = defaultdict(lambda: all_rewards.browse())
        for reward in all_rewards:
            rewards[reward.program_id] |= reward
        expiring, pending = self._loyalty_lots(cards_sudo, today)
        history = self._loyalty_last(
            env["loyalty.history"], cards_sudo, ["create_date", "description", "issued", "used"]
        )
        redemptions = self._loyalty_last(
            env["crm.loyalty.redemption"], cards_sudo, self._loyalty_redemption_fields()
        )
        rows = []
        for card in cards_sudo:
            card_rewards = rewards[card.program_id].with_prefetch(all_rewards._prefetch_ids)
            locked = card._loyalty_locked_rewards(card_rewards)
            lots = expiring[card.id]
            on_hold = pending[card.id]
            rows.append(
                {
                    "locked": locked,
                    "card": card,
                    "expiring": lots,
                    "expiring_points": sum(lots.mapped("remaining")),
                    # the card's Pending figure and its first release date
                    # (``crm_points_pending``, ``crm_next_release_date``)
                    "pending_points": sum(on_hold.mapped("pending")),
                    "release_date": min(on_hold.mapped("release_date"), default=False),
                    "history": history[card.id],
                    "rewards": card_rewards - locked,
                    "redemptions": redemptions[card.id],
                }
            )
        return {
            "request_key": uuid.uuid4().hex,
            "page_name": "crm_loyalty",
            "rows": rows,
        }

    @staticmethod
    def _loyalty_lots(cards, today):
        """``({card id: its lots expiring soon}, {card id: its pending
        lots})``, both read in one query: the lots behind the Expiring Soon
        figure (one definition, ``_loyalty_expiring_soon_domain``: the figure
        shown is their sum), soonest first, and those behind the Pending
        figure (``_loyalty_pending_domain``, as ``crm_points_pending``)."""
        Lot = cards.env["crm.loyalty.points.lot"]
        soon = Lot._loyalty_expiring_soon_domain(today, programs=cards.program_id)
        held = Lot._loyalty_pending_domain()
        lots = Lot.search_fetch(
            Domain("card_id", "in", cards.ids) & (soon | held),
            ["card_id", "program_id", "expiry_date", "remaining", "pending", "release_date"],
            order="expiry_date, id",
        )
        expiring = defaultdict(lambda: lots.browse())
        pending = defaultdict(lambda: lots.browse())
        for lot in lots.filtered_domain(soon):
            expiring[lot.card_id.id] |= lot
        for lot in lots.filtered_domain(held):
            pending[lot.card_id.id] |= lot
        return expiring, pending

    @staticmethod
    def _loyalty_last(Model, cards, field_names, count=10):
        """``{card id: its last ``count`` records of ``Model``}`` (the
        history, the requests), newest first, read in one query: with a
        limit when the member has one card, else all of them, cut per card
        (one query whatever the number of cards)."""
        records = Model.search_fetch(
            [("card_id", "in", cards.ids)],
            ["card_id", *field_names],
            order="id desc",
            limit=count if len(cards) == 1 else None,
        )
        last = defaultdict(lambda: records.browse())
        for record in records:
            if len(last[record.card_id.id]) < count:
                last[record.card_id.id] |= record
        for card_id, lines in last.items():
            last[card_id] = lines.with_prefetch(records._prefetch_ids)
        return last

    # read-only: the page writes nothing, and Odoo serves it on the cursor it
    # opened to match the route (a read/write route costs a second one)
    @http.route("/my/loyalty", type="http", auth="user", website=True, readonly=True)
    @route_params(message=Text(32), error=Text(32))
    def portal_my_loyalty(self, message=None, error=None, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._loyalty_values(self._loyalty_cards()))
        values.update(message=message, error=error)
        return request.render("crm_loyalty.portal_my_loyalty", values)

    @http.route(
        "/my/loyalty/<int:card_id>/redeem",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @route_params(
        card_id=Id("loyalty.card"),
        reward_id=Id("loyalty.reward"),
        note=Text(2000),
        request_key=REQUEST_KEY,
    )
    def portal_my_loyalty_redeem(self, card_id, reward_id=None, note=None, request_key=None, **kw):
        try:
            card_sudo = self._document_check_access("loyalty.card", card_id)
        except (AccessError, MissingError):
            return request.redirect("/my/loyalty")
        reward = card_sudo.program_id.reward_ids.filtered(lambda r: r.id == reward_id and r.active)
        if not reward:
            return request.redirect("/my/loyalty?error=reward")
        if card_sudo.crm_suspended:
            return request.redirect("/my/loyalty?error=suspended")
        if card_sudo._loyalty_locked_rewards(reward):
            return request.redirect("/my/loyalty?error=locked")
        values = {"reward_id": reward.id, "points": reward.required_points, "note": note}
        return self._loyalty_request(card_sudo, values, request_key, "requested")

    def _loyalty_request(self, card_sudo, values, request_key, message):
        """Make the member's redemption request ``values`` on ``card_sudo``
        (whose access the route checked) and go back to the page with
        ``message``, or with the model's refusal as ``error=balance``. The
        form's key: the same request sent twice (a double click, the
        browser retrying) makes one redemption, the database refusing the
        second even when both arrive at once."""
        key = request_key or None
        Redemption = request.env["crm.loyalty.redemption"].sudo()
        if key and Redemption.search_count(
            [("card_id", "=", card_sudo.id), ("request_key", "=", key)], limit=1
        ):
            return request.redirect(f"/my/loyalty?message={message}")
        try:
            with request.env.cr.savepoint():
                Redemption.create(
                    {**values, "card_id": card_sudo.id, "source": "portal", "request_key": key}
                )
        except psycopg2.errors.UniqueViolation:
            return request.redirect(f"/my/loyalty?message={message}")
        except UserError:
            return request.redirect("/my/loyalty?error=balance")
        return request.redirect(f"/my/loyalty?message={message}")
