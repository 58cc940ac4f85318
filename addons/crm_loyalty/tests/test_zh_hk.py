"""Customers read Traditional Chinese (Hong Kong): every page, mail and PDF
of ours a customer sees is in ``zh_HK`` for a member whose language it is.

Two checks:
- coverage: every string of our ``.pot`` templates that a customer-facing
  source uses (portal and public pages, the statement and subject-access
  PDFs, controllers, consent mails; ``CUSTOMER_FACING``) has its ``zh_HK``
  translation: a new customer-facing string without one fails here;
- rendering: a ``zh_HK`` member's portal pages, preference pages, notices
  and statement, rendered by the server, hold none of our English strings.
"""

import re
from pathlib import Path
from unittest.mock import patch

import polib
from lxml import html
from markupsafe import Markup

from odoo.addons.crm_customer_care.tests.attack_surface import our_modules
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase
from odoo.tests import TransactionCase
from odoo.tests import tagged

LANG = "zh_HK"

# Where a customer reads our strings: the .pot occurrences that make a string
# customer-facing (views by XML id, Python by file, selections by field).
CUSTOMER_FACING = re.compile(
    r"ir\.ui\.view,arch_db:\w+\.(portal_|ccare_preferences|ccare_privacy|report_points_statement"
    r"|report_subject_access)"
    r"|code:addons/\w+/(controllers/|models/mail_mail\.py|wizard/survey_invite\.py"
    r"|models/res_partner_subject_access\.py)"
    r"|selection__(crm_account_service_request__(state|request_type|privacy_law)"
    r"|crm_customer_consent__(purpose|channel|state)|crm_loyalty_redemption__state"
    r"|crm_loyalty_points_lot__source|crm_call__(channel|state))__"
)
# Our strings that may show on a page in English because they are the same in
# Chinese, or are product names.
SAME_IN_CHINESE = {"eWallet", "NPS", "ID", "SMS", "CSV", "PDF"}


def _pot_and_po(module):
    i18n = Path(get_module_path(module)) / "i18n"
    pot = polib.pofile(str(i18n / f"{module}.pot"))
    po_path = i18n / f"{LANG}.po"
    po = polib.pofile(str(po_path)) if po_path.exists() else []
    return pot, {entry.msgid: entry.msgstr for entry in po}


def _normalise(text):
    return " ".join(text.split())


@tagged("post_install", "-at_install", "ccare_i18n")
class TestZhHkCoverage(TransactionCase):
    def test_customer_facing_strings_are_translated(self):
        missing = []
        for module in sorted(our_modules(self.env)):
            pot, translated = _pot_and_po(module)
            for entry in pot:
                places = " ".join(f"{a}:{b}" for a, b in entry.occurrences)
                if CUSTOMER_FACING.search(places) and not translated.get(entry.msgid):
                    missing.append(f"{module}: {entry.msgid!r} ({places[:80]})")
        self.assertFalse(missing, "customer-facing strings without zh_HK:\n" + "\n".join(missing))

    def test_translations_keep_their_placeholders(self):
        """A translation that drops or renames ``%(name)s`` breaks the mail or
        page at run time (Odoo falls back to English, or raises)."""
        placeholder = re.compile(r"%\(\w+\)s|%s")
        wrong = []
        for module in sorted(our_modules(self.env)):
            _pot, translated = _pot_and_po(module)
            for msgid, msgstr in translated.items():
                if msgstr and sorted(placeholder.findall(msgid)) != sorted(
                    placeholder.findall(msgstr)
                ):
                    wrong.append(f"{module}: {msgid!r} -> {msgstr!r}")
        self.assertFalse(wrong, "\n".join(wrong))


