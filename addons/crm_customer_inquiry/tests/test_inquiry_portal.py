import re

from odoo.addons.crm_customer_care.tests.common import page_queries
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestInquiryPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Portal Co", "is_company": True})
        cls.globex = Partner.create({"name": "Globex Portal Co", "is_company": True})
        cls.alice = mail_new_test_user(
            cls.env, login="ccare_portal_alice", name="Alice Acme", groups="base.group_portal"
        )
        cls.alice.partner_id.parent_id = cls.acme
        cls.bob = mail_new_test_user(
            cls.env, login="ccare_portal_bob", name="Bob Globex", groups="base.group_portal"
        )
        cls.bob.partner_id.parent_id = cls.globex
        cls.care_user = mail_new_test_user(
            cls.env,
            login="ccare_portal_agent",
            name="Agent Ann",
            groups="crm_customer_care.group_crm_customer_care_user",
        )
        Ticket = cls.env["helpdesk.ticket"]
        cls.acme_colleague = Partner.create({"name": "Carl Acme", "parent_id": cls.acme.id})
        cls.acme_ticket = Ticket.create(
            {
                "name": "Acme question",
                "description": "<p>?</p>",
                "partner_id": cls.acme_colleague.id,
            }
        )
        cls.globex_ticket = Ticket.create(
            {
                "name": "Globex secret question",
                "description": "<p>?</p>",
                "partner_id": cls.bob.partner_id.id,
            }
        )

    def test_portal_sees_only_own_commercial_partner(self):
        Ticket = self.env["helpdesk.ticket"]
        alice_sees = Ticket.with_user(self.alice).search([])
        self.assertIn(self.acme_ticket, alice_sees, "a colleague's inquiry of the same company")
        self.assertNotIn(self.globex_ticket, alice_sees)
        bob_sees = Ticket.with_user(self.bob).search([])
        self.assertEqual(bob_sees & (self.acme_ticket | self.globex_ticket), self.globex_ticket)
        with self.assertRaises(AccessError):
            self.globex_ticket.with_user(self.alice).check_access("read")
        self.authenticate("ccare_portal_alice", "ccare_portal_alice")
        page = self.url_open("/my/tickets")
        self.assertIn("Acme question", page.text)
        self.assertNotIn("Globex secret question", page.text)
        other = self.url_open(f"/my/ticket/{self.globex_ticket.id}")
        self.assertNotIn("Globex secret question", other.text)

    def test_portal_user_submits_and_sees_answer(self):
        self.start_tour(
            "/my/tickets", "crm_customer_inquiry_portal_submit_tour", login="ccare_portal_alice"
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "Which paint suits an oak desk?")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.alice.partner_id)
        self.assertEqual(
            ticket.channel_id, self.env.ref("crm_customer_inquiry.helpdesk_ticket_channel_portal")
        )
        ticket.with_user(self.care_user).write(
            {"response": "<p>Use a water-based oak varnish, two coats.</p>"}
        )
        ticket.with_user(self.care_user).action_send_response()
        self.assertEqual(ticket.inquiry_state, "answered")
        self.start_tour(
            "/my/tickets", "crm_customer_inquiry_portal_answer_tour", login="ccare_portal_alice"
        )


@tagged("post_install", "-at_install", "ccare_portal_speed")
class TestInquiryPortalQueries(HttpCase):
    """/my/tickets reads a constant number of queries, whatever the number
    of inquiries listed: two, then twenty (in several categories and
    stages), cost the same; and the page shows the customer's own ones only,
    every one of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.partner"].create({"name": "Speedy Co", "is_company": True})
        cls.other = cls.env["res.partner"].create({"name": "Slow Co", "is_company": True})
        cls.user = mail_new_test_user(
            cls.env, login="ccare_speed_member", name="Sue Speedy", groups="base.group_portal"
        )
        cls.user.partner_id.parent_id = cls.company
        cls.colleague = cls.env["res.partner"].create(
            {"name": "Sam Speedy", "parent_id": cls.company.id}
        )
        cls.categories = cls.env["helpdesk.ticket.category"].create(
            [{"name": f"Speed category {i}"} for i in range(3)]
        )
        cls.stages = cls.env["helpdesk.ticket.stage"].search([], limit=3)
        cls.env["helpdesk.ticket"].create(
            {"name": "Slow Co secret", "description": "<p>?</p>", "partner_id": cls.other.id}
        )

    def _tickets(self, count, start=0):
        return self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Speed question {i}",
                    "description": "<p>?</p>",
                    "partner_id": (self.user.partner_id, self.colleague)[i % 2].id,
                    "category_id": self.categories[i % 3].id,
                    "stage_id": self.stages[i % len(self.stages)].id,
                }
                for i in range(start, start + count)
            ]
        )

    def test_queries_do_not_grow_with_the_inquiries(self):
        self._tickets(2)
        self.authenticate("ccare_speed_member", "ccare_speed_member")
        few, _page = page_queries(self, "/my/tickets")
        self._tickets(18, start=2)
        many, page = page_queries(self, "/my/tickets")
        self.assertEqual(many, few, "20 inquiries cost more queries than 2: a query per inquiry")
        listed = {int(n) for n in re.findall(r"Speed question (\d+)<", page)}
        self.assertEqual(listed, set(range(20)), "all 20 of the company's inquiries")
        self.assertNotIn("Slow Co secret", page)
        # the filters, the sorting and the grouping keep working
        stage = self.stages[0]
        _count, page = page_queries(self, f"/my/tickets?filterby={stage.id}&groupby=category")
        shown = {int(n) for n in re.findall(r"Speed question (\d+)<", page)}
        self.assertEqual(shown, {i for i in range(20) if i % len(self.stages) == 0})
        _count, page = page_queries(self, "/my/tickets?sortby=unknown&search=question 1")
        self.assertIn("Speed question 1<", page)
        self.assertNotIn("Speed question 2<", page)
