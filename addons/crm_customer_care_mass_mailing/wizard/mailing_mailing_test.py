from odoo import models
from odoo import tools
from odoo.exceptions import UserError


class MailingMailingTest(models.TransientModel):
    """The *Test* mail of a mailing is e-mail marketing too: it goes to no
    address our consent check blocks."""

    _inherit = "mailing.mailing.test"

    def send_mail_test(self):
        """Refuse, with the reason, when an address typed is refused by
        ``mailing.mailing._ccare_marketing_blocks``: held by a customer who
        may not get e-mail marketing, blacklisted, or suppressed. Addresses
        of colleagues (internal users) and of no customer may get it."""
        self.ensure_one()
        addresses = set()
        for line in (self.email_to or "").splitlines():
            # the address mass_mailing sends to: the first of each line
            found = tools.email_split(line)
            if found and tools.email_normalize(found[0]):
                addresses.add(tools.email_normalize(found[0]))
        Partner = self.env["res.partner"]
        blocks = self.env["mailing.mailing"]._ccare_marketing_blocks(
            {address: (Partner, [address]) for address in addresses}, sign_up=True, staff=True
        )
        if blocks:
            raise UserError(
                self.env._(
                    "The test mail was not sent: these addresses may not get e-mail marketing: "
                    "%(refused)s. Remove them and send again.",
                    refused="; ".join(
                        f"{address} ({why})" for address, why in sorted(blocks.items())
                    ),
                )
            )
        return super().send_mail_test()
