"""Points from a programme event attended: recording attendance on the
programme's calendar event gives each member account the points of the
program's "event attended" rule, once per event, never to the holdout or
to outsiders, within the caps; and nobody else can make it pay."""

from datetime import datetime
from datetime import timedelta

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import UserError
from odoo.tests import tagged


class ProgrammeEventWorld:
    @classmethod
    def _event_world(cls):
        cls.people = cls._customers(6, prefix="Evt")
        cls.people.write({"segment_id": cls.segment.id})
        cls.env["crm.loyalty.points.rule"].create(
            {"program_id": cls.program.id, "event": "event_attended", "points": 25}
        )
        cls.programme = cls.env["crm.relationship.programme"].create(
            {
                "name": "Customer evenings",
                "segment_ids": [(6, 0, cls.segment.ids)],
                "holdout_percent": 0,
                "loyalty_program_id": cls.program.id,
            }
        )
        cls.programme.action_start()
        # one of them is held out of the programme after all
        cls.held_out = cls.people[5]
        cls.programme.participant_ids.filtered(lambda p: p.partner_id == cls.held_out).write(
            {"group": "holdout", "state": "holdout"}
        )
        cls.outsider = cls._customers(1, prefix="Outsider")
        start = datetime.now() - timedelta(days=1)
        cls.event = cls.env["calendar.event"].create(
            {
                "name": "Customer evening: new collection",
                "start": start,
                "stop": start + timedelta(hours=2),
                "crm_programme_id": cls.programme.id,
                "partner_ids": [(6, 0, (cls.people[:2] | cls.held_out | cls.outsider).ids)],
            }
        )

    def _points(self, partner):
        card = self.env["loyalty.card"].search(
            [("program_id", "=", self.program.id), ("partner_id", "=", partner.id)]
        )
        return card.points


@tagged("post_install", "-at_install")
class TestProgrammeEventPoints(ProgrammeEventWorld, LoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._event_world()

    def test_members_who_came_earn_once(self):
        self.event.with_user(self.loyalty_user).action_crm_record_attendance()
        self.assertEqual(self._points(self.people[0]), 25.0)
        self.assertEqual(self._points(self.people[1]), 25.0)
        self.assertEqual(self._points(self.people[2]), 0.0, "did not come")
        self.assertEqual(self._points(self.held_out), 0.0, "the holdout earns nothing")
        self.assertFalse(self._points(self.outsider), "not in the programme")
        self.assertEqual(self.event.crm_attended_partner_ids, self.people[:2])
        participation = self.programme.participant_ids.filtered(
            lambda p: p.partner_id == self.people[0]
        )
        self.assertEqual(participation.state, "attended")
        lot = self.env["crm.loyalty.points.lot"].search(
            [
                ("card_id.partner_id", "=", self.people[0].id),
                ("card_id.program_id", "=", self.program.id),
            ]
        )
        self.assertEqual(lot.source, "event_attended")
        # recording it again (a double click, a retried request) posts nothing
        self.event.with_user(self.loyalty_user).action_crm_record_attendance()
        self.assertEqual(self._points(self.people[0]), 25.0)

    def test_two_people_of_one_account_earn_it_once(self):
        company = self.people[0]
        company.is_company = True
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": company.id})
        self.event.partner_ids = [(4, colleague.id)]
        self.event.action_crm_record_attendance()
        self.assertEqual(self._points(company), 25.0)

    def test_a_chosen_few(self):
        self.event.action_crm_record_attendance(partner_ids=self.people[1].ids)
        self.assertEqual(self._points(self.people[0]), 0.0)
        self.assertEqual(self._points(self.people[1]), 25.0)

    def test_the_caps_apply(self):
        rule = self.env["crm.loyalty.points.rule"].search([("event", "=", "event_attended")])
        rule.daily_cap = 10
        self.event.action_crm_record_attendance()
        self.assertEqual(self._points(self.people[0]), 10.0)

    def test_not_a_programme_event_or_not_running(self):
        plain = self.env["calendar.event"].create(
            {"name": "Lunch", "start": datetime.now(), "stop": datetime.now() + timedelta(hours=1)}
        )
        with self.assertRaisesRegex(UserError, "not an event of a relationship programme"):
            plain.action_crm_record_attendance()
        self.programme.action_close()
        with self.assertRaisesRegex(UserError, "not running"):
            self.event.action_crm_record_attendance()


@tagged("post_install", "-at_install")
class TestProgrammeEventAttacks(ProgrammeEventWorld, RpcCase, LoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._event_world()

    def test_only_loyalty_staff_record_attendance(self):
        self.assertRefused(
            "care_user", "calendar.event", "action_crm_record_attendance", [self.event.ids]
        )
        self.assertRefused(
            "care_user",
            "calendar.event",
            "write",
            [self.event.ids, {"crm_attended_partner_ids": [(4, self.outsider.id)]}],
        )
        self.assertFalse(self._points(self.people[0]))

    def test_another_company_cannot_record_attendance(self):
        """Every employee may write a (public) event, but only the
        programme's company awards its points: a loyalty user of another
        company is refused, nobody earns."""
        other = self.env["res.company"].create({"name": "Evt Other Co"})
        mail_new_test_user(
            self.env,
            login="evt_other",
            groups="crm_loyalty.group_crm_loyalty_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertRefused(
            "evt_other", "calendar.event", "action_crm_record_attendance", [self.event.ids]
        )
        self.assertFalse(self._points(self.people[0]))
        self.assertFalse(self.event.crm_attended_partner_ids)
