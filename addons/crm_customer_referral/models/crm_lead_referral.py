from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models


class CrmLead(models.Model):
    """Referred leads: the referrer passes to the lead's customer, and a
    referred lead that becomes won is a referral conversion."""

    _inherit = "crm.lead"

    referred_by_id = fields.Many2one(
        "res.partner",
        string="Referred by",
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        help="Who recommended us to this prospect. The customer of the lead gets "
        "the same referrer when it has none yet.",
    )
    referral_converted_date = fields.Datetime(
        string="Referral Converted On",
        readonly=True,
        copy=False,
        help="When this referred lead was won (the referral conversion was "
        "reported to the referrer then, once).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._ccare_propagate_referrer()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if "partner_id" in vals or "referred_by_id" in vals:
            self._ccare_propagate_referrer()
        return result

    def _merge_get_fields(self):
        # merged opportunities keep the first referrer and conversion found
        return [*super()._merge_get_fields(), "referred_by_id", "referral_converted_date"]

    def _handle_won_lost(self, old_status_by_lead, new_status_by_lead):
        """Every change of won status goes through here (create, write,
        ``action_set_won``, a drag to a won stage): report the referred leads
        that became won."""
        result = super()._handle_won_lost(old_status_by_lead, new_status_by_lead)
        self.filtered(
            lambda lead: (
                new_status_by_lead.get(lead.id, {}).get("is_won")
                and not old_status_by_lead.get(lead.id, {}).get("is_won")
            )
        )._ccare_referral_won()
        return result

    def _ccare_referral_won(self):
        """Stamp the referred leads of ``self`` not converted yet and report
        them to the referrers, once, in one call."""
        referrals = self.filtered(
            lambda lead: lead.referred_by_id and not lead.referral_converted_date
        )
        if not referrals:
            return
        referrals.write({"referral_converted_date": fields.Datetime.now()})
        self.env["res.partner"]._ccare_referral_converted(referrals, "lead_won")

    def _ccare_propagate_referrer(self):
        """Give the customers of referred leads the lead's referrer, when they
        have none and it makes no loop; one write per referrer."""
        leads = self.filtered(
            lambda lead: (
                lead.referred_by_id
                and lead.partner_id
                and not lead.partner_id.referred_by_id
                and lead.partner_id != lead.referred_by_id
            )
        )
        if not leads:
            return
        Partner = self.env["res.partner"].sudo()
        # a partner up the referrer's chain must not become its referral
        ancestors = Partner._ccare_referral_ancestor_ids(leads.referred_by_id.ids)
        partners_by_referrer = defaultdict(set)
        assigned = set()
        for lead in leads:
            partner_id, referrer_id = lead.partner_id.id, lead.referred_by_id.id
            if partner_id in assigned or partner_id in ancestors.get(referrer_id, ()):
                continue
            assigned.add(partner_id)
            partners_by_referrer[referrer_id].add(partner_id)
        for referrer_id, partner_ids in partners_by_referrer.items():
            # the salesman need not manage contacts to qualify a lead
            Partner.browse(partner_ids).write({"referred_by_id": referrer_id})
