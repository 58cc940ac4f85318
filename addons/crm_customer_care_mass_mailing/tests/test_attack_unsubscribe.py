"""Identity on every opt-out route: a portal user sets their own e-mail to
the victim's address, then calls Email Marketing's routes without a token.

A route may change a consent, a subscription or a blacklist entry only for
an address proven to be the visitor's: a signed token for that address, or
a verified login (the user's login is that address). The routes are read
from the routing map (every route of mass_mailing's controller, ours
included), so a route added later is attacked too.
"""

import inspect

from odoo.addons.crm_customer_care.tests.rpc import password
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.mass_mailing.controllers.main import MassMailController
from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

# values for the path arguments of the routes (a mailing to the victims)
PATH_VALUES = {"mail_id": 1, "token": "x", "code": "x", "mailing_trace_id": 1}


@tagged("post_install", "-at_install", "ccare_mass_mailing", "ccare_attack")
class TestUnsubscribeIdentity(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # Vera may get marketing; Bert withdrew (his address is blacklisted)
        cls.vera, cls.bert = Partner.create(
            [
                {"name": "Vera Victim", "email": "vera.victim@example.com"},
                {"name": "Bert Blocked", "email": "bert.blocked@example.com"},
            ]
        )
        (cls.vera | cls.bert)._ccare_record_consent("marketing", "email", "granted", source="form")
        cls.bert._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        cls.newsletter = cls.env["mailing.list"].create({"name": "Newsletter", "is_public": True})
        cls.vera_contact = cls.env["mailing.contact"].create(
            {
                "name": "Vera",
                "email": "vera.victim@example.com",
                "list_ids": [(4, cls.newsletter.id)],
            }
        )
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Spring",
                "body_html": "<p>Spring</p>",
                "mailing_model_id": cls.env["ir.model"]._get("res.partner").id,
                "mailing_domain": repr([("id", "in", (cls.vera | cls.bert).ids)]),
            }
        )
        cls.mallory = mail_new_test_user(
            cls.env, login="ccare_mallory", email="mallory@example.com", groups="base.group_portal"
        )

    # ------------------------------------------------------------ helpers
    def _state(self):
        """What the routes must not change for Vera and Bert."""
        Blacklist = self.env["mail.blacklist"].with_context(active_test=False)
        self.env.invalidate_all()
        return {
            "blacklisted": set(Blacklist.search([("active", "=", True)]).mapped("email"))
            & {"vera.victim@example.com", "bert.blocked@example.com"},
            "consents": {
                partner.name: partner.consent_ids.filtered("is_current").mapped("state")
                for partner in self.vera | self.bert
            },
            "subscribed": not self.vera_contact.subscription_ids.opt_out,
        }

    def _as(self, user, email):
        """``user`` has set their e-mail to ``email`` (the portal's account
        page lets them) and is logged in."""
        user.partner_id.sudo().email = email
        self.authenticate(user.login, password(user.login))

    def _jsonrpc(self, url, params):
        try:
            return self.make_jsonrpc_request(url, params)
        except JsonRpcException as error:
            return str(error)

    # ------------------------------------------------------------ attacks
    def test_blocklist_add_with_someone_elses_address(self):
        before = self._state()
        self._as(self.mallory, "vera.victim@example.com")
        answer = self._jsonrpc("/mailing/blocklist/add", {"email": "vera.victim@example.com"})
        self.assertEqual(answer, "unauthorized")
        self.assertEqual(self._state(), before, "Vera's consent and blacklist stand")

    def test_blocklist_remove_with_someone_elses_address(self):
        before = self._state()
        self.assertIn("bert.blocked@example.com", before["blacklisted"])
        self._as(self.mallory, "bert.blocked@example.com")
        answer = self._jsonrpc("/mailing/blocklist/remove", {"email": "bert.blocked@example.com"})
        self.assertEqual(answer, "unauthorized")
        self.assertEqual(self._state(), before, "Bert's blacklist entry stands")

    def test_every_mass_mailing_route_refuses_an_unproven_address(self):
        """Every route of mass_mailing's controller, called as Mallory with
        Vera's, then Bert's address (no token), with the parameters the
        subscription page sends: nothing of theirs changes."""
        routes = self._mass_mailing_routes()
        self.assertTrue(
            {"/mailing/blocklist/add", "/mailing/blocklist/remove", "/mailing/list/update"}
            <= {rule.rule for rule, _url in routes}
        )
        for address in ("vera.victim@example.com", "bert.blocked@example.com"):
            self._as(self.mallory, address)
            for rule, url in routes:
                with self.subTest(route=rule.rule, address=address):
                    before = self._state()
                    self._call(rule, url, address)
                    self.assertEqual(self._state(), before, f"{rule.rule} changed {address}")

    def test_a_verified_login_acts_on_its_own_address(self):
        """The rule is not "refuse everyone": Vera, whose login is her
        address, blocklists it and lifts it again herself."""
        vera_user = mail_new_test_user(
            self.env,
            login="vera.victim@example.com",
            email="vera.victim@example.com",
            groups="base.group_portal",
        )
        vera_user.partner_id = self.vera
        self.authenticate(vera_user.login, password(vera_user.login))
        self.assertIs(self._jsonrpc("/mailing/blocklist/add", {}), True)
        self.assertIn("vera.victim@example.com", self._state()["blacklisted"])
        self.assertIs(self._jsonrpc("/mailing/blocklist/remove", {}), True)
        self.assertNotIn("vera.victim@example.com", self._state()["blacklisted"])

    # ------------------------------------------------------------ routes
    def _mass_mailing_routes(self):
        """``(rule, url)`` of every public or user route whose controller is
        mass_mailing's (with our override)."""
        routes = []
        for rule in self.env["ir.http"].routing_map().iter_rules():
            controller = getattr(rule.endpoint.func, "__self__", None)
            if not isinstance(controller, MassMailController):
                continue
            if rule.endpoint.routing.get("auth") not in ("public", "user"):
                continue
            values = {**PATH_VALUES, "mailing_id": self.mailing.id}
            url = rule.build({arg: values[arg] for arg in rule.arguments})[1]
            routes.append((rule, url))
        return routes

    def _calls(self, rule, address):
        """The parameters to call ``rule`` with: every argument of its
        function, without a token, once without and once with the mailing
        (mass_mailing treats both differently)."""
        signature = inspect.signature(rule.endpoint.func)
        values = {
            "email": address,
            "document_id": self.vera.id,
            "lists_optin_ids": [],
            "last_action": "blocklist_add",
            "opt_out_reason_id": self.env["mailing.subscription.optout"].search([], limit=1).id,
            "feedback": "Attack",
            "token": "x",
            "user_id": self.mallory.id,
        }
        params = {}
        for name, parameter in signature.parameters.items():
            if name in rule.arguments or parameter.kind == parameter.VAR_KEYWORD:
                continue
            if name == "mailing_id" or name == "hash_token":
                continue
            self.assertTrue(
                name in values or parameter.default is not parameter.empty,
                f"{rule.rule}: give the attack a value for its argument {name!r}",
            )
            if name in values:
                params[name] = values[name]
        if any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values()):
            params = {**values, **params}
        calls = [params]
        if "mailing_id" in signature.parameters and "mailing_id" not in rule.arguments:
            calls.append({**params, "mailing_id": self.mailing.id})
        return calls

    def _call(self, rule, url, address):
        for params in self._calls(rule, address):
            if rule.endpoint.routing["type"] == "jsonrpc":
                self._jsonrpc(url, params)
            elif "GET" in (rule.endpoint.routing.get("methods") or ["GET"]):
                self.url_open(url, params=params)
            else:
                self.url_open(url, data=params)
