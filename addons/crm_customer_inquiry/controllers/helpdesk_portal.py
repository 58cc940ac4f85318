from collections import OrderedDict
from operator import itemgetter

from odoo import http
from odoo.addons.crm_customer_care.controllers.params import Date
from odoo.addons.crm_customer_care.controllers.params import Id
from odoo.addons.crm_customer_care.controllers.params import Text
from odoo.addons.crm_customer_care.controllers.params import parse_params
from odoo.addons.crm_customer_care.controllers.params import route_params
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.fields import Domain
from odoo.http import request
from odoo.tools import groupby as groupbyelem

# the columns the portal's ticket list shows (read with the search)
TICKET_LIST_FIELDS = [
    "partner_id",
    "number",
    "name",
    "category_id",
    "stage_id",
    "create_date",
    "last_stage_update",
    "closed_date",
]
# what the portal's ticket form sends (helpdesk_mgmt int()s the ids)
TICKET_PARAMS = {
    "category": Id("helpdesk.ticket.category"),
    "team": Id("helpdesk.ticket.team"),
    "subject": Text(256, required=True),
    "description": Text(100000, required=True),
}


class CustomerCareInquiryController(HelpdeskTicketController):
    """Inquiries submitted from the customer portal (/new/ticket) come in
    through the "Portal" channel."""

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**parse_params(TICKET_PARAMS, kw))
        channel = request.env.ref("crm_customer_inquiry.helpdesk_ticket_channel_portal", False)
        if channel:
            vals["channel_id"] = channel.id
        return vals


class CustomerCareInquiryPortal(CustomerPortalHelpdesk):
    """/my/tickets as OCA serves it, with the work done once: the record
    rules applied by the search only (OCA adds them to the domain a second
    time, and its portal rule's two ``child_of`` then expand the
    customer's contacts twice more per search), the tickets read with their
    columns in the same query, and no count when the first page holds them
    all. The same tickets, in the same order, on the same page."""

    @http.route()
    @route_params(
        page=Id(),
        date_begin=Date(),
        date_end=Date(),
        sortby=Text(32),
        filterby=Text(32),
        search=Text(256),
        search_in=Text(32),
        groupby=Text(32),
    )
    def portal_my_tickets(
        self,
        page=1,
        date_begin=None,
        date_end=None,
        sortby=None,
        filterby=None,
        search=None,
        search_in=None,
        groupby=None,
        **kw,
    ):
        HelpdeskTicket = request.env["helpdesk.ticket"]
        if not HelpdeskTicket.has_access("read"):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        searchbar_sortings, searchbar_filters = self._tickets_searchbar()
        if sortby not in searchbar_sortings:
            sortby = "date"
        filterby = filterby if filterby in searchbar_filters else "all"
        if groupby not in self._ticket_get_searchbar_groupby():
            groupby = "none"
        search_in = search_in or "all"
        domain = Domain(searchbar_filters[filterby]["domain"])
        if date_begin and date_end:
            domain &= Domain("create_date", ">", date_begin) & Domain("create_date", "<=", date_end)
        if search:
            domain &= Domain(self._ticket_get_search_domain(search_in, search))
        order = self._ticket_get_order(searchbar_sortings[sortby]["order"], groupby)
        url_args = {
            "date_begin": date_begin,
            "date_end": date_end,
            "sortby": sortby,
            "filterby": filterby,
            "groupby": groupby,
            "search": search,
            "search_in": search_in,
        }
        tickets, pager = self._tickets_page(domain, order, page, url_args)
        request.session["my_tickets_history"] = tickets.ids[:100]
        group = self._ticket_get_groupby_mapping().get(groupby)
        if group:
            grouped_tickets = [
                HelpdeskTicket.concat(*g) for _k, g in groupbyelem(tickets, itemgetter(group))
            ]
        else:
            grouped_tickets = [tickets] if tickets else []
        values.update(
            {
                "date": date_begin,
                "date_end": date_end,
                "grouped_tickets": grouped_tickets,
                "page_name": "ticket",
                "default_url": "/my/tickets",
                "pager": pager,
                "searchbar_sortings": searchbar_sortings,
                "searchbar_groupby": self._ticket_get_searchbar_groupby(),
                "searchbar_inputs": self._ticket_get_searchbar_inputs(),
                "search_in": search_in,
                "search": search,
                "sortby": sortby,
                "groupby": groupby,
                "searchbar_filters": OrderedDict(sorted(searchbar_filters.items())),
                "filterby": filterby,
            }
        )
        return request.render("helpdesk_mgmt.portal_my_tickets", values)

    def _tickets_searchbar(self):
        """The list's sortings (in their order) and its filters: all, and one
        per stage."""
        sortings = dict(
            sorted(
                self._ticket_get_searchbar_sortings().items(),
                key=lambda item: item[1]["sequence"],
            )
        )
        filters = {"all": {"label": request.env._("All"), "domain": []}}
        for stage in request.env["helpdesk.ticket.stage"].search([]):
            filters[str(stage.id)] = {
                "label": stage.name,
                "domain": [("stage_id", "=", stage.id)],
            }
        return sortings, filters

    def _tickets_page(self, domain, order, page, url_args):
        """The page's tickets, read with their columns, and its pager; the
        first page holding them all is its own count (no count query)."""
        HelpdeskTicket = request.env["helpdesk.ticket"]
        step = self._items_per_page
        tickets = count = None
        if page == 1:
            tickets = HelpdeskTicket.search_fetch(
                domain, TICKET_LIST_FIELDS, order=order, limit=step
            )
            if len(tickets) < step:
                count = len(tickets)
        if count is None:
            count = HelpdeskTicket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets", url_args=url_args, total=count, page=page, step=step
        )
        if tickets is None or pager["offset"]:
            tickets = HelpdeskTicket.search_fetch(
                domain, TICKET_LIST_FIELDS, order=order, limit=step, offset=pager["offset"]
            )
        return tickets, pager
