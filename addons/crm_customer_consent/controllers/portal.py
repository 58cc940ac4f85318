from odoo import http
from odoo.addons.crm_customer_care.controllers.params import Choice
from odoo.addons.crm_customer_care.controllers.params import Text
from odoo.addons.crm_customer_care.controllers.params import route_params
from odoo.addons.crm_customer_care.models.res_partner_contact import CONSENT_CHANNELS
from odoo.addons.crm_customer_care.models.res_partner_contact import CONSENT_PURPOSES
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request

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
# the decisions a customer makes on the portal or the preference page (a
# purpose never asked may be refused: refused, not withdrawn)
PORTAL_DECISIONS = ("granted", "refused", "withdrawn")
# the parameters of a decision sent from the portal or the preference page
CHOICE_PARAMS = {
    "purpose": Choice(dict.fromkeys(purpose for purpose, _channel in PORTAL_CHOICES)),
    "channel": Choice(dict.fromkeys(channel for _purpose, channel in PORTAL_CHOICES)),
    "state": Choice(PORTAL_DECISIONS),
}
# a signed token of the e-mail links
TOKEN = Text(1024)


def ccare_privacy_rows(partner):
    """The choices a customer manages, with the current decision and what
    actually holds (the account's decision included, see
    ``res.partner._ccare_contact_blocks``): one implementation for
    ``/my/privacy`` and the public preference page."""
    partner = partner.sudo()
    account = partner.commercial_partner_id
    current, of_account = {}, {}
    for c in (
        request.env["crm.customer.consent"]
        .sudo()
        .search([("partner_id", "in", (partner | account).ids), ("is_current", "=", True)])
    ):
        (current if c.partner_id == partner else of_account)[c.purpose, c.channel] = c
    purposes, channels = dict(CONSENT_PURPOSES), dict(CONSENT_CHANNELS)
    rows = []
    for purpose, channel in PORTAL_CHOICES:
        consent = current.get((purpose, channel))
        rows.append(
            {
                "purpose": purpose,
                "channel": channel,
                "label": f"{purposes[purpose]} — {channels[channel]}",
                "consent": consent,
                # the company's decision, which holds for a contact who
                # decided nothing (see _ccare_contact_blocks)
                "account_consent": of_account.get((purpose, channel)),
                # what holds now (the account's do-not-contact or withdrawal
                # holds for every contact of the company)
                "block": partner._ccare_contact_blocks(purpose, channel).get(partner.id),
            }
        )
    return rows


def ccare_privacy_record(partner, purpose, channel, state, source, evidence):
    """Record a decision from the portal or the preference page: only the
    choices offered, only for ``partner`` (the visitor's own contact, or the
    one the signed token names). Returns the consent, or None."""
    if (purpose, channel) not in PORTAL_CHOICES or state not in PORTAL_DECISIONS:
        return None
    return partner.sudo()._ccare_record_consent(
        purpose, channel, state, source=source, evidence=evidence
    )


class CustomerConsentPortal(CustomerPortal):
    def _ccare_privacy_rows(self, partner):
        return ccare_privacy_rows(partner)

    @http.route("/my/privacy", type="http", auth="user", website=True)
    @route_params(saved=Text(8))
    def portal_my_privacy(self, saved=None, **kw):
        partner = request.env.user.partner_id
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="privacy",
            partner=partner,
            rows=self._ccare_privacy_rows(partner),
            saved=saved,
            action_url="/my/privacy/update",
            token=False,
        )
        return request.render("crm_customer_consent.portal_my_privacy", values)

    @http.route("/my/privacy/update", type="http", auth="user", methods=["POST"], website=True)
    @route_params(**CHOICE_PARAMS)
    def portal_my_privacy_update(self, purpose=None, channel=None, state=None, **kw):
        # the visitor's own partner only: the sudo never reaches anyone else
        ccare_privacy_record(
            request.env.user.partner_id,
            purpose,
            channel,
            state,
            "portal",
            request.env._(
                "Changed on the customer portal by %(user)s from %(ip)s",
                user=request.env.user.login,
                ip=request.httprequest.remote_addr,
            ),
        )
        return request.redirect("/my/privacy?saved=1")

    # ------------------------------------------------------------ no login
    # The unsubscribe link of our mails: a signed token names the partner
    # (res.partner._ccare_preference_url); expired or forged -> a clear
    # page and nothing recorded.
    def _ccare_token_evidence(self, token, what):
        return request.env._(
            "%(what)s from the e-mail link, token …%(token)s, from %(ip)s",
            what=what,
            token=token[-12:],
            ip=request.httprequest.remote_addr,
        )

    def _ccare_in_customer_lang(self, partner):
        """The page of a link we mailed speaks the customer's language (the
        mail did), unless the visitor chose one with the language selector
        (Odoo keeps that choice in the ``frontend_lang`` cookie)."""
        if partner.lang and not request.httprequest.cookies.get("frontend_lang"):
            request.update_context(lang=partner.lang)

    @http.route(
        "/ccare/preferences/<string:token>", type="http", auth="public", website=True, sitemap=False
    )
    @route_params(token=TOKEN, saved=Text(8))
    def ccare_preferences(self, token, saved=None, **kw):
        partner, _purpose = request.env["res.partner"]._ccare_preference_partner(token)
        if not partner:
            return request.render("crm_customer_consent.ccare_preferences_invalid", status=403)
        self._ccare_in_customer_lang(partner)
        return request.render(
            "crm_customer_consent.ccare_preferences",
            {
                "partner": partner,
                "rows": ccare_privacy_rows(partner),
                "saved": saved,
                "action_url": f"/ccare/preferences/{token}/update",
                "token": token,
            },
        )

    @http.route(
        "/ccare/preferences/<string:token>/update",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    @route_params(token=TOKEN, **CHOICE_PARAMS)
    def ccare_preferences_update(self, token, purpose=None, channel=None, state=None, **kw):
        partner, _purpose = request.env["res.partner"]._ccare_preference_partner(token)
        if not partner:
            return request.render("crm_customer_consent.ccare_preferences_invalid", status=403)
        ccare_privacy_record(
            partner,
            purpose,
            channel,
            state,
            "web",
            self._ccare_token_evidence(token, request.env._("Preference page")),
        )
        return request.redirect(f"/ccare/preferences/{token}?saved=1")

    @http.route(
        "/ccare/unsubscribe/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        sitemap=False,
    )
    @route_params(token=TOKEN)
    def ccare_unsubscribe_oneclick(self, token, **kw):
        """One-click unsubscribe (RFC 8058, the ``List-Unsubscribe-Post``
        header): withdraws the purpose of the mail, by e-mail."""
        partner, purpose = request.env["res.partner"]._ccare_preference_partner(token)
        if not partner or (purpose, "email") not in PORTAL_CHOICES:
            return request.make_response("Invalid or expired link", status=403)
        ccare_privacy_record(
            partner,
            purpose,
            "email",
            "withdrawn",
            "web",
            self._ccare_token_evidence(token, request.env._("One-click unsubscribe")),
        )
        return request.make_response("Unsubscribed")
