import os
import re
from datetime import datetime
from datetime import timedelta

import odoo.addons.crm_customer_care as care
from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools import SQL

from .common import LoyaltyCommon

MARK = "Mrk7Qz"


@tagged("post_install", "-at_install", "ccare_consent")
class TestNotificationsCarryOptOut(LoyaltyCommon):
    def test_expiry_warning_has_unsubscribe_link_and_header(self):
        member = self._customers(1, prefix="Exp")
        card = self._card(member, 100)
        self.env["crm.loyalty.points.lot"].search([("card_id", "=", card.id)]).write(
            {"expiry_date": datetime.now().date() + timedelta(days=5)}
        )
        sent = card._loyalty_warn_expiring_points()
        self.assertEqual(sent, 1)
        mail = self.env["mail.mail"].search([("recipient_ids", "in", member.ids)])
        self.assertEqual(len(mail), 1)
        url = re.search(r'href="([^"]*/ccare/preferences/[^"]+)"', str(mail.body_html)).group(1)
        partner, purpose = self.env["res.partner"]._ccare_preference_partner(url.rsplit("/", 1)[1])
        self.assertEqual((partner, purpose), (member, "marketing"))
        self.assertIn("List-Unsubscribe-Post", mail.headers)


@tagged("post_install", "-at_install", "ccare_consent")
class TestEveryContactPathIsChecked(LoyaltyCommon):
    """Every place in our addons that sends mail or creates a call or an
    activity is listed here, and each one that reaches a customer goes
    through the consent API (``_filter_contactable`` or
    ``_ccare_contact_blocks``, or the call checks of crm_callplan); a new
    place fails this test until it is listed (and checked)."""

    SENDERS = re.compile(
        r'mail\.mail"\]\S*\.create\(|Mail\.create\(|_send_mail\(|activity_schedule\('
        r'|mail\.activity"\]|crm\.call"\]\S*\.create\(|message_post\(|INSERT INTO crm_call\b'
    )
    # (file, function): how the place is checked, or why it does not contact a customer
    KNOWN = {
        # reaches the customer, consent-checked (tested below and in crm_callplan)
        ("crm_loyalty/models/loyalty_card.py", "_loyalty_notify"): "checked",
        ("crm_relationship_programme/wizard/survey_invite.py", "_send_mail"): "checked",
        ("crm_callplan/models/crm_call.py", "action_schedule_next_call"): "checked",
        ("crm_callplan/models/crm_call.py", "_insert_planned"): "checked by the plan run",
        # the consent check of every mass mailing (its docstring names the paths)
        ("crm_customer_care_mass_mailing/wizard/mail_compose_message.py", None): "checked",
        # asked for by the customer (the request is the consent)
        ("crm_callplan_inquiry/models/crm_call.py", "_callplan_request_callback"): "requested",
        ("crm_customer_inquiry/models/helpdesk_ticket.py", "action_send_response"): "requested",
        # internal: notes and to-dos for staff, never to the customer
        (
            "crm_relationship_programme/models/crm_relationship_programme.py",
            "action_enrol",
        ): "internal",
        ("crm_relationship_programme/wizard/survey_invite.py", "_prepare_answers"): "internal",
        ("crm_loyalty/models/loyalty_card.py", "action_crm_suspend"): "internal",
        ("crm_loyalty/models/loyalty_card.py", "action_crm_reinstate"): "internal",
        ("crm_callplan_inquiry/models/crm_call.py", "_callplan_report_to_inquiries"): "internal",
        ("crm_customer_inquiry/models/helpdesk_ticket.py", "_ccare_escalate_overdue"): "internal",
        (
            "crm_account_service_request/models/crm_account_service_request.py",
            "action_submit",
        ): "internal",
        ("crm_account_service_request/models/crm_account_service_request.py", "_apply"): "internal",
        (
            "crm_account_service_request/models/crm_account_service_request_statutory.py",
            "_cron_statutory_deadlines",
        ): "internal",
        (
            "crm_customer_review/models/res_partner.py",
            "_ccare_create_review_activities",
        ): "internal",
        ("crm_customer_privacy/wizard/crm_customer_subject_access.py", "action_export"): "internal",
        # a review's recommended actions: to-dos for staff on the review
        ("crm_customer_review/models/crm_customer_review_action.py", "_ccare_schedule"): "internal",
        # read or cancel activities, never create them
        (
            "crm_customer_care/models/res_partner_consent.py",
            "_ccare_cancel_contact_activities",
        ): "cancels",
        ("crm_customer_care/models/res_partner_erasure.py", "_ccare_erase_messages"): "erases",
        (
            "crm_customer_care/models/res_partner_contact_dates.py",
            "_ccare_contact_events_activities",
        ): "reads",
    }

    def _places(self):
        root = os.path.dirname(os.path.dirname(care.__file__))
        places = set()
        # the mass_mailing bridge too, installed or not (its sources are here)
        addons = (
            "crm_customer_care",
            "crm_callplan",
            "crm_callplan_inquiry",
            "crm_loyalty",
            "crm_relationship_programme",
            "crm_customer_care_mass_mailing",
            "crm_account_service_request",
            "crm_customer_inquiry",
        )
        for addon in addons:
            for folder in ("models", "wizard", "controllers"):
                path = os.path.join(root, addon, folder)
                if not os.path.isdir(path):
                    continue
                for name in sorted(os.listdir(path)):
                    if not name.endswith(".py"):
                        continue
                    function = None
                    with open(os.path.join(path, name), encoding="utf-8") as source:
                        for line in source:
                            found = re.match(r"\s*def (\w+)\(", line)
                            if found:
                                function = found.group(1)
                            if self.SENDERS.search(line):
                                places.add((f"{addon}/{folder}/{name}", function))
        return places

    def test_every_place_is_listed(self):
        places = self._places()
        self.assertIn(("crm_loyalty/models/loyalty_card.py", "_loyalty_notify"), places)
        unknown = places - set(self.KNOWN)
        self.assertFalse(unknown, f"contact paths not reviewed for consent: {sorted(unknown)}")

    def test_checked_places_refuse_a_blocked_customer(self):
        """Each place marked *checked* refuses (or skips) a customer whose
        consent forbids it."""
        member = self._customers(1, prefix="Blk")
        card = self._card(member, 100)
        member._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        # tier and expiry mails
        self.assertFalse(card._loyalty_notify({card.id: ("Subject", "<p>Body</p>")}))
        # programme enrolment and survey invitations: crm_relationship_programme's
        # TestProgrammeEnrolmentChecksConsent and TestSurveyInvitations;
        # calls, follow-ups, rescheduling, e-mail calls: crm_callplan's
        # TestEveryCallPathChecksConsent;
        # mass mailings: the bridge's generated suite (test_attack_mailing.py)


