from odoo import api
from odoo import models

from .crm_loyalty_points_lot import POINT_SOURCES


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
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
            self.env["loyalty.card"].sudo()._loyalty_award("referral_converted", listed)
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
        # a holdout group (relationship programmes) earns nothing: a reward
        # would make it a treated group
        held_out = self._loyalty_held_out(rules.program_id, partners.commercial_partner_id)
        Card = self.env["loyalty.card"].sudo()
        for program in rules.program_id:
            pairs = [
                (partner, origin)
                for partner, origin in zip(partners, origins, strict=True)
                if (program.id, partner.commercial_partner_id.id) not in held_out
            ]
            if pairs:
                Card._loyalty_award(
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
                ["code", "program_id", "points", "expiration_date", "create_date"],
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
        ]

    @api.model
    def _loyalty_held_out(self, programs, partners):
        """Extension point: the ``(program id, partner id)`` pairs, among
        ``programs`` and the commercial ``partners``, that must not earn
        points (a relationship programme's holdout group)."""
        return set()

    def _ccare_anonymise_hook(self):
        """Loyalty data keeps its figures and loses the person: cards, lots,
        Odoo's points history and redemptions keep their points,
        dates and states (linked to the anonymised record, which holds no
        personal data); their descriptions and notes and the cards' and
        redemptions' chatter are erased."""
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
        self._ccare_erase_messages("loyalty.card", cards.ids)
        self._ccare_erase_messages("crm.loyalty.redemption", redemptions.ids)
        return [*erased, "loyalty descriptions", "redemption notes"]
