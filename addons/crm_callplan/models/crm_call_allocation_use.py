from odoo import fields
from odoo import models

from .crm_call import CrmCall


class CrmCallAllocationUse(models.Model):
    """What a held call draws on the allocations: the funds it cost (the
    agency's price per call, plus what was spent on it) and the promotion
    materials issued on it, each from the allocation that matches the call
    best (``crm.call.allocation._callplan_match``)."""

    _inherit = "crm.call"

    # fixed with the rest of the call once it is held: the consumption
    # recorded from them must stay true
    _ccare_frozen_fields = (*CrmCall._ccare_frozen_fields, "material_quantity", "expense_amount")

    material_quantity = fields.Float(
        "Materials Issued", help="Promotion materials handed out on this call or visit."
    )
    expense_amount = fields.Monetary(
        "Funds Spent",
        currency_field="currency_id",
        help="Marketing funds spent on this call or visit (samples, entertainment...).",
    )

    def _consume_allocations(self):
        """One consumption line per held call and allocation type, in one
        search and one create for the whole batch."""
        calls = self.sudo().filtered(lambda c: c.state == "done")
        if not calls:
            return
        allocations = (
            self.env["crm.call.allocation"]
            .sudo()
            .search(
                [
                    ("allocation_type", "in", ("funds", "material")),
                    ("company_id", "in", calls.company_id.ids),
                    ("date_from", "<=", max(calls.mapped("date_done")).date()),
                    ("date_to", ">=", min(calls.mapped("date_done")).date()),
                ]
            )
        )
        if not allocations:
            return
        lines = []
        for call in calls:
            spent = {
                "funds": (1.0, call.cost + call.expense_amount),
                "material": (call.material_quantity, 0.0),
            }
            for allocation_type, (quantity, amount) in spent.items():
                if not (amount if allocation_type == "funds" else quantity):
                    continue
                allocation = allocations._callplan_match(call, allocation_type)
                if allocation:
                    lines.append(
                        {
                            "allocation_id": allocation.id,
                            "call_id": call.id,
                            "date": call.date_done.date(),
                            "quantity": quantity,
                            "amount": amount,
                            "description": call.name,
                        }
                    )
        self.env["crm.call.allocation.line"].sudo().create(lines)
