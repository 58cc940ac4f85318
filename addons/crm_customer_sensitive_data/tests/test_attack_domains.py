"""Every filter a user writes for the server to evaluate is held to its
author's rights, found by enumeration, not by memory.

A field of ours is a user-written filter when it says so: a text field whose
name says domain, rule or filter, or any field a view shows with the domain
widget. Each must be declared in its model's ``_ccare_filter_fields``
(``crm.customer.care.filter.mixin``: one parser, one author check) or be
exempted in ``EXEMPTIONS["domains"]``. Each declared filter is then attacked
over JSON-RPC by a manager of every addon of ours who lacks the Sensitive
Data group: a record like an existing one is created with a harmless filter
(it must pass: the control), then with one that tests a customer's ID number,
and the control record is rewritten with it; both must be refused.
"""

import json
import re

from lxml import etree

from odoo.addons.crm_customer_care.tests.attack_surface import EXEMPTIONS
from odoo.addons.crm_customer_care.tests.attack_surface import check_exemptions
from odoo.addons.crm_customer_care.tests.attack_surface import our_fields
from odoo.addons.crm_customer_care.tests.attack_surface import our_modules
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

SENSITIVE = "crm_customer_sensitive_data.group_crm_customer_care_sensitive_data"
FILTER_NAME = re.compile(r"domain|rule|filter")
HARMLESS = "[('id', '!=', 0)]"


def domain_like_fields(env):
    """``{"model.field"}`` of our fields that hold a filter, by their name
    (text fields) or by the widget a view shows them with."""
    ours = {f"{model._name}.{field.name}" for model, field in our_fields(env)}
    found = {
        f"{model._name}.{field.name}"
        for model, field in our_fields(env)
        if field.type in ("char", "text") and FILTER_NAME.search(field.name)
    }
    views = env["ir.ui.view"].sudo().search([("arch_db", "like", 'widget="domain"')])
    for view in views:
        for node in etree.fromstring(view.arch).iter("field"):
            key = f"{view.model}.{node.get('name')}"
            if node.get("widget") == "domain" and key in ours:
                found.add(key)
    return found


def declared_filters(env):
    """``{"model.field": target model}`` of every declared filter."""
    declared = {}
    for name in env.registry:
        model = env[name]
        if model._abstract:
            continue
        for fname, target in getattr(model, "_ccare_filter_fields", {}).items():
            declared[f"{name}.{fname}"] = target
    return declared


def sensitive_path(env, target):
    """A path from ``target`` to a customer's ID number."""
    if target == "res.partner":
        return "ccare_id_number"
    model = env[target]
    for field in model._fields.values():
        if field.type == "many2one" and field.comodel_name == "res.partner" and field.store:
            return f"{field.name}.ccare_id_number"
    raise AssertionError(f"{target}: no path to a customer's ID number to attack with")


@tagged("post_install", "-at_install", "ccare_security")
class TestAttackDomains(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        modules = our_modules(cls.env)
        managers = cls.env["ir.model.data"].search(
            [
                ("model", "=", "res.groups"),
                ("module", "in", list(modules)),
                ("name", "=like", "group_%manager"),
            ]
        )
        cls.attacker = mail_new_test_user(
            cls.env,
            login="dom_attacker",
            groups=",".join(f"{d.module}.{d.name}" for d in managers),
        )

    def test_every_domain_like_field_is_a_declared_filter(self):
        declared = declared_filters(self.env)
        found = domain_like_fields(self.env)
        exempt = EXEMPTIONS["domains"]
        undeclared = sorted(found - declared.keys() - exempt.keys())
        self.assertFalse(
            undeclared,
            "Filters written by users but not declared in _ccare_filter_fields "
            f"(crm.customer.care.filter.mixin) nor exempted: {undeclared}",
        )
        for key, target in declared.items():
            model_name, fname = key.rsplit(".", 1)
            self.assertIn(fname, self.env[model_name]._fields, key)
            self.assertIn(target, self.env, f"{key} filters an unknown model {target}")
        check_exemptions(self, "domains", found | declared.keys())

    def test_no_filter_tests_what_its_author_cannot_read(self):
        self.assertFalse(self.attacker.has_group(SENSITIVE))
        attacked = []
        for key, target in sorted(declared_filters(self.env).items()):
            if key in EXEMPTIONS["domains"]:
                continue
            model_name, fname = key.rsplit(".", 1)
            with self.subTest(filter=key):
                self._attack(model_name, fname, target)
                attacked.append(key)
        self.assertTrue(attacked, "no filter found to attack")

    def _attack(self, model_name, fname, target):
        Model = self.env[model_name]
        template = Model.search([], limit=1, order="id")
        self.assertTrue(template, f"{model_name}: no record to model the attack on")
        # as the client would send them (dates as strings, commands as lists)
        vals = json.loads(json.dumps(template.copy_data()[0], default=str))
        # empty relations are not sent by the client (some comodels, such as
        # ir.model.fields, are not every manager's to reference)
        vals = {key: value for key, value in vals.items() if value != [[6, 0, []]]}
        named = "name" in vals
        probe = repr([(sensitive_path(self.env, target), "=like", "X%")])
        login = self.attacker.login
        control = self.call_kw(
            login,
            model_name,
            "create",
            [{**vals, fname: HARMLESS, **({"name": f"Control {fname}"} if named else {})}],
        )
        self.assertTrue(control, f"{model_name}: the control record was not created")
        self.assertRefused(
            login,
            model_name,
            "create",
            [{**vals, fname: probe, **({"name": f"Probe {fname}"} if named else {})}],
        )
        self.assertRefused(login, model_name, "write", [[control], {fname: probe}])
        self.assertEqual(Model.browse(control)[fname], HARMLESS)
