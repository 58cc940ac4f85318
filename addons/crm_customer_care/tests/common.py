import json

from odoo import Command
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import TransactionCase


def menu_visible(env, xmlid):
    """True when the user of ``env`` sees the menu: it and every ancestor
    pass their groups, as the web client's menu tree does."""
    menu = env.ref(xmlid)
    visible = env["ir.ui.menu"]._visible_menu_ids()
    while menu:
        if menu.id not in visible:
            return False
        menu = menu.parent_id
    return True


class InvoicingMixin:
    """``_sell``: a posted one-line customer invoice (or refund), for test
    classes that also inherit Odoo's ``AccountTestInvoicingCommon``."""

    @classmethod
    def _sell(cls, partner, when, amount, move_type="out_invoice", post=True):
        return cls._create_invoice(
            move_type=move_type,
            partner_id=partner.id,
            invoice_date=when,
            invoice_line_ids=[
                Command.create(
                    {"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": []}
                )
            ],
            post=post,
        )


class CustomerCareCommon(TransactionCase):
    """The shared world of the Customer Care tests: one user per group."""

    def count_queries(self, function, *args, **kwargs):
        """Number of SQL queries ``function`` runs, pending writes included
        (the measure assertQueryCount uses). Work still pending from the
        test's own setup (writes, deferred once-per-transaction steps) is
        done first, so it is not counted."""
        self.env.cr.flush()
        before = self.cr.sql_log_count
        function(*args, **kwargs)
        self.env.flush_all()
        return self.cr.sql_log_count - before

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.care_user = mail_new_test_user(
            cls.env,
            login="care_user",
            name="Cara User",
            groups="crm_customer_care.group_crm_customer_care_user",
        )
        cls.care_manager = mail_new_test_user(
            cls.env,
            login="care_manager",
            name="Max Manager",
            groups="crm_customer_care.group_crm_customer_care_manager",
        )
        cls.privacy_officer = mail_new_test_user(
            cls.env,
            login="privacy_officer",
            name="Pia Privacy",
            groups="crm_customer_care.group_crm_customer_care_privacy_officer",
        )
        cls.plain_user = mail_new_test_user(
            cls.env, login="plain_user", name="Paul Plain", groups="base.group_user"
        )


def check_spreadsheet_dashboard(case, xmlid, user):
    """Every chart of the spreadsheet dashboard ``xmlid`` reads fields that
    exist and can be grouped, and ``user`` can read its data (no access
    error); returns the charts' titles."""
    dashboard = case.env.ref(xmlid)
    case.assertTrue(dashboard.is_published)
    data = json.loads(dashboard.spreadsheet_data)
    titles = []
    env = case.env(user=user)
    for sheet in data["sheets"]:
        for figure in sheet["figures"]:
            meta = figure["data"]["metaData"]
            model = env[meta["resModel"]]
            group_by = meta["groupBy"]
            for spec in group_by:
                field = model._fields[spec.split(":")[0]]
                case.assertTrue(
                    field._description_groupable(env),
                    f"{model._name}.{field.name} cannot be grouped",
                )
            aggregate = ["__count"]
            if meta["measure"] != "__count":
                field = model._fields[meta["measure"]]
                case.assertTrue(field.aggregator, f"{model._name}.{field.name} has no aggregate")
                aggregate = [f"{field.name}:{field.aggregator}"]
            model._read_group(figure["data"]["searchParams"]["domain"], group_by, aggregate)
            titles.append(figure["data"]["title"]["text"])
    return titles
