from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.vat import vat_normalized_sql
from odoo.addons.phone_validation.tools import phone_validation
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.mail import email_normalize
from odoo.tools.mail import single_email_re

from .crm_data_quality_check import SEVERITY_PENALTY


class ResPartner(models.Model):
    """Data quality of the customer profile: a 0-100 score (100 minus the
    weight of the open issues), the issues themselves, and the date the
    profile was last reviewed. ``_ccare_run_data_quality`` runs every check
    over a chunk of partners in a fixed number of queries."""

    _inherit = "res.partner"

    data_quality_score = fields.Integer(
        "Data Quality",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="100 minus the weight of the open data-quality issues (low 5, medium 10, "
        "high 20, critical 40); empty until the checks first ran.",
        groups="base.group_user",
    )
    data_reviewed_date = fields.Date(
        "Profile Reviewed On",
        copy=False,
        tracking=True,
        help="When someone last reviewed this profile (stale-profile checks count from it).",
        groups="base.group_user",
    )
    data_quality_issue_ids = fields.One2many(
        "crm.data.quality.issue",
        "partner_id",
        string="Data-Quality Issues",
        domain=[("state", "=", "open")],
        groups="crm_customer_care.group_crm_customer_care_user",
    )
    data_quality_issue_count = fields.Integer(
        "Open Issues",
        compute="_compute_data_quality_issue_count",
        groups="crm_customer_care.group_crm_customer_care_user",
    )

    # duplicate candidates are found through these (and the email_normalized index)
    # (and the tax-ID index the core declares beside crm_customer_care/vat.py)
    _ccare_phone_sanitized_idx = models.Index("(phone_sanitized) WHERE phone_sanitized IS NOT NULL")
    _ccare_name_zh_idx = models.Index(
        "((regexp_replace(ccare_name_zh, '[[:space:]]', '', 'g'))) WHERE ccare_name_zh IS NOT NULL"
    )
    _ccare_email_normalized_idx = models.Index(
        "(email_normalized) WHERE email_normalized IS NOT NULL"
    )

    def _compute_data_quality_issue_count(self):
        Issue = self.env["crm.data.quality.issue"]
        counts = {}
        if self.ids and Issue.has_access("read"):
            counts = dict(
                Issue._read_group(
                    [("partner_id", "in", self.ids), ("state", "=", "open")],
                    ["partner_id"],
                    ["__count"],
                )
            )
        for partner in self:
            partner.data_quality_issue_count = counts.get(partner, 0)

    @api.model
    def _ccare_average_scores(self):
        # reviews show the average data quality (the segment analysis, its column)
        return [
            *super()._ccare_average_scores(),
            ("data_quality_score", self.env._("Average data quality")),
        ]

    # ------------------------------------------------------------ the job
    def _ccare_run_data_quality(self):
        """Every active check over the partners of ``self``: open the
        issues found, close those fixed, reassign to the account manager,
        store the scores. Idempotent; the number of queries does not depend
        on the number of partners."""
        today = fields.Date.context_today(self)
        checks = (
            self.env["crm.data.quality.check"]
            .sudo()
            .search_fetch(
                [],
                [
                    "name",
                    "check_type",
                    "severity",
                    "segment_ids",
                    "field_ids",
                    "stale_days",
                    "domain",
                    "company_id",
                ],
            )
        )
        partners = (
            self.sudo()
            .with_context(active_test=False, prefetch_fields=False)
            .search_fetch(
                [("id", "in", self.ids)],
                ["name", "email", "phone", "country_id", "user_id", "company_id"],
                order="id",
            )
        )
        if not partners:
            return
        ids = partners.ids
        helper = self.env["crm.customer.care.chunked.job"]
        matched = helper._match_domains(
            "res.partner",
            {check.id: check._ccare_candidate_domain(today) for check in checks},
            ids,
        )
        duplicates = (
            partners._ccare_duplicate_candidates()
            if any(check.check_type == "duplicate" for check in checks)
            else {}
        )
        default_country = self.env.company.country_id
        found = {}  # (check id, partner id): message
        by_id = {partner.id: partner for partner in partners}  # one prefetch set
        for check in checks:
            for partner in (by_id[pid] for pid in sorted(matched.get(check.id, ()))):
                detail = True
                if check.check_type == "email":
                    detail = partner._ccare_email_problem()
                elif check.check_type == "phone":
                    detail = partner._ccare_phone_problem(default_country)
                elif check.check_type == "duplicate":
                    detail = duplicates.get(partner.id)
                if detail:
                    found[check.id, partner.id] = check._ccare_message(
                        partner, detail if isinstance(detail, str) else None
                    )
        self._ccare_sync_issues(partners, found)
        partners._ccare_write_data_quality_scores()

    def _ccare_email_problem(self):
        email = (self.email or "").strip()
        normalized = email_normalize(email, strict=True)
        if email and not (normalized and single_email_re.match(normalized)):
            return self.env._("Invalid email: %(email)s", email=email)
        return False

    def _ccare_phone_problem(self, default_country):
        country = self.country_id or self.company_id.country_id or default_country
        try:
            phone_validation.phone_format(
                self.phone,
                country.code,
                country.phone_code,
                force_format="E164",
                raise_exception=True,
            )
        except UserError as error:
            return self.env._(
                "Invalid phone for %(country)s: %(error)s",
                country=country.name or "-",
                error=error.args[0] if error.args else error,
            )
        return False

    def _ccare_duplicate_candidates(self):
        """{partner id: message} for the partners of ``self`` sharing a
        normalised email, E.164 phone, tax ID or Chinese name with another active partner
        of another company/person (contacts of one company are not
        duplicates of each other); one query."""
        labels = {
            "email": self.env._("email"),
            "phone": self.env._("phone"),
            "vat": self.env._("tax ID"),
            "name_zh": self.env._("Chinese name"),
        }
        result = {}
        for partner_id, key, other_id, other_name in self._ccare_duplicate_rows():
            text = self.env._(
                "Same %(key)s as %(name)s (#%(id)s)", key=labels[key], name=other_name, id=other_id
            )
            result[partner_id] = f"{result[partner_id]}; {text}" if partner_id in result else text
        return result

    def _ccare_duplicate_rows(self):
        """``[(partner id, key, other id, other name)]``: for each partner of
        ``self`` and key (email, phone, vat, name_zh), the lowest id of
        another active partner of another commercial entity with the same
        normalised value; one query, one index lookup per partner and key."""
        self.env["res.partner"].flush_model(
            [
                "email_normalized",
                "phone_sanitized",
                "vat",
                "active",
                "commercial_partner_id",
                "name",
                "ccare_name_zh",
            ]
        )
        # the planner's estimates for the tax-ID expression are high enough
        # to trigger JIT compilation (about a second) for a few ms of lookups
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        return self.env.execute_query(
            SQL(
                """
                WITH c AS (
                    SELECT id, commercial_partner_id, email_normalized, phone_sanitized,
                           CASE WHEN vat IS NOT NULL THEN %(vat)s END AS vat_n,
                           nullif(regexp_replace(ccare_name_zh, '[[:space:]]', '', 'g'), '')
                               AS name_zh
                      FROM res_partner WHERE id = ANY(%(ids)s)
                ), pairs AS (
                    -- one index lookup per partner and key; "+ 0" keeps the
                    -- planner from walking the primary key to find min(id)
                    SELECT c.id, 'email' AS key,
                           (SELECT min(o.id + 0) FROM res_partner o
                             WHERE o.email_normalized = c.email_normalized
                               AND o.id != c.id AND o.active
                               AND o.commercial_partner_id != c.commercial_partner_id) AS other
                      FROM c WHERE c.email_normalized IS NOT NULL
                    UNION ALL
                    SELECT c.id, 'phone',
                           (SELECT min(o.id + 0) FROM res_partner o
                             WHERE o.phone_sanitized = c.phone_sanitized
                               AND o.id != c.id AND o.active
                               AND o.commercial_partner_id != c.commercial_partner_id)
                      FROM c WHERE c.phone_sanitized IS NOT NULL
                    UNION ALL
                    SELECT c.id, 'vat',
                           (SELECT min(o.id + 0) FROM res_partner o
                             WHERE o.vat IS NOT NULL AND %(o_vat)s = c.vat_n
                               AND o.id != c.id AND o.active
                               AND o.commercial_partner_id != c.commercial_partner_id)
                      FROM c WHERE c.vat_n != ''
                    UNION ALL
                    -- the Chinese name, written without spaces (陳 大文 = 陳大文)
                    SELECT c.id, 'name_zh',
                           (SELECT min(o.id + 0) FROM res_partner o
                             WHERE o.ccare_name_zh IS NOT NULL
                               AND regexp_replace(o.ccare_name_zh, '[[:space:]]', '', 'g')
                                   = c.name_zh
                               AND o.id != c.id AND o.active
                               AND o.commercial_partner_id != c.commercial_partner_id)
                      FROM c WHERE c.name_zh IS NOT NULL
                )
                SELECT pairs.id, pairs.key, pairs.other, o.name
                  FROM pairs JOIN res_partner o ON o.id = pairs.other
                 WHERE pairs.other IS NOT NULL
                 ORDER BY pairs.id, pairs.key
                """,
                vat=vat_normalized_sql(),
                o_vat=vat_normalized_sql("o"),
                ids=self.ids,
            )
        )

    def _ccare_open_duplicates(self):
        """``{partner id: why}`` for the partners of ``self`` that an open
        data-quality duplicate issue flags (one query): the records other
        features leave alone until someone merges them or marks the issue
        reviewed (not a duplicate). Extends the core's extension point."""
        flagged = super()._ccare_open_duplicates()
        issues = (
            self.env["crm.data.quality.issue"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", self.ids),
                    ("check_type", "=", "duplicate"),
                    ("state", "=", "open"),
                ],
                ["partner_id", "message"],
            )
        )
        return {**flagged, **{issue.partner_id.id: issue.message or "" for issue in issues}}

    @api.model
    def _ccare_sync_issues(self, partners, found):
        """Make the live issues of ``partners`` be exactly ``found``."""
        Issue = self.env["crm.data.quality.issue"].sudo()
        live = Issue.search_fetch(
            [("partner_id", "in", partners.ids), ("state", "in", ("open", "reviewed"))],
            ["check_id", "partner_id", "state", "user_id", "message"],
        )
        live_by_key = {(issue.check_id.id, issue.partner_id.id): issue for issue in live}
        now = fields.Datetime.now()
        fixed = live.filtered(lambda i: (i.check_id.id, i.partner_id.id) not in found)
        fixed.write({"state": "fixed", "date_closed": now})
        managers = {partner.id: partner.user_id.id for partner in partners}
        Issue.create(
            [
                {
                    "check_id": check_id,
                    "partner_id": partner_id,
                    "user_id": managers[partner_id] or False,
                    "message": message,
                    "date_opened": now,
                }
                for (check_id, partner_id), message in found.items()
                if (check_id, partner_id) not in live_by_key
            ]
        )
        changed = [
            (issue.id, managers[partner_id] or None, found[check_id, partner_id])
            for (check_id, partner_id), issue in live_by_key.items()
            if (check_id, partner_id) in found
            and (
                issue.user_id.id != (managers[partner_id] or False)
                or issue.message != found[check_id, partner_id]
            )
        ]
        if changed:
            Issue.flush_model()
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE crm_data_quality_issue AS i
                       SET user_id = v.user_id, message = v.message,
                           write_date = now() AT TIME ZONE 'UTC'
                      FROM unnest(%s::int[], %s::int[], %s::varchar[]) AS v(id, user_id, message)
                     WHERE i.id = v.id
                    """,
                    *(list(col) for col in zip(*changed)),
                )
            )
            Issue.invalidate_model(["user_id", "message", "write_date"])

    def _ccare_write_data_quality_scores(self):
        """data_quality_score of the partners of ``self`` from their open
        issues; one query."""
        if not self:
            return
        self.env["crm.data.quality.issue"].flush_model(["state", "severity", "partner_id"])
        self.env["res.partner"].flush_model(["data_quality_score"])
        penalty = SQL(
            "CASE i.severity %s ELSE 0 END",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", severity, points)
                for severity, points in SEVERITY_PENALTY.items()
            ),
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner AS p
                   SET data_quality_score = n.score
                  FROM (SELECT v.id, greatest(0, 100 - coalesce(s.penalty, 0)) AS score
                          FROM unnest(%(ids)s::int[]) AS v(id)
                          LEFT JOIN (SELECT i.partner_id, sum(%(penalty)s) AS penalty
                                       FROM crm_data_quality_issue AS i
                                      WHERE i.state = 'open' AND i.partner_id = ANY(%(ids)s)
                                      GROUP BY i.partner_id) AS s ON s.partner_id = v.id) AS n
                 WHERE p.id = n.id AND p.data_quality_score IS DISTINCT FROM n.score
                """,
                ids=self.ids,
                penalty=penalty,
            )
        )
        self.env["res.partner"].invalidate_model(["data_quality_score"])

    # ------------------------------------------------------------ actions
    def action_check_data_quality(self):
        self.check_access("write")
        self._ccare_run_data_quality()
        return True

    def action_mark_profile_reviewed(self):
        # the review date is written as the server (it is tracked), on
        # profiles the user may edit
        self.check_access("write")
        self.sudo().write({"data_reviewed_date": fields.Date.context_today(self)})
        self._ccare_run_data_quality()
        return True

    def action_open_data_quality_issues(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_data_quality.crm_data_quality_issue_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_filter_open": 1}
        return action
