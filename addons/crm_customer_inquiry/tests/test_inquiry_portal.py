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
