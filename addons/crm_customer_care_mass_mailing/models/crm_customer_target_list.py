from odoo import fields
from odoo import models
from odoo.exceptions import AccessError


class CrmCustomerTargetList(models.Model):
    """A target list feeds an Odoo mailing list: its customers and leads that
    may get e-mail marketing, one mailing contact each."""

    _inherit = "crm.customer.target.list"

    mailing_list_id = fields.Many2one(
        "mailing.list",
        "Mailing List",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        groups="mass_mailing.group_mass_mailing_user",
        help="Made and refreshed by Send to Mailing List: the members of the list that "
        "may get e-mail marketing.",
    )
    mailing_contact_count = fields.Integer(
        "Mailing Contacts",
        compute="_compute_mailing_contact_count",
        help="Subscribed (not opted-out) contacts of the mailing list.",
    )

    def _compute_mailing_contact_count(self):
        # how many, not who: readable by whoever reads the target list
        lists = self.sudo().mailing_list_id
        counts = dict(
            self.env["mailing.subscription"]
            .sudo()
            ._read_group(
                [("list_id", "in", lists.ids), ("opt_out", "=", False)], ["list_id"], ["__count"]
            )
        )
        for target in self:
            target.mailing_contact_count = counts.get(target.sudo().mailing_list_id, 0)

    def _ccare_email_members(self):
        """``(partners, leads)``: the members of the list (``_partners``,
        ``_leads``) that may get e-mail marketing now, one per address (a
        lead is left out when a customer of the list, or an earlier lead,
        has its address). Consent through the check of every mass mailing
        (``mailing.mailing._ccare_marketing_blocks``): a constant number of
        queries."""
        self.ensure_one()
        partners = self._partners().filtered("email_normalized")
        leads = self._leads().filtered("email_normalized")
        blocked = self.env["mailing.mailing"]._ccare_marketing_blocks(
            {partner.id: (partner, []) for partner in partners}
        )
        partners = partners.filtered(lambda p: p.id not in blocked)
        lead_blocks = leads._ccare_email_marketing_blocks()
        seen = set(partners.mapped("email_normalized"))
        kept = []
        for lead in leads:
            if lead.id not in lead_blocks and lead.email_normalized not in seen:
                seen.add(lead.email_normalized)
                kept.append(lead.id)
        return partners, leads.browse(kept)

    def action_send_to_mailing_list(self):
        """Create, or refresh, the mailing list of each target list. A
        refresh subscribes the new contactable members and opts out the
        subscriptions of those who no longer are (no longer members, or
        their consent no longer allows it); it deletes nothing and never
        subscribes again whom the list opted out (an opt-out may be the
        customer's own). Set-based: a constant number of queries."""
        self.check_access("write")
        if not self.env.user.has_group("mass_mailing.group_mass_mailing_user"):
            raise AccessError(
                self.env._("Only Email Marketing users can fill a mailing list from a target list.")
            )
        added = opted_out = 0
        for target in self:
            new, gone = target._ccare_sync_mailing_list()
            added += new
            opted_out += gone
        self.invalidate_recordset(["mailing_contact_count"])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Mailing list updated: %(added)s subscribed, %(opted_out)s opted out.",
                    added=added,
                    opted_out=opted_out,
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _ccare_sync_mailing_list(self):
        """Bring the mailing list in step with the list's contactable
        members; returns ``(subscribed, opted out)``."""
        self.ensure_one()
        partners, leads = self._ccare_email_members()
        if not self.mailing_list_id:
            self.mailing_list_id = self.env["mailing.list"].create(
                {"name": self.name, "is_public": False}
            )
        mailing_list = self.mailing_list_id
        Contact = self.env["mailing.contact"].with_context(
            active_test=False, tracking_disable=True, mail_create_nolog=True
        )
        existing = Contact.search(
            [
                "|",
                "&",
                ("ccare_partner_id", "in", partners.ids),
                ("ccare_lead_id", "=", False),
                ("ccare_lead_id", "in", leads.ids),
            ]
        )
        by_partner = {c.ccare_partner_id.id: c for c in existing if not c.ccare_lead_id}
        by_lead = {c.ccare_lead_id.id: c for c in existing if c.ccare_lead_id}
        values = [
            {
                "name": partner.name,
                "email": partner.email,
                "country_id": partner.country_id.id,
                "ccare_partner_id": partner.id,
            }
            for partner in partners
            if partner.id not in by_partner
        ]
        values += [
            {
                "name": lead.contact_name or lead.partner_name or lead.name,
                "email": lead.email_from,
                "company_name": lead.partner_name,
                "country_id": lead.country_id.id,
                "ccare_partner_id": lead.partner_id.id,
                "ccare_lead_id": lead.id,
            }
            for lead in leads
            if lead.id not in by_lead
        ]
        wanted = existing | Contact.create(values)
        # a customer's or lead's address may have changed since
        address = {p.id: p.email for p in partners}
        for contact in wanted:
            email = (
                contact.ccare_lead_id.email_from
                if contact.ccare_lead_id
                else address[contact.ccare_partner_id.id]
            )
            if contact.email != email:
                contact.email = email
        Subscription = self.env["mailing.subscription"]
        subscriptions = Subscription.search([("list_id", "=", mailing_list.id)])
        subscribed = set(subscriptions.contact_id.ids)
        new = Subscription.create(
            [
                {"contact_id": contact.id, "list_id": mailing_list.id}
                for contact in wanted
                if contact.id not in subscribed
            ]
        )
        # the contacts' many2many over the subscription table is not kept in
        # step by the ORM (see mailing.contact.create)
        mailing_list.invalidate_recordset(["contact_ids"])
        wanted.invalidate_recordset(["list_ids"])
        gone = subscriptions.filtered(lambda s: not s.opt_out and s.contact_id not in wanted)
        gone.write({"opt_out": True})
        return len(new), len(gone)

    def action_open_mailing_list(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.mailing_list_id.display_name,
            "res_model": "mailing.list",
            "view_mode": "form",
            "res_id": self.mailing_list_id.id,
        }
