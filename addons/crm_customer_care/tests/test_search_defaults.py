from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .attack_surface import declared_records
from .attack_surface import our_modules
from .search_defaults import default_names
from .search_defaults import filter_groups


@tagged("post_install", "-at_install")
class TestSearchDefaults(TransactionCase):
    def test_default_filters_of_a_menu_all_apply(self):
        """A menu that opens with two filters on ("My Calls" and "Today")
        shows what passes both: the web client ORs the filters of one group
        of the search view, so two default filters never share a group."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "in", sorted(our_modules(self.env))),
                ("model", "=", "ir.actions.act_window"),
            ]
        )
        self.assertEqual(
            set(data.mapped("complete_name")),
            set(declared_records(self.env, "ir.actions.act_window")),
            "the scan reads every window action our installed addons declare",
        )
        checked = 0
        for action in self.env["ir.actions.act_window"].browse(data.mapped("res_id")):
            try:
                context = safe_eval(action.context or "{}", {"uid": self.env.uid})
            except (ValueError, NameError, SyntaxError):
                continue  # a context of the client's (active_id...): no defaults to check
            defaults = default_names(context)
            if len(defaults) < 2 or action.res_model not in self.env:
                continue
            checked += 1
            for group in filter_groups(self.env, action.res_model, action.search_view_id.id):
                # group-bys stack; only filters can widen each other
                together = [
                    node.get("name")
                    for node in group
                    if node.get("name") in defaults
                    and "group_by" not in (node.get("context") or "")
                ]
                self.assertLess(
                    len(together),
                    2,
                    f"{action.name} ({action.xml_id}): default filters {together} are in one group "
                    "of the search view, so the list shows what passes either",
                )
        # as many as the sources declare with two defaults or more (none
        # with the core alone; many with every addon)
        declared = [
            node.findtext("field[@name='context']") or ""
            for node in declared_records(self.env, "ir.actions.act_window").values()
        ]
        self.assertEqual(
            bool(checked), any(context.count("search_default_") > 1 for context in declared)
        )
