"""Statutory requests (data access, correction, erasure) as tracked work:
a legal deadline from the day received, an owner warned before it passes,
the response recorded, four eyes on an erasure, portal and staff paths."""

import base64
import io
import json
import re
import zipfile
from datetime import date
from datetime import timedelta

from freezegun import freeze_time

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged


class StatutoryWorld:
    @classmethod
    def _statutory_world(cls):
        cls.other_manager = mail_new_test_user(
            cls.env,
            login="stat_manager2",
            name="Nora Reviewer",
            groups="crm_customer_care.group_crm_customer_care_manager",
        )
        cls.person = cls.env["res.partner"].create(
            {
                "name": "Wing Statutory",
                "email": "wing.statutory@example.com",
                "city": "Kowloon",
                "ccare_id_number": "A123456(3)",
                "ccare_id_purpose": "law",
            }
        )
        cls.company_account = cls.env["res.partner"].create(
            {"name": "Statutory Trading Ltd", "is_company": True, "city": "Central"}
        )
        cls.employee = cls.env["res.partner"].create(
            {
                "name": "Kit Employee",
                "email": "kit.employee@example.com",
                "parent_id": cls.company_account.id,
            }
        )
        cls.colleague = cls.env["res.partner"].create(
            {
                "name": "Lam Colleague",
                "email": "lam.colleague@example.com",
                "parent_id": cls.company_account.id,
            }
        )
        cls.Request = cls.env["crm.account.service.request"]

    def _statutory(self, user, request_type, partner=None, subject=None, **vals):
        partner = partner or self.person
        return self.Request.with_user(user).create(
            {
                "partner_id": partner.id,
                "data_subject_id": (subject or partner).id,
                "request_type": request_type,
                **vals,
            }
        )


@tagged("post_install", "-at_install", "ccare_account_request")
class TestStatutoryDeadline(StatutoryWorld, CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._statutory_world()

    @freeze_time("2026-03-20")
    def test_pdpo_forty_days_from_receipt(self):
        self.company.ccare_privacy_regime = "pdpo"
        self.company.ccare_statutory_days = 40
        request = self._statutory(self.care_user, "data_access", received_date=date(2026, 3, 10))
        request.action_submit()
        # 10 March + 40 days = 19 April
        self.assertEqual(request.legal_deadline, date(2026, 4, 19))
        self.assertEqual(request.legal_regime, "pdpo")
        self.assertTrue(request.is_statutory)
        self.assertEqual(request.data_subject_id, self.person)

    @freeze_time("2026-03-20")
    def test_days_are_configurable_per_company(self):
        self.company.ccare_statutory_days = 30
        request = self._statutory(self.care_user, "data_correction", received_date=date(2026, 3, 1))
        request.line_ids = [
            (
                0,
                0,
                {
                    "field_id": self.env["ir.model.fields"]._get("res.partner", "city").id,
                    "new_value": "Sha Tin",
                },
            )
        ]
        request.action_submit()
        self.assertEqual(request.legal_deadline, date(2026, 3, 31))

    @freeze_time("2026-02-05")
    def test_gdpr_one_month(self):
        self.company.ccare_privacy_regime = "gdpr"
        request = self._statutory(self.care_user, "data_access", received_date=date(2026, 1, 31))
        request.action_submit()
        # one month after 31 January is the last day of February
        self.assertEqual(request.legal_deadline, date(2026, 2, 28))
        self.assertEqual(request.legal_regime, "gdpr")

    def test_received_in_the_future_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "future"):
            self._statutory(self.care_user, "data_access", received_date=date(2999, 1, 1))

    def test_data_subject_must_belong_to_the_account(self):
        with self.assertRaisesRegex(ValidationError, "not .* or one of its contacts"):
            self._statutory(
                self.care_user, "data_access", partner=self.company_account, subject=self.person
            )

    def test_overdue_alert_once_per_level(self):
        self.company.ccare_statutory_warn_days = 7
        self.company.ccare_privacy_officer_id = self.privacy_officer
        with freeze_time("2026-01-02"):
            # an erasure: it waits for its reviews while the deadline runs
            request = self._statutory(
                self.care_user, "data_erasure", received_date=date(2026, 1, 2), user_id=False
            )
            request.action_submit()
        self.assertEqual(request.state, "approval")
        self.assertEqual(request.legal_deadline, date(2026, 2, 11))
        Activity = self.env["mail.activity"]

        def alerts():
            return Activity.search(
                [
                    ("res_model", "=", request._name),
                    ("res_id", "=", request.id),
                    ("summary", "like", "Statutory deadline"),
                ]
            )

        with freeze_time("2026-02-01"):  # 10 days before: nothing yet
            self.Request._cron_statutory_deadlines()
            self.assertFalse(alerts())
            self.assertFalse(request.legal_overdue)
        with freeze_time("2026-02-05"):  # within 7 days: warned once
            self.Request._cron_statutory_deadlines()
            self.Request._cron_statutory_deadlines()
            self.assertEqual(len(alerts()), 1)
            self.assertEqual(request.legal_alert, "due_soon")
            # no owner on the request: the company's privacy officer
            self.assertEqual(alerts().user_id, self.privacy_officer)
        with freeze_time("2026-02-12"):  # passed: warned again, once
            self.Request._cron_statutory_deadlines()
            self.Request._cron_statutory_deadlines()
            self.assertEqual(len(alerts()), 2)
            request.invalidate_recordset(["legal_overdue"])
            self.assertTrue(request.legal_overdue)
            self.assertIn(request, self.Request.search([("legal_overdue", "=", True)]))


