"""Generated attack: every guarded field of our workflows and every
append-only record, written over JSON-RPC by the most privileged user who is
not an administrator (every group of the access matrix), with the context
keys a client could hope would unlock them. All refused, nothing written.

The surface is enumerated: every model inheriting
``crm.customer.care.workflow.mixin`` (its ``_ccare_workflow_fields``: no
``write``, no ``create`` with a value other than the default; its
``_ccare_frozen_fields``: no ``write`` once the record left its editable
state, whatever decides it: the model is told nothing is editable) and
every model inheriting ``crm.customer.care.append.only.mixin`` (no
``write`` of any field, no ``unlink``; no ``create`` when only the server
creates them). The same writes through ``sudo()`` are refused too:
what refuses them is the shared guard, not the user's rights.

A workflow field the caller gives when the record is made (a redemption's
card and points: the request itself, fixed afterwards) is in
``EXEMPTIONS["guarded_fields"]`` with its reason: its create is not
attacked, its write still is. A stale row fails the suite."""

import contextlib
import logging
import time
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import SQL
from odoo.tools import mute_logger

from .attack_surface import EXEMPTIONS
from .attack_surface import check_exemptions
from .attack_world import TOP
from .attack_world import AttackWorld
from .attack_world import group_users
from .rpc import RpcCase

_logger = logging.getLogger(__name__)

WORKFLOW = "crm.customer.care.workflow.mixin"
APPEND_ONLY = "crm.customer.care.append.only.mixin"
# what a client could send hoping to be the server: the guard's own key
# names, install and import modes, OCA's tier bypass, our features' flags
CLIENT_CONTEXT = {
    "install_mode": True,
    "import_file": True,
    "module": "crm_customer_care",
    "skip_validation_check": True,
    "tracking_disable": True,
    "ccare_unlocked": True,
    "ccare.anonymise": True,
    "ccare_review_approving": True,
    "ccare_assigning_segment": True,
    "ccare_skip_contact_dates": True,
}
# columns the ORM itself writes
MAGIC = {"id", "create_date", "write_date", "write_uid", "create_uid"}


def guarded_models(env, mixin):
    """Concrete models that inherit ``mixin`` (directly or not)."""
    base = type(env[mixin])
    return [
        env[name]
        for name in sorted(env.registry)
        if name != mixin and not env[name]._abstract and issubclass(type(env[name]), base)
    ]


