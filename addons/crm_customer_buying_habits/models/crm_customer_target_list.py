import random
from collections import defaultdict

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.stats import draw_holdout
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class CrmCustomerTargetList(models.Model):
    """A saved audience for targeted marketing: customers matching a filter,
    RFM classes, a category affinity and a next-best product, and the open
    leads matching a lead filter (prospects included) or whose customer is
    in the audience. Its size and make-up are shown before it is used; a
    relationship programme (crm_relationship_programme) draws its members
    from it."""

    _name = "crm.customer.target.list"
    _inherit = ["crm.customer.care.filter.mixin"]
    _description = "Target List"
    _order = "name, id"
    _check_company_auto = True
    _ccare_filter_fields = {"partner_domain": "res.partner", "lead_domain": "crm.lead"}
    # what decides whom the filters are evaluated over: whoever changes it
    # must be able to read what they test (or the count would tell them)
    _ccare_filter_depends = (
        "audience",
        "rfm_class_ids",
        "segment_ids",
        "affinity_categ_id",
        "affinity_min_index",
        "next_product_id",
        "company_id",
    )

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    description = fields.Text()
    audience = fields.Selection(
        [("customers", "Customers"), ("leads", "Leads"), ("both", "Customers and Leads")],
        required=True,
        default="customers",
    )
    partner_domain = fields.Char("Customer Filter", default="[]", required=True)
    lead_domain = fields.Char(
        "Lead Filter",
        default="[]",
        required=True,
        help="Open leads and opportunities matching this filter: prospects (no customer) "
        "all, leads of a customer only if the customer is in the list.",
    )
    rfm_class_ids = fields.Many2many("crm.customer.rfm.class", string="RFM Classes")
    segment_ids = fields.Many2many("crm.customer.segment", string="Segments")
    affinity_categ_id = fields.Many2one("product.category", "Category")
    affinity_min_index = fields.Float(
        "Minimum Index",
        default=1.0,
        help="Customers whose share of spend in the category is at least this multiple "
        "of their segment's average.",
    )
    next_product_id = fields.Many2one(
        "product.product", "Next-Best Product", help="Customers to whom it is suggested."
    )
    holdout_percent = fields.Float(
        "Holdout (%)",
        default=10.0,
        help="Share of the list kept out of every call campaign over it, never called, to "
        "measure the campaign against (stratified by segment, customers and leads apart).",
    )
    holdout_seed = fields.Integer(
        default=lambda self: random.SystemRandom().randint(1, 2**31 - 1),
        copy=False,
        readonly=True,
        help="Draws the holdout: the same seed always holds out the same customers and leads, "
        "campaign after campaign.",
    )
    partner_count = fields.Integer("Customers", compute="_compute_preview")
    lead_count = fields.Integer("Leads", compute="_compute_preview")
    preview = fields.Html("Make-up", compute="_compute_preview", sanitize=False)

    _holdout_range = models.Constraint(
        "CHECK (holdout_percent >= 0 AND holdout_percent <= 90)",
        "The holdout of a target list is between 0 and 90 % of it.",
    )

    def _criteria_domain(self):
        """The buying-habits criteria, as a Domain on res.partner."""
        self.ensure_one()
        domain = Domain.TRUE
        if self.rfm_class_ids:
            domain &= Domain("rfm_class_id", "in", self.rfm_class_ids.ids)
        if self.segment_ids:
            domain &= Domain("segment_id", "in", self.segment_ids.ids)
        if self.affinity_categ_id:
            domain &= Domain(
                "category_affinity_ids",
                "any",
                Domain("categ_id", "=", self.affinity_categ_id.id)
                & Domain("company_id", "=", self.company_id.id)
                & Domain("affinity_index", ">=", self.affinity_min_index),
            )
        if self.next_product_id:
            domain &= Domain(
                "next_product_ids",
                "any",
                Domain("product_id", "=", self.next_product_id.id)
                & Domain("company_id", "=", self.company_id.id)
                & Domain("active", "=", True),
            )
        return domain

    def _partner_domain(self):
        """The customers of the list (commercial partners), as a Domain."""
        self.ensure_one()
        return (
            self._ccare_filter("partner_domain")
            & self._criteria_domain()
            & Domain("parent_id", "=", False)
            & Domain("company_id", "in", [False, self.company_id.id])
        )

    def _lead_domain(self):
        """The open leads of the list: matching the lead filter, and either
        without a customer (prospects, always taken) or whose customer is in
        the list's customers."""
        self.ensure_one()
        partner_part = Domain("partner_id", "=", False) | Domain(
            "partner_id.commercial_partner_id", "any", self._partner_domain()
        )
        return (
            self._ccare_filter("lead_domain")
            & partner_part
            & Domain("won_status", "=", "pending")
            & Domain("company_id", "in", [False, self.company_id.id])
        )

    def _ccare_draw_holdout(self, partners, leads):
        """The held-out ids ``(partner ids, lead ids)`` of ``partners`` and
        ``leads`` (pass the contactable ones only, so that the called and the
        held-out are alike): ``holdout_percent`` of each segment, customers
        and leads drawn apart, with the list's stored seed (the draw of
        ``crm_customer_care.stats.draw_holdout``, as relationship programmes
        draw theirs). The same list holds out the same units every time."""
        self.ensure_one()
        strata = defaultdict(list)
        for partner in partners:
            strata["partner", partner.segment_id.id].append(partner.id)
        for lead in leads:
            segment = lead.partner_id.commercial_partner_id.segment_id
            strata["lead", segment.id].append(f"lead-{lead.id}")
        held = draw_holdout(self.holdout_seed, self.holdout_percent, strata)
        return (
            {key for key in held if isinstance(key, int)},
            {int(key[5:]) for key in held if isinstance(key, str)},
        )

    def _partners(self):
        self.ensure_one()
        if self.audience == "leads":
            return self.env["res.partner"]
        return self.env["res.partner"].search(self._partner_domain())

    def _leads(self):
        self.ensure_one()
        if self.audience == "customers":
            return self.env["crm.lead"]
        return self.env["crm.lead"].search(self._lead_domain())

    @api.depends(
        "audience",
        "partner_domain",
        "lead_domain",
        "rfm_class_ids",
        "segment_ids",
        "affinity_categ_id",
        "affinity_min_index",
        "next_product_id",
        "company_id",
    )
    def _compute_preview(self):
        Partner = self.env["res.partner"]
        Lead = self.env["crm.lead"]
        for target in self:
            try:
                partner_domain = target._partner_domain()
                lead_domain = target._lead_domain()
            except ValidationError:
                target.partner_count = target.lead_count = 0
                target.preview = False
                continue
            by_class = by_segment = []
            partner_count = lead_count = 0
            if target.audience != "leads":
                by_class = Partner._read_group(partner_domain, ["rfm_class_id"], ["__count"])
                by_segment = Partner._read_group(partner_domain, ["segment_id"], ["__count"])
                partner_count = sum(count for _group, count in by_class)
            if target.audience != "customers":
                lead_count = Lead.search_count(lead_domain)
            target.partner_count = partner_count
            target.lead_count = lead_count
            none = self.env._("None")
            rows = [Markup("<tr><th colspan='2'>{}</th></tr>").format(self.env._("By RFM class"))]
            rows += [
                Markup("<tr><td>{}</td><td class='text-end'>{}</td></tr>").format(
                    group.display_name or none, count
                )
                for group, count in by_class
            ]
            rows.append(Markup("<tr><th colspan='2'>{}</th></tr>").format(self.env._("By segment")))
            rows += [
                Markup("<tr><td>{}</td><td class='text-end'>{}</td></tr>").format(
                    group.display_name or none, count
                )
                for group, count in by_segment
            ]
            target.preview = Markup(
                "<table class='table table-sm o_ccare_target_preview'><tbody>{}</tbody></table>"
            ).format(Markup("").join(rows))

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_care.res_partner_action_customers"
        )
        action.update(domain=list(self._partner_domain()), name=self.display_name)
        return action

    def action_open_leads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "domain": list(self._lead_domain()),
        }
