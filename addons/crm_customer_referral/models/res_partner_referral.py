from collections import defaultdict

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

CARE_USER = "crm_customer_care.group_crm_customer_care_user"


def referral_network_sql(roots):
    """The referral network as a recursive CTE, one definition for the
    contact form and the referrals analysis.

    ``network(root_id, partner_id, referrer_id)``: every partner referred by
    a root (a referrer matched by ``roots``, an SQL condition on
    ``res_partner p``), directly or through others, with who referred it.
    UNION (not UNION ALL) on finite tuples: ends even on corrupt loops.
    Archived partners are traversed; a network *member* is one of
    ``network n JOIN res_partner p ON p.id = n.partner_id`` where
    ``NETWORK_MEMBER_SQL`` holds (active, not the root itself).
    """
    return SQL(
        """
        network AS (
            SELECT p.referred_by_id AS root_id, p.id AS partner_id,
                   p.referred_by_id AS referrer_id
              FROM res_partner p
             WHERE %s
        UNION
            SELECT n.root_id, p.id, p.referred_by_id
              FROM network n
              JOIN res_partner p ON p.referred_by_id = n.partner_id
        )
        """,
        roots,
    )


NETWORK_MEMBER_SQL = SQL("p.active AND n.partner_id != n.root_id")


class ResPartner(models.Model):
    """The referral network: who referred whom, and what it brought.

    A partner's network is its direct referrals (partners whose
    ``referred_by_id`` is the partner) and, level after level, theirs.
    Conversions of referrals (a referred lead won, a referred partner's
    first customer invoice posted) are reported once, set-based, through
    :meth:`_ccare_referral_converted`, the extension point of other addons.
    """

    _inherit = "res.partner"

    referred_by_id = fields.Many2one(
        "res.partner",
        string="Referred by",
        index="btree_not_null",
        copy=False,
        tracking=True,
        ondelete="set null",
        help="The customer or contact who recommended us to this partner.",
    )
    referral_ids = fields.One2many(
        "res.partner",
        "referred_by_id",
        string="Direct Referrals",
        help="Partners this partner referred to us.",
    )
    referral_converted_date = fields.Datetime(
        string="Referral Converted On",
        readonly=True,
        copy=False,
        help="When this referred partner's first customer invoice was posted "
        "(the referral conversion was reported to the referrer then, once).",
    )
    referral_count = fields.Integer(
        string="Direct Referrals Count",
        compute="_compute_referral_counts",
        groups=CARE_USER,
    )
    referral_network_count = fields.Integer(
        string="Referral Network",
        compute="_compute_referral_counts",
        groups=CARE_USER,
        help="Referrals over every level: direct referrals, theirs, and so on.",
    )
    referral_tree_html = fields.Html(
        string="Referral Tree",
        compute="_compute_referral_tree_html",
        sanitize=False,
        groups=CARE_USER,
    )
    referral_lead_count = fields.Integer(
        string="Referred Leads",
        compute="_compute_referral_conversion",
        groups=CARE_USER,
    )
    referral_won_lead_count = fields.Integer(
        string="Referred Leads Won",
        compute="_compute_referral_conversion",
        groups=CARE_USER,
    )
    referral_lead_conversion = fields.Float(
        string="Lead Conversion (%)",
        compute="_compute_referral_conversion",
        digits=(16, 1),
        groups=CARE_USER,
        help="Referred leads won / referred leads (lost ones included).",
    )
    referral_customer_count = fields.Integer(
        string="Referred Customers",
        compute="_compute_referral_conversion",
        groups=CARE_USER,
        help="Direct referrals who bought: they have a posted customer invoice.",
    )
    referral_customer_conversion = fields.Float(
        string="Customer Conversion (%)",
        compute="_compute_referral_conversion",
        digits=(16, 1),
        groups=CARE_USER,
        help="Direct referrals who bought / direct referrals.",
    )
    referral_revenue = fields.Monetary(
        string="Referred Revenue",
        compute="_compute_referral_conversion",
        currency_field="currency_id",
        groups="crm_customer_care.group_crm_customer_care_manager",
        help="Posted customer invoices of the direct referrals, untaxed, net of "
        "refunds, in company currency.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("referred_by_id")
    def _check_referred_by_id(self):
        if self._has_cycle("referred_by_id"):
            raise ValidationError(
                self.env._(
                    "A partner cannot be referred by itself, directly or through "
                    "its own referrals: the referral chain would make a loop."
                )
            )

    # ------------------------------------------------------------
    # NETWORK
    # ------------------------------------------------------------

    @api.model
    def _ccare_referral_network(self, root_ids):
        """The referral networks of ``root_ids``, in one recursive query.

        :param root_ids: ids of the partners whose networks to read
        :return: ``{root_id: [(partner_id, referrer_id), ...]}`` for every
            active partner referred, directly or indirectly, by ``root_id``
            (archived partners are traversed but not listed)
        """
        network = defaultdict(list)
        if not root_ids:
            return network
        self.flush_model(["referred_by_id", "active"])
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE %(network)s
                SELECT n.root_id, n.partner_id, n.referrer_id
                  FROM network n
                  JOIN res_partner p ON p.id = n.partner_id
                 WHERE %(member)s
              ORDER BY n.root_id, p.complete_name, p.id
                """,
                network=referral_network_sql(SQL("p.referred_by_id = ANY(%s)", list(root_ids))),
                member=NETWORK_MEMBER_SQL,
            )
        )
        for root_id, partner_id, referrer_id in self.env.cr.fetchall():
            network[root_id].append((partner_id, referrer_id))
        return network

    @api.model
    def _ccare_referral_ancestor_ids(self, partner_ids):
        """The referrers of ``partner_ids`` up the chain, in one query.

        :return: ``{partner_id: {referrer ids at every level}}``
        """
        ancestors = defaultdict(set)
        if not partner_ids:
            return ancestors
        self.flush_model(["referred_by_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH RECURSIVE chain AS (
                    SELECT p.id AS partner_id, p.referred_by_id AS ancestor_id
                      FROM res_partner p
                     WHERE p.id = ANY(%(ids)s) AND p.referred_by_id IS NOT NULL
                UNION
                    SELECT c.partner_id, p.referred_by_id
                      FROM chain c
                      JOIN res_partner p ON p.id = c.ancestor_id
                     WHERE p.referred_by_id IS NOT NULL
                )
                SELECT partner_id, ancestor_id FROM chain
                """,
                ids=list(partner_ids),
            )
        )
        for partner_id, ancestor_id in self.env.cr.fetchall():
            ancestors[partner_id].add(ancestor_id)
        return ancestors

    def _ccare_origin_ids(self):
        return [pid for pid in (partner._origin.id for partner in self) if pid]

    @api.depends("referral_ids", "referral_ids.active", "referral_ids.referral_ids")
    def _compute_referral_counts(self):
        network = self._ccare_referral_network(self._ccare_origin_ids())
        for partner in self:
            members = network.get(partner._origin.id, [])
            partner.referral_network_count = len(members)
            partner.referral_count = sum(
                1 for __, referrer_id in members if referrer_id == partner._origin.id
            )

    @api.depends("referral_ids", "referral_ids.active", "referral_ids.referral_ids")
    def _compute_referral_tree_html(self):
        network = self._ccare_referral_network(self._ccare_origin_ids())
        member_ids = {pid for members in network.values() for pid, __ in members}
        # record rules apply: contacts the user may not read stay anonymous
        names = {
            partner.id: partner.display_name
            for partner in self.with_context(active_test=False).search(
                [("id", "in", list(member_ids))]
            )
        }
        for partner in self:
            members = network.get(partner._origin.id)
            if not members:
                partner.referral_tree_html = False
                continue
            children = defaultdict(list)
            for partner_id, referrer_id in members:
                children[referrer_id].append(partner_id)
            partner.referral_tree_html = self._ccare_referral_tree_markup(
                partner._origin.id, children, names, set()
            )

    @api.model
    def _ccare_referral_tree_markup(self, node_id, children, names, seen):
        """Nested lists of the referrals under ``node_id``, escaped."""
        items = []
        for child_id in children.get(node_id, []):
            if child_id in seen:
                continue
            seen.add(child_id)
            sub = self._ccare_referral_tree_markup(child_id, children, names, seen)
            name = names.get(child_id)
            label = (
                Markup('<a href="/odoo/res.partner/%s">%s</a>') % (child_id, name)
                if name
                else Markup("<em>%s</em>") % self.env._("Restricted contact")
            )
            items.append(Markup("<li>%s%s</li>") % (label, sub))
        if not items:
            return Markup()
        return Markup('<ul class="o_ccare_referral_tree">%s</ul>') % Markup().join(items)

    @api.depends("referral_ids", "referral_ids.commercial_partner_id")
    def _compute_referral_conversion(self):
        """Lead and customer conversion, and revenue, of the direct referrals.

        Aggregates over every referred lead and invoice (sudo): the figures
        are those of the referral report, whatever documents the user may
        open. Three queries for the whole recordset.
        """
        ids = self._ccare_origin_ids()
        leads = defaultdict(lambda: [0, 0])  # referrer id: [leads, won]
        referred = defaultdict(set)  # referrer id: commercial partner ids
        sales = {}  # commercial partner id: (bought, revenue)
        if ids:
            Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
            for referrer, status, count in Lead._read_group(
                [("referred_by_id", "in", ids)],
                ["referred_by_id", "won_status"],
                ["__count"],
            ):
                leads[referrer.id][0] += count
                if status == "won":
                    leads[referrer.id][1] += count
            for referral in (
                self.sudo()
                .with_context(active_test=True)
                .search_fetch(
                    [("referred_by_id", "in", ids)],
                    ["referred_by_id", "commercial_partner_id"],
                )
            ):
                referred[referral.referred_by_id.id].add(referral.commercial_partner_id.id)
            sales = self._ccare_referral_sales(
                {cp_id for cp_ids in referred.values() for cp_id in cp_ids}, self.env.company
            )
        for partner in self:
            pid = partner._origin.id
            lead_count, won_count = leads[pid] if pid in leads else (0, 0)
            customers = referred.get(pid, set())
            sales_of = {cp_id: sales.get(cp_id, (False, 0.0)) for cp_id in customers}
            bought = [cp_id for cp_id in customers if sales_of[cp_id][0]]
            partner.referral_lead_count = lead_count
            partner.referral_won_lead_count = won_count
            partner.referral_lead_conversion = 100.0 * won_count / lead_count if lead_count else 0.0
            partner.referral_customer_count = len(bought)
            partner.referral_customer_conversion = (
                100.0 * len(bought) / len(customers) if customers else 0.0
            )
            partner.referral_revenue = sum(sales_of[cp_id][1] for cp_id in customers)

    @api.model
    def _ccare_referral_sales(self, commercial_partner_ids, company):
        """What the referred customers bought from ``company`` (the current
        one), all time.

        :return: ``{commercial_partner_id: (bought, revenue)}`` from
            ``crm.customer.revenue.report`` (revenue net of credit notes, in
            the company's currency); ``bought`` when at least one customer
            invoice is posted. Never summed across companies, whose
            currencies may differ.
        """
        sales = {}
        if not commercial_partner_ids:
            return sales
        for partner, move_type, revenue in (
            self.env["crm.customer.revenue.report"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", list(commercial_partner_ids)),
                    ("company_id", "=", company.id),
                ],
                ["commercial_partner_id", "move_type"],
                ["revenue:sum"],
            )
        ):
            bought, total = sales.get(partner.id, (False, 0.0))
            sales[partner.id] = (bought or move_type == "out_invoice", total + (revenue or 0.0))
        return sales

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_referrals(self):
        """The partners of the referral network, every level."""
        self.ensure_one()
        network = self._ccare_referral_network([self.id])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Referrals of %s", self.display_name),
            "res_model": "res.partner",
            "view_mode": "list,kanban,form",
            "domain": [("id", "in", [pid for pid, __ in network.get(self.id, [])])],
            "context": {"default_referred_by_id": self.id},
        }

    # ------------------------------------------------------------
    # CONVERSION
    # ------------------------------------------------------------

    def _ccare_referral_invoiced(self):
        """Referred partners of ``self`` whose customer invoice got posted:
        the first time, stamp them and report the conversion (once)."""
        referrals = self.filtered(
            lambda partner: partner.referred_by_id and not partner.referral_converted_date
        )
        if not referrals:
            return
        # the poster (an accountant) need not manage contacts
        referrals.sudo().write({"referral_converted_date": fields.Datetime.now()})
        self.env["res.partner"]._ccare_referral_converted(referrals, "invoice_posted")

    @api.model
    def _ccare_referral_converted(self, referrals, cause):
        """Extension point: referrals converted; reward their referrers here.

        Called once per conversion, with every referral converted by the same
        operation (one call per batch, never one per record), after each
        referral was stamped with ``referral_converted_date``: a referral
        already stamped is never reported again, even if it is won again or
        invoiced again. Override it (and call ``super()``) to give loyalty
        points, send a thank-you, etc.; the referrers are
        ``referrals.referred_by_id``. It runs in the environment of the user
        who won the lead or posted the invoice: use ``sudo()`` for documents
        that user may not create.

        :param referrals: the converted referrals, either ``crm.lead``
            records (``cause == "lead_won"``: referred leads that became won,
            through ``action_set_won`` or a won stage) or ``res.partner``
            records (``cause == "invoice_posted"``: referred partners whose
            first customer invoice was posted)
        :param str cause: ``"lead_won"`` or ``"invoice_posted"``
        """
        return True
