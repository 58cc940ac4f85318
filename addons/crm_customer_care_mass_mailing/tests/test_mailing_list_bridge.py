from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests import users

from .common import MailingBridgeCommon


@tagged("post_install", "-at_install", "ccare_mass_mailing")
class TestTargetListFeedsMailingList(MailingBridgeCommon):
    def _subscriptions(self):
        mailing_list = self.target.sudo().mailing_list_id
        return {
            sub.contact_id.email_normalized: sub.opt_out for sub in mailing_list.subscription_ids
        }

    @users("ccare_marketer")
    def test_list_gets_the_contactable_members_and_refresh_opts_out(self):
        target = self.target.with_user(self.env.user)
        self.assertEqual((target.partner_count, target.lead_count), (3, 1))
        target.action_send_to_mailing_list()
        mailing_list = target.mailing_list_id
        self.assertEqual(mailing_list.ccare_target_list_ids, target)
        # Ella withdrew, the lead's own address is blacklisted
        self.assertEqual(
            self._subscriptions(), {"carla@example.com": False, "dirk@example.com": False}
        )
        self.assertEqual(target.mailing_contact_count, 2)
        contacts = mailing_list.contact_ids
        self.assertEqual(contacts.ccare_partner_id, self.c1 | self.c2)

        # run again: nothing new, nothing twice
        target.action_send_to_mailing_list()
        self.assertEqual(target.mailing_list_id, mailing_list)
        self.assertEqual(mailing_list.contact_ids, contacts)
        self.assertEqual(len(mailing_list.subscription_ids), 2)

        # Dirk withdraws: the refresh opts him out, deletes nothing
        self.c2.sudo()._ccare_record_consent("marketing", "email", "withdrawn", source="call")
        target.action_send_to_mailing_list()
        self.assertEqual(
            self._subscriptions(), {"carla@example.com": False, "dirk@example.com": True}
        )
        self.assertTrue(mailing_list.subscription_ids.filtered("opt_out").opt_out_datetime)
        self.assertEqual(target.mailing_contact_count, 1)
        self.assertEqual(mailing_list.contact_ids, contacts, "history is kept")

        # Dirk grants again: his opt-out stands (it may be his own)
        self.c2.sudo()._ccare_record_consent("marketing", "email", "granted", source="call")
        # a new contactable customer joins the list
        newcomer = (
            self.env["res.partner"]
            .sudo()
            .create({"name": "Gina", "email": "gina@example.com", "is_company": True})
        )
        newcomer._ccare_record_consent("marketing", "email", "granted", source="form")
        target.sudo().partner_domain = repr(
            [("id", "in", (self.c1 | self.c2 | self.c3 | newcomer).ids)]
        )
        target.action_send_to_mailing_list()
        self.assertEqual(
            self._subscriptions(),
            {"carla@example.com": False, "dirk@example.com": True, "gina@example.com": False},
        )

    def test_lead_with_its_own_allowed_address_joins(self):
        """The lead's address off the blacklist: Carla and her lead are two
        addresses, both allowed; a prospect never joins (nothing granted)."""
        self.env["mail.blacklist"].search(
            [("email", "=", "carla.purchasing@example.com")]
        ).active = False
        prospect = self.env["crm.lead"].create(
            {"name": "Walk-in", "email_from": "walkin@example.com", "type": "lead"}
        )
        self.target.lead_domain = repr([("id", "in", (self.lead | prospect).ids)])
        self.target.with_user(self.marketer).action_send_to_mailing_list()
        contacts = self.target.mailing_list_id.contact_ids
        self.assertEqual(
            sorted(contacts.mapped("email_normalized")),
            ["carla.purchasing@example.com", "carla@example.com", "dirk@example.com"],
        )
        lead_contact = contacts.filtered("ccare_lead_id")
        self.assertEqual(
            (lead_contact.ccare_lead_id, lead_contact.ccare_partner_id), (self.lead, self.buyer)
        )

    def test_same_queries_for_more_members(self):
        """Set-based: 3 or 23 members cost the same number of queries."""

        def run(count):
            partners = self.env["res.partner"].create(
                [
                    {"name": f"Q{count}-{i}", "email": f"q{count}-{i}@example.com"}
                    for i in range(count)
                ]
            )
            partners._ccare_record_consent("marketing", "email", "granted", source="form")
            target = self.target.copy(
                {"name": f"Q{count}", "partner_domain": repr([("id", "in", partners.ids)])}
            )
            self.env.flush_all()
            before = self.cr.sql_log_count
            target.with_user(self.marketer).action_send_to_mailing_list()
            self.env.flush_all()
            self.assertEqual(target.mailing_contact_count, count)
            return self.cr.sql_log_count - before

        run(3)  # warm the caches (views, model ids)
        self.assertEqual(run(3), run(23))

    def test_only_email_marketing_users_fill_mailing_lists(self):
        care_manager = self.env["res.users"].create(
            {
                "name": "Care Only",
                "login": "ccare_only_manager",
                "group_ids": [
                    (6, 0, [self.env.ref("crm_customer_care.group_crm_customer_care_manager").id])
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.target.with_user(care_manager).action_send_to_mailing_list()
        # and the count is readable without Email Marketing rights
        self.target.with_user(self.marketer).action_send_to_mailing_list()
        self.assertEqual(self.target.with_user(care_manager).mailing_contact_count, 2)


@tagged("post_install", "-at_install", "ccare_mass_mailing")
class TestMassMailingChecksConsent(MailingBridgeCommon):
    """Every mass mailing goes through the consent check where its
    recipients become mails: a blocked recipient's mail is cancelled as
    opted out, its trace says why."""

    def _send(self, model, records=None, **values):
        mailing = self._mailing(model, use_exclusion_list=False, **values)
        if records is not None:
            mailing.mailing_domain = repr([("id", "in", records.ids)])
        mailing.action_send_mail()
        return {
            trace.res_id: (trace.trace_status, trace.failure_type, trace.failure_reason)
            for trace in self.env["mailing.trace"].search([("mass_mailing_id", "=", mailing.id)])
        }, mailing

    def test_mailing_to_contacts_leaves_out_the_blocked(self):
        """Without the exclusion list, only our consent check stands between
        the mailing and Ella (withdrew) and Frank (never granted)."""
        people = self.c1 | self.c2 | self.c3 | self.c4
        traces, mailing = self._send("res.partner", people)
        self.assertEqual(set(traces), set(people.ids))
        self.assertEqual(
            traces[self.c3.id],
            ("cancel", "mail_optout", "Not sent: consent withdrawn (e-mail marketing)."),
        )
        self.assertEqual(
            traces[self.c4.id],
            ("cancel", "mail_optout", "Not sent: no consent given (e-mail marketing)."),
        )
        self.assertNotEqual(traces[self.c1.id][0], "cancel")
        self.assertNotEqual(traces[self.c2.id][0], "cancel")
        mails = self.env["mail.mail"].search([("mailing_id", "=", mailing.id)])
        self.assertEqual(mails.recipient_ids, self.c1 | self.c2)

    def test_a_withdrawal_cancels_the_mailing_already_queued(self):
        """Carla's mail is queued; she withdraws before the queue runs: her
        mail is cancelled, with the reason; Dirk's still goes."""
        _traces, mailing = self._send("res.partner", self.c1 | self.c2)
        mails = self.env["mail.mail"].search([("mailing_id", "=", mailing.id)])
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        self.c1._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        to_carla = mails.filtered(lambda mail: self.c1 in mail.recipient_ids)
        self.assertEqual(to_carla.state, "cancel")
        self.assertIn("Cancelled by consent", to_carla.failure_reason)
        self.assertEqual((mails - to_carla).state, "outgoing")

    def test_mailing_to_leads_leaves_out_the_blocked(self):
        """The blacklisted lead of Carla, a prospect (never granted, nor any
        customer with its address) and a lead of Frank (never granted) are
        out; Dirk's lead is in, and so is a lead without a customer whose
        address is Dirk's (the customer holding the address granted)."""
        prospect, franks, dirks, dirk_again = self.env["crm.lead"].create(
            [
                {"name": "Walk-in", "email_from": "walkin@example.com"},
                {"name": "Frank's", "partner_id": self.c4.id},
                {"name": "Dirk's", "partner_id": self.c2.id},
                {"name": "Dirk, by the web form", "email_from": "dirk@example.com"},
            ]
        )
        traces, _mailing = self._send(
            "crm.lead", self.lead | prospect | franks | dirks | dirk_again
        )
        opted_out = {res_id for res_id, trace in traces.items() if trace[1] == "mail_optout"}
        self.assertEqual(opted_out, {self.lead.id, prospect.id, franks.id})
        # Dirk's two leads: one mail (mass_mailing's duplicate check), not blocked
        self.assertEqual(
            {traces[dirks.id][:2], traces[dirk_again.id][:2]},
            {("outgoing", False), ("cancel", "mail_dup")},
        )
        self.assertIn("blacklisted", traces[self.lead.id][2])

    def test_mailing_to_a_list_checks_the_customers(self):
        """A list mailing: Dirk once he withdraws (before any refresh of the
        list), and a newsletter subscriber whose address is Frank's (a
        customer who never granted); a subscriber no customer stands for is
        mailed (the subscription is the sign-up)."""
        self.target.with_user(self.marketer).action_send_to_mailing_list()
        mailing_list = self.target.mailing_list_id
        Contact = self.env["mailing.contact"]
        frank, newcomer = Contact.create(
            [
                {"name": "Frank", "email": "frank@example.com", "list_ids": [(4, mailing_list.id)]},
                {"name": "Nina", "email": "nina@example.com", "list_ids": [(4, mailing_list.id)]},
            ]
        )
        self.c2._ccare_record_consent("marketing", "email", "withdrawn", source="call")
        traces, _mailing = self._send("mailing.list", contact_list_ids=[(6, 0, mailing_list.ids)])
        by_email = {Contact.browse(res_id).email: trace[0] for res_id, trace in traces.items()}
        self.assertEqual(
            by_email,
            {
                "carla@example.com": "outgoing",
                "dirk@example.com": "cancel",
                "frank@example.com": "cancel",
                "nina@example.com": "outgoing",
            },
        )
        self.assertTrue(frank and newcomer)

    def test_an_erased_persons_address_on_a_new_contact_is_not_mailed(self):
        """The suppression list reaches mailing contacts: a contact created
        with an erased person's opted-out address is blacklisted again at
        the end of the transaction, and is not mailed even before."""
        if "crm.customer.anonymisation" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.anonymisation")
        gone = self.env["res.partner"].create(
            {"name": "Gus Gone", "email": "gus.gone@example.com", "dnc_email": True}
        )
        gone.lifecycle_override = "closed"
        gone._ccare_anonymise()
        newsletter = self.env["mailing.list"].create({"name": "Newsletter"})
        contact = self.env["mailing.contact"].create(
            {"name": "Gus", "email": "Gus.Gone@example.com", "list_ids": [(4, newsletter.id)]}
        )
        traces, _mailing = self._send("mailing.list", contact_list_ids=[(6, 0, newsletter.ids)])
        self.assertEqual(traces[contact.id][:2], ("cancel", "mail_optout"))
        self.assertIn("suppression list", traces[contact.id][2])
        self.env.cr.flush()
        self.assertTrue(self.env["mail.blacklist"].search([("email", "=", "gus.gone@example.com")]))

    def test_the_check_costs_the_same_for_more_recipients(self):
        """Set-based: 5 or 25 partners cost the same number of queries."""

        def run(count, tag):
            partners = self.env["res.partner"].create(
                [{"name": f"R{tag}-{i}", "email": f"r{tag}-{i}@example.com"} for i in range(count)]
            )
            partners[::2]._ccare_record_consent("marketing", "email", "granted", source="form")
            Partner = self.env["res.partner"]
            recipients = {p.id: (p, []) for p in partners}
            recipients.update({-i: (Partner, [f"x{tag}-{i}@example.com"]) for i in range(count)})
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            blocks = self.env["mailing.mailing"]._ccare_marketing_blocks(recipients)
            self.assertEqual(len(blocks), count // 2 + count)
            return self.cr.sql_log_count - before

        run(5, "warm")  # warm the caches
        self.assertEqual(run(5, "a"), run(25, "b"))