@tagged("post_install", "-at_install", "ccare_consent", "ccare_anonymise")
class TestAnonymisationLeavesNoTrace(LoyaltyCommon):
    """A customer with a unique marker in every free-text field of every
    addon; after anonymisation, no text, varchar or jsonb column of the
    whole database holds the marker."""

    def _world(self):
        env = self.env
        m = MARK
        Partner = env["res.partner"]
        # the sensitive data (crm_customer_sensitive_data), when installed:
        # the marker in each of its text fields
        sensitive = getattr(Partner, "_ccare_sensitive_fields", list)()
        identity = {
            name: f"{m}ID" for name in sensitive if Partner._fields[name].type in ("char", "text")
        }
        if identity:
            identity.update(ccare_id_type="other", ccare_id_purpose="contract")
        company = Partner.create(
            {
                **identity,
                "name": f"{m} Holdings",
                "is_company": True,
                "email": f"{m.lower()}@example.com",
                "phone": "+85291234567",
                "street": f"1 {m} Road",
                "city": f"{m}ville",
                "comment": f"<p>{m} note</p>",
                "ccare_name_zh": f"{m}中文名",
                "website": f"https://{m.lower()}.example.com",
                "ref": f"{m}REF",
                "vat": f"{m}VAT",
            }
        )
        contact = env["res.partner"].create(
            {
                "name": f"{m} Person",
                "parent_id": company.id,
                "email": f"{m.lower()}.person@example.com",
                "function": f"{m} buyer",
            }
        )
        company._ccare_record_consent(
            "marketing", "email", "granted", source="form", evidence=f"{m} signed form"
        )
        company.message_post(body=f"{m} chatter on the partner")
        company.with_context(tracking_disable=False).write({"function": f"{m} role"})
        env["ir.attachment"].create(
            {
                "name": f"{m}.txt",
                "raw": f"{m} attached".encode(),
                "res_model": "res.partner",
                "res_id": company.id,
            }
        )
        lead = env["crm.lead"].create(
            {
                "name": f"{m} deal",
                "partner_id": contact.id,
                "description": f"<p>{m} lead notes</p>",
                "email_from": f"{m.lower()}@example.com",
            }
        )
        lead.message_post(body=f"{m} chatter on the lead")
        lead.with_context(tracking_disable=False).write({"name": f"{m} deal renamed"})
        if "helpdesk.ticket" in env:  # with crm_customer_inquiry installed
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": f"{m} question",
                    "description": f"<p>{m} ticket body</p>",
                    "partner_id": contact.id,
                    "partner_email": f"{m.lower()}@example.com",
                    "partner_name": f"{m} Person",
                }
            )
            ticket.message_post(body=f"{m} chatter on the ticket")
        # account requests, when their addon is installed
        if "crm.account.service.request" in env:
            field = env["ir.model.fields"]._get("res.partner", "street")
            env["crm.account.service.request"].create(
                {
                    "partner_id": company.id,
                    "description": f"{m} please update",
                    "line_ids": [(0, 0, {"field_id": field.id, "new_value": f"2 {m} Lane"})],
                }
            )
            # a statutory request of the contact, about the contact, and one a
            # privacy officer refused with a reason that quotes the person
            env["crm.account.service.request"].create(
                {
                    "partner_id": company.id,
                    "data_subject_id": contact.id,
                    "request_type": "data_correction",
                    "description": f"{m} my name is misspelt",
                    "line_ids": [(0, 0, {"field_id": field.id, "new_value": f"3 {m} Road"})],
                }
            )
            refused = env["crm.account.service.request"].create(
                {
                    "partner_id": company.id,
                    "data_subject_id": contact.id,
                    "request_type": "data_access",
                }
            )
            officer = new_test_user(
                env,
                login="marker_officer",
                groups="crm_customer_care.group_crm_customer_care_privacy_officer",
            )
            refused.with_user(officer).action_reject(reason=f"{m} asked twice this week")
        if "crm.customer.import" in env:  # crm_customer_import, when installed
            source = env["utm.source"].create({"name": "Marker import"})
            imp = env["crm.customer.import"].create({"source_id": source.id})
            with env["crm.customer.import.line"]._ccare_append_only_unlocked():
                env["crm.customer.import.line"].create(
                    {
                        "import_id": imp.id,
                        "row_number": 1,
                        "status": "match",
                        "name": f"{m} Holdings",
                        "email": f"{m.lower()}@example.com",
                        "phone": "+85291234567",
                        "vat": f"{m}VAT",
                        "partner_id": company.id,
                    }
                )
        env["mail.mail"].sudo().create(
            {
                "subject": f"{m} subject",
                "body_html": f"<p>{m} queued mail</p>",
                "recipient_ids": [(4, company.id)],
            }
        )
        # loyalty: a card with points, a redemption
        card = self._card(company, 200)
        self.env["crm.loyalty.points.lot"].search([("card_id", "=", card.id)]).write(
            {"description": f"{m} welcome"}
        )
        env["crm.loyalty.redemption"].create(
            {"card_id": card.id, "points": 50, "note": f"{m} wants a mug"}
        )
        # survey answers (crm_relationship_programme erases them), if installed
        if "crm.relationship.programme" in env:
            survey = env["survey.survey"].create({"title": "Feedback"})
            answer = env["survey.user_input"].create(
                {
                    "survey_id": survey.id,
                    "partner_id": contact.id,
                    "email": f"{m.lower()}.person@example.com",
                    "nickname": f"{m}nick",
                }
            )
            for question_type, field_name in (
                ("text_box", "value_text_box"),
                ("char_box", "value_char_box"),
            ):
                question = env["survey.question"].create(
                    {"survey_id": survey.id, "title": "Tell us", "question_type": question_type}
                )
                env["survey.user_input.line"].create(
                    {
                        "user_input_id": answer.id,
                        "question_id": question.id,
                        "answer_type": question_type,
                        field_name: f"{m} answer",
                    }
                )
        # calls (crm_callplan), if installed
        if "crm.call" in env:
            template = env["crm.call.checklist.template"].create(
                {
                    "name": "Markers",
                    "question_ids": [(0, 0, {"name": "Why?", "question_type": "text"})],
                }
            )
            call = env["crm.call"].create(
                {
                    "partner_id": company.id,
                    "contact_id": contact.id,
                    "name": f"{m} call",
                    "channel": "visit",
                    "checklist_template_id": template.id,
                    "findings": f"<p>{m} findings</p>",
                    "summary": f"{m} summary",
                }
            )
            call.answer_ids.write({"value_text": f"{m} text answer"})
            call.message_post(body=f"{m} chatter on the call")
        return company

    def _columns_with_marker(self):
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.env.flush_all()
        columns = self.env.execute_query(
            SQL(
                """
                SELECT c.table_name, c.column_name
                  FROM information_schema.columns c
                  JOIN information_schema.tables t
                    ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                 WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                   AND c.data_type IN ('text', 'character varying', 'jsonb')
                """
            )
        )
        found = []
        for table, column in columns:
            # bus_bus: the transient notification queue of the web client,
            # purged by the bus' garbage collector within minutes
            if table == "bus_bus":
                continue
            hits = self.env.execute_query(
                SQL(
                    "SELECT count(*) FROM %s WHERE %s::text ILIKE %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    f"%{MARK}%",
                )
            )[0][0]
            if hits:
                found.append(f"{table}.{column}")
        return found

    def test_no_marker_left_anywhere(self):
        if "crm.customer.anonymisation" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.anonymisation")
        customer = self._world()
        before = self._columns_with_marker()
        # the test sees the markers where they were written
        wheres = ["res_partner.name", "mail_mail.body_html"]
        if "helpdesk.ticket" in self.env:
            wheres.append("helpdesk_ticket.partner_email")
        for where in wheres:
            self.assertIn(where, before)
        customer._ccare_anonymise(reason="manual")
        self.assertEqual(self._columns_with_marker(), [])
        log = self.env["crm.customer.anonymisation"].search([("partner_id", "=", customer.id)])
        if "crm.relationship.programme" in self.env:
            self.assertIn("survey answers", log.erased)
        # figures stay: the card keeps its points, linked to the anonymised record
        card = self.env["loyalty.card"].search([("partner_id", "=", customer.id)])
        self.assertEqual(card.points, 150)
