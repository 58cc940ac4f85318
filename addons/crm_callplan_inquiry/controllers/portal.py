from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import fields
from odoo import http
from odoo.addons.crm_callplan.controllers.portal import CallPlanPortal
from odoo.addons.crm_customer_care.controllers.params import Date
from odoo.addons.crm_customer_care.controllers.params import Text
from odoo.addons.crm_customer_care.controllers.params import route_params
from odoo.http import request


class CallPlanInquiryPortal(CallPlanPortal):
    @http.route()
    @route_params(requested=Text(8))
    def portal_my_calls(self, requested=None, **kw):
        """``/my/calls`` with the call-back form; ``requested`` confirms a
        request just sent."""
        response = super().portal_my_calls(**kw)
        response.qcontext["requested"] = requested
        return response

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