@tagged("post_install", "-at_install", "ccare_security", "ccare_attack")
class TestAttackGuarded(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.top = group_users(cls.env, "ag", company=cls.env.company, keys=(TOP,))[TOP]
        cls.world = AttackWorld(cls.env, cls.env.company)

    # ------------------------------------------------------------ records
    def _record(self, model):
        """A record the attacker reads: the newest, else the world's (a
        wizard is the attacker's own)."""
        if model not in self.world.records:
            Model = self.env[model].with_context(active_test=False)
            if Model._transient:
                record = Model.with_user(self.top).create(self.world.values(model)).sudo()
            else:
                found = Model.search([], order="id desc", limit=20)
                found = found.with_user(self.top)._filtered_access("read").sudo()
                # an editable one (a draft): its frozen fields may change, its
                # state not; the guard alone refuses there
                if hasattr(found, "_ccare_is_editable") and not found._ccare_is_editable():
                    # the world cannot make one (UserError): a frozen record will do
                    with contextlib.suppress(UserError):
                        found = self.world.attempt(self.world.make, model) | found
                record = found[:1]
            if record:
                self.world.records[model] = record
        return self.world.record(model)

    def _value(self, field, current, default=False):
        """A valid value of ``field`` other than ``current`` and ``default``."""
        kind = field.type
        if kind == "selection":
            return next(v for v in field.get_values(self.env) if v not in (current, default))
        if kind == "many2one":
            Comodel = self.env[field.comodel_name].with_context(active_test=False)
            domain = [("id", "not in", [current.id if current else 0, default or 0])]
            other = Comodel.search(domain, order="id desc", limit=1)
            # the guard refuses the key, whatever its value: the same will do
            return (other or current or self.world.make(field.comodel_name)).id
        if kind in ("one2many", "many2many"):
            return [(5, 0, 0)]
        if kind == "boolean":
            return not current
        if kind in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if kind == "date":
            return "2001-02-03"
        if kind == "datetime":
            return "2001-02-03 04:05:06"
        return "YQ==" if kind == "binary" else "attack"

    def _count(self, model):
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(self.env[model]._table)))
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------ the attack
    def _refused(self, label, model, method, args, findings):
        """Over JSON-RPC as the attacker, with the client's context."""
        self.calls += 1
        try:
            with mute_logger("odoo.http"):
                self.call_kw(self.top.login, model, method, args, context=CLIENT_CONTEXT)
        except JsonRpcException as error:
            if str(error) not in self.REFUSALS:
                findings.append(f"{label}: {error}")
            return
        findings.append(f"{label}: accepted over RPC")

    def _guard_refuses(self, label, function, findings):
        """The same through ``sudo()``: the guard's own ``UserError``."""
        try:
            with self.env.cr.savepoint():
                function()
        except UserError as error:
            if type(error) is not UserError:
                findings.append(f"{label}: refused by {type(error).__name__}, not the guard")
            return
        findings.append(f"{label}: accepted through sudo()")

    def _attack_write(self, record, name, findings):
        field = record._fields[name]
        label, value = f"{record._name}.{name} write", self._value(field, record[name])
        before = self.world.rows(record)
        self._refused(label, record._name, "write", [record.ids, {name: value}], findings)
        as_top = record.with_user(self.top).sudo()
        self._guard_refuses(label, lambda: as_top.write({name: value}), findings)
        if self.world.rows(record) != before:
            findings.append(f"{label}: {record} changed")

    def _attack_create(self, model, vals, label, findings):
        before = self._count(model)
        self._refused(label, model, "create", [vals], findings)
        Model = self.env[model].with_user(self.top).sudo()
        self._guard_refuses(label, lambda: Model.create(vals), findings)
        if self._count(model) != before:
            findings.append(f"{label}: a record was created")

    def _attack_workflow(self, Model, exempt, findings):
        model, record = Model._name, self._record(Model._name)
        # the defaults the attacker gets (a user field's default is the user)
        defaults = Model.with_user(self.top).default_get(list(Model._ccare_workflow_fields))
        for name in Model._ccare_workflow_fields:
            self._attack_write(record, name, findings)
            if f"{model}.{name}" in exempt:
                continue  # the caller's input when the record is made
            value = self._value(Model._fields[name], None, defaults.get(name))
            vals = dict(self.world.values(model), **{name: value})
            self._attack_create(model, vals, f"{model}.{name} create", findings)
        # past its editable state (whatever decides it: its state, its
        # review's), what the record was is fixed
        with patch.object(type(Model), "_ccare_is_editable", lambda records: records.browse()):
            for name in Model._ccare_frozen_fields:
                self._attack_write(record, name, findings)

    def _attack_append_only(self, Model, exempt, findings):
        model, record = Model._name, self._record(Model._name)
        for name, field in Model._fields.items():
            if field.store and name not in MAGIC:
                self._attack_write(record, name, findings)
        before = self.world.rows(record)
        self._refused(f"{model} unlink", model, "unlink", [record.ids], findings)
        self._guard_refuses(f"{model} unlink", record.sudo().unlink, findings)
        if self.world.rows(record) != before:
            findings.append(f"{model} unlink: {record} deleted")
        if Model._ccare_server_create_only:
            self._attack_create(model, self.world.values(model), f"{model} create", findings)

    def test_every_guarded_field_refuses_every_client(self):
        exempt = EXEMPTIONS["guarded_fields"]
        seen, findings, started, self.calls, models = set(), [], time.monotonic(), 0, 0
        for mixin, attack in (
            (WORKFLOW, self._attack_workflow),
            (APPEND_ONLY, self._attack_append_only),
        ):
            for Model in guarded_models(self.env, mixin):
                models += 1
                if mixin == WORKFLOW:  # exemptions name workflow fields only
                    seen |= {f"{Model._name}.{name}" for name in Model._ccare_workflow_fields}
                try:
                    self.world.attempt(attack, Model, exempt, findings)
                except Exception as error:
                    findings.append(f"{Model._name}: cannot attack ({error!r})")
        check_exemptions(self, "guarded_fields", seen)
        elapsed = time.monotonic() - started
        _logger.info("%s guarded models, %s calls, %.0fs", models, self.calls, elapsed)
        self.assertFalse(findings, "\n".join(findings))
