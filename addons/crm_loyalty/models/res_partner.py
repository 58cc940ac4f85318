from collections import defaultdict

from odoo import api
from odoo import models

from .crm_loyalty_points_lot import POINT_SOURCES


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    @api.private
    def _ccare_referral_converted(self, referrals, cause):
        """Give the referrers the points of the ``referral_converted`` rules
        (one award per converted referral)."""
        res = super()._ccare_referral_converted(referrals, cause)
        referrers = referrals.sudo().referred_by_id
        if referrers:
            # a referrer of two conversions earns twice: list them once per referral
            listed = self.env["res.partner"].browse(
                [r.referred_by_id.id for r in referrals.sudo() if r.referred_by_id]
            )
            self.env["loyalty.card"].sudo()._crm_loyalty_award("referral_converted", listed)
        return res

    @api.model
    def _ccare_relationship_activity(self, activity, partners, origins):
        """A call held (crm_callplan) earns the points of its program rule,
        once per call and card (the call is the posting's source), within
        the rule's caps."""
        res = super()._ccare_relationship_activity(activity, partners, origins)
        if activity not in dict(POINT_SOURCES) or not partners:
            return res
        rules = self.env["crm.loyalty.points.rule"].sudo().search([("event", "=", activity)])
        # the holdout of a running programme of the program earns nothing:
        # a reward would make it a treated group
        held = (
            self.env["crm.relationship.participant"]
            .sudo()
            .search(
                [
                    ("group", "=", "holdout"),
                    ("programme_id.state", "=", "running"),
                    ("programme_id.loyalty_program_id", "in", rules.program_id.ids),
                    ("partner_id", "in", partners.commercial_partner_id.ids),
                ]
            )
        )
        held_out = {(h.programme_id.loyalty_program_id.id, h.partner_id.id) for h in held}
        Card = self.env["loyalty.card"].sudo()
        for program in rules.program_id:
            pairs = [
                (partner, origin)
                for partner, origin in zip(partners, origins, strict=True)
                if (program.id, partner.commercial_partner_id.id) not in held_out
            ]
            if pairs:
                Card._crm_loyalty_award(
                    activity,
                    partners.browse([partner.id for partner, __ in pairs]),
                    program=program,
                    origins=[origin for __, origin in pairs],
                )
        return res

    def _ccare_subject_access_sections(self):
        env = self.env(su=True)
        domain = [("partner_id", "in", self.ids)]
        return [
            *super()._ccare_subject_access_sections(),
            (
                "loyalty_cards",
                self.env._("Loyalty cards"),
                env["loyalty.card"].search(domain, order="id"),
                ["code", "program_id", "points", "crm_tier_id", "expiration_date", "create_date"],
            ),
            (
                "loyalty_points",
                self.env._("Loyalty points by lot"),
                env["crm.loyalty.points.lot"].search(domain, order="date, id"),
                [
                    "program_id",
                    "date",
                    "source",
                    "description",
                    "points",
                    "consumed",
                    "expired",
                    "remaining",
                    "expiry_date",
                ],
            ),
            (
                "loyalty_redemptions",
                self.env._("Redemptions"),
                env["crm.loyalty.redemption"].search(domain, order="id"),
                ["name", "program_id", "reward_id", "points", "state", "source", "create_date"],
            ),
            (
                "loyalty_tiers",
                self.env._("Tier history"),
                env["crm.loyalty.tier.history"].search(domain, order="date, id"),
                ["program_id", "date", "tier_from_id", "tier_to_id", "direction", "metric"],
            ),
            (
                "programmes",
                self.env._("Relationship programmes"),
                env["crm.relationship.participant"].search(domain, order="id"),
                ["programme_id", "group", "state", "date_enrolled"],
            ),
        ]

    def _ccare_cost_to_serve(self, date_from, date_to):
        """Add relationship programme costs: each programme's actual cost
        lines dated in the period, shared equally among its members."""
        costs = super()._ccare_cost_to_serve(date_from, date_to)
        if not self.ids:
            return costs
        lines = (
            self.env["crm.relationship.cost.line"]
            .sudo()
            ._read_group(
                [("date", ">=", date_from), ("date", "<=", date_to), ("amount_actual", ">", 0)],
                ["programme_id"],
                ["amount_actual:sum"],
            )
        )
        if not lines:
            return costs
        Participant = self.env["crm.relationship.participant"].sudo()
        programme_ids = [programme.id for programme, _amount in lines]
        sizes = dict(
            Participant._read_group(
                [("programme_id", "in", programme_ids), ("group", "=", "member")],
                ["programme_id"],
                ["__count"],
            )
        )
        share = {
            programme.id: amount / sizes[programme]
            for programme, amount in lines
            if sizes.get(programme)
        }
        mine = Participant.search_fetch(
            [
                ("programme_id", "in", list(share)),
                ("group", "=", "member"),
                ("partner_id.commercial_partner_id", "in", self.ids),
            ],
            ["programme_id", "partner_id"],
        )
        extra = defaultdict(float)
        for participation in mine:
            extra[participation.partner_id.commercial_partner_id.id] += share[
                participation.programme_id.id
            ]
        for partner_id, amount in extra.items():
            costs[partner_id] = costs.get(partner_id, 0.0) + amount
        return costs

    def _ccare_anonymise_hook(self):
        """Loyalty data keeps its figures and loses the person: cards, lots,
        Odoo's points history, redemptions and tier moves keep their points,
        dates and states (linked to the anonymised record, which holds no
        personal data); their descriptions and notes, the member's survey
        answers in free text, e-mail and nickname, and the cards' and
        redemptions' chatter are erased. Scale answers (NPS) stay."""
        erased = super()._ccare_anonymise_hook()
        people = self.sudo().with_context(active_test=False, tracking_disable=True)
        env = people.env
        cards = env["loyalty.card"].search([("partner_id", "in", people.ids)])
        env["loyalty.history"].search([("card_id", "in", cards.ids)]).write(
            {"description": self.env._("Anonymised")}
        )
        lots = env["crm.loyalty.points.lot"].search([("card_id", "in", cards.ids)])
        lots.write({"description": False})
        redemptions = env["crm.loyalty.redemption"].search([("partner_id", "in", people.ids)])
        redemptions.write({"note": False})
        inputs = env["survey.user_input"].search([("partner_id", "in", people.ids)])
        inputs.write({"email": False, "nickname": False})
        inputs.user_input_line_ids.write({"value_char_box": False, "value_text_box": False})
        self._ccare_erase_messages("loyalty.card", cards.ids)
        self._ccare_erase_messages("crm.loyalty.redemption", redemptions.ids)
        self._ccare_erase_messages("survey.user_input", inputs.ids)
        return [*erased, "loyalty descriptions", "redemption notes", "survey answers"]
