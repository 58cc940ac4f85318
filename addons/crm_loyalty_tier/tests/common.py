from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.addons.crm_loyalty.tests.test_ledger import LedgerCommon


def make_tiers(cls):
    """Silver (100), Gold (500) and Platinum (1,000, points x2) on the test
    program, over a 12-month window with 30 days' grace."""
    cls.program.write({"crm_tier_window_months": 12, "crm_tier_grace_days": 30})
    cls.silver, cls.gold, cls.platinum = cls.env["crm.loyalty.tier"].create(
        [
            {"program_id": cls.program.id, "name": "Silver", "sequence": 1, "threshold": 100},
            {"program_id": cls.program.id, "name": "Gold", "sequence": 2, "threshold": 500},
            {
                "program_id": cls.program.id,
                "name": "Platinum",
                "sequence": 3,
                "threshold": 1000,
                "points_multiplier": 2.0,
            },
        ]
    )


class TierCommon(LoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_tiers(cls)


class TierLedgerCommon(LedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make_tiers(cls)
