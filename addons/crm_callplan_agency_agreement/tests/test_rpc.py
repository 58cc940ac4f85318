from datetime import timedelta

from odoo.addons.crm_customer_care.tests.attack_surface import unreadable_partner_fields
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.tests import tagged

from .common import AgreementCommon


@tagged("post_install", "-at_install", "ccare_agency_agreement", "ccare_security")
class TestAgreementRpc(RpcCase, AgreementCommon):
    """Over JSON-RPC and XML-RPC, as the agency's agent: the customer of
    a call is readable on the day of the call and to the end of the
    window, refused the day after, refused once the agreement ends, never
    beyond the fields the agreement shares, never another agency's."""

    CALL_FIELDS = ["name", "partner_name", "phone", "agency_visible_until"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # held today: visible until today + 10
        cls.call_today = cls._agency_call(cls.caller_dora, cls.today)
        # held 10 days ago: today is the window's last day
        cls.call_last_day = cls._agency_call(
            cls.caller_dora, cls.today - timedelta(days=cls.WINDOW)
        )
        # held 11 days ago: the window ended yesterday
        cls.call_expired = cls._agency_call(
            cls.caller_dora, cls.today - timedelta(days=cls.WINDOW + 1)
        )
        cls.call_rival = cls._agency_call(cls.caller_rita, cls.today)

    def test_allowed_in_the_window_refused_the_day_after(self):
        model, login = "crm.call", "dpa_agent_dora"
        ids = [self.call_today.id, self.call_last_day.id]
        rows = self.call_kw(login, model, "read", [ids, self.CALL_FIELDS])
        self.assertEqual(
            {row["id"]: row["agency_visible_until"] for row in rows},
            {
                self.call_today.id: str(self.today + timedelta(days=self.WINDOW)),
                self.call_last_day.id: str(self.today),
            },
        )
        self.assertEqual({row["partner_name"] for row in rows}, {"Kwun Tong Trading"})
        self.assertEqual({row["phone"] for row in rows}, {"+1 555 0100000"})
        # the day after the window: the call and its customer are gone
        self.assertRefused(login, model, "read", [[self.call_expired.id], self.CALL_FIELDS])
        self.assertXmlRpcRefused(login, model, "read", [[self.call_expired.id], ["partner_name"]])
        found = self.call_kw(login, model, "search_read", [[]], {"fields": ["partner_name"]})
        self.assertEqual({row["id"] for row in found}, set(ids))
        self.assertRefused(
            login, model, "write", [[self.call_expired.id], {"summary": "still here?"}]
        )

    def test_refused_after_the_agreement_ends(self):
        self.call_kw(
            "callplan_manager", "crm.call.agency.agreement", "action_end", [[self.agreement.id]]
        )
        for call in (self.call_today, self.call_last_day):
            self.assertRefused("dpa_agent_dora", "crm.call", "read", [[call.id], ["partner_name"]])
        found = self.call_kw(
            "dpa_agent_dora", "crm.call", "search_read", [[]], {"fields": ["partner_name"]}
        )
        self.assertEqual(found, [])

    def test_refused_fields_outside_the_agreement(self):
        """No e-mail, address or contact person in Dora's agreement; never
        the customer record, its revenue or identity."""
        login, ids = "dpa_agent_dora", [self.call_today.id]
        row = self.call_kw(
            login, "crm.call", "read", [ids, ["agency_email", "agency_address", "contact_name"]]
        )[0]
        self.assertEqual(
            (row["agency_email"], row["agency_address"], row["contact_name"]), (False, False, False)
        )
        for fields in (["partner_id"], ["contact_id"], ["agency_agreement_id"], ["policy_id"]):
            self.assertRefused(login, "crm.call", "read", [ids, fields])
        customer = [self.customer.id]
        self.assertRefused(login, "res.partner", "read", [customer, ["name"]])
        self.assertRefused(login, "res.partner", "read", [customer, ["email"]])
        # identity (crm_customer_sensitive_data), figures: whichever are installed
        for name in unreadable_partner_fields(self.agent_dora):
            with self.subTest(field=name):
                self.assertRefused(login, "res.partner", "read", [customer, [name]])
        self.assertXmlRpcRefused(login, "res.partner", "read", [customer, ["street"]])
        found = self.call_kw(
            login, "res.partner", "search_read", [[("id", "in", customer)]], {"fields": ["name"]}
        )
        self.assertEqual(found, [])
        self.assertRefused(login, "crm.call.agency.agreement", "search_read", [[]])

    def test_refused_another_agencys_customers(self):
        self.assertRefused(
            "dpa_agent_dora", "crm.call", "read", [[self.call_rival.id], ["partner_name"]]
        )
        self.assertRefused(
            "dpa_agent_rita", "crm.call", "read", [[self.call_today.id], ["partner_name"]]
        )
        rows = self.call_kw(
            "dpa_agent_rita", "crm.call", "search_read", [[]], {"fields": ["partner_name"]}
        )
        self.assertEqual([row["id"] for row in rows], [self.call_rival.id])

    def test_agent_cannot_put_an_agreement_in_force(self):
        draft = self._agreement(self.dialling, name="Wider", channel_visit=True)
        for login in ("dpa_agent_dora", "cp_caller"):
            self.assertRefused(login, "crm.call.agency.agreement", "action_start", [[draft.id]])
            self.assertRefused(
                login,
                "crm.call.agency.agreement",
                "write",
                [[self.agreement.id], {"window_days": 365}],
            )
        self.assertRefused(
            "callplan_manager",
            "crm.call.agency.agreement",
            "write",
            [[self.agreement.id], {"window_days": 365}],
        )
        draft.invalidate_recordset(["state"])
        self.assertEqual(draft.state, "draft")