@tagged("post_install", "-at_install", "ccare_i18n")
class TestZhHkMember(HttpCase):
    """A member whose language is zh_HK, with points earned, some expiring,
    and a tier: every page and mail of ours is Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        modules = sorted(our_modules(cls.env))
        # Odoo's own pages around ours: zh_HK falls back on zh_TW (get_base_langs)
        cls.env["ir.module.module"]._load_module_terms(
            ["base", "web", "portal", "mail", "loyalty", *modules], [LANG], overwrite=True
        )
        cls.english = cls._english_strings(modules)
        cls.member = mail_new_test_user(
            cls.env,
            login="zh_member",
            name="陳大文",
            email="chan.taiman@example.com",
            groups="base.group_portal",
            lang=LANG,
        )
        cls.partner = cls.member.partner_id
        cls.partner._ccare_record_consent("marketing", "email", "granted")
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Harbour Club",
                "program_type": "loyalty",
                "crm_points_expiry": "months",
                "crm_points_validity_months": 1,
                "crm_expiry_warning_days": 60,
                "crm_tier_window_months": 12,
                "reward_ids": [
                    (0, 0, {"reward_type": "discount", "discount": 10, "required_points": 50})
                ],
            }
        )
        cls.env["crm.loyalty.tier"].create(
            [
                {"program_id": cls.program.id, "name": "Jade", "sequence": 1, "threshold": 100},
                {"program_id": cls.program.id, "name": "Pearl", "sequence": 2, "threshold": 900},
            ]
        )
        cls.card = cls.env["loyalty.card"].create(
            {"program_id": cls.program.id, "partner_id": cls.partner.id}
        )
        cls.card._loyalty_points_add({cls.card.id: 300}, "manual", "Opening gift")

    @classmethod
    def _english_strings(cls, modules):
        """Our English strings that a customer may meet: those of the
        customer-facing sources, and every string of our Python code (the
        notices are built there). Not record names: a tier called "Gold" is
        the company's data, not our text."""
        strings = set()
        for module in modules:
            pot, _translated = _pot_and_po(module)
            for entry in pot:
                places = " ".join(f"{a}:{b}" for a, b in entry.occurrences)
                if places.startswith("code:") or CUSTOMER_FACING.search(places):
                    text = _normalise(html.fromstring(f"<p>{entry.msgid}</p>").text_content())
                    if re.search(r"[A-Za-z]{2}", text) and text not in SAME_IN_CHINESE:
                        strings.add(text)
        return strings

    def _untranslated(self, page):
        """Our English strings found in ``page``: a text node or a
        placeholder/title that is one of them, whole."""
        tree = html.fromstring(page)
        for node in tree.xpath("//script|//style|//noscript"):
            node.drop_tree()
        found = set()
        for text in tree.xpath("//body//text()"):
            text = _normalise(text).strip(" :()")
            if text in self.english or f"{text}:" in self.english:
                found.add(text)
        for attribute in tree.xpath("//body//@placeholder|//body//@title"):
            if _normalise(attribute) in self.english:
                found.add(attribute)
        return found

    def _sentences_left(self, body):
        """Our English sentences (with their placeholders) still in a mail."""
        text = _normalise(html.fromstring(f"<div>{body}</div>").text_content())
        left = []
        for english in self.english:
            pieces = [p.strip() for p in re.split(r"%\(\w+\)s|%s", english) if len(p.strip()) > 3]
            if pieces and len(" ".join(pieces)) > 12 and all(p in text for p in pieces):
                left.append(english)
        return left

    def test_portal_pages_in_chinese(self):
        self.authenticate("zh_member", "zh_member")
        pages = ["/my", "/my/loyalty", "/my/privacy"]
        routes = {rule.rule for rule in self.env["ir.http"].routing_map().iter_rules()}
        pages += [url for url in ("/my/requests", "/my/requests/new", "/my/calls") if url in routes]
        for url in pages:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertFalse(self._untranslated(response.text), url)
        # a page we know: the tier and points in Chinese
        page = self.url_open("/my/loyalty").text
        for chinese in ("會員卡編號", "即將到期的積分", "級別優惠", "尚未有級別"):
            self.assertIn(chinese, page)

    def test_preference_pages_in_chinese(self):
        """The unsubscribe link's page needs no login: it speaks the
        customer's language, and so does the page of a forged link."""
        url = self.partner._ccare_preference_url("marketing")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("你的聯絡偏好", page.text)
        self.assertFalse(self._untranslated(page.text))

    def test_notices_in_chinese(self):
        """The tier notice and the expiry warning, and their unsubscribe
        footer, are in the member's language."""
        self.card._loyalty_evaluate_tiers()
        self.card._loyalty_warn_expiring_points()
        mails = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", self.card.id)]
        )
        self.assertEqual(len(mails), 2, mails.mapped("subject"))
        for mail in mails:
            with self.subTest(subject=mail.subject):
                self.assertFalse(self._sentences_left(mail.subject), mail.subject)
                self.assertFalse(self._sentences_left(mail.body_html), mail.body_html)
                self.assertIn("取消訂閱", mail.body_html)
        self.assertIn("歡迎成為Jade會員", " ".join(mails.mapped("subject")))

    def test_statement_in_chinese(self):
        """The points statement (PDF) is rendered in the member's language
        whoever prints it."""
        report = self.env.ref("crm_loyalty.action_report_points_statement")
        body, _kind = report._render_qweb_html(report.report_name, self.card.ids)
        body = Markup(body.decode()) if isinstance(body, bytes) else body
        self.assertIn("積分結單", body)
        self.assertFalse(self._untranslated(body))

    def test_subject_access_summary_in_chinese(self):
        """The person reads their subject-access export: the privacy officer
        prepares it in English, the summary is rendered in the person's
        language, and it holds none of our English strings."""
        if "crm.customer.subject.access" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.subject.access")
        officer = mail_new_test_user(
            self.env,
            login="zh_officer",
            groups="crm_customer_care.group_crm_customer_care_privacy_officer",
        )
        wizard = (
            self.env["crm.customer.subject.access"]
            .with_user(officer)
            .create({"partner_id": self.partner.id})
        )
        rendered = {}
        Wizard = type(wizard)
        original = Wizard._summary_document

        def spy(this, sections):
            rendered["lang"] = this.env.lang
            rendered["html"] = (
                this.env["ir.actions.report"]
                .sudo()
                ._render_qweb_html(
                    "crm_customer_privacy.action_report_subject_access",
                    this.ids,
                    data={"sections": sections, "person": this.partner_id.sudo().display_name},
                )[0]
            )
            return original(this, sections)

        with patch.object(Wizard, "_summary_document", spy):
            wizard.action_export()
        self.assertEqual(rendered["lang"], LANG)
        page = rendered["html"].decode()
        self.assertIn("所持有的個人資料", page)
        self.assertFalse(self._untranslated(page))
