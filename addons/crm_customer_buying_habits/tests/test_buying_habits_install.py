from odoo.addons.crm_customer_care.tests.test_attack_numbers import numeric_targets
from odoo.tests import TransactionCase
from odoo.tests import tagged

from ..hooks import _demo_done
from ..hooks import post_init_hook


@tagged("post_install", "-at_install", "ccare_buying_habits")
class TestBuyingHabitsInstall(TransactionCase):
    def test_post_init_hook_runs_once(self):
        """A database upgraded from the release, whose Customer Care demo
        told the story already, installs the addon again: the hook finds the
        demo products and creates nothing (with or without demo data)."""
        module = self.env["ir.module.module"].search([("name", "=", "crm_customer_buying_habits")])
        Move = self.env["account.move"]
        Product = self.env["product.product"].with_context(active_test=False)
        moves, products = Move.search_count([]), Product.search_count([])
        if module.demo:
            self.assertTrue(_demo_done(self.env), "the demo story was told at install")
        post_init_hook(self.env)
        self.assertEqual((Move.search_count([]), Product.search_count([])), (moves, products))

    def test_holdout_is_attacked(self):
        """The generated numbers attack of the core walks the target list's
        holdout (a share of the list typed by a user)."""
        seen = {
            f"{name}.{field.name}"
            for name, fields_ in numeric_targets(self.env).items()
            for field in fields_
        }
        self.assertIn("crm.customer.target.list.holdout_percent", seen)
