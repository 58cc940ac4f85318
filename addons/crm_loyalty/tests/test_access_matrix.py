"""Issue 14: the access matrix. Every model of the three addons, for every
group, and the model-level rights (c)reate, (r)ead, (w)rite, (u)nlink it
grants, in ONE table below. A model of our addons without a row fails
``test_every_model_has_a_row`` (add the row, and its ACL, with the model);
a right that differs from the table fails ``test_rights_match_the_table``.

Rights are the union of what a group's implied groups grant, as Odoo
computes them (``ir.model.access.check`` for a user holding only that
group). Record rules (own calls, portal, multi-company) are tested in
``test_access_attacks.py`` of each addon.

The database may hold only some of our addons (an addon installed alone
with its tests): the models and groups that are not installed are left
out, and a row is stale only when no addon of ours defines its model."""

import ast
import os

from odoo.addons.crm_customer_care.tests.attack_surface import our_modules
from odoo.addons.crm_customer_care.tests.attack_world import GROUPS
from odoo.addons.crm_customer_care.tests.attack_world import group_users
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase
from odoo.tests import tagged

MODES = (("c", "create"), ("r", "read"), ("w", "write"), ("u", "unlink"))

# model: {group: rights}; a group left out has no right at all on the model
MATRIX = {
    "crm.account.service.request": {
        "care_user": "crw",
        "care_manager": "crwu",
        "sensitive": "crw",
        "privacy": "crw",
        "caller": "crw",
        "cp_manager": "crw",
        "loyalty_user": "crw",
        "loyalty_manager": "crw",
    },
    "crm.account.service.request.line": {
        "care_user": "crwu",
        "care_manager": "crwu",
        "sensitive": "crwu",
        "privacy": "crwu",
        "caller": "crwu",
        "cp_manager": "crwu",
        "loyalty_user": "crwu",
        "loyalty_manager": "crwu",
    },
    # the Cancel/Refuse dialog of a statutory request: privacy officers only
    "crm.account.service.request.closure": {"privacy": "crw"},
    "crm.call": {"caller": "crw", "cp_manager": "crwu", "agent": "rw", "portal": "r"},
    "crm.call.agency": {"caller": "r", "cp_manager": "crwu"},
    # agencies' data-processing agreements (crm_callplan_agency_agreement)
    "crm.call.agency.agreement": {"caller": "r", "cp_manager": "crwu"},
    "crm.call.allocation": {"caller": "r", "cp_manager": "crwu"},
    "crm.call.allocation.line": {"caller": "r", "cp_manager": "crwu"},
    "crm.call.caller": {"caller": "r", "cp_manager": "crwu"},
    "crm.call.checklist.answer": {"caller": "crw", "cp_manager": "crwu", "agent": "rw"},
    "crm.call.checklist.question": {"caller": "r", "cp_manager": "crwu", "agent": "r"},
    "crm.call.checklist.template": {"caller": "r", "cp_manager": "crwu", "agent": "r"},
    "crm.call.compliance.report": {"cp_manager": "r"},
    "crm.call.allocation.period.report": {"cp_manager": "r"},
    "crm.call.next.product.report": {"cp_manager": "r"},
    "crm.call.effectiveness": {"cp_manager": "crwu"},
    "crm.call.effectiveness.line": {"cp_manager": "crwu"},
    # call-frequency experiments (crm_callplan_experiment): managers only
    "crm.call.experiment": {"cp_manager": "crwu"},
    "crm.call.experiment.arm": {"cp_manager": "crwu"},
    "crm.call.experiment.member": {"cp_manager": "r"},
    "crm.call.experiment.result": {"cp_manager": "r"},
    "crm.call.plan.run": {"caller": "r", "cp_manager": "crwu"},
    "crm.call.plan.run.line": {"caller": "r", "cp_manager": "crwu"},
    "crm.call.plan.run.load": {"caller": "r", "cp_manager": "crwu"},
    "crm.call.policy": {"caller": "r", "cp_manager": "crwu"},
    # call quality (crm_callplan_quality): scorecards are the draw's (no one
    # creates or deletes them); reviewers and managers score, callers and
    # agents read their own done cards and report lines (record rules)
    "crm.call.qa.conduct.item": {"caller": "r", "cp_manager": "crwu", "agent": "r"},
    "crm.call.qa.sample": {"cp_manager": "crwu"},
    "crm.call.qa.scorecard": {"caller": "r", "cp_manager": "rw", "agent": "r"},
    "crm.call.qa.scorecard.line": {"caller": "r", "cp_manager": "rw", "agent": "r"},
    "crm.call.qa.result": {"caller": "r", "cp_manager": "r", "agent": "r"},
    "crm.customer.anonymisation": {"privacy": "r"},
    "crm.customer.suppression": {"privacy": "r"},
    "crm.customer.consent": {
        "care_user": "cr",
        "care_manager": "cr",
        "sensitive": "cr",
        "privacy": "cr",
        "caller": "cr",
        "cp_manager": "cr",
        "loyalty_user": "cr",
        "loyalty_manager": "cr",
    },
    "crm.customer.health.history": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.import": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.import.line": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.import.wizard": {"care_manager": "crwu"},
    "crm.customer.import.wizard.mapping": {"care_manager": "crwu"},
    "crm.customer.inquiry.report": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.referral.report": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.revenue.report": {"care_manager": "r"},
    # buying habits (issue 20): read by every Customer Care user, money
    # fields manager-only; classes and target lists configured by managers
    "crm.customer.category.affinity": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.next.product": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.product.rule": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.rfm": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    # every employee reads RFM classes (their badge shows on contacts); a
    # record rule hides them all from agents
    "crm.customer.rfm.class": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "agent": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.target.list": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.review": {
        "care_user": "crw",
        "care_manager": "crwu",
        "sensitive": "crw",
        "privacy": "crw",
        "caller": "crw",
        "cp_manager": "crw",
        "loyalty_user": "crw",
        "loyalty_manager": "crw",
    },
    "crm.customer.review.action": {
        "care_user": "crwu",
        "care_manager": "crwu",
        "sensitive": "crwu",
        "privacy": "crwu",
        "caller": "crwu",
        "cp_manager": "crwu",
        "loyalty_user": "crwu",
        "loyalty_manager": "crwu",
    },
    "crm.customer.review.dashboard": {"care_manager": "crw"},
    "crm.customer.review.line": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.review.schedule": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    # every employee reads segments (their names show on contacts, tickets,
    # leads); a record rule hides them all from agents
    "crm.customer.segment": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "agent": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.segment.history": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.customer.sensitive.access": {"privacy": "r"},
    "crm.customer.subject.access": {"privacy": "crwu"},
    "crm.data.quality.check": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.data.quality.issue": {
        "care_user": "rw",
        "care_manager": "crwu",
        "sensitive": "rw",
        "privacy": "rw",
        "caller": "rw",
        "cp_manager": "rw",
        "loyalty_user": "rw",
        "loyalty_manager": "rw",
    },
    "crm.lead.qualification.criterion": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.lead.qualification.grade": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.lead.qualification.ruleset": {
        "care_user": "r",
        "care_manager": "crwu",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.lead.stage.history": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.loyalty.anomaly": {"loyalty_manager": "rw"},
    "crm.loyalty.points.lot": {"loyalty_user": "r", "loyalty_manager": "r", "portal": "r"},
    "crm.loyalty.posting": {"loyalty_user": "r", "loyalty_manager": "r", "portal": "r"},
    "crm.loyalty.points.rule": {"loyalty_user": "r", "loyalty_manager": "crwu"},
    "crm.loyalty.redemption": {"loyalty_user": "crw", "loyalty_manager": "crwu", "portal": "r"},
    "crm.loyalty.redemption.lot": {"loyalty_user": "r", "loyalty_manager": "r", "portal": "r"},
    "crm.loyalty.tier": {"loyalty_user": "r", "loyalty_manager": "crwu"},
    "crm.loyalty.tier.history": {"loyalty_user": "r", "loyalty_manager": "r"},
    "crm.relationship.cost.line": {"loyalty_user": "r", "loyalty_manager": "crwu"},
    "crm.relationship.effectiveness.report": {"loyalty_user": "r", "loyalty_manager": "r"},
    "crm.relationship.kpi": {"loyalty_user": "r", "loyalty_manager": "crwu"},
    "crm.relationship.participant": {"loyalty_user": "crw", "loyalty_manager": "crwu"},
    "crm.relationship.programme": {"loyalty_user": "r", "loyalty_manager": "crwu"},
    # points in the books (crm_loyalty_account): managers of the program,
    # and accountants (no matrix user is one)
    "crm.loyalty.account.config": {"loyalty_manager": "crwu"},
    "crm.loyalty.account.entry": {"loyalty_manager": "r"},
    "crm.loyalty.account.report": {"loyalty_manager": "r"},
    "crm.loyalty.account.use": {"loyalty_manager": "r"},
    "crm.sales.activity.report": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.sales.cycle.lead.report": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.sales.cycle.report": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
    "crm.segment.analysis.report": {
        "care_user": "r",
        "care_manager": "r",
        "sensitive": "r",
        "privacy": "r",
        "caller": "r",
        "cp_manager": "r",
        "loyalty_user": "r",
        "loyalty_manager": "r",
    },
}


