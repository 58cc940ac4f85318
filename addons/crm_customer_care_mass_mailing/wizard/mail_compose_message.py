from odoo import models
from odoo.tools import email_normalize_all


class MailComposeMessage(models.TransientModel):
    """Where a mass mailing's recipients become mails: every path (the
    mailing's domain, ``action_send_mail(res_ids=...)``, lists, A/B tests,
    a retry, the composer's own *mass mailing name*) ends here, one batch at
    a time, with the mails' real recipients."""

    _inherit = "mail.compose.message"

    def _process_mail_values_state(self, mail_values_dict):
        """A mailing's mail whose recipients our consent check blocks
        (``mailing.mailing._ccare_marketing_blocks``) is cancelled as opted
        out, with the reason, whatever the model and even with the exclusion
        list switched off. Constant queries per batch."""
        mail_values_dict = super()._process_mail_values_state(mail_values_dict)
        if not (self.mass_mailing_id or self.mass_mailing_name):
            return mail_values_dict
        # mails already cancelled or failed (blacklist, no address) stay so
        todo = [res_id for res_id, values in mail_values_dict.items() if not values.get("state")]
        records = self.env[self.model].browse(todo)
        stand_for = records._ccare_marketing_partners()
        Partner = self.env["res.partner"]
        recipients = {}
        for res_id in todo:
            values = mail_values_dict[res_id]
            partner_ids = [
                command[1] for command in values.get("recipient_ids") or [] if command[1]
            ]
            addresses = email_normalize_all(
                f"{values.get('email_to') or ''},{values.get('email_cc') or ''}"
            )
            recipients[res_id] = (
                Partner.browse(partner_ids) | stand_for.get(res_id, Partner),
                addresses,
            )
        blocks = self.env["mailing.mailing"]._ccare_marketing_blocks(
            recipients, sign_up=records._ccare_marketing_sign_up()
        )
        for res_id, reason in blocks.items():
            mail_values_dict[res_id].update(
                state="cancel",
                failure_type="mail_optout",
                failure_reason=self.env._("Not sent: %s (e-mail marketing).", reason),
                is_notification=False,
            )
        return mail_values_dict

    def _prepare_mail_values_mailing_traces(self, mail_values_all):
        # the trace of a mail our check cancelled says why
        traces = super()._prepare_mail_values_mailing_traces(mail_values_all)
        for res_id, values in mail_values_all.items():
            if traces.get(res_id) and values.get("failure_reason"):
                traces[res_id]["failure_reason"] = values["failure_reason"]
        return traces
