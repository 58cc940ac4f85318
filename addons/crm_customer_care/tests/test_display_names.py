from odoo import models
from odoo.tests import TransactionCase
from odoo.tests import tagged

from .attack_surface import our_models
from .attack_surface import our_modules


@tagged("post_install", "-at_install")
class TestDisplayNames(TransactionCase):
    def test_every_record_has_a_name(self):
        """A breadcrumb, a many2one and a chatter link show a record's
        display name: Odoo falls back to ``model,id`` ("crm.loyalty.anomaly,1")
        when a model has neither a name field (``_rec_name``) nor its own
        ``_compute_display_name``. Every model of ours that a menu opens in
        a form has one of them."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "in", sorted(our_modules(self.env))),
                ("model", "=", "ir.actions.act_window"),
            ]
        )
        actions = self.env["ir.actions.act_window"].browse(data.mapped("res_id"))
        # records opened in a form of their own: their name is the breadcrumb
        opened = {a.res_model for a in actions if "form" in (a.view_mode or "").split(",")}
        nameless = []
        for model in our_models(self.env, transient=False):
            if model._name not in opened:
                continue
            own_compute = (
                type(model)._compute_display_name is not models.BaseModel._compute_display_name
            )
            if model._rec_name not in model._fields and not own_compute:
                nameless.append(model._name)
        self.assertFalse(nameless, "records shown as 'model,id'")
