import inspect
import pathlib
import re

from odoo.modules.module import get_module_path
from odoo.tests import tagged

from .attack_surface import our_modules
from .common import CustomerCareCommon


@tagged("post_install", "-at_install", "ccare_consent")
class TestEveryCronHasItsScheduledAction(CustomerCareCommon):
    def test_every_cron_method_has_an_ir_cron(self):
        """Every ``_cron_*`` method our addons define is called by an
        ``ir.cron`` of its model: a job without one never runs."""
        codes = {
            (cron.model_id.model, name)
            for cron in self.env["ir.cron"].with_context(active_test=False).search([])
            for name in re.findall(r"model\.(_cron_\w+)\(", cron.code or "")
        }
        found = []
        ours = our_modules(self.env)
        for model_name in self.env.registry:
            cls = type(self.env[model_name])
            for name, _member in inspect.getmembers(cls, inspect.isfunction):
                if not name.startswith("_cron_"):
                    continue
                defining = [
                    klass
                    for klass in cls.__mro__
                    if name in vars(klass) and getattr(klass, "_module", None) in ours
                ]
                if defining:
                    found.append((model_name, name))
                    self.assertIn(
                        (model_name, name),
                        codes,
                        f"{model_name}.{name} has no ir.cron calling model.{name}()",
                    )
        # the scan sees every job the installed addons' sources define (a
        # test that cannot fail is a defect)
        defined = set()
        for module in ours:
            for path in pathlib.Path(get_module_path(module)).rglob("*.py"):
                if not {"tests", "migrations"} & set(path.parts):
                    defined |= set(re.findall(r"def (_cron_\w+)\(", path.read_text()))
        self.assertIn(("res.partner", "_cron_recompute_contact_dates"), found)
        self.assertEqual({name for _model, name in found}, defined)
