"""Generated attack: the fields our addons add to other modules' models break
nothing those models do for a user outside our groups.

Odoo's own flows read every field they copy or list as the user who runs
them: ``copy`` (Duplicate), a calendar event's recurrence (it copies the
event), ``export_data`` and the export controller, ``read`` with no field
list. A field of ours that only our groups may read, when it is copied,
makes a plain employee's Duplicate or recurring meeting fail with an
AccessError (Odoo's calendar suite caught ``callplan_training_cost``). The
rule held here: a field with ``groups`` is ``copy=False``, and every other
field of ours reads, copies and exports for whoever may read the record.

The surface is ``our_fields`` on models whose ``_original_module`` is not
ours; the users are Odoo's own roles, none in a group of ours. A field is
attacked when an outsider can read a record of its model; one that no
outsider reaches is exempted in ``EXEMPTIONS["foreign_fields"]``.
"""

import json
from datetime import datetime
from datetime import timedelta

from odoo import http
from odoo.fields import Domain
from odoo.tests import new_test_user
from odoo.tests import tagged

from .attack_surface import EXEMPTIONS
from .attack_surface import check_exemptions
from .attack_surface import our_fields
from .attack_surface import our_modules
from .rpc import RpcCase
from .rpc import password

# login: the Odoo group that is the user's role (each outside our groups)
OUTSIDERS = {
    "ff_employee": "base.group_user",
    "ff_sales": "sales_team.group_sale_salesman",
    "ff_helpdesk": "helpdesk_mgmt.group_helpdesk_user",
    "ff_survey": "survey.group_survey_user",
    "ff_settings": "base.group_system",
    # with the mass_mailing bridge installed
    "ff_mailing": "mass_mailing.group_mass_mailing_user",
}


def foreign_fields(env):
    """``{model name: [field, ...]}``: our fields on models we do not own."""
    modules = our_modules(env)
    found = {}
    for model, field in our_fields(env):
        if model._original_module not in modules:
            found.setdefault(model._name, []).append(field)
    return found


@tagged("post_install", "-at_install", "ccare_security", "ccare_attack")
class TestAttackForeignFields(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsiders = cls.env["res.users"]
        for login, xmlid in OUTSIDERS.items():
            if cls.env.ref(xmlid, raise_if_not_found=False):
                # employees allowed to export, as the export attack needs
                groups = f"base.group_user,{xmlid},base.group_allow_export"
                cls.outsiders |= new_test_user(cls.env, login=login, groups=groups)
        cls.surface = foreign_fields(cls.env)

    def _record(self, Model, fields):
        """A record the user may read, one carrying values of our fields when
        there is one (a new one for a wizard)."""
        if Model._transient:
            return Model.create({}) if Model.has_access("create") else Model.browse()
        stored = [f.name for f in fields if f.store and f.column_type]
        domain = Domain.OR([Domain(name, "!=", False) for name in stored] or [Domain.FALSE])
        Sudo = Model.sudo()
        found = Sudo.search(domain, limit=20, order="id desc") | Sudo.search([], limit=20)
        # one by one: helpdesk_mgmt_sla's _check_access answers with tickets
        return found.with_env(Model.env).filtered(lambda record: record.has_access("read"))[:1]

    def _export_over_http(self, record, fields):
        """The export dialog as the user: the fields it offers, then the CSV."""
        offered = self.make_jsonrpc_request(
            "/web/export/get_fields",
            {"model": record._name, "domain": [], "import_compat": False},
        )
        names = {f.name for f in fields} & {f["id"] for f in offered}
        data = {
            "model": record._name,
            "fields": [{"name": name, "label": name} for name in sorted(names)],
            "ids": record.ids,
            "domain": [],
            "import_compat": False,
        }
        response = self.url_open(
            "/web/export/csv",
            data={"data": json.dumps(data), "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])

    def _recurrence(self, record, user):
        """Odoo's recurrence copies the event as the user who makes it
        recurrent: a new recurring event, and one of ours made recurrent."""
        Model = record.env[record._name]
        start = datetime.now().replace(microsecond=0) + timedelta(days=30)
        recurrent = {"recurrency": True, "rrule_type": "daily", "end_type": "count", "count": 3}
        created = Model.create({"name": "Weekly", "start": start, "stop": start, **recurrent})
        self.assertEqual(len(created.recurrence_id.calendar_event_ids), 3)
        ours = (
            record.sudo()
            .copy({"user_id": user.id, "partner_ids": user.partner_id.ids, "privacy": "public"})
            .with_user(user)
        )
        ours.write(recurrent)
        self.assertEqual(len(ours.recurrence_id.calendar_event_ids), 3)

    def _attack(self, record, fields, user):
        """Read, copy, export (and recurrence) of ``record`` as ``user``:
        each field of ours ``fields_get`` offers the user reads and exports,
        and no field of ours stops a copy."""
        offered = [f for f in fields if f.name in record.fields_get([f.name for f in fields])]
        self.assertEqual(
            {f.name for f in offered},
            {f.name for f in fields if record._has_field_access(f, "read")},
        )
        for field in offered:
            with self.subTest(field=field.name):
                # the rule: a relational field is offered to whom may read
                # its comodel (an export reads the comodel as the user)
                if field.relational:
                    comodel = self.env[field.comodel_name].with_user(user)
                    self.assertTrue(comodel.has_access("read"), "give it groups=")
                record.invalidate_recordset()
                self.assertIn(field.name, record.read([field.name])[0])
                if not record._transient:
                    record.export_data([field.name])
        if record._transient:
            return
        with self.subTest(op="copy"):
            [copied] = record.copy_data()
            self.assertFalse(
                {f.name for f in fields if f.groups} & set(copied),
                "a field restricted by groups is copied (it must be copy=False)",
            )
        with self.subTest(op="export controller"):
            self.authenticate(user.login, password(user.login))
            self._export_over_http(record, offered)
        if hasattr(record, "_apply_recurrence_values") and record.has_access("write"):
            with self.subTest(op="recurrence"), self.env.cr.savepoint():
                self._recurrence(record, user)

    def test_foreign_fields_break_nothing_for_outsiders(self):
        our_groups = (
            self.env["ir.model.data"]
            .search([("model", "=", "res.groups"), ("module", "in", list(our_modules(self.env)))])
            .mapped("res_id")
        )
        exempt = EXEMPTIONS["foreign_fields"]
        attacked = set()
        for user in self.outsiders:
            self.assertFalse(set(user.all_group_ids.ids) & set(our_groups), user.login)
            for model_name, fields in self.surface.items():
                Model = self.env[model_name].with_user(user)
                if not Model.has_access("read"):
                    continue
                record = self._record(Model, fields)
                if not record:
                    continue
                with self.subTest(model=model_name, user=user.login):
                    self._attack(record, fields, user)
                attacked.update(f"{model_name}.{f.name}" for f in fields)
        surface = {f"{model}.{f.name}" for model, fields in self.surface.items() for f in fields}
        self.assertFalse(
            surface - attacked - set(exempt), "our fields on others' models no outsider reached"
        )
        self.assertFalse(set(exempt) & attacked, "exempted yet attacked: drop the row")
        check_exemptions(self, "foreign_fields", surface)
