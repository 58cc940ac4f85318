"""Generated attack: every public method of our addons, called over JSON-RPC
on a record the caller may not read, is refused before the server does
anything on the caller's behalf.

The methods are enumerated, not listed: every callable our addons' classes
define (on our models and on Odoo's: ``res.partner``, ``crm.lead``,
``loyalty.card``...) whose name RPC accepts (no leading ``_``, not
``@api.private``: ``odoo.service.model.get_public_method``'s rule), minus the
ORM's own API (``create``, ``write``, ``export_data``... have their suites).

Who calls, on a record of the first company: the most privileged user who
is not an administrator (every group of the access matrix) of another
company; the least privileged user of the record's company who may not read
it; and each user of that company whose group reads the model but whose
record rules hide this record (another customer's card for a portal user,
another agency's call for an agent, another analyst's review). A wizard
(transient model) is the caller's own, made on the first company's records.
Each call must be refused (``AccessError`` or ``UserError``), the records
unchanged, and our code must not have called ``sudo()`` as the caller first:
``check_access`` comes before, as in ``crm.call.action_done``.

A method that needs no record check is in ``EXEMPTIONS["public_methods"]``
with its reason; a method neither attacked nor exempted, and a stale
exemption, fail the suite. Runtime: about 250 calls, 30 to 40 s (0.13 s a
call); the full product, every method x every group x both companies, would
be about 1,900 calls, 4 min.
"""

import logging
import os
import sys
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .attack_surface import EXEMPTIONS
from .attack_surface import check_exemptions
from .attack_surface import our_modules
from .attack_world import LADDER
from .attack_world import TOP
from .attack_world import AttackWorld
from .attack_world import group_users
from .rpc import RpcCase
from .rpc import password

_logger = logging.getLogger(__name__)

# a ValidationError is a UserError (a record of another company refused by
# ``check_company``)
REFUSED = (
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
)
# the public user is turned away by the route (auth="user") or refused
AT_THE_DOOR = ("odoo.http.SessionExpiredException", *REFUSED)


def public_methods(env):
    """``{(model, method)}``: the methods our addons define that RPC may call."""
    prefixes = tuple(f"odoo.addons.{module}." for module in our_modules(env))
    found = set()
    for name in env.registry:
        cls = type(env[name])
        for klass in cls.__mro__:
            if not klass.__module__.startswith(prefixes):
                continue
            for attr, value in vars(klass).items():
                if attr.startswith("_") or not callable(value) or isinstance(value, type):
                    continue
                if hasattr(models.BaseModel, attr):
                    continue
                if any(getattr(getattr(k, attr, None), "_api_private", False) for k in cls.__mro__):
                    continue
                found.add((name, attr))
    return found


class SudoSpy:
    """Records the ``sudo()`` calls our addons' code makes as ``uid`` (the
    server thread answering the attacker; the ORM's own are not ours)."""

    def __init__(self, uid):
        self.uid = uid
        self.calls = []
        self.home = os.path.dirname(get_module_path("crm_customer_care")) + os.sep
        self.original = models.BaseModel.sudo

    def __enter__(self):
        spy = self

        def sudo(records, flag=True):
            if flag and not records.env.su and records.env.uid == spy.uid:
                code = sys._getframe(1).f_code
                path = code.co_filename
                if path.startswith(spy.home) and f"{os.sep}tests{os.sep}" not in path:
                    spy.calls.append(f"{os.path.basename(path)}:{code.co_name}")
            return spy.original(records, flag)

        self.patcher = patch.object(models.BaseModel, "sudo", sudo)
        self.patcher.start()
        return self

    def __exit__(self, *exc):
        self.patcher.stop()


