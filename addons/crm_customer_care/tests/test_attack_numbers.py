"""Generated attack: non-finite and out-of-range numbers over JSON-RPC.

The surface is enumerated (``numeric_targets``): every stored Integer, Float
and Monetary field our addons declare (on our models and on Odoo's), and
every stored numeric field of the Odoo models our addons extend by name
(their writes run through our code: ``loyalty.card.points``, the *Update
Balance* wizard, ``loyalty.history``, ...). Each one is written, as the
most privileged non-admin user (every group but the administrators'), when
``ir.model.access`` lets them write or create the model, over
``/web/dataset/call_kw`` with the raw JSON tokens ``NaN``,
``Infinity`` and ``-Infinity``, with ``1e308`` where the field is bounded
(ours, ``_ccare_bounded_numbers``, and every int4 Integer), and with a value
under the lower bound its ``CHECK`` constraint declares. Each write and
create must be refused and nothing written. A model no client may write (a
report, a log the server writes) is attacked in-process, as the server.

Example: before the guard, a loyalty manager's ``loyalty.card.points`` =
NaN was stored (``CHECK (points >= 0)`` lets NaN through in PostgreSQL),
and a redemption of NaN points passed the balance check (every comparison
with NaN is false); ``test_issue_story`` replays it.
"""

import base64
import contextlib
import json
import logging
import math
import re
import time

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import mute_logger

from .attack_surface import EXEMPTIONS
from .attack_surface import check_exemptions
from .attack_surface import our_modules
from .attack_world import AttackWorld
from .rpc import RpcCase
from .rpc import password

_logger = logging.getLogger(__name__)
CheckViolation = psycopg2.errors.CheckViolation

NUMERIC = ("integer", "float", "monetary")
ADMIN_GROUPS = ("base.group_system", "base.group_erp_manager")
NAN, INF = float("nan"), float("inf")
# "x >= 0", "coalesce(x, 0) >= 0", "x > 1", "x BETWEEN 1 AND 52"
CHECK_LOWER = re.compile(
    r"(?:coalesce\(\s*)?(\w+)(?:\s*,\s*-?\d+\s*\))?\s*>=?\s*(-?\d+(?:\.\d+)?)", re.I
)
CHECK_BETWEEN = re.compile(r"(\w+)\s+BETWEEN\s+(-?\d+(?:\.\d+)?)\s+AND", re.I)


def modules_of(env):
    """``our_modules``, once per test run (it reads the module list)."""
    key = env.cr.dbname
    if key not in _MODULES:
        _MODULES[key] = our_modules(env)
    return _MODULES[key]


_MODULES = {}


def _generate_wizard(env):
    return {"program_id": env["loyalty.program"].search([], limit=1).id}


def _order_line(env):
    order = env["sale.order"].search([("state", "=", "draft")], limit=1)
    product = env["product.product"].search([("sale_ok", "=", True)], limit=1)
    return {"order_id": order.id, "product_id": product.id}


def _import_mapping(env):
    # a mapping belongs to its uploader's wizard (record rule): the attacker's own
    attacker = env["res.users"].search([("login", "=", "num_attacker")], limit=1)
    source = env["utm.source"].search([], limit=1) or env["utm.source"].create({"name": "Attack"})
    wizard = (
        env["crm.customer.import.wizard"]
        .with_user(attacker)
        .create({"file": base64.b64encode(b"name\n"), "source_id": source.id})
    )
    return {"wizard_id": wizard.id}


# models whose required values the generic factory cannot guess
FACTORIES = {
    "crm.call.experiment.arm": lambda env: {
        "experiment_id": AttackWorld(env, env.company).make("crm.call.experiment").id
    },
    "crm.customer.import.wizard.mapping": _import_mapping,
    "crm.loyalty.account.config": lambda env: {"use_manual_rate": True, "manual_rate": 0.8},
    "loyalty.generate.wizard": _generate_wizard,
    "sale.order.line": _order_line,
}


def extended_by_us(model, modules):
    """True when a class of our addons extends ``model`` by name (not
    through ``base``): its create/write and methods are ours too."""
    for cls in type(model).__mro__:
        inherit = getattr(cls, "_inherit", None) or ()
        inherit = [inherit] if isinstance(inherit, str) else inherit
        if getattr(cls, "_module", None) in modules and model._name in inherit:
            return True
    return False


def numeric_targets(env):
    """``{model name: [field, ...]}``: what this suite attacks."""
    modules = our_modules(env)
    targets = {}
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract:
            continue
        extended = model._original_module not in modules and extended_by_us(model, modules)
        for field in model._fields.values():
            if field.type not in NUMERIC or not field.store or field.name == "id":
                continue
            if field._module in modules or extended:
                targets.setdefault(name, []).append(field)
    return targets


