"""Issue 18, idempotent posting: every credit and debit is a row of the
points journal (``crm.loyalty.posting``) with its source document and
event; a posting that must happen once has a key the database keeps unique,
so a second pass writes nothing."""

from freezegun import freeze_time

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import tagged

from .test_ledger import LedgerCommon


class PostingCommon(LedgerCommon):
    def _postings(self, card, event=None):
        domain = [("card_id", "=", card.id)]
        if event:
            domain.append(("event", "=", event))
        return self.env["crm.loyalty.posting"].search(domain, order="id")


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_posting")
class TestIdempotentPosting(PostingCommon):
    def test_every_path_is_journaled(self):
        """70 welcome, a 50-point redemption, its cancellation, an order of
        100: four postings, with their documents; the journal's issued minus
        used is the balance (70 - 50 + 50 + 100 = 170)."""
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        request = self.env["crm.loyalty.redemption"].create(
            {"card_id": self.card.id, "reward_id": self.reward.id}
        )
        request.action_cancel()
        order = self._order(self.care_user)
        order.action_confirm()
        postings = self._postings(self.card)
        self.assertEqual(postings.mapped("event"), ["earn", "redeem", "refund", "sale"])
        self.assertEqual(postings[1].origin, request)
        self.assertEqual(postings[2].origin, request)
        self.assertEqual(postings[3].origin, order)
        self.assertEqual(
            sum(postings.mapped("issued")) - sum(postings.mapped("used")), self.card.points
        )
        self.assertLedger(self.card, [170])

    def test_reconfirming_an_order_posts_once(self):
        """An order put back to draft by a write (sale.order's state is
        writable) and confirmed again: sale_loyalty would add its 100 points
        a second time; the key of the first confirmation refuses them."""
        order = self._order(self.care_user)
        order.action_confirm()
        self.assertLedger(self.card, [100])
        order.with_user(self.care_user).write({"state": "draft"})
        order.with_user(self.care_user).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertLedger(self.card, [100])
        self.assertEqual(len(self._postings(self.card, "sale")), 1)
        self.assertEqual(len(self.card.history_ids), 1)

    def test_cancel_then_confirm_again_posts_again(self):
        """Confirmed, cancelled, set to quotation and confirmed again: two
        cycles, each posted once (keys ``...:0`` then ``...:1``)."""
        order = self._order(self.care_user)
        order = order.with_env(self.env)
        order.action_confirm()
        order._action_cancel()
        self.assertLedger(self.card, [0])
        order.action_draft()
        order._update_programs_and_rewards()
        order.action_confirm()
        self.assertLedger(self.card, [100])
        keys = self._postings(self.card).mapped("key")
        self.assertEqual(
            keys,
            [
                f"sale:sale.order,{order.id}:0",
                f"reverse:sale.order,{order.id}:0",
                f"sale:sale.order,{order.id}:1",
            ],
        )
        # the same cancellation twice (a server bug) is refused by its key
        refused = order._loyalty_claim_postings("reverse")
        self.assertFalse(refused)  # cycle 1 not reversed yet: this one goes in
        self.assertEqual(order._loyalty_claim_postings("reverse"), order)

    def test_rerun_award_job_posts_once(self):
        """A job awarding "call held" points for documents, run twice (a
        queue_job retry): the second run writes no posting, no lot, no
        statement line."""
        other = self._customers(1, prefix="Caller")
        Card = self.env["loyalty.card"]
        origins = [self.customer, other]  # stand-ins for the calls held
        for _run in range(2):
            Card._loyalty_award(
                "call_held", self.customer | other, points=30, program=self.program, origins=origins
            )
        other_card = Card.search([("partner_id", "=", other.id)])
        self.assertLedger(self.card | other_card, [30, 30])
        self.assertEqual(len(self._postings(self.card, "earn")), 1)
        self.assertEqual(len(self.card.history_ids), 1)
        # another document for the same member earns again
        Card._loyalty_award(
            "call_held", self.customer, points=30, program=self.program, origins=[other]
        )
        self.assertLedger(self.card, [60])

    def test_rerun_expiry_job_posts_once(self):
        with freeze_time("2023-03-01"):
            self.card._loyalty_points_add({self.card.id: 40}, "manual", "Old")
        with freeze_time("2024-06-01"):
            Card = self.env["loyalty.card"]
            self.assertEqual(Card._loyalty_expire_points(), 1)
            self.assertEqual(Card._loyalty_expire_points(), 0)
        self.assertLedger(self.card, [0])
        self.assertEqual(self._postings(self.card, "expire").used, 40)

    def test_redemption_records_the_lots_it_consumed(self):
        """40 earned in January, 30 in February: a 50-point redemption takes
        the 40 and 10 of the 30, and says so."""
        with freeze_time("2026-01-10"):
            self.card._loyalty_points_add({self.card.id: 40}, "manual", "January")
        with freeze_time("2026-02-10"):
            self.card._loyalty_points_add({self.card.id: 30}, "manual", "February")
        request = self.env["crm.loyalty.redemption"].create(
            {"card_id": self.card.id, "reward_id": self.reward.id}
        )
        january, february = self.card.crm_lot_ids.sorted("date")
        self.assertEqual(
            [(used.lot_id, used.points) for used in request.consumed_lot_ids],
            [(january, 40), (february, 10)],
        )
        self.assertLedger(self.card, [20])
        with self.assertRaises(UserError):
            request.consumed_lot_ids.sudo().write({"points": 1})

    def test_database_refuses_a_second_posting(self):
        Posting = self.env["crm.loyalty.posting"]
        row = {"card_id": self.card.id, "event": "earn", "issued": 5, "key": "earn:test,1"}
        self.assertEqual(Posting._loyalty_post([row, dict(row)]), {0})
        self.assertEqual(Posting._loyalty_post([row]), set())
        self.assertEqual(len(self._postings(self.card)), 1)

    def test_journal_is_append_only(self):
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        posting = self._postings(self.card).with_user(self.loyalty_manager)
        with self.assertRaises(UserError):
            posting.sudo().write({"issued": 700})
        with self.assertRaises(UserError):
            posting.sudo().unlink()
        with self.assertRaises(UserError):
            self.env["crm.loyalty.posting"].sudo().create(
                {"card_id": self.card.id, "event": "earn", "issued": 1}
            )


