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


def page_queries(case, url):
    """The SQL queries of one request to ``url`` in an ``HttpCase`` (served
    once before, so the caches are warm), and the page."""
    case.url_open(url)
    before = case.cr.sql_log_count
    response = case.url_open(url)
    case.assertEqual(response.status_code, 200)
    return case.cr.sql_log_count - before, response.text


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


def _check_grouped_read(case, model, group_by, measure, domain):
    """``model`` can be grouped by ``group_by`` and aggregate ``measure``
    over ``domain`` as its user (no access error)."""
    for spec in group_by:
        field = model._fields[spec.split(":")[0]]
        case.assertTrue(
            field._description_groupable(model.env),
            f"{model._name}.{field.name} cannot be grouped",
        )
    aggregate = ["__count"]
    if measure != "__count":
        field = model._fields[measure]
        case.assertTrue(field.aggregator, f"{model._name}.{field.name} has no aggregate")
        aggregate = [f"{field.name}:{field.aggregator}"]
    model._read_group(domain, group_by, aggregate)


def check_spreadsheet_dashboard(case, xmlid, user):
    """Every chart of the spreadsheet dashboard ``xmlid`` reads fields that
    exist and can be grouped, and ``user`` can read its data (no access
    error): an Odoo chart its model, a chart over the sheet's cells the
    pivots their formulas read; returns the charts' titles."""
    dashboard = case.env.ref(xmlid)
    case.assertTrue(dashboard.is_published)
    data = json.loads(dashboard.spreadsheet_data)
    titles = []
    env = case.env(user=user)
    for pivot in data.get("pivots", {}).values():
        for measure in pivot["measures"]:
            _check_grouped_read(
                case,
                env[pivot["model"]],
                [row["fieldName"] for row in pivot["rows"] + pivot["columns"]],
                measure["fieldName"],
                pivot["domain"],
            )
    sheets = {sheet["name"] for sheet in data["sheets"]}
    for sheet in data["sheets"]:
        for figure in sheet["figures"]:
            chart = figure["data"]
            titles.append(chart["title"]["text"])
            if "metaData" not in chart:  # over cells: of a sheet of the document
                for dataset in chart["dataSets"]:
                    case.assertIn(dataset["dataRange"].split("!")[0], sheets)
                continue
            meta = chart["metaData"]
            _check_grouped_read(
                case,
                env[meta["resModel"]],
                meta["groupBy"],
                meta["measure"],
                chart["searchParams"]["domain"],
            )
    return titles
