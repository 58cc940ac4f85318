from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.crm_customer_consent import CONSENT_CHANNELS, CONSENT_PURPOSES

# What a customer manages on the portal: marketing and sales calls on the
# channels that make sense for them.
PORTAL_CHOICES = [
    ("marketing", "email"),
    ("marketing", "sms"),
    ("marketing", "post"),
    ("sales_calls", "phone"),
    ("sales_calls", "visit"),
    ("profiling", "email"),
]


class CustomerCarePortal(CustomerPortal):
    def _ccare_privacy_rows(self, partner):
        current = {
            (c.purpose, c.channel): c
            for c in request.env["crm.customer.consent"].sudo().search(
                [("partner_id", "=", partner.id), ("is_current", "=", True)]
            )
        }
        purposes, channels = dict(CONSENT_PURPOSES), dict(CONSENT_CHANNELS)
        return [
            {
                "purpose": purpose,
                "channel": channel,
                "label": f"{purposes[purpose]} — {channels[channel]}",
                "consent": current.get((purpose, channel)),
            }
            for purpose, channel in PORTAL_CHOICES
        ]

    @http.route("/my/privacy", type="http", auth="user", website=True)
    def portal_my_privacy(self, **kw):
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="privacy",
            partner=partner,
            rows=self._ccare_privacy_rows(partner),
            saved=kw.get("saved"),
        )
        return request.render("crm_customer_care.portal_my_privacy", values)

    @http.route("/my/privacy/update", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_privacy_update(self, purpose=None, channel=None, state=None, **kw):
        if (purpose, channel) not in PORTAL_CHOICES or state not in ("granted", "withdrawn"):
            return request.redirect("/my/privacy")
        # the visitor's own partner only: the sudo never reaches anyone else
        partner = request.env.user.partner_id
        partner.sudo()._ccare_record_consent(
            purpose,
            channel,
            state,
            source="portal",
            evidence=request.env._(
                "Changed on the customer portal by %(user)s from %(ip)s",
                user=request.env.user.login,
                ip=request.httprequest.remote_addr,
            ),
        )
        return request.redirect("/my/privacy?saved=1")
