from datetime import timedelta

from odoo import Command
from odoo import fields
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.tests import tagged

from .common import CustomerCareCommon


@tagged("post_install", "-at_install")
class TestPartnerContactDates(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Corp", "is_company": True})
        cls.jane = Partner.create({"name": "Jane Buyer", "parent_id": cls.acme.id})
        cls.other = Partner.create({"name": "Other Customer", "is_company": True})
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Acme renewal", "partner_id": cls.jane.id, "type": "opportunity"}
        )
        cls.now = fields.Datetime.now()
        cls.today = cls.now.date()

    def _meeting(self, partners, start, **vals):
        return self.env["calendar.event"].create(
            {
                "name": "Meeting",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [Command.set(partners.ids)],
                **vals,
            }
        )

    def assertContactDates(self, partner, last, next_):
        self.assertEqual(
            (partner.last_contact_date, partner.next_contact_date),
            (last, next_),
            f"last/next contact of {partner.name}",
        )

    def test_open_activities_give_next_contact(self):
        self.assertContactDates(self.acme, False, False)
        in_5 = self.today + timedelta(days=5)
        in_3 = self.today + timedelta(days=3)
        self.lead.activity_schedule("mail.mail_activity_data_call", date_deadline=in_5)
        self.assertContactDates(self.jane, False, in_5)
        self.assertContactDates(self.acme, False, in_5)  # the company rolls its contacts up
        activity = self.acme.activity_schedule("mail.mail_activity_data_todo", date_deadline=in_3)
        self.assertContactDates(self.acme, False, in_3)
        self.assertContactDates(self.jane, False, in_5)
        self.assertContactDates(self.other, False, False)
        # rescheduled, then cancelled
        activity.date_deadline = in_5 + timedelta(days=1)
        self.assertContactDates(self.acme, False, in_5)
        activity.unlink()
        self.assertContactDates(self.acme, False, in_5)

    def test_done_activities_give_last_contact(self):
        activity = self.lead.activity_schedule(
            "mail.mail_activity_data_call", date_deadline=self.today + timedelta(days=2)
        )
        later = self.acme.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=self.today + timedelta(days=9)
        )
        activity.action_feedback(feedback="Called, all good")
        self.assertContactDates(self.jane, self.today, False)
        self.assertContactDates(self.acme, self.today, self.today + timedelta(days=9))
        later.action_done()
        self.assertContactDates(self.acme, self.today, False)
        # a plain message is no contact
        self.other.message_post(body="Just a note")
        self.other._ccare_recompute_contact_dates()
        self.assertContactDates(self.other, False, False)

    def test_meetings(self):
        past = self._meeting(self.jane | self.other, self.now - timedelta(days=10))
        self.assertContactDates(self.jane, self.today - timedelta(days=10), False)
        self.assertContactDates(self.acme, self.today - timedelta(days=10), False)
        self.assertContactDates(self.other, self.today - timedelta(days=10), False)
        upcoming = self._meeting(self.jane, self.now + timedelta(days=4))
        self.assertContactDates(
            self.jane, self.today - timedelta(days=10), self.today + timedelta(days=4)
        )
        # moved, attendee removed, deleted
        upcoming.write(
            {"start": self.now + timedelta(days=6), "stop": self.now + timedelta(days=6, hours=1)}
        )
        self.assertContactDates(
            self.acme, self.today - timedelta(days=10), self.today + timedelta(days=6)
        )
        past.partner_ids = [Command.unlink(self.other.id)]
        self.assertContactDates(self.other, False, False)
        upcoming.unlink()
        self.assertContactDates(self.jane, self.today - timedelta(days=10), False)
        # an earlier open activity beats a later meeting, and the reverse
        self._meeting(self.other, self.now + timedelta(days=8))
        self.other.activity_schedule(
            "mail.mail_activity_data_todo", date_deadline=self.today + timedelta(days=20)
        )
        self.assertContactDates(self.other, False, self.today + timedelta(days=8))

    def test_organiser_is_no_customer(self):
        """The employee who organises a meeting attends it: their partner and the
        own company's are left alone by the triggers."""
        organiser = self.care_user.partner_id
        self._meeting(self.jane | organiser, self.now + timedelta(days=1))
        self.assertFalse(organiser.next_contact_date)
        self.assertEqual(self.jane.next_contact_date, self.today + timedelta(days=1))

    def test_extension_point_merges_sources(self):
        """Another addon (calls) adds a source by merging with super."""
        Partner = type(self.env["res.partner"])
        original = Partner._ccare_contact_events
        call_day = self.today - timedelta(days=1)

        def _ccare_contact_events(partners):
            events = original(partners)
            calls = {self.jane.id: (call_day, False)} if self.jane in partners else {}
            return partners._ccare_merge_contact_events(events, calls)

        self._meeting(self.jane, self.now - timedelta(days=30))
        self.patch(Partner, "_ccare_contact_events", _ccare_contact_events)
        self.acme._ccare_recompute_contact_dates()
        self.assertContactDates(self.acme, call_day, False)

    def test_cron_queues_chunks(self):
        self._meeting(self.other, self.now - timedelta(days=2))
        self.env.cr.execute(
            "UPDATE res_partner SET last_contact_date = NULL WHERE id = %s", [self.other.id]
        )
        self.other.invalidate_recordset(["last_contact_date"])
        with trap_jobs() as trap:
            self.env["res.partner"]._cron_recompute_contact_dates()
            self.assertTrue(trap.enqueued_jobs)
            self.assertEqual(
                {job.method_name for job in trap.enqueued_jobs}, {"_ccare_recompute_contact_dates"}
            )
            trap.perform_enqueued_jobs()
        self.assertContactDates(self.other, self.today - timedelta(days=2), False)

    def test_cron_is_declared(self):
        cron = self.env.ref("crm_customer_care.ir_cron_recompute_contact_dates")
        self.assertEqual(cron.code, "model._cron_recompute_contact_dates()")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))

    def _customers_with_history(self, count):
        """``count`` companies, each with a contact, a lead with an open
        activity, a done activity and a past and an upcoming meeting, all on
        different days; their dates are then wiped."""
        Partner = self.env["res.partner"].with_context(ccare_skip_contact_dates=True)
        companies = Partner.create(
            [{"name": f"Customer {i}", "is_company": True} for i in range(count)]
        )
        contacts = Partner.create(
            [
                {"name": f"Contact {i}", "parent_id": company.id}
                for i, company in enumerate(companies)
            ]
        )
        leads = (
            self.env["crm.lead"]
            .with_context(ccare_skip_contact_dates=True)
            .create(
                [
                    {"name": f"Lead {i}", "partner_id": contact.id}
                    for i, contact in enumerate(contacts)
                ]
            )
        )
        Activity = self.env["mail.activity"].with_context(ccare_skip_contact_dates=True)
        todo = self.env.ref("mail.mail_activity_data_todo")
        Activity.create(
            [
                {
                    "res_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "res_id": lead.id,
                    "activity_type_id": todo.id,
                    "date_deadline": self.today + timedelta(days=i + 1),
                }
                for i, lead in enumerate(leads)
            ]
        )
        for company in companies:
            company.with_context(ccare_skip_contact_dates=True).message_post(
                body="Done", mail_activity_type_id=todo.id
            )
        Event = self.env["calendar.event"].with_context(ccare_skip_contact_dates=True)
        Event.create(
            [
                {
                    "name": f"Meeting {i}",
                    "start": self.now + timedelta(days=sign * (i + 2)),
                    "stop": self.now + timedelta(days=sign * (i + 2), hours=1),
                    "partner_ids": [Command.set(contact.ids)],
                }
                for i, contact in enumerate(contacts)
                for sign in (-1, 1)
            ]
        )
        partners = companies | contacts
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET last_contact_date = NULL, next_contact_date = NULL "
            "WHERE id = ANY(%s)",
            [partners.ids],
        )
        self.env.invalidate_all()
        return companies, contacts

    def test_recompute_is_set_based(self):
        few, few_contacts = self._customers_with_history(5)
        many, many_contacts = self._customers_with_history(50)
        (few | few_contacts)._ccare_recompute_contact_dates()  # warm up the caches
        self.env.cr.execute(
            "UPDATE res_partner SET last_contact_date = NULL, next_contact_date = NULL"
        )
        self.env.invalidate_all()
        queries_few = self.count_queries((few | few_contacts)._ccare_recompute_contact_dates)
        with self.assertQueryCount(queries_few):
            (many | many_contacts)._ccare_recompute_contact_dates()
            self.env.flush_all()
        # and the values are right for every customer
        for i, (company, contact) in enumerate(zip(many, many_contacts, strict=True)):
            self.assertContactDates(
                contact,
                self.today - timedelta(days=i + 2),
                self.today + timedelta(days=i + 1),
            )
            self.assertContactDates(company, self.today, self.today + timedelta(days=i + 1))