def lower_bounds(model):
    """``{field name: lowest allowed value}`` from the unconditional CHECK
    constraints our addons declare on ``model``."""
    modules, bounds = modules_of(model.env), {}
    for obj in model._table_objects.values():
        definition = getattr(obj, "_definition", "") or ""
        if obj._module not in modules or not definition.lstrip().upper().startswith("CHECK"):
            continue
        if re.search(r"\bOR\b", definition, re.I):
            continue  # conditional: not a bound of the field alone
        for pattern in (CHECK_LOWER, CHECK_BETWEEN):
            for found in pattern.finditer(definition):
                if found[1] in model._fields:
                    bounds[found[1]] = float(found[2])
    return bounds


def is_ours(model, field):
    """Declared by our addons, or an Odoo field our code bounds as its own."""
    return field._module in modules_of(model.env) or field.name in getattr(
        model, "_ccare_bounded_numbers", ()
    )


def attack_values(model, field):
    """The values ``field`` must refuse."""
    values = [NAN, INF, -INF]
    if field.type == "integer" or is_ours(model, field):
        values.append(1e308)
    low = lower_bounds(model).get(field.name)
    if low is not None:
        below = min(low - 1, -1)
        values.append(int(below) if field.type == "integer" else below)
    return values


def oneline(error):
    return " ".join(str(error).split())[:200]


def same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


