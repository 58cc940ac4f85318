from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_callplan.models.crm_call import CALL_OUTCOMES
from odoo.addons.crm_callplan.models.crm_call import CALLER_GROUP


class CrmCall(models.Model):
    """A call back the customer asks for on the portal: an inquiry through
    the portal channel and the planned call that answers it."""

    _inherit = "crm.call"

    inquiry_id = fields.Many2one(
        "helpdesk.ticket",
        "Inquiry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=CALLER_GROUP,
        help="The customer's inquiry this call answers (a call back asked from the portal).",
    )

    def _callplan_is_requested(self):
        """A call back answering the customer's own portal inquiry (the
        request is the consent, recorded in ``consent_evidence``)."""
        requested = super()._callplan_is_requested()
        portal = self.env.ref("crm_customer_inquiry.helpdesk_ticket_channel_portal", False)
        if not portal:
            return requested
        return requested | self.sudo().filtered(
            lambda c: (
                c.inquiry_id.channel_id == portal
                and c.inquiry_id.partner_id.commercial_partner_id
                == c.partner_id.commercial_partner_id
            )
        )

    def action_done(self):
        res = super().action_done()
        self._callplan_report_to_inquiries()
        return res

    def _callplan_report_to_inquiries(self):
        """A held call back answers its inquiry: the outcome and the shared
        summary go to the inquiry's chatter (never the internal findings)."""
        for call in self.sudo().filtered("inquiry_id"):
            call.inquiry_id.message_post(
                body=self.env._(
                    "Call back held on %(date)s by %(caller)s: %(outcome)s. %(summary)s",
                    date=fields.Date.to_string(call.date_done.date()),
                    caller=call.user_id.name or "-",
                    outcome=dict(CALL_OUTCOMES).get(call.outcome, ""),
                    summary=call.summary or "",
                ),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _callplan_request_callback(self, account, contact, when, topic):
        """A call back the customer asked for (portal): an inquiry through
        the portal channel (so it counts in the inquiry statistics and its
        SLA), and the planned call that answers it, for the account manager
        or unassigned for the callers to pick up."""
        manager = account.user_id
        company = account.company_id or self.env.company
        caller = self.env["crm.call.caller"].sudo()
        if manager:
            caller = caller.search(
                [("user_id", "=", manager.id), ("company_id", "=", company.id)], limit=1
            )
        call = self.sudo().create(
            {
                "name": self.env._("Call back requested: %(topic)s", topic=topic or account.name),
                "partner_id": account.id,
                "contact_id": contact.id if contact != account else False,
                "company_id": company.id,
                "user_id": manager.id or False,
                "caller_id": caller.id,
                "channel": "phone",
                "planned_date": when,
                "inquiry_id": self._callplan_callback_inquiry(account, contact, when, topic).id,
                "consent_evidence": self.env._(
                    "Call back requested by %(contact)s on the portal on %(date)s",
                    contact=contact.name,
                    date=fields.Datetime.to_string(fields.Datetime.now()),
                ),
            }
        )
        call.message_post(
            body=self.env._(
                "The customer asked to be called back from the portal: %(topic)s",
                topic=topic or "-",
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return call

    def _callplan_callback_inquiry(self, account, contact, when, topic):
        channel = self.env.ref("crm_customer_inquiry.helpdesk_ticket_channel_portal", False)
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Call back requested: %(topic)s", topic=topic or account.name
                    ),
                    "description": self.env._(
                        "Please call me back on %(date)s. Topic: %(topic)s",
                        date=fields.Date.to_string(when.date()),
                        topic=topic or "-",
                    ),
                    "partner_id": contact.id,
                    "company_id": (account.company_id or self.env.company).id,
                    "user_id": account.user_id.id or False,
                    "channel_id": channel.id if channel else False,
                }
            )
        )
