from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal

from .params import Names
from .params import route_params


class CustomerCarePortal(CustomerPortal):
    # ------------------------------------------------------------ portal home
    @http.route()
    @route_params(counters=Names(required=True))
    def counters(self, counters, **kw):
        # the portal home's counters (names only), read by the addons'
        # _prepare_home_portal_values
        return super().counters(counters, **kw)