@tagged("post_install", "-at_install", "ccare_security", "ccare_attack")
class TestAttackMethods(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Attack Methods B"})
        cls.top = group_users(cls.env, "am_b", company=cls.company_b, keys=(TOP,))[TOP]
        internal = [key for key in LADDER if key not in ("public", TOP)]
        cls.insiders = group_users(cls.env, "am_a", company=company, keys=internal)
        cls.customer = cls.env["res.partner"].create(
            {"name": "Attack Target Ltd", "is_company": True, "company_id": company.id}
        )
        # events have no company: the target is someone else's private one
        event = cls.env["calendar.event"].create(
            {
                "name": "Attack: private meeting",
                "privacy": "private",
                "user_id": cls.env.ref("base.user_admin").id,
                "partner_ids": [(6, 0, cls.env.ref("base.partner_admin").ids)],
                "start": fields.Datetime.now() + timedelta(days=1),
                "stop": fields.Datetime.now() + timedelta(days=1, hours=1),
            }
        )
        cls.world = AttackWorld(
            cls.env, company, {"res.partner": cls.customer, "calendar.event": event}
        )

    def _wizard_values(self, model):
        """Values of the caller's own wizard, aimed at the first company."""
        if model == "comment.wizard":  # what it acts on is a (model, id) pair
            # a document of ours under OCA's tier validation (the addon that
            # brings the wizard in brings one)
            modules = our_modules(self.env)
            names = self.env["tier.definition"]._get_tier_validation_model_names()
            document = self.world.record(
                next(name for name in sorted(names) if self.env[name]._original_module in modules)
            )
            return {
                "res_model": document._name,
                "res_id": document.id,
                "validate_reject": "validate",
                "comment": "attack",
            }
        return self.world.values(model)

    # ------------------------------------------------------------ the attack
    def _attackers(self, target):
        """The most privileged user of another company, the least privileged
        of the record's company who may not read it, and every user of that
        company whose group reads the model but not this record."""
        chosen, least = [self.top], None
        for key in LADDER:
            user = self.insiders.get(key)
            if not user or target.with_user(user).has_access("read"):
                continue
            if target.browse().with_user(user).has_access("read"):
                chosen.append(user)
            elif not least:
                least = user
        return chosen + ([least] if least else [])

    def _call(self, user, record, method):
        """The error's name (None when the method ran) and our ``sudo()``
        calls as the caller."""
        with SudoSpy(user.id) as spy, mute_logger("odoo.http"):
            try:
                self.call_kw(user.login, record._name, method, [record.ids])
            except JsonRpcException as error:
                return str(error), spy.calls
        return None, spy.calls

    def _attack_record(self, model, method, findings):
        """Returns the number of calls made."""
        target = self.world.record(model)
        # Odoo lets every employee read events, private ones included
        if not target or target.with_user(self.top).has_access("write"):
            findings.append(f"{model}.{method}: {target} is writable from another company")
        elif target.with_user(self.top).has_access("read") and model != "calendar.event":
            findings.append(f"{model}.{method}: {target} is readable from another company")
        before = self.world.rows(target)
        attackers = self._attackers(target)
        for user in attackers:
            self._judge(
                f"{model}.{method} as {user.login}", *self._call(user, target, method), findings
            )
        if self.world.rows(target) != before:
            findings.append(f"{model}.{method}: {target} changed")
        return len(attackers)

    def _attack_wizard(self, model, method, findings):
        """A wizard (transient model) aimed at records of the first company
        the caller may not read is the caller's own: refused when made, or
        when its method runs. A wizard aimed at nothing foreign is attacked
        as another user's (the administrator's)."""
        vals = self._wizard_values(model)
        Model = self.env[model]
        aimed = [
            self.env[Model._fields[name].comodel_name].browse(
                value if Model._fields[name].type == "many2one" else value[0][2]
            )
            for name, value in vals.items()
            if Model._fields[name].type in ("many2one", "many2many")
        ]
        if "res_model" in vals:
            aimed.append(self.env[vals["res_model"]].browse(vals["res_id"]))
        if all(record.with_user(self.top).has_access("read") for record in aimed):
            if model not in self.world.records:
                self.world.records[model] = Model.create(vals)
            return self._attack_record(model, method, findings)
        before = self.world.rows(aimed)
        try:
            with self.env.cr.savepoint():
                wizard = Model.with_user(self.top).create(vals)
        except (AccessError, UserError):
            return 0  # refused when made
        error, sudos = self._call(self.top, wizard, method)
        self._judge(f"{model}.{method} as {self.top.login}", error, sudos, findings)
        if self.world.rows(aimed) != before:
            findings.append(f"{model}.{method}: {aimed} changed")
        return 1

    def _judge(self, label, error, sudos, findings):
        if error not in REFUSED:
            findings.append(f"{label}: {error or 'ran'}")
        elif sudos:
            findings.append(f"{label}: sudo() before refusing, in {sorted(set(sudos))}")

    def test_every_public_method_refuses_whoever_may_not_read_the_record(self):
        methods = public_methods(self.env)
        exempt = EXEMPTIONS["public_methods"]
        check_exemptions(self, "public_methods", {f"{m}.{n}" for m, n in methods})
        findings, calls, started = [], 0, time.monotonic()
        for model, method in sorted(methods):
            if f"{model}.{method}" in exempt:
                continue
            attack = self._attack_wizard if self.env[model]._transient else self._attack_record
            try:
                calls += self.world.attempt(attack, model, method, findings)
            except Exception as error:
                findings.append(f"{model}.{method}: cannot attack ({error!r})")
        _logger.info("%s methods, %s calls, %.0fs", len(methods), calls, time.monotonic() - started)
        self.assertFalse(findings, "\n".join(findings))

    def test_public_user_is_turned_away_at_the_door(self):
        """No session, or a public user's: refused (``auth="user"``)."""
        public = group_users(self.env, "am_a", keys=("public",))["public"]
        for login in (None, public.login):
            self.authenticate(login, login and password(login))
            with self.assertRaises(JsonRpcException) as caught, mute_logger("odoo.http"):
                self.make_jsonrpc_request(
                    "/web/dataset/call_kw/res.partner/action_open_segment_history",
                    {
                        "model": "res.partner",
                        "method": "action_open_segment_history",
                        "args": [self.customer.ids],
                        "kwargs": {},
                    },
                )
            self.assertIn(str(caught.exception), AT_THE_DOOR, login)
