"""Generated attack: every route our addons serve, with bad parameters.

The surface is the routing map (``ir.http.routing_map``), not a list:

* every route whose endpoint our addons define or override (the method the
  final controller class resolves to comes from one of our modules);
* every Odoo/OCA route whose endpoint calls a controller method our addons
  override (``/submitted/ticket`` runs our ``_prepare_submit_ticket_vals``).

Each parameter (path arguments, the endpoint's named arguments along its
overrides, and what its code reads from ``**kw``) is sent, one at a time,
with another customer's record id, a missing id, a negative id, an id no
int4 column holds, a non-numeric string and "nan", as a portal user, a
public visitor and an internal user. The answer is a 4xx, a page or a
redirect, never a 5xx (nor, on JSON-RPC, an error that is not a refusal),
and nothing changes in our tables or in those of the models we extend
beyond what the request without the parameter does (free-text parameters
excepted: any text is a valid text).

The routes we define declare their parameters (``controllers/params.py``,
``@route_params``): a parameter left undeclared fails the suite.

Example: ``POST /my/loyalty/<card>/ewallet`` with ``points=nan`` answered
HTTP 500 before ``route_params``; it now answers 400 "not a number".
"""

import inspect
import json
import logging
import re
import time

from odoo import http
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools import mute_logger

from .attack_surface import EXEMPTIONS
from .attack_surface import check_exemptions
from .attack_surface import our_modules
from .rpc import RpcCase
from .rpc import password

_logger = logging.getLogger(__name__)

MISSING_ID, HUGE_ID = 2147483000, 10**12
BAD_VALUES = (MISSING_ID, -1, HUGE_ID, "abc", "nan")
# what a controller reads from its **kw / **post
KW_READ = re.compile(r"\b(?:kw|kwargs|post|params)(?:\.get\(|\[)\s*[\"'](\w+)[\"']")
PATH_ARG = re.compile(r"<(?:[^:<>]+:)?(\w+)>")
# JSON-RPC errors that are answers, not crashes
REFUSALS = re.compile(r"^(odoo\.exceptions\.|werkzeug\.exceptions\.|odoo\.http\.SessionExpired)")


def module_of(code):
    """The addon a function or class is defined in."""
    parts = code.__module__.split(".")
    return parts[2] if parts[:2] == ["odoo", "addons"] else None


def unwrapped(function):
    """The code of an endpoint, under ``@http.route`` and ``@route_params``."""
    return inspect.unwrap(getattr(function, "original_endpoint", function))


def definitions(controller, name):
    """Each class of ``controller`` defining ``name``, most derived first."""
    return [(cls, vars(cls)[name]) for cls in type(controller).__mro__ if name in vars(cls)]


def our_hooks(controller, modules):
    """Names of the controller methods (not routes) our classes override."""
    mro = type(controller).__mro__
    hooks = set()
    for index, cls in enumerate(mro):
        if module_of(cls) in modules:
            for name, value in vars(cls).items():
                if callable(value) and not hasattr(value, "original_routing"):
                    if any(name in vars(base) for base in mro[index + 1 :]):
                        hooks.add(name)
    return hooks


def route_surface(env):
    """``[(rule, bound endpoint, hooks reached)]``: the routes attacked
    (``hooks`` is None for a route whose endpoint is ours)."""
    modules = our_modules(env)
    routes = []
    for rule in env["ir.http"].routing_map().iter_rules():
        bound = rule.endpoint.func
        name = bound.__func__.__name__
        if module_of(bound.__func__) in modules:
            routes.append((rule, bound, None))
            continue
        hooks = our_hooks(bound.__self__, modules)
        source = "".join(
            inspect.getsource(unwrapped(function))
            for _cls, function in definitions(bound.__self__, name)
        )
        reached = sorted(hook for hook in hooks if re.search(rf"\bself\.{hook}\(", source))
        if reached:
            routes.append((rule, bound, reached))
    return routes


