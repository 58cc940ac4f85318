from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request


class CallPlanPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "call_count" in counters:
            values["call_count"] = len(self._callplan_shared_calls())
        return values

    def _callplan_shared_calls(self):
        """The done calls of the visitor's company marked as shareable: the
        sudo is limited to them, and only their date, channel and summary are
        rendered (never the internal findings)."""
        commercial = request.env.user.commercial_partner_id
        return (
            request.env["crm.call"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("share_with_customer", "=", True),
                    ("state", "=", "done"),
                ],
                order="date_done desc",
                limit=100,
            )
        )

    @http.route("/my/calls", type="http", auth="user", website=True)
    def portal_my_calls(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(page_name="calls", calls=self._callplan_shared_calls())
        return request.render("crm_callplan.portal_my_calls", values)
