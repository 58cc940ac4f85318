from odoo import models


class CrmLead(models.Model):
    """Leads and prospects called by a call campaign (a plan run over a
    target list): the queued chunk, and the customer a prospect needs to be
    called."""

    _inherit = "crm.lead"

    def _callplan_generate(self, run_id):
        """The queued job of one chunk of leads of a call campaign."""
        run = self.env["crm.call.plan.run"].sudo().browse(run_id).exists()
        if run:
            run._generate_chunk((), self.ids)

    def _callplan_assign_customers(self, company):
        """Give each lead of ``self`` without a customer one, as Odoo's
        conversion to an opportunity does (``_handle_partner_assignment``):
        the partner of its e-mail address in ``company`` when there is one,
        else a new customer from the lead's details
        (``_prepare_customer_values``). Set-based: one search, one create,
        one flushed write."""
        leads = self.filtered(lambda lead: not lead.partner_id)
        if not leads:
            return leads
        Partner = self.env["res.partner"]
        emails = [lead.email_normalized for lead in leads if lead.email_normalized]
        found = {}
        if emails:
            for partner in Partner.search(
                [("email_normalized", "in", emails), ("company_id", "in", [False, company.id])],
                order="parent_id desc, id",
            ):
                found.setdefault(partner.email_normalized, partner)
        new = leads.filtered(lambda lead: lead.email_normalized not in found)
        created = Partner.create(
            [
                lead._prepare_customer_values(
                    lead.partner_name or lead.contact_name or lead.name,
                    is_company=bool(lead.partner_name),
                )
                for lead in new
            ]
        )
        for lead, partner in zip(new, created, strict=True):
            lead.partner_id = partner
        for lead in leads - new:
            lead.partner_id = found[lead.email_normalized]
        return leads
