"""Issue 18, notifications: tier up and down and expiring points tell the
member why, with the figures, in their language, consent-checked and in one
batch; Odoo's own "When reaching" communications still fire for the points
this addon posts."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LoyaltyCommon


@tagged("post_install", "-at_install", "crm_loyalty_notifications")
class TestNotifications(LoyaltyCommon):
    def _mails(self, cards):
        return self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "in", cards.ids)], order="id"
        )

    def test_in_the_members_language(self):
        """The same warning, to an English and a French member: each gets
        the date in their own format."""
        self.env["res.lang"]._activate_lang("fr_FR")
        english, french = self._customers(2, prefix="Lang")
        french.lang = "fr_FR"
        cards = self._card(english) | self._card(french)
        with freeze_time("2024-03-15"):
            cards._loyalty_points_add({c.id: 40 for c in cards}, "manual", "Spring points")
        with freeze_time("2025-03-01"):
            self.assertEqual(cards._loyalty_warn_expiring_points(), 2)
        to_english, to_french = (self._mails(card) for card in cards)
        self.assertIn("03/15/2025", to_english.body_html)
        self.assertIn("15/03/2025", to_french.body_html)
        self.assertNotIn("03/15/2025", to_french.body_html)

    def test_odoo_when_reaching_communication_fires(self):
        """Odoo's "When reaching 50 points" mail goes out for points this
        addon awards (they are written through the ORM)."""
        template = self.env["mail.template"].create(
            {
                "name": "Reached 50",
                "model_id": self.env.ref("loyalty.model_loyalty_card").id,
                "subject": "You reached 50 points",
                "body_html": "<p>Well done</p>",
                "partner_to": "{{ object.partner_id.id }}",
            }
        )
        self.program.communication_plan_ids = [
            (
                0,
                0,
                {
                    "trigger": "points_reach",
                    "points": 50,
                    "mail_template_id": template.id,
                },
            )
        ]
        card = self._card(self._customers(1, prefix="Reach"))
        self.env["loyalty.card"]._loyalty_award(
            "call_held", card.partner_id, points=60, program=self.program
        )
        mail = self._mails(card)
        self.assertEqual(mail.subject, "You reached 50 points")