def route_params_of(rule, bound, hooks):
    """Every parameter the route reads: its path arguments, the named
    arguments of each definition of the endpoint, and the ``**kw`` keys
    their code, and the code of the ``hooks`` they reach, reads."""
    names = set(PATH_ARG.findall(rule.rule))
    sources = []
    for _cls, function in definitions(bound.__self__, bound.__func__.__name__):
        code = unwrapped(function)
        sources.append(inspect.getsource(code))
        for parameter in list(inspect.signature(code).parameters.values())[1:]:
            if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                names.add(parameter.name)
    for hook in hooks or ():
        sources += [inspect.getsource(f) for _cls, f in definitions(bound.__self__, hook)]
    for source in sources:
        names.update(KW_READ.findall(source))
    return sorted(names)


def watched_tables(env):
    """The tables of our models and of the Odoo models we extend by name."""
    modules = our_modules(env)
    tables = set()
    for name in env.registry:
        model = env[name]
        if model._abstract or model._transient or not model._auto:
            continue
        ours = model._original_module in modules
        if ours or any(
            getattr(cls, "_module", None) in modules
            and name in ([cls._inherit] if isinstance(cls._inherit, str) else cls._inherit or ())
            for cls in type(model).__mro__
        ):
            tables.add(model._table)
    return sorted(tables)