@tagged("post_install", "-at_install", "ccare_security")
class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # one user per installed group of the matrix
        cls.users = group_users(cls.env, "matrix")

    def _our_models(self):
        return sorted(
            name
            for name, model in self.env.registry.items()
            if model._original_module in our_modules(self.env) and not model._abstract
        )

    def test_every_model_has_a_row(self):
        models = set(self._our_models())
        self.assertFalse(
            sorted(models - MATRIX.keys()), "models of our addons missing from the matrix"
        )
        self.assertFalse(
            sorted(MATRIX.keys() - models - _models_defined_in_our_sources()),
            "rows for models that no addon of ours defines",
        )
        for rights in MATRIX.values():
            self.assertFalse(set(rights) - GROUPS.keys())
            for value in rights.values():
                self.assertTrue(set(value) <= set("crwu"), value)

    def test_rights_match_the_table(self):
        Access = self.env["ir.model.access"]
        differences = []
        for model in self._our_models():
            for key, user in self.users.items():
                actual = "".join(
                    letter
                    for letter, mode in MODES
                    if Access.with_user(user).check(model, mode, raise_exception=False)
                )
                expected = MATRIX.get(model, {}).get(key, "")
                if actual != expected:
                    differences.append(f"{model} / {key}: expected {expected!r}, got {actual!r}")
        self.assertFalse(differences, "\n".join(differences))

    def test_groups_hold_what_they_say(self):
        """Spot checks a reader can verify against the README's groups."""
        self.assertEqual(MATRIX["crm.call"]["agent"], "rw")
        self.assertEqual(MATRIX["crm.call"]["portal"], "r")
        self.assertNotIn("public", MATRIX["crm.call"])
        self.assertEqual(MATRIX["crm.call.caller"]["cp_manager"], "crwu")
        self.assertNotIn("agent", MATRIX["crm.call.caller"])
        for model, rights in MATRIX.items():
            self.assertNotIn("public", rights, f"{model}: the public user gets nothing")
            self.assertFalse(
                set(rights.get("portal", "")) - {"r"}, f"{model}: portal users only read"
            )


def _models_defined_in_our_sources():
    """The ``_name`` of every class in the Python of our addons' directory,
    installed or not (read in the code, so a row of an addon that is not
    installed here is not taken for a stale one)."""
    home = os.path.dirname(get_module_path("crm_customer_care"))
    names = set()
    for root, dirs, files in os.walk(home):
        dirs[:] = [d for d in dirs if d not in ("tests", "migrations", "i18n", "static")]
        for file in files:
            if file.endswith(".py"):
                with open(os.path.join(root, file), encoding="utf-8") as handle:
                    tree = ast.parse(handle.read())
                names.update(
                    stmt.value.value
                    for node in ast.walk(tree)
                    if isinstance(node, ast.ClassDef)
                    for stmt in node.body
                    if isinstance(stmt, ast.Assign)
                    and isinstance(stmt.targets[0], ast.Name)
                    and stmt.targets[0].id == "_name"
                    and isinstance(stmt.value, ast.Constant)
                )
    return names