@tagged("post_install", "-at_install", "ccare_account_request")
class TestStatutoryResponse(StatutoryWorld, CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._statutory_world()

    def test_access_request_keeps_the_data_sent(self):
        request = self._statutory(self.care_user, "data_access")
        request.action_submit()
        self.assertEqual(request.state, "approved", "staff-recorded access needs no approval")
        with self.assertRaises(AccessError):
            request.with_user(self.care_manager).action_done()
        request.with_user(self.privacy_officer).action_done()
        self.assertEqual(request.state, "done")
        request = request.with_user(self.privacy_officer)
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(request.response_file)))
        data = json.loads(archive.read("data.json"))
        self.assertEqual(data["person"], "Wing Statutory")
        self.assertIn("A123456(3)", archive.read("data.json").decode())
        self.assertTrue(request.response_file_name.endswith(".zip"))
        self.assertIn("Consents", request.response_summary)
        # the copy holds sensitive data: only privacy officers read it
        with self.assertRaises(AccessError):
            request.with_user(self.care_manager).read(["response_file"])

    def test_correction_changes_the_person_and_records_old_values(self):
        request = self._statutory(
            self.care_user,
            "data_correction",
            partner=self.company_account,
            subject=self.employee,
            line_ids=[
                (
                    0,
                    0,
                    {
                        "field_id": self.env["ir.model.fields"]._get("res.partner", "email").id,
                        "new_value": "kit.new@example.com",
                    },
                )
            ],
        )
        request.action_submit()
        request.with_user(self.privacy_officer).action_done()
        self.assertEqual(self.employee.email, "kit.new@example.com")
        self.assertFalse(self.company_account.email, "the account itself is not changed")
        self.assertIn("kit.employee@example.com -> kit.new@example.com", request.response_summary)

    def test_erasure_needs_four_eyes_and_anonymises(self):
        request = self._statutory(self.care_manager, "data_erasure")
        self.assertTrue(request.needs_approval)
        request.action_submit()
        self.assertEqual(request.state, "approval")
        with self.assertRaisesRegex(UserError, "another manager must approve"):
            request.with_user(self.care_manager).validate_tier()
        with self.assertRaisesRegex(UserError, "must be approved"):
            request.with_user(self.privacy_officer).action_done()
        request.with_user(self.other_manager).validate_tier()
        self.assertEqual(request.state, "approved")
        request.with_user(self.privacy_officer).action_done()
        self.assertEqual(request.state, "done")
        self.assertTrue(self.person.ccare_anonymised_date)
        self.assertNotIn("Wing", self.person.name)
        self.assertFalse(self.person.email)
        self.assertEqual(self.person.lifecycle_stage, "closed")
        self.assertEqual(request.anonymisation_id.partner_ref, self.person.id)
        self.assertIn("email", request.response_summary)

    def test_erasure_of_one_contact_leaves_the_company(self):
        request = self._statutory(
            self.care_user, "data_erasure", partner=self.company_account, subject=self.employee
        )
        request.action_submit()
        request.with_user(self.other_manager).validate_tier()
        request.with_user(self.privacy_officer).action_done()
        self.assertTrue(self.employee.ccare_anonymised_date)
        self.assertFalse(self.employee.email)
        self.assertFalse(self.company_account.ccare_anonymised_date)
        self.assertEqual(self.company_account.name, "Statutory Trading Ltd")
        self.assertEqual(self.colleague.email, "lam.colleague@example.com")
        self.assertNotEqual(self.company_account.lifecycle_stage, "closed")

    def test_officer_refuses_through_the_form_with_a_reason(self):
        """The form's Refuse button opens a dialog asking why; a care user
        does not get it at all."""
        request = self._statutory(self.care_user, "data_access")
        request.action_submit()
        Closure = self.env["crm.account.service.request.closure"]
        with self.assertRaises(AccessError):
            Closure.with_user(self.care_user).create(
                {"request_ids": request.ids, "closure": "rejected", "reason": "No"}
            )
        wizard = (
            Closure.with_user(self.privacy_officer)
            .with_context(active_ids=request.ids, default_closure="rejected")
            .create({"reason": "Manifestly unfounded: third identical request this month"})
        )
        self.assertEqual(wizard.request_ids, request)
        wizard.action_confirm()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.closed_by_id, self.privacy_officer)
        self.assertIn("Manifestly unfounded", request.closure_reason)
        self.assertIn("Manifestly unfounded", request.message_ids[0].body)

    def test_erasure_refused_while_invoices_are_open(self):
        self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.person.id,
                "invoice_line_ids": [(0, 0, {"name": "Service", "price_unit": 100, "tax_ids": []})],
            }
        ).action_post()
        request = self._statutory(self.care_user, "data_erasure")
        request.action_submit()
        request.with_user(self.other_manager).validate_tier()
        with self.assertRaisesRegex(UserError, "open invoice"):
            request.with_user(self.privacy_officer).action_done()
        self.assertFalse(self.person.ccare_anonymised_date)
        self.assertEqual(request.state, "approved")