@tagged("post_install", "-at_install", "ccare_attack", "ccare_attack_numbers")
class TestAttackNumbers(RpcCase):
    """Every numeric field of the surface refuses NaN, infinities, 1e308
    and negatives its constraints forbid, over JSON-RPC."""

    rpc_count = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.targets = numeric_targets(cls.env)
        cls.attacker = cls._most_privileged_user()

    # ------------------------------------------------------------ the plan
    @classmethod
    def _most_privileged_user(cls):
        """The most privileged non-admin user: every internal group that
        neither is nor implies an administrator's (Settings, Access Rights)."""
        admin = cls.env["res.groups"].browse([cls.env.ref(x).id for x in ADMIN_GROUPS])
        share = cls.env.ref("base.group_portal") | cls.env.ref("base.group_public")
        groups = (
            cls.env["res.groups"]
            .sudo()
            .search([])
            .filtered(lambda g: not (g.all_implied_ids & (admin | share)))
        )
        login = "num_attacker"
        return new_test_user(cls.env, login=login, password=password(login), group_ids=groups.ids)

    def _factory_vals(self, model, depth=0):
        """Values that create a record of ``model``: its defaults, and for
        each required field left, an existing (or new) record or a plain value."""
        Model = model.sudo()
        vals = FACTORIES[model._name](self.env) if model._name in FACTORIES else {}
        defaults = Model.default_get(list(Model._fields))
        for name, field in Model._fields.items():
            if not field.required or name in defaults or name in vals or name == "id":
                continue
            if field.compute and not field.related:
                continue
            if field.type == "many2one":
                Comodel = self.env[field.comodel_name].sudo().with_context(active_test=False)
                domain = (
                    [("company_id", "in", [False, self.env.company.id])]
                    if ("company_id" in Comodel._fields and Comodel._fields["company_id"].store)
                    else []
                )
                record = Comodel.search(domain, limit=1, order="id")
                if not record and depth < 2:
                    record = Comodel.create(self._factory_vals(Comodel, depth + 1))
                vals[name] = record.id
            elif field.type in ("char", "text", "html"):
                vals[name] = f"Attack {name}"
            elif field.type == "selection":
                vals[name] = field.get_values(self.env)[0]
            elif field.type == "date":
                vals[name] = fields.Date.to_string(fields.Date.today())
            elif field.type == "datetime":
                vals[name] = fields.Datetime.to_string(fields.Datetime.now())
            elif field.type in NUMERIC:
                vals[name] = 1
        return vals

    def _record(self, model, user):
        """One record of ``model`` the user may write: the last one, or a
        new one (theirs when they may create it, always for a wizard)."""
        Mine = model.with_user(user).with_context(active_test=False)
        if not model._transient:
            records = Mine.search([], limit=20, order="id desc")._filtered_access("write")
            if records:
                return records[0].sudo()
        vals = self._factory_vals(model)
        if Mine.has_access("create"):
            try:
                with self.env.cr.savepoint():
                    return Mine.create(vals).sudo()
            except AccessError:
                if model._transient:
                    raise
        return model.sudo().create(vals)

    # ------------------------------------------------------------ the wire
    def _rpc(self, model, method, args, context=None):
        """``call_kw`` with the JSON tokens NaN/Infinity in the raw body
        (requests' ``json=`` refuses them); returns the error, or None."""
        self.rpc_count += 1
        kwargs = {"context": context} if context else {}
        body = json.dumps(
            {
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
            }
        )
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=30,
        )
        response.raise_for_status()
        answer = response.json()
        return answer.get("result"), answer.get("error")

    def _refusal(self, error, field, guard, ours):
        """None when ``error`` is the refusal expected, else what went wrong.
        Our fields (and the Odoo fields our code bounds) are refused by the
        finite-number guard, naming the field when ``guard``; on Odoo's other
        fields Odoo's own code may refuse first or drop the value (that
        nothing was stored is checked apart)."""
        if not error:
            return "accepted" if ours else None
        name = error["data"]["name"]
        message = " ".join(error["data"].get("message", "").split())
        if name == "odoo.exceptions.AccessError" or (ours and name not in self.REFUSALS):
            return f"failed with {name}: {message[:160]}"
        if guard and ours and field._description_string(self.env) not in message:
            return f"refused for another reason: {message[:160]}"
        return None

    # ------------------------------------------------------------ attacks
    def _attack_over_rpc(self, model, fields_, user):
        """Write each value to each field of one record, and create with it
        (NaN through a ``default_`` context key, as the client may send it)."""
        failures = []
        record = self._record(model, user)
        names = [field.name for field in fields_]
        before = record.read(names)[0]
        Model = model.sudo().with_context(active_test=False)
        count = Model.search_count([])
        create_vals = (
            self._factory_vals(model) if model.with_user(user).has_access("create") else None
        )
        if self.session is None or self.session.uid != user.id:
            self.authenticate(user.login, password(user.login))
        for field in fields_:
            ours = is_ours(model, field)
            for value in attack_values(model, field):
                _result, error = self._rpc(model._name, "write", [record.ids, {field.name: value}])
                if problem := self._refusal(error, field, False, ours):
                    failures.append(f"{model._name}.{field.name} = {value!r}: write {problem}")
                if create_vals is None or not (math.isnan(value) or value == INF):
                    continue
                # NaN in the values, +inf through a default_ key of the context
                vals, context = {**create_vals, field.name: value}, None
                if value == INF:
                    vals.pop(field.name)
                    context = {f"default_{field.name}": value}
                result, error = self._rpc(model._name, "create", [vals], context=context)
                if result:
                    # the value dropped (sudo cleans the client's defaults)?
                    count += 1
                    if same(model.sudo().browse(result)[field.name], value):
                        failures.append(f"{model._name}.{field.name} = {value!r}: create stored it")
                    elif ours and not context:
                        failures.append(f"{model._name}.{field.name} = {value!r}: create accepted")
                elif problem := self._refusal(error, field, True, ours):
                    failures.append(f"{model._name}.{field.name} = {value!r}: create {problem}")
        record.invalidate_recordset()
        after = record.read(names)[0]
        failures += [
            f"{model._name}.{name} was written: {before[name]!r} -> {after[name]!r}"
            for name in names
            if not same(before[name], after[name])
        ]
        if Model.search_count([]) != count:
            failures.append(f"{model._name}: records were created")
        return failures

    def _attack_in_process(self, model, fields_):
        """No client may write ``model`` (a report, a server-written log):
        the guard still refuses the server's own create and write."""
        failures = []
        Model = model.sudo().with_context(active_test=False)
        record, vals = Model.search([], limit=1), self._factory_vals(model)
        for field in fields_:
            for value in attack_values(model, field):
                negative = isinstance(value, (int, float)) and math.isfinite(value) and value < 0
                for method in ("write", "create") if record else ("create",):
                    problem = self._in_process(Model, record, method, vals, field, value, negative)
                    if problem:
                        failures.append(
                            f"{model._name}.{field.name} = {value!r}: {method} {problem}"
                        )
        return failures

    @staticmethod
    def _server_door(Model):
        """What the server's own create goes through (append-only logs)."""
        door = getattr(Model, "_ccare_append_only_unlocked", None)
        return door() if door else contextlib.nullcontext()

    def _in_process(self, Model, record, method, vals, field, value, negative):
        """None when the server's own ``method`` refuses ``value`` (or, on
        an Odoo field, Odoo's code refuses it or stores something else)."""
        try:
            with self.env.cr.savepoint():
                if method == "write":
                    record.write({field.name: value})
                else:
                    with self._server_door(Model):
                        record = Model.create({**vals, field.name: value})
                self.env.flush_all()
                record.invalidate_recordset()
                stored = record[field.name]
        except Exception as error:  # the refusal is what is tested
            return self._in_process_refusal(error, method, field, negative)
        if is_ours(Model, field) or same(stored, value):
            return "accepted"
        return None

    def _in_process_refusal(self, error, method, field, negative):
        if not is_ours(self.env[field.model_name], field):
            return None  # Odoo's own code refused it before the guard
        if isinstance(error, CheckViolation) and negative:
            return None
        if isinstance(error, UserError) and (method == "write" or negative):
            return None  # an append-only record, a database constraint
        label = field._description_string(self.env)
        if isinstance(error, ValidationError) and label in str(error):
            return None
        return f"refused for another reason: {oneline(repr(error))}"

    def test_numbers_refused(self):
        started, failures, attacked = time.time(), [], set()
        self.rpc_count = 0
        # the database's refusals and the server's errors are what is tested
        muted = mute_logger("odoo.sql_db", "odoo.http")
        muted.__enter__()
        self.addCleanup(muted.__exit__, None, None, None)
        exempt = EXEMPTIONS["numeric"]
        for name, fields_ in self.targets.items():
            model = self.env[name]
            fields_ = [f for f in fields_ if f"{name}.{f.name}" not in exempt]
            if not fields_:
                continue
            Mine = model.with_user(self.attacker)
            try:
                with self.env.cr.savepoint():
                    if Mine.has_access("write") or Mine.has_access("create"):
                        failures += self._attack_over_rpc(model, fields_, self.attacker)
                    else:
                        failures += self._attack_in_process(model, fields_)
            except Exception as error:
                failures.append(
                    f"{name}: not attacked ({oneline(repr(error))}); add a factory or exempt it"
                )
                continue
            attacked.update(f"{name}.{f.name}" for f in fields_)
        _logger.info(
            "numbers attack: %s fields of %s models, %s RPCs in %.1fs",
            len(attacked),
            len(self.targets),
            self.rpc_count,
            time.time() - started,
        )
        self.assertFalse(failures, "\n".join(failures))

    def test_surface_and_exemptions(self):
        """The enumeration finds the issue's fields, and no exemption is stale."""
        seen = {
            f"{name}.{field.name}" for name, fields_ in self.targets.items() for field in fields_
        }
        if "crm.loyalty.redemption" in self.env:
            for name in (
                "crm.loyalty.redemption.points",
                "loyalty.card.points",
                "loyalty.card.update.balance.new_balance",
            ):
                self.assertIn(name, seen)
        check_exemptions(self, "numeric", seen)

    def test_issue_story(self):
        """The issue, as the loyalty user and manager did it: a redemption of
        NaN points on a card holding 100, then 1,000,000 points converted to
        the eWallet; NaN written to the balance and through Update Balance.
        Each is refused, naming the field, and the card still holds 100."""
        if "crm_loyalty_ewallet" not in our_modules(self.env):
            self.skipTest("needs crm_loyalty_ewallet (the conversion to an eWallet)")
        Program = self.env["loyalty.program"]
        wallet = Program.create({**Program._get_template_values()["ewallet"], "name": "NaN Wallet"})
        program = Program.create(
            {
                "name": "NaN Club",
                "program_type": "loyalty",
                "crm_ewallet_program_id": wallet.id,
                "crm_ewallet_rate": 0.01,
            }
        )
        customer = self.env["res.partner"].create({"name": "NaN Customer"})
        card = self.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": customer.id}
        )
        card._loyalty_points_add({card.id: 100}, "manual", "Welcome")
        user = new_test_user(
            self.env, login="nan_user", groups="crm_loyalty.group_crm_loyalty_user"
        )
        manager = new_test_user(
            self.env, login="nan_manager", groups="crm_loyalty.group_crm_loyalty_manager"
        )
        self.authenticate(user.login, password(user.login))
        redemption = {"card_id": card.id, "kind": "ewallet", "points": NAN}
        _result, error = self._rpc("crm.loyalty.redemption", "create", [redemption])
        self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
        self.assertIn("Points", error["data"]["message"])
        _result, error = self._rpc(
            "crm.loyalty.redemption", "create", [{**redemption, "points": 1_000_000}]
        )
        self.assertIn("Cannot redeem", error["data"]["message"])
        self.authenticate(manager.login, password(manager.login))
        _result, error = self._rpc("loyalty.card", "write", [card.ids, {"points": NAN}])
        self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
        wizard = {"card_id": card.id, "new_balance": NAN, "description": "NaN"}
        _result, error = self._rpc("loyalty.card.update.balance", "create", [wizard])
        self.assertEqual(error["data"]["name"], "odoo.exceptions.ValidationError")
        card.invalidate_recordset()
        self.assertEqual(card.points, 100)
        self.assertFalse(self.env["crm.loyalty.redemption"].search([("card_id", "=", card.id)]))
