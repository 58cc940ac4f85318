from odoo import http
from odoo.addons.crm_customer_care.controllers.params import Choice
from odoo.addons.crm_customer_care.controllers.params import Id
from odoo.addons.crm_customer_care.controllers.params import Text
from odoo.addons.crm_customer_care.controllers.params import route_params
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request

from ..models.crm_account_service_request import STATUTORY_TYPES


class AccountRequestPortal(CustomerPortal):
    """Account requests on the portal (``/my/requests``): the visitor's
    company's requests, the statutory requests of the visitor, a form to
    send one, and the copy of their data once a data-access request is
    carried out."""

    # The address fields a customer may ask to change from the portal.
    PORTAL_REQUEST_FIELDS = ("street", "street2", "zip", "city", "phone", "email")

    def _ccare_my_requests(self):
        """The visitor's company's account requests, and the statutory
        requests of the visitor (a colleague's are theirs alone)."""
        person = request.env.user.partner_id
        return (
            request.env["crm.account.service.request"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", person.commercial_partner_id.id),
                    "|",
                    ("is_statutory", "=", False),
                    ("data_subject_id", "=", person.id),
                ]
            )
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ccare_request_count" in counters:
            values["ccare_request_count"] = len(self._ccare_my_requests())
        return values

    @http.route("/my/requests", type="http", auth="user", website=True)
    @route_params(submitted=Text(8))
    def portal_my_requests(self, submitted=None, **kw):
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="account_requests",
            requests=self._ccare_my_requests(),
            submitted=submitted,
        )
        return request.render("crm_account_service_request.portal_my_requests", values)

    # what a customer may ask from the portal: account requests, and the
    # statutory requests of the person logged in (the data subject)
    PORTAL_REQUEST_TYPES = ("update", "close", "data_access", "data_correction", "data_erasure")

    @http.route("/my/requests/new", type="http", auth="user", methods=["GET", "POST"], website=True)
    @route_params(
        request_type=Choice(PORTAL_REQUEST_TYPES),
        description=Text(10000),
        **dict.fromkeys(PORTAL_REQUEST_FIELDS, Text(256)),
    )
    def portal_my_request_new(self, request_type="update", description=None, **post):
        subject = request.env.user.partner_id
        partner = subject.commercial_partner_id
        statutory = request_type in STATUTORY_TYPES
        if request.httprequest.method == "POST" and request_type in self.PORTAL_REQUEST_TYPES:
            # a correction changes the person's own record, an update the account's
            target = subject if statutory else partner
            fields_model = request.env["ir.model.fields"].sudo()
            lines = [
                (
                    0,
                    0,
                    {
                        "field_id": fields_model._get("res.partner", name).id,
                        "new_value": post[name].strip(),
                    },
                )
                for name in self.PORTAL_REQUEST_FIELDS
                if request_type in ("update", "data_correction")
                and (post.get(name) or "").strip()
                and post[name].strip() != (target[name] or "")
            ]
            if request_type not in ("update", "data_correction") or lines:
                company = partner.company_id or request.env.company
                owner = (company.ccare_privacy_officer_id if statutory else False) or (
                    partner.user_id
                )
                Request = request.env["crm.account.service.request"].sudo()
                # the portal route itself says where the request comes from
                with Request._ccare_transition():
                    service_request = Request.create(
                        {
                            "partner_id": partner.id,
                            "company_id": company.id,
                            "request_type": request_type,
                            "source": "portal",
                            "description": description,
                            "line_ids": lines,
                            "user_id": owner.id or False,
                            "data_subject_id": subject.id if statutory else False,
                        }
                    )
                service_request.action_submit()
                return request.redirect("/my/requests?submitted=1")
        values = self._prepare_portal_layout_values()
        labels = partner.fields_get(list(self.PORTAL_REQUEST_FIELDS), ["string"])
        values.update(
            page_name="account_request_new",
            partner=partner,
            request_type=request_type if request_type in self.PORTAL_REQUEST_TYPES else "update",
            request_fields=[(name, labels[name]["string"]) for name in self.PORTAL_REQUEST_FIELDS],
        )
        return request.render("crm_account_service_request.portal_my_request_new", values)

    @http.route("/my/requests/<int:request_id>/response", type="http", auth="user")
    @route_params(request_id=Id("crm.account.service.request"))
    def portal_my_request_response(self, request_id, **kw):
        """The copy of their data, for the person who asked for it only."""
        service_request = request.env["crm.account.service.request"].sudo().browse(request_id)
        if (
            not service_request.exists()
            or service_request.request_type != "data_access"
            or service_request.state != "done"
            or service_request.data_subject_id != request.env.user.partner_id
            or not service_request.response_file_name
        ):
            raise request.not_found()
        stream = request.env["ir.binary"]._get_stream_from(
            service_request, "response_file", filename=service_request.response_file_name
        )
        return stream.get_response(as_attachment=True)