@tagged("post_install", "-at_install", "ccare_account_request")
class TestStatutoryRpcAndPortal(StatutoryWorld, RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._statutory_world()
        cls.care_user = mail_new_test_user(
            cls.env, login="stat_care", groups="crm_customer_care.group_crm_customer_care_user"
        )
        cls.officer = mail_new_test_user(
            cls.env,
            login="stat_officer",
            groups="crm_customer_care.group_crm_customer_care_privacy_officer",
        )
        cls.env.company.ccare_privacy_officer_id = cls.officer
        cls.portal_user = mail_new_test_user(
            cls.env, login="stat_portal", groups="base.group_portal", name="Kit Employee"
        )
        cls.portal_user.partner_id.parent_id = cls.company_account
        cls.colleague_user = mail_new_test_user(
            cls.env, login="stat_portal_b", groups="base.group_portal"
        )
        cls.colleague_user.partner_id.parent_id = cls.company_account

    def test_deadline_and_response_are_the_servers(self):
        request = self._statutory(self.care_user, "data_access")
        request.action_submit()
        deadline = request.legal_deadline
        for vals in (
            {"legal_deadline": "2099-01-01"},
            {"legal_alert": False},
            {"response_summary": "sent everything"},
            {"received_date": "2020-01-01"},
            {"data_subject_id": self.employee.id},
        ):
            self.assertRefused("stat_care", request._name, "write", [request.ids, vals])
        self.assertRefused(
            "stat_care",
            request._name,
            "create",
            [
                {
                    "partner_id": self.person.id,
                    "request_type": "data_access",
                    "legal_deadline": "2099-01-01",
                }
            ],
        )
        # a customer care user may not carry it out, even over RPC
        self.assertRefused("stat_care", request._name, "action_done", [request.ids])
        self.assertEqual(request.legal_deadline, deadline)
        self.assertEqual(request.state, "approved")

    def test_portal_request_has_deadline_owner_and_download_for_the_person_only(self):
        self.authenticate("stat_portal", "stat_portal")
        page = self.url_open("/my/requests/new?request_type=data_access")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.url_open(
            "/my/requests/new",
            data={"request_type": "data_access", "description": "Please", "csrf_token": csrf},
        )
        request = self.Request.search([("data_subject_id", "=", self.portal_user.partner_id.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual(
            (request.request_type, request.source, request.partner_id),
            ("data_access", "portal", self.company_account),
        )
        self.assertEqual(request.user_id, self.officer, "the company's privacy officer owns it")
        self.assertTrue(request.legal_deadline)
        self.assertEqual(request.state, "approval", "a portal request is checked by four eyes")
        request.with_user(self.other_manager).validate_tier()
        request.with_user(self.officer).action_done()

        listing = self.url_open("/my/requests")
        self.assertIn(request.name, listing.text)
        self.assertIn(f"/my/requests/{request.id}/response", listing.text)
        download = self.url_open(f"/my/requests/{request.id}/response")
        self.assertEqual(download.status_code, 200)
        archive = zipfile.ZipFile(io.BytesIO(download.content))
        self.assertIn("data.json", archive.namelist())

        # a colleague of the same company neither sees nor downloads it
        self.authenticate("stat_portal_b", "stat_portal_b")
        self.assertNotIn(request.name, self.url_open("/my/requests").text)
        self.assertEqual(self.url_open(f"/my/requests/{request.id}/response").status_code, 404)
        self.logout()
        self.assertNotEqual(
            self.url_open(f"/my/requests/{request.id}/response", allow_redirects=False).status_code,
            200,
        )

    def test_subject_access_export_downloads_as_a_zip(self):
        """The wizard's download is a ZIP (the field held raw bytes once,
        which the download decoded as base64 into garbage)."""
        wizard = (
            self.env["crm.customer.subject.access"]
            .with_user(self.officer)
            .create({"partner_id": self.person.id})
        )
        wizard.action_export()
        self.authenticate("stat_officer", "stat_officer")
        response = self.url_open(
            f"/web/content/crm.customer.subject.access/{wizard.id}/zip_file?download=true"
        )
        self.assertEqual(response.status_code, 200)
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        self.assertIn("Wing Statutory", archive.read("data.json").decode())


@tagged("post_install", "-at_install", "ccare_account_request")
class TestStatutoryClockRpc(StatutoryWorld, RpcCase):
    """The legal clock runs from receipt, whatever happens to the request:
    a Customer Care user can neither move it nor stop it; a privacy officer
    alone cancels or refuses a statutory request, with a reason that stays
    on the request and in its history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._statutory_world()
        cls.care_user = mail_new_test_user(
            cls.env, login="clock_care", groups="crm_customer_care.group_crm_customer_care_user"
        )
        cls.officer = mail_new_test_user(
            cls.env,
            login="clock_officer",
            groups="crm_customer_care.group_crm_customer_care_privacy_officer",
        )
        cls.env.company.ccare_privacy_regime = "pdpo"
        cls.env.company.ccare_statutory_days = 40

    def _rpc_request(self, request_type, received):
        request_id = self.call_kw(
            "clock_care",
            self.Request._name,
            "create",
            [
                {
                    "partner_id": self.person.id,
                    "request_type": request_type,
                    "received_date": str(received),
                }
            ],
        )
        return self.Request.browse(request_id)

    def test_reset_and_resubmit_does_not_move_the_deadline(self):
        """Received ten days ago: due 30 days from now, and it stays so when
        the care user cancels, reopens, redates and resubmits."""
        received = date.today() - timedelta(days=10)
        request = self._rpc_request("data_access", received)
        self.call_kw("clock_care", request._name, "action_submit", [request.ids])
        self.assertEqual(request.legal_deadline, received + timedelta(days=40))
        self.assertRefused("clock_care", request._name, "action_cancel", [request.ids])
        self.assertRefused(
            "clock_care", request._name, "action_cancel", [request.ids], {"reason": "dup"}
        )
        # the officer cancels it; reopened, its receipt is still its receipt
        self.call_kw(
            "clock_officer", request._name, "action_cancel", [request.ids], {"reason": "Duplicate"}
        )
        self.call_kw("clock_care", request._name, "action_draft", [request.ids])
        self.assertEqual(request.state, "draft")
        for vals in (
            {"received_date": str(date.today())},
            {"request_type": "update"},
            {"partner_id": self.company_account.id},
            {"data_subject_id": self.employee.id},
        ):
            self.assertRefused("clock_care", request._name, "write", [request.ids, vals])
        self.call_kw("clock_care", request._name, "action_submit", [request.ids])
        self.assertEqual(request.received_date, received)
        self.assertEqual(request.legal_deadline, received + timedelta(days=40))

    def test_only_a_privacy_officer_stops_the_clock_with_a_reason(self):
        received = date.today() - timedelta(days=2)
        request = self._rpc_request("data_erasure", received)
        # the clock runs from receipt, even while the request is a draft
        self.assertEqual(request.legal_deadline, received + timedelta(days=40))
        deadline = request.legal_deadline
        # a manager may delete draft requests, not a data subject's right
        self.assertRefused("stat_manager2", request._name, "unlink", [request.ids])
        self.call_kw("clock_care", request._name, "action_submit", [request.ids])
        self.assertEqual(request.state, "approval")
        for login in ("clock_care", "stat_manager2"):
            self.assertRefused(
                login, request._name, "action_cancel", [request.ids], {"reason": "x"}
            )
            self.assertRefused(
                login, request._name, "action_reject", [request.ids], {"reason": "x"}
            )
        # a reviewer approves or not: refusing the customer is the officer's
        self.assertRefused("stat_manager2", request._name, "reject_tier", [request.ids])
        self.assertEqual(request.state, "approval")
        # the officer must say why
        self.assertRefused("clock_officer", request._name, "action_reject", [request.ids])
        self.assertRefused(
            "clock_officer", request._name, "action_reject", [request.ids], {"reason": "  "}
        )
        self.call_kw(
            "clock_officer",
            request._name,
            "action_reject",
            [request.ids],
            {"reason": "Identity could not be verified"},
        )
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.closure_reason, "Identity could not be verified")
        self.assertEqual(request.closed_by_id, self.officer)
        self.assertIn(
            "Identity could not be verified",
            "".join(request.message_ids.mapped("body")),
            "the refusal and its reason are in the request's history",
        )
        self.assertEqual(request.legal_deadline, deadline)
        # the reason is the record of the refusal: nobody rewrites it
        self.assertRefused(
            "clock_officer", request._name, "write", [request.ids, {"closure_reason": "ok"}]
        )
