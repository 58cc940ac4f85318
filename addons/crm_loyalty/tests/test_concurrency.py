import threading

from odoo import api
from odoo.exceptions import UserError
from odoo.orm.environments import Transaction
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestConcurrentRedemptions(TransactionCase):
    """Two transactions redeem 80 of the same card's 100 points at once:
    one succeeds, the other is refused (row lock, then balance check or
    serialization failure) and the balance never goes below zero. The test
    commits its data through its own cursors and deletes it afterwards."""

    def _env(self, cr):
        # not api.Environment's own Registry(dbname): the test runner holds
        # the registry lock, a thread asking for it would wait forever
        cr.transaction = Transaction(self.registry)
        return api.Environment(cr, api.SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            partner = env["res.partner"].create({"name": "Concurrent Member"})
            program = env["loyalty.program"].create(
                {"name": "Concurrency Club", "program_type": "loyalty"}
            )
            card = env["loyalty.card"].create({"program_id": program.id, "partner_id": partner.id})
            card._loyalty_points_add({card.id: 100}, "manual", "Opening")
            cr.commit()  # pylint: disable=invalid-commit  # the other cursors must see it
            self.ids = {"partner": partner.id, "program": program.id, "card": card.id}
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["loyalty.card"].browse(self.ids["card"]).unlink()  # cascades lots, history
            program = env["loyalty.program"].browse(self.ids["program"])
            program.active = False
            program.unlink()  # cascades cards, lots
            env["res.partner"].browse(self.ids["partner"]).unlink()
            env["mail.message"].search(
                [
                    "|",
                    "&",
                    ("model", "=", "loyalty.card"),
                    ("res_id", "=", self.ids["card"]),
                    "&",
                    ("model", "=", "res.partner"),
                    ("res_id", "=", self.ids["partner"]),
                ]
            ).unlink()
            cr.commit()  # pylint: disable=invalid-commit  # the other cursors must see it

    def test_two_redemptions_cannot_overspend(self):
        barrier = threading.Barrier(2)
        outcomes = []

        def redeem():
            try:
                with self.registry.cursor() as cr:
                    env = self._env(cr)
                    card = env["loyalty.card"].browse(self.ids["card"])
                    barrier.wait(timeout=10)
                    card._loyalty_points_redeem(80, "Concurrent voucher")
                    cr.commit()  # pylint: disable=invalid-commit  # the other cursors must see it
                    outcomes.append("ok")
            except UserError:
                outcomes.append("refused")
            except Exception as error:
                outcomes.append(type(error).__name__)

        threads = [threading.Thread(target=redeem) for _ in range(2)]
        # the loser's serialization failure is expected: keep it out of the log
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
        self.assertEqual(outcomes.count("ok"), 1, outcomes)
        self.assertEqual(len(outcomes), 2, outcomes)
        with self.registry.cursor() as cr:
            cr.execute("SELECT points FROM loyalty_card WHERE id = %s", [self.ids["card"]])
            self.assertEqual(cr.fetchone()[0], 20)
            cr.execute(
                "SELECT sum(remaining), sum(consumed) FROM crm_loyalty_points_lot"
                " WHERE card_id = %s",
                [self.ids["card"]],
            )
            self.assertEqual(cr.fetchone(), (20, 80))
