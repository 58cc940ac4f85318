from lxml import etree

from odoo.tests import TransactionCase
from odoo.tests import tagged

from .attack_surface import declared_records
from .attack_surface import our_modules


def _labels(arch):
    """``(label, value)`` of each ``<label for>`` of a group of ``arch``
    (the element after it, comments skipped, None when there is none)."""
    for label in arch.iter("label"):
        if label.getparent().tag != "group" or not label.get("for"):
            continue
        value = label.getnext()
        while value is not None and not isinstance(value.tag, str):
            value = value.getnext()  # comments
        yield label, value


@tagged("post_install", "-at_install")
class TestViewLayout(TransactionCase):
    def _our_views(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", sorted(our_modules(self.env))), ("model", "=", "ir.ui.view")]
        )
        return (
            self.env["ir.ui.view"]
            .browse(data.mapped("res_id"))
            .filtered(lambda view: view.type == "form")
        )

    def test_labels_sit_beside_their_values(self):
        """In a form's two-column group a ``<label>`` takes the label cell
        and the element after it the value cell. When one of the two can be
        hidden without the other (e.g. the "95% Interval" value hidden with
        too few customers), every label below moves into the value column:
        the pair must share its ``invisible`` (or the value stays, showing
        something else)."""
        checked, wrong = set(), []
        for view in self._our_views():
            arch = etree.fromstring(view.arch_db.encode())
            for label, value in _labels(arch):
                checked.add((view.xml_id, label.get("for")))
                if value is None or label.get("invisible") != value.get("invisible"):
                    wrong.append(f"{view.xml_id}: label for {label.get('for')}")
        # the scan checks every such label the installed addons' sources
        # declare in their form views (none in the core's own forms)
        declared = {
            (xmlid, label.get("for"))
            for xmlid, node in declared_records(self.env, "ir.ui.view").items()
            for label, _value in _labels(node)
        }
        self.assertEqual(checked, declared)
        self.assertFalse(wrong, "a label and its value hidden under different conditions")
