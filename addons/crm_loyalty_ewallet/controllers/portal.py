from odoo import http
from odoo.addons.crm_customer_care.controllers.params import Id
from odoo.addons.crm_customer_care.controllers.params import Number
from odoo.addons.crm_customer_care.controllers.params import route_params
from odoo.addons.crm_loyalty.controllers.portal import REQUEST_KEY
from odoo.addons.crm_loyalty.controllers.portal import CrmLoyaltyPortal
from odoo.exceptions import AccessError
from odoo.exceptions import MissingError
from odoo.http import request


class CrmLoyaltyEwalletPortal(CrmLoyaltyPortal):
    """/my/loyalty: the form that moves points into the member's eWallet,
    and what each conversion credited."""

    def _loyalty_program_fields(self):
        return [*super()._loyalty_program_fields(), "crm_ewallet_program_id", "crm_ewallet_rate"]

    def _loyalty_redemption_fields(self):
        return [*super()._loyalty_redemption_fields(), "ewallet_card_id", "ewallet_amount"]

    @http.route(
        "/my/loyalty/<int:card_id>/ewallet",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    @route_params(card_id=Id("loyalty.card"), points=Number(positive=True), request_key=REQUEST_KEY)
    def portal_my_loyalty_ewallet(self, card_id, points=None, request_key=None, **kw):
        """Move any number of points into the member's eWallet, at the
        program's rate (the model checks the balance, the suspension and the
        program; the form's key makes a retried request count once)."""
        try:
            card_sudo = self._document_check_access("loyalty.card", card_id)
        except (AccessError, MissingError):
            return request.redirect("/my/loyalty")
        if not points or not card_sudo.program_id.crm_ewallet_program_id:
            return request.redirect("/my/loyalty?error=reward")
        if card_sudo.crm_suspended:
            return request.redirect("/my/loyalty?error=suspended")
        values = {"kind": "ewallet", "points": points}
        return self._loyalty_request(card_sudo, values, request_key, "converted")
