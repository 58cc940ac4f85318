import glob
import os
import pathlib
import re

from odoo.addons.crm_customer_care.tests.common import menu_visible
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDemoLoyalty(TransactionCase):
    """What a new user sees in the demo's loyalty screens (skipped without
    demo data)."""

    def setUp(self):
        super().setUp()
        self.club = self.env.ref(
            "crm_loyalty.loyalty_program_customer_club", raise_if_not_found=False
        )
        if not self.club:
            self.skipTest("no demo data")

    def test_redeemed_voucher_is_a_redemption_request(self):
        """The best member's free service day (200 points) is in Loyalty >
        Redemption Requests, delivered, and its points left the card."""
        action = self.env.ref("crm_loyalty.crm_loyalty_redemption_action")
        requests = self.env[action.res_model].search([("program_id", "=", self.club.id)])
        voucher = requests.filtered(lambda r: r.reward_id.description == "A free service day")
        self.assertEqual(len(voucher), 1)
        self.assertEqual((voucher.state, voucher.points), ("done", 200))
        self.assertEqual(sum(voucher.consumed_lot_ids.mapped("points")), 200)


@tagged("post_install", "-at_install")
class TestDemoTeam(HttpCase):
    """The demo's users are a team a new user can log in as: every login
    setup/run prints works with password = login, and each role sees its
    work (skipped without demo data)."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("crm_loyalty.user_loyalty_manager", raise_if_not_found=False):
            self.skipTest("no demo data")

    def _whole_product(self):
        """The team is the demo of several addons (the care manager's call
        plans, the caller's and the agent's logins come from crm_callplan's
        demo): skipped unless every addon of ours whose demo makes a login
        is installed, as setup/run installs them."""
        addons = os.path.join(get_module_path("crm_loyalty"), "..")
        makers = {
            name
            for name in os.listdir(addons)
            for path in glob.glob(os.path.join(addons, name, "demo", "*.xml"))
            if '<field name="login">' in pathlib.Path(path).read_text(encoding="utf-8")
        }
        installed = self.env["ir.module.module"].search(
            [("name", "in", list(makers)), ("state", "=", "installed")]
        )
        missing = makers - set(installed.mapped("name"))
        if missing:
            self.skipTest(f"the demo team needs {sorted(missing)}")

    def _printed_logins(self):
        script = os.path.join(get_module_path("crm_loyalty"), "..", "..", "setup", "run")
        if not os.path.exists(script):
            self.skipTest("no setup/run beside the addons")
        with open(script, encoding="utf-8") as file:
            text = file.read()
        block = text[text.index("Logins (password = login):") : text.index("Stop with Ctrl+C")]
        return re.findall(r"^\s{4}([\w.]+)\s", block, re.M)

    def test_every_printed_login_logs_in(self):
        self._whole_product()
        logins = self._printed_logins()
        self.assertIn("member.individual", logins)
        for login in logins:
            with self.subTest(login=login):
                self.authenticate(login, login)  # raises on a wrong password

    def test_the_care_manager_manages_the_whole_product(self):
        self._whole_product()
        manager = self.env.ref("crm_customer_care.user_care_manager")
        for group in (
            "crm_customer_care.group_crm_customer_care_manager",
            "crm_callplan.group_crm_callplan_manager",
            "crm_loyalty.group_crm_loyalty_manager",
        ):
            self.assertTrue(manager.has_group(group), group)
        env = self.env(user=manager)
        for menu in ("crm_callplan.crm_call_plan_run_menu", "crm_loyalty.crm_loyalty_menu_root"):
            self.assertTrue(menu_visible(env, menu), menu)

    def test_portal_members_see_their_club(self):
        """Paula sees Acme's card; Ivy her own, with the points that expire
        soon above the list of them."""
        self.authenticate("member.company", "member.company")
        page = self.url_open("/my/loyalty").text
        self.assertIn("Customer Club", page)
        self.assertIn("Platinum", page)
        self.authenticate("member.individual", "member.individual")
        page = self.url_open("/my/loyalty").text
        self.assertIn("Expiring soon: <b>60 Points", page)
        self.assertIn("o_crm_loyalty_expiring", page)
