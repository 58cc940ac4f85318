from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import fields
from odoo import http
from odoo.addons.crm_customer_care.controllers.params import Date
from odoo.addons.crm_customer_care.controllers.params import Text
from odoo.addons.crm_customer_care.controllers.params import route_params
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
    @route_params(requested=Text(8))
    def portal_my_calls(self, requested=None, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="calls",
            calls=self._callplan_shared_calls(),
            requested=requested,
        )
        return request.render("crm_callplan.portal_my_calls", values)

    @http.route("/my/calls/callback", type="http", auth="user", methods=["POST"], website=True)
    @route_params(date=Date(), topic=Text(200))
    def portal_my_calls_callback(self, date=None, topic=None, **kw):
        """An inquiry and the planned call that answers it, for the visitor's
        company with the visitor as the contact, given to the account manager."""
        user = request.env.user
        commercial = user.commercial_partner_id
        today = fields.Date.context_today(user)
        day = min(max(date or today, today), today + timedelta(days=90))
        request.env["crm.call"].sudo()._callplan_request_callback(
            commercial, user.partner_id, datetime.combine(day, time(9, 0)), topic or ""
        )
        return request.redirect("/my/calls?requested=1")
