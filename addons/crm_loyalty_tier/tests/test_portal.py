from odoo.addons.crm_customer_care.tests.common import page_queries
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.http import Request
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestTierPortal(HttpCase):
    """/my/loyalty shows the member's tier, the points to the next one, the
    tiers' benefits, and a tier-only reward as locked with the tier it
    needs (a request for it is refused)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Portal Club",
                "program_type": "loyalty",
                "reward_ids": [
                    (
                        0,
                        0,
                        {
                            "reward_type": "discount",
                            "discount": 5,
                            "required_points": 40,
                            "description": "Portal gold lounge",
                        },
                    ),
                ],
            }
        )
        cls.lounge = cls.program.reward_ids
        cls.silver, cls.gold = cls.env["crm.loyalty.tier"].create(
            [
                {"program_id": cls.program.id, "name": "Portal Silver", "threshold": 50},
                {
                    "program_id": cls.program.id,
                    "name": "Portal Gold",
                    "sequence": 20,
                    "threshold": 500,
                    "benefits": "<p>Free delivery</p>",
                    "reward_ids": [(6, 0, cls.lounge.ids)],
                },
            ]
        )
        cls.alice = mail_new_test_user(
            cls.env, login="tier_portal_alice", name="Alice Member", groups="base.group_portal"
        )
        cls.card = cls.env["loyalty.card"].create(
            {"program_id": cls.program.id, "partner_id": cls.alice.partner_id.id}
        )
        cls.card._loyalty_points_add({cls.card.id: 120}, "manual", "Welcome gift")
        cls.card._loyalty_evaluate_tiers()

    def test_tier_progress_and_benefits(self):
        """120 earned: Silver (50), 380 more to reach Gold (500)."""
        self.assertEqual(self.card.crm_tier_id, self.silver)
        self.authenticate("tier_portal_alice", "tier_portal_alice")
        page = self.url_open("/my/loyalty").text
        self.assertIn("o_crm_loyalty_tier", page)
        self.assertIn("Portal Silver", page)
        self.assertIn("380", page)
        self.assertIn("more to reach", page)
        self.assertIn("Free delivery", page)
        self.assertIn("reserved for <b>Portal Gold</b> members and above", page)

    def test_tier_reward_refused(self):
        self.authenticate("tier_portal_alice", "tier_portal_alice")
        response = self.url_open(
            f"/my/loyalty/{self.card.id}/redeem",
            data={"reward_id": self.lounge.id, "csrf_token": Request.csrf_token(self)},
        )
        self.assertIn("reserved for members of a higher tier", response.text)
        self.assertFalse(
            self.env["crm.loyalty.redemption"].search([("card_id", "=", self.card.id)])
        )


@tagged("post_install", "-at_install", "ccare_portal_speed")
class TestTierPortalQueries(HttpCase):
    """The tiers on /my/loyalty (the member's tier, the progress to the
    next one, the tiers' benefits, the tier each locked reward needs) cost
    a constant number of queries: a member of one tiered program, then of
    three, costs the same."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = mail_new_test_user(
            cls.env, login="tier_speed_member", name="Sue Speedy", groups="base.group_portal"
        )

    def _card(self, number):
        """Silver (50) reached with 120 points, Gold (500) unlocking the
        lounge reward."""
        program = self.env["loyalty.program"].create(
            {
                "name": f"Speed Tier Club {number}",
                "program_type": "loyalty",
                "reward_ids": [
                    (
                        0,
                        0,
                        {
                            "reward_type": "discount",
                            "discount": discount,
                            "required_points": 40,
                            "description": f"Speed {name} {number}",
                        },
                    )
                    for discount, name in ((5, "coffee"), (10, "lounge"))
                ],
            }
        )
        lounge = program.reward_ids.filtered(lambda r: "lounge" in r.description)
        self.env["crm.loyalty.tier"].create(
            [
                {"program_id": program.id, "name": f"Speed Silver {number}", "threshold": 50},
                {
                    "program_id": program.id,
                    "name": f"Speed Gold {number}",
                    "sequence": 20,
                    "threshold": 500,
                    "reward_ids": [(6, 0, lounge.ids)],
                },
            ]
        )
        card = self.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": self.member.partner_id.id}
        )
        card._loyalty_points_add({card.id: 120}, "manual", "Welcome gift")
        card._loyalty_evaluate_tiers()
        return card

    def test_queries_do_not_grow_with_the_cards(self):
        self._card(1)
        self.authenticate("tier_speed_member", "tier_speed_member")
        one, _page = page_queries(self, "/my/loyalty")
        self._card(2)
        self._card(3)
        three, page = page_queries(self, "/my/loyalty")
        self.assertEqual(three, one, "three cards cost more queries than one: a query per card")
        # crm_loyalty's page (TestLoyaltyPortalQueries) and three for the
        # tiers: the programs' tiers, their rewards, the window totals
        extra = 2 if "crm.relationship.participant" in self.env else 0
        self.assertLessEqual(one, 18 + extra, "the page of a tiered card reads more than it did")
        for number in (1, 2, 3):
            self.assertIn(f"Speed Silver {number}", page)
            self.assertIn(f"reserved for <b>Speed Gold {number}</b> members and above", page)
            self.assertIn(f"Speed coffee {number}", page)
        self.assertEqual(page.count("more to reach"), 3)