@tagged("post_install", "-at_install", "ccare_attack", "ccare_attack_routes")
class TestAttackRoutes(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.routes = route_surface(cls.env)
        cls.tables = watched_tables(cls.env)
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Route Attack Customer", "is_company": True})
        cls.portal = new_test_user(cls.env, login="route_portal", groups="base.group_portal")
        cls.portal.partner_id.parent_id = cls.customer
        cls.internal = new_test_user(cls.env, login="route_internal", groups="base.group_user")
        cls.path_values = cls._portal_records()

    @classmethod
    def _portal_records(cls):
        """What the portal customer owns, so that an attack on one parameter
        gets past the route's check of the others: with crm_loyalty, a card
        holding 100 points in a program that converts points to an eWallet.
        Returns the path arguments that name them."""
        if "crm.loyalty.redemption" not in cls.env:
            return {}
        Program = cls.env["loyalty.program"]
        values = {"name": "Route Attack Club", "program_type": "loyalty"}
        if "crm_loyalty_ewallet" in our_modules(cls.env):
            wallet = Program.create(
                {**Program._get_template_values()["ewallet"], "name": "Route Attack Wallet"}
            )
            values.update(crm_ewallet_program_id=wallet.id, crm_ewallet_rate=0.01)
        program = Program.create(values)
        card = cls.env["loyalty.card"].create(
            {"program_id": program.id, "partner_id": cls.customer.id}
        )
        card._loyalty_points_add({card.id: 100}, "manual", "Route attack")
        return {"card_id": card.id}

    # ------------------------------------------------------------ values
    def _other_id(self, param):
        """A record of ``param.model`` that is not the portal customer's."""
        model = getattr(param, "model", None)
        if not model or model not in self.env:
            return None
        Model = self.env[model].sudo().with_context(active_test=False)
        domain = []
        field = Model._fields.get("partner_id")
        if field and field.comodel_name == "res.partner":
            domain = [("partner_id.commercial_partner_id", "not in", [False, self.customer.id])]
        return Model.search(domain, limit=1).id or None

    def _own(self, name, param):
        """A valid value for a path argument not under attack: the portal
        customer's record, or a placeholder text."""
        if name in self.path_values:
            return self.path_values[name]
        model = getattr(param, "model", None)
        if model and model in self.env:
            Model = self.env[model].with_user(self.portal)
            return (Model.has_access("read") and Model.search([], limit=1).id) or 1
        return "x"

    def _values(self, param):
        other = self._other_id(param)
        return ((other,) if other else ()) + BAD_VALUES

    def _snapshot(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(" UNION ALL ").join(
                SQL(
                    "SELECT %s, count(*), max(xmin::text::bigint) FROM %s",
                    table,
                    SQL.identifier(table),
                )
                for table in self.tables
            )
        )
        return {table: (count, xmin) for table, count, xmin in self.env.cr.fetchall()}

    # ------------------------------------------------------------ the wire
    def _send(self, rule, bound, params):
        """Call the route with ``params`` (path arguments filled in); return
        what went wrong, or None."""
        spec = getattr(bound.__func__, "ccare_params", {}) or {}
        path = PATH_ARG.sub(
            lambda m: str(params.pop(m[1]) if m[1] in params else self._own(m[1], spec.get(m[1]))),
            rule.rule,
        )
        routing = rule.endpoint.routing
        if routing["type"] == "jsonrpc":
            body = json.dumps({"id": 0, "jsonrpc": "2.0", "method": "call", "params": params})
            response = self.opener.post(
                self.base_url() + path,
                data=body,
                headers={"Content-Type": "application/json"},
                timeout=30,
            )
            if response.status_code >= 500:
                return f"HTTP {response.status_code}"
            error = response.json().get("error") if response.content else None
            if error and not REFUSALS.match(error["data"]["name"]):
                return f"{error['data']['name']}: {error['data'].get('message', '')[:120]}"
            return None
        methods = rule.methods or {"GET", "POST"}
        values = {key: str(value) for key, value in params.items()}
        if "POST" in methods:
            if routing.get("csrf", True):
                values["csrf_token"] = http.Request.csrf_token(self)
            response = self.url_open(path, data=values, allow_redirects=False, timeout=30)
        else:
            response = self.url_open(
                f"{path}?{'&'.join(f'{k}={v}' for k, v in values.items())}",
                allow_redirects=False,
                timeout=30,
            )
        return f"HTTP {response.status_code}" if response.status_code >= 500 else None

    def _login(self, user):
        if user:
            self.authenticate(user.login, password(user.login))
        else:
            self.authenticate(None, None)

    # ------------------------------------------------------------ attacks
    def _attack(self, rule, bound, hooks, user):
        failures = []
        spec = getattr(bound.__func__, "ccare_params", {}) or {}
        who = user.login if user else "public"
        self._login(user)
        # what the request does without the parameter (a logged-in visitor
        # blocklisting their own address) is not the attack's doing
        self._send(rule, bound, {})
        before = self._snapshot()
        for name in route_params_of(rule, bound, hooks):
            param = spec.get(name)
            for value in self._values(param):
                problem = self._send(rule, bound, {name: value})
                if problem:
                    failures.append(f"{rule.rule} {name}={value!r} as {who}: {problem}")
                if getattr(param, "kind", None) == "text":
                    before = self._snapshot()  # any text is a valid text
                    continue
                after = self._snapshot()
                changed = sorted(t for t in self.tables if after[t] != before[t])
                if changed:
                    failures.append(f"{rule.rule} {name}={value!r} as {who}: changed {changed}")
                    before = after
        return failures

    def test_routes_answer_bad_parameters(self):
        started, failures = time.time(), []
        exempt = EXEMPTIONS["routes"]
        muted = mute_logger("odoo.http", "odoo.sql_db", "werkzeug")
        muted.__enter__()
        self.addCleanup(muted.__exit__, None, None, None)
        for rule, bound, hooks in self.routes:
            if rule.rule in exempt:
                continue
            for user in (self.portal, None, self.internal):
                failures += self._attack(rule, bound, hooks, user)
        _logger.info(
            "routes attack: %s routes x 3 users in %.1fs", len(self.routes), time.time() - started
        )
        self.assertFalse(failures, "\n".join(failures))

    def test_our_routes_declare_their_parameters(self):
        """A route we define reads each parameter through ``route_params``."""
        undeclared = []
        for rule, bound, hooks in self.routes:
            if hooks is not None or rule.rule in EXEMPTIONS["routes"]:
                continue
            spec = getattr(bound.__func__, "ccare_params", {}) or {}
            missing = [name for name in route_params_of(rule, bound, hooks) if name not in spec]
            if missing:
                undeclared.append(f"{rule.rule}: {missing}")
        self.assertFalse(
            undeclared, "parameters read without route_params:\n" + "\n".join(undeclared)
        )

    def test_surface_and_exemptions(self):
        """The routing map yields the issue's routes, and no exemption is stale."""
        seen = {rule.rule for rule, _bound, _hooks in self.routes}
        if "crm_customer_consent" in our_modules(self.env):
            self.assertIn("/my/privacy/update", seen)
        if "crm_loyalty_ewallet" in our_modules(self.env):
            self.assertIn("/my/loyalty/<int:card_id>/ewallet", seen)
        if "crm_customer_care_mass_mailing" in our_modules(self.env):
            self.assertIn("/mailing/list/update", seen)
        check_exemptions(self, "routes", seen)
