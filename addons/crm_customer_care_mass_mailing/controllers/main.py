from werkzeug.exceptions import Unauthorized

from odoo import http
from odoo.addons.crm_customer_care.controllers.params import Id
from odoo.addons.crm_customer_care.controllers.params import Ids
from odoo.addons.crm_customer_care.controllers.params import Text
from odoo.addons.crm_customer_care.controllers.params import route_params
from odoo.addons.crm_customer_consent.controllers.portal import ccare_privacy_record
from odoo.addons.mass_mailing.controllers.main import MassMailController
from odoo.http import request
from odoo.tools import email_normalize

# the parameters of mass_mailing's unsubscribe page
MAILING_PARAMS = {
    "mailing_id": Id("mailing.mailing"),
    "document_id": Id(),
    "email": Text(320),
    "hash_token": Text(256),
}


class MassMailConsentController(MassMailController):
    """One consent truth: leaving mass_mailing's lists, or blocklisting an
    address, on its unsubscribe pages records a withdrawal of e-mail
    marketing for the customers holding the address, with the evidence
    (the mailing, the token, the visitor's address), through the same
    function as our own preference page (``ccare_privacy_record``).

    Identity, one rule, for every route of the controller (those that
    change a blacklist entry, a subscription or a consent, and the pages
    that show them): the visitor acts only on an address proven theirs, a
    signed token for that address (mass_mailing checks it against the
    mailing before any change) or a verified login (the user's login is
    that address), see ``_fetch_user_information``. Setting one's e-mail to
    someone else's proves nothing. Leaving one list while staying on
    another is no withdrawal."""

    def _fetch_user_information(self, email, hash_token):
        """mass_mailing gives a logged-in visitor without a token their own
        e-mail, which they may set to anyone's: accept it only when it is
        their login. Raises ``Unauthorized`` (a 401 page; ``'unauthorized'``
        on the JSON routes, see ``_ccare_refused``)."""
        email_found, hash_token_found = super()._fetch_user_information(email, hash_token)
        if hash_token_found or request.env.user._is_public():
            return email_found, hash_token_found
        if not email_found or email_normalize(request.env.user.login or "") != email_found:
            raise Unauthorized(
                request.env._(
                    "Your e-mail address is not your login: use the link of an e-mail we sent "
                    "you to manage your subscriptions."
                )
            )
        return email_found, hash_token_found

    def _ccare_refused(self, route, **kwargs):
        # the JSON routes answer as mass_mailing's page expects
        try:
            return route(**kwargs)
        except Unauthorized:
            return "unauthorized"

    def _ccare_evidence(self, mailing, document_id, hash_token, what):
        if hash_token:
            proof = request.env._("token …%(token)s", token=hash_token[-12:])
        else:
            proof = request.env._("logged in as %(login)s", login=request.env.user.login)
        return request.env._(
            "%(what)s on the unsubscribe page of mailing “%(mailing)s” (#%(id)s, document "
            "%(document)s), %(proof)s, from %(ip)s",
            what=what,
            mailing=mailing.subject or "",
            id=mailing.id or "-",
            document=document_id or "-",
            proof=proof,
            ip=request.httprequest.remote_addr,
        )

    def _ccare_record_withdrawal(self, email, evidence, if_unsubscribed=False):
        """Record the withdrawal for every customer holding ``email`` whose
        current decision is not already a refusal or withdrawal. With
        ``if_unsubscribed``, only when the address is opted in to no list
        any more."""
        email = email_normalize(email or "")
        if not email:
            return
        if if_unsubscribed and request.env["mailing.subscription"].sudo().search_count(
            [("contact_id.email_normalized", "=", email), ("opt_out", "=", False)], limit=1
        ):
            return
        partners = (
            request.env["res.partner"]
            .sudo()
            .search([("email_normalized", "=", email), ("ccare_anonymised_date", "=", False)])
        )
        decided = (
            request.env["crm.customer.consent"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("purpose", "=", "marketing"),
                    ("channel", "=", "email"),
                    ("is_current", "=", True),
                    ("state", "in", ("refused", "withdrawn")),
                ]
            )
        )
        partners -= decided.partner_id
        if partners:
            ccare_privacy_record(partners, "marketing", "email", "withdrawn", "web", evidence)

    def _mailing_unsubscribe_from_list(self, mailing, document_id, email, hash_token):
        response = super()._mailing_unsubscribe_from_list(mailing, document_id, email, hash_token)
        self._ccare_record_withdrawal(
            email,
            self._ccare_evidence(
                mailing, document_id, hash_token, request.env._("Left the mailing list")
            ),
            if_unsubscribed=True,
        )
        return response

    def _mailing_unsubscribe_from_document(self, mailing, document_id, email, hash_token):
        response = super()._mailing_unsubscribe_from_document(
            mailing, document_id, email, hash_token
        )
        self._ccare_record_withdrawal(
            email,
            self._ccare_evidence(
                mailing, document_id, hash_token, request.env._("Blocklisted the address")
            ),
        )
        return response

    @http.route()
    @route_params(lists_optin_ids=Ids("mailing.list"), **MAILING_PARAMS)
    def mailing_update_list_subscription(
        self, mailing_id=None, document_id=None, email=None, hash_token=None, **post
    ):
        result = self._ccare_refused(
            super().mailing_update_list_subscription,
            mailing_id=mailing_id,
            document_id=document_id,
            email=email,
            hash_token=hash_token,
            **post,
        )
        # an int: the number of lists left (else 'error' or 'unauthorized')
        if isinstance(result, int) and not isinstance(result, bool) and result:
            self._ccare_after_portal_request(
                mailing_id,
                document_id,
                email,
                hash_token,
                request.env._("Left the mailing lists"),
                if_unsubscribed=True,
            )
        return result

    @http.route()
    @route_params(**{**MAILING_PARAMS, "mailing_id": Id("mailing.mailing", required=True)})
    def mailing_confirm_unsubscribe_post(
        self, mailing_id, document_id=None, email=None, hash_token=None
    ):
        # the form's parameters, read before mass_mailing int()s them (this
        # route runs our _mailing_unsubscribe_from_list/_document)
        return super().mailing_confirm_unsubscribe_post(
            mailing_id, document_id=document_id, email=email, hash_token=hash_token
        )

    @http.route()
    @route_params(**MAILING_PARAMS)
    def mail_blocklist_add(self, mailing_id=None, document_id=None, email=None, hash_token=None):
        result = self._ccare_refused(
            super().mail_blocklist_add,
            mailing_id=mailing_id,
            document_id=document_id,
            email=email,
            hash_token=hash_token,
        )
        if result is True:
            self._ccare_after_portal_request(
                mailing_id, document_id, email, hash_token, request.env._("Blocklisted the address")
            )
        return result

    @http.route()
    @route_params(**MAILING_PARAMS)
    def mail_blocklist_remove(self, mailing_id=None, document_id=None, email=None, hash_token=None):
        return self._ccare_refused(
            super().mail_blocklist_remove,
            mailing_id=mailing_id,
            document_id=document_id,
            email=email,
            hash_token=hash_token,
        )

    @http.route()
    @route_params(
        **MAILING_PARAMS,
        last_action=Text(64),
        opt_out_reason_id=Id("mailing.subscription.optout"),
        feedback=Text(4000),
    )
    def mailing_send_feedback(
        self,
        mailing_id=None,
        document_id=None,
        email=None,
        hash_token=None,
        last_action=None,
        opt_out_reason_id=False,
        feedback=None,
        **post,
    ):
        return self._ccare_refused(
            super().mailing_send_feedback,
            mailing_id=mailing_id,
            document_id=document_id,
            email=email,
            hash_token=hash_token,
            last_action=last_action,
            opt_out_reason_id=opt_out_reason_id,
            feedback=feedback,
            **post,
        )

    def _ccare_after_portal_request(
        self, mailing_id, document_id, email, hash_token, what, if_unsubscribed=False
    ):
        # mass_mailing has checked the token (or the login) before answering
        email_found, hash_token_found = self._fetch_user_information(email, hash_token)
        mailing = request.env["mailing.mailing"].sudo()
        if mailing_id:
            mailing = mailing.browse(int(mailing_id)).exists()
        evidence = self._ccare_evidence(mailing, document_id, hash_token_found, what)
        self._ccare_record_withdrawal(email_found, evidence, if_unsubscribed=if_unsubscribed)
