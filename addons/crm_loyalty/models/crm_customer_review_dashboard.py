from odoo import models
from odoo.fields import Domain


class CrmCustomerReviewDashboard(models.TransientModel):
    """The loyalty launchers of the manager dashboard."""

    _inherit = "crm.customer.review.dashboard"

    def action_open_expiring_points(self):
        """The points statement of the lots expiring soon in the company
        (``crm.loyalty.points.lot._loyalty_expiring_soon_domain``, the card's and
        the portal's definition): its Remaining total is the sum of the cards'
        Expiring Soon figures."""
        self.check_access("read")
        company = self.company_id[:1] or self.env.company
        Lot = self.env["crm.loyalty.points.lot"]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_loyalty.crm_loyalty_points_lot_action"
        )
        name = self.env._("Points Expiring Soon")
        action.update(
            name=name,
            display_name=name,
            domain=list(
                Lot._loyalty_expiring_soon_domain() & Domain("company_id", "in", company.ids)
            ),
            context={"create": False},
        )
        return action