@tagged("post_install", "-at_install", "ccare_security", "crm_loyalty_posting")
class TestPostingOverRpc(PostingCommon, RpcCase):
    def test_salesperson_reconfirms_over_rpc(self):
        """The attack: a salesperson puts their confirmed order back to draft
        and confirms it again over JSON-RPC, to double the customer's points.
        The order is confirmed; the points are posted once."""
        order = self._order(self.care_user)
        self.call_kw("care_user", "sale.order", "action_confirm", [order.ids])
        self.assertLedger(self.card, [100])
        self.call_kw("care_user", "sale.order", "write", [order.ids, {"state": "draft"}])
        self.call_kw("care_user", "sale.order", "action_confirm", [order.ids])
        self.assertLedger(self.card, [100])
        self.assertEqual(len(self._postings(self.card, "sale")), 1)

    def test_nobody_writes_the_journal(self):
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        posting = self._postings(self.card)
        for login in ("care_user", "loy_manager"):
            self.assertRefused(
                login,
                "crm.loyalty.posting",
                "create",
                [[{"card_id": self.card.id, "event": "earn", "issued": 500}]],
            )
            self.assertRefused(login, "crm.loyalty.posting", "write", [posting.ids, {"issued": 9}])
            self.assertRefused(login, "crm.loyalty.posting", "unlink", [posting.ids])
        self.assertLedger(self.card, [70])


@tagged("post_install", "-at_install", "crm_loyalty_posting")
class TestRetriedPortalRequest(PostingCommon, RpcCase):
    def test_retried_request_makes_one_redemption(self):
        """The member's browser sends the redeem form twice (same form key):
        one redemption, 50 points spent once."""
        portal = self.env["res.users"].create(
            {
                "name": "Retry Member",
                "login": "loy_retry",
                "password": "loy_retry",
                "partner_id": self.customer.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.assertTrue(portal)
        self.card._loyalty_points_add({self.card.id: 120}, "manual", "Welcome")
        self.authenticate("loy_retry", "loy_retry")
        page = self.url_open("/my/loyalty").text
        self.assertIn('name="request_key"', page)
        data = {
            "reward_id": self.reward.id,
            "csrf_token": Request.csrf_token(self),
            "request_key": "form-1",
        }
        for _attempt in range(2):
            response = self.url_open(f"/my/loyalty/{self.card.id}/redeem", data=data)
            self.assertIn("redemption request has been recorded", response.text)
        requests = self.env["crm.loyalty.redemption"].search([("card_id", "=", self.card.id)])
        self.assertEqual(len(requests), 1)
        self.assertLedger(self.card, [70])
        # a new form (new key) is a new request
        self.url_open(f"/my/loyalty/{self.card.id}/redeem", data={**data, "request_key": "form-2"})
        self.assertLedger(self.card, [20])
