"""Generated attack: every mailing-enabled model, every way a mailing
chooses its recipients, and two people who must get no e-mail marketing.

The models are read from the registry (``_mailing_enabled``), so a model
that an addon installed next month makes mailable is attacked too. For
each, a record addressed to the victim (its partner field, else its
e-mail field) is mailed three ways: by the mailing's domain, by explicit
``res_ids`` (``action_send_mail(res_ids=...)``, records outside the
domain), and by the *Test* mail typed to the victim's address. The
victims: Wanda granted e-mail marketing, then withdrew it; Nora was never
asked (marketing is opt-in). The marketer switches the exclusion list off,
so Odoo's blacklist alone does not stand between them.

A model whose records cannot carry a partner or an address is listed in
``EXEMPTIONS["mailing_models"]`` with the reason; the suite fails on a
model neither attacked nor exempted, and on a stale exemption.
"""

import contextlib

from odoo import fields
from odoo.addons.crm_customer_care.tests.attack_surface import EXEMPTIONS
from odoo.addons.crm_customer_care.tests.attack_surface import check_exemptions
from odoo.addons.mail.tests.common import MockEmail
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import UserError
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import email_normalize

PATHS = ("domain", "res_ids", "test mail")
MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date"}


def mailing_models(env):
    """Names of the installed models a mailing may target, sorted."""
    return sorted(
        name
        for name in env.registry
        if not env[name]._abstract
        and not env[name]._transient
        and getattr(env[name], "_mailing_enabled", False)
    )


@tagged("post_install", "-at_install", "ccare_mass_mailing", "ccare_attack")
class TestAttackMailing(MockEmail, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the generic attack runs as the administrator (reads every model);
        # the marketer has Email Marketing rights only
        cls.admin = cls.env.ref("base.user_admin")
        cls.marketer = mail_new_test_user(
            cls.env,
            login="ccare_attack_marketer",
            email="mara.attack@company.example.com",
            groups="base.group_user,mass_mailing.group_mass_mailing_user",
        )
        Partner = cls.env["res.partner"]
        cls.wanda, cls.nora = Partner.create(
            [
                {"name": "Wanda Withdrawn", "email": "wanda.withdrawn@example.com"},
                {"name": "Nora Neverasked", "email": "nora.neverasked@example.com"},
            ]
        )
        cls.wanda._ccare_record_consent("marketing", "email", "granted", source="form")
        cls.wanda._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        cls.victims = cls.wanda | cls.nora

    # ------------------------------------------------------------ records
    def _fill_required(self, Model, values):
        """Values for the required fields without default (a record of the
        comodel for a many2one: the demo data has one)."""
        defaults = Model.default_get(list(Model._fields))
        for name, field in Model._fields.items():
            if not field.required or name in values or name in defaults:
                continue
            if field.related or (field.compute and field.readonly) or name in MAGIC:
                continue
            if field.type == "many2one":
                values[name] = self.env[field.comodel_name].search([], limit=1).id
            elif field.type in ("char", "text", "html"):
                values[name] = "Attack"
            elif field.type == "selection":
                values[name] = field.get_values(self.env)[0]
            elif field.type in ("date", "datetime"):
                values[name] = fields.Datetime.now()
            elif field.type in ("integer", "float", "monetary"):
                values[name] = 1
        return values

    def _record(self, model, victim):
        """A record of ``model`` addressed to ``victim``: the victim itself
        for partners, else its partner fields, else its e-mail field."""
        Model = self.env[model]
        if model == "res.partner":
            return victim
        values = {}
        for name in Model._mail_get_partner_fields():
            field = Model._fields[name]
            values[name] = victim.id if field.type == "many2one" else [(6, 0, victim.ids)]
        email_field = Model._mail_get_primary_email_field()
        if email_field and Model._fields[email_field].store and not values:
            values[email_field] = victim.email
        if not values:
            return Model
        return Model.create(self._fill_required(Model, values))

    def _mailing(self, model, victim):
        """A mailing on ``model`` and the record it targets: one addressed to
        the victim, of the mailing's real model (a mailing on lists targets
        the contacts of its lists), or an empty record when the suite cannot
        address one."""
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": f"Attack on {model}",
                "body_html": "<p>Buy now</p>",
                "mailing_model_id": self.env["ir.model"]._get(model).id,
                "use_exclusion_list": False,
            }
        )
        record = self._record(mailing.mailing_model_real, victim)
        if record and mailing.mailing_on_mailing_list:
            mailing.contact_list_ids = self.env["mailing.list"].create(
                {"name": f"List of {victim.name}", "contact_ids": [(4, record.id)]}
            )
        elif record:
            mailing.mailing_domain = repr([("id", "=", record.id)])
        return mailing, record

    # ------------------------------------------------------------ attacks
    def _reached(self, victim):
        """The mails created for ``victim`` that were not cancelled."""
        address = victim.email_normalized
        return [
            mail
            for mail in self._new_mails.exists()
            if mail.state != "cancel"
            and (
                victim in mail.recipient_ids
                or address in {email_normalize(e) for e in (mail.email_to or "").split(",")}
            )
        ]

    def _attack(self, path, mailing, document, victim):
        mailing = mailing.with_user(self.admin)
        with self.mock_mail_gateway():
            if path == "domain":
                mailing.action_send_mail()
            elif path == "res_ids":
                mailing.mailing_domain = "[('id', 'in', [])]"
                mailing.action_send_mail(res_ids=document.ids)
            else:
                wizard = self.env["mailing.mailing.test"].with_user(self.admin)
                wizard = wizard.create({"mass_mailing_id": mailing.id, "email_to": victim.email})
                # refused (the clear message is tested below) or not: nothing reached
                with contextlib.suppress(UserError):
                    wizard.send_mail_test()
            return self._reached(victim)

    def test_no_mailing_path_reaches_a_person_without_consent(self):
        models = mailing_models(self.env)
        self.assertIn("res.partner", models)
        exempt = EXEMPTIONS["mailing_models"]
        check_exemptions(self, "mailing_models", models)
        for model in models:
            if model in exempt:
                continue
            for victim in self.victims:
                for path in PATHS:
                    with self.subTest(model=model, victim=victim.name, path=path):
                        mailing, document = self._mailing(model, victim)
                        self.assertTrue(
                            document,
                            f"{model}: the suite cannot address a record to a partner or an "
                            "e-mail: teach _record, or exempt it in EXEMPTIONS['mailing_models']",
                        )
                        reached = self._attack(path, mailing, document, victim)
                        self.assertFalse(
                            reached,
                            f"a mailing on {model} by {path} reached {victim.name}",
                        )

    def test_the_test_mail_says_why_it_is_refused(self):
        mailing, _document = self._mailing("res.partner", self.wanda)
        wizard = (
            self.env["mailing.mailing.test"]
            .with_user(self.marketer)
            .create(
                {
                    "mass_mailing_id": mailing.id,
                    "email_to": "mara.attack@company.example.com\nwanda.withdrawn@example.com",
                }
            )
        )
        with self.mock_mail_gateway(), self.assertRaises(UserError) as refused:
            wizard.send_mail_test()
        self.assertIn("wanda.withdrawn@example.com", str(refused.exception))
        self.assertFalse(self._new_mails, "nothing is sent, not even to the marketer")
        # the marketer's own address (staff, no customer of that address) is fine
        wizard.email_to = "mara.attack@company.example.com"
        with self.mock_mail_gateway():
            wizard.send_mail_test()
        self.assertEqual(len(self._mails), 1)
