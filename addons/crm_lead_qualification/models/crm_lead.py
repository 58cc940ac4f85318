from collections import defaultdict

from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

QUALIFICATION_FIELDS = (
    "qualification_score",
    "qualification_grade_id",
    "qualification_ruleset_id",
    "qualification_date",
    "qualification_details",
    "qualification_disqualified",
)


class CrmLead(models.Model):
    """Leads qualified by management's rule sets.

    Score, grade and the criteria matched are written by the rules only
    (on create, on write of a field the criteria read, by the cron and after
    a rule set changes). Odoo's predictive lead scoring (probability) is
    left alone: both are shown side by side.
    """

    _inherit = "crm.lead"

    qualification_ruleset_id = fields.Many2one(
        "crm.lead.qualification.ruleset",
        "Qualification Rules",
        readonly=True,
        index="btree_not_null",
    )
    qualification_score = fields.Integer("Qualification Score", readonly=True, aggregator="avg")
    qualification_grade_id = fields.Many2one(
        "crm.lead.qualification.grade", "Grade", readonly=True, index="btree_not_null"
    )
    qualification_disqualified = fields.Boolean("Disqualified", readonly=True)
    qualification_date = fields.Datetime("Qualified On", readonly=True)
    # {"m": [criterion ids matched], "x": [criterion ids missed]}; the
    # explanation is rendered from the criteria, which are requalified
    # whenever they change, so names and points stay current.
    qualification_details = fields.Json(readonly=True, copy=False)
    qualification_explanation = fields.Html(
        "Why", compute="_compute_qualification_explanation", sanitize=False
    )
    qualification_summary = fields.Char(compute="_compute_qualification_explanation")

    @api.depends("qualification_details", "qualification_score", "qualification_grade_id")
    def _compute_qualification_explanation(self):
        criteria = self.env["crm.lead.qualification.criterion"].sudo()
        all_ids = {
            cid
            for lead in self
            for cid in (lead.qualification_details or {}).get("m", [])
            + (lead.qualification_details or {}).get("x", [])
        }
        by_id = {c.id: c for c in criteria.browse(all_ids).exists()}
        for lead in self:
            details = lead.qualification_details or {}
            if not lead.qualification_ruleset_id:
                lead.qualification_explanation = False
                lead.qualification_summary = False
                continue
            rows, summary = [], []
            for matched, key in ((True, "m"), (False, "x")):
                for cid in details.get(key, []):
                    criterion = by_id.get(cid)
                    if not criterion:
                        continue
                    points = criterion.points if matched else 0
                    gate = criterion.required and not matched
                    rows.append(
                        Markup(
                            "<tr class='{cls}'><td>{icon}</td><td>{name}{gate}</td>"
                            "<td class='text-end'>{points:+d}</td></tr>"
                        ).format(
                            cls="text-danger" if gate else ("" if matched else "text-muted"),
                            icon=Markup("&#10004;") if matched else Markup("&#10008;"),
                            name=criterion.name,
                            gate=self.env._(" (required)") if criterion.required else "",
                            points=points,
                        )
                    )
                    if matched:
                        summary.append(f"{criterion.name} {criterion.points:+d}")
                    elif gate:
                        summary.append(self.env._("missed required: %s", criterion.name))
            verdict = (
                self.env._("Disqualified")
                if lead.qualification_disqualified
                else lead.qualification_grade_id.name
            )
            lead.qualification_explanation = Markup(
                "<table class='table table-sm o_ccare_qualification'><tbody>{rows}</tbody>"
                "<tfoot><tr><th colspan='2'>{verdict}</th><th class='text-end'>{score}</th>"
                "</tr></tfoot></table>"
            ).format(rows=Markup("").join(rows), verdict=verdict, score=lead.qualification_score)
            lead.qualification_summary = "%s (%s): %s" % (
                verdict,
                lead.qualification_score,
                "; ".join(summary) or self.env._("no criterion met"),
            )

    # ------------------------------------------------------------ scoring
    def _ccare_qualify(self):
        """Score, grade and explain every lead of ``self`` against its rule set.

        Set-based: each criterion becomes an SQL condition (the ORM's own
        translation of its domain, ``_search``), and one UPDATE per rule set
        evaluates them all, sums the points, picks the grade, builds the
        explanation and writes only the leads whose qualification changed
        (``IS DISTINCT FROM``); no lead goes through Python. A chunk of 10 or
        of 10,000 leads costs the same queries. Idempotent: re-running gives
        the same values and writes no row. Returns the number of leads whose
        qualification changed.
        """
        ids = list(set(self.ids))
        if not ids:
            return 0
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        Lead.flush_model(["company_id", "team_id", *QUALIFICATION_FIELDS])
        # the rules in three queries: rule sets, their criteria, their grades
        Ruleset = self.env["crm.lead.qualification.ruleset"].sudo()
        rulesets = Ruleset.search_fetch([], ["company_id", "team_id"])
        criteria_of = defaultdict(lambda: self.env["crm.lead.qualification.criterion"])
        for criterion in (
            self.env["crm.lead.qualification.criterion"]
            .sudo()
            .search_fetch(
                [("ruleset_id", "in", rulesets.ids)],
                [
                    "kind",
                    "domain",
                    "field_id",
                    "operator",
                    "threshold",
                    "points",
                    "required",
                    "ruleset_id",
                    "name",
                ],
            )
        ):
            criteria_of[criterion.ruleset_id.id] |= criterion
        grades_of = defaultdict(lambda: self.env["crm.lead.qualification.grade"])
        for grade in (
            self.env["crm.lead.qualification.grade"]
            .sudo()
            .search_fetch([("ruleset_id", "in", rulesets.ids)], ["min_score", "ruleset_id"])
        ):
            grades_of[grade.ruleset_id.id] |= grade

        written = self._ccare_write_qualification_sql(
            ids,
            rulesets._ruleset_pick_sql(),
            {
                ruleset.id: self._ccare_qualification_parts(
                    criteria_of[ruleset.id], grades_of[ruleset.id]
                )
                for ruleset in rulesets
            },
        )
        if written:
            self.env["crm.lead"].invalidate_model(QUALIFICATION_FIELDS)
        return written

    @api.model
    def _ccare_qualification_parts(self, criteria, grades):
        """A rule set's ``criteria`` and ``grades`` as SQL expressions on one
        lead: ``hits``, the array of the criteria it meets (each criterion
        is the SQL condition the ORM makes of its domain; a domain that needs
        a join is a subquery on the lead's id), and, over that array ``h``:
        ``score``, ``passed`` (every required criterion met), ``grade`` (over
        ``score`` and ``passed``) and ``details`` ({"m": met, "x": missed},
        as text)."""
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        conditions = []
        for criterion in criteria:
            query = Lead._search(criterion._lead_domain())
            if query.is_empty():
                condition = SQL("FALSE")
            elif query._joins:
                condition = SQL("%s IN %s", SQL.identifier("crm_lead", "id"), query.subselect())
            elif query._where_clauses:
                condition = SQL("coalesce((%s), FALSE)", query.where_clause)
            else:
                condition = SQL("TRUE")
            conditions.append(condition)
        # h[i]: the lead meets the i-th criterion (1-based, in the criteria's order)
        hit = [SQL("h[%s]", i) for i in range(1, len(criteria) + 1)]

        def ids_where(negate):
            return SQL(
                "concat_ws(', ', %s)",
                SQL(", ").join(
                    [
                        SQL("CASE WHEN %s%s THEN %s END", SQL("NOT " if negate else ""), h, c.id)
                        for h, c in zip(hit, criteria)
                    ]
                    or [SQL("NULL")]
                ),
            )

        return {
            "hits": SQL("ARRAY[%s]::bool[]", SQL(", ").join(conditions or [SQL("NULL")])),
            "score": SQL(" + ").join(
                [SQL("0")]
                + [
                    SQL("CASE WHEN %s THEN %s ELSE 0 END", h, criterion.points)
                    for h, criterion in zip(hit, criteria)
                ]
            ),
            "passed": SQL(" AND ").join(
                [SQL("TRUE")] + [h for h, criterion in zip(hit, criteria) if criterion.required]
            ),
            "grade": SQL(" ").join(
                [SQL("CASE WHEN NOT passed THEN NULL::int")]
                + [
                    SQL("WHEN score >= %s THEN %s", g.min_score, g.id)
                    for g in grades.sorted("min_score", reverse=True)
                ]
                + [SQL("END")]
            ),
            # as text, in jsonb's own output form: compared with the stored
            # value's text, parsed only for the leads written (cheaper)
            "details": SQL(
                """'{"m": [' || %s || '], "x": [' || %s || ']}'""",
                ids_where(False),
                ids_where(True),
            ),
        }

    def _ccare_write_qualification_sql(self, ids, ruleset_of_lead, parts):
        """Qualify the leads ``ids`` in one statement: one scan of the leads
        picks each one's rule set (``ruleset_of_lead``, an SQL expression)
        and evaluates that rule set's criteria (``parts``: rule set id ->
        its _ccare_qualification_parts); only the leads whose rule set,
        score, grade or criteria met changed are written (a re-run on
        unchanged leads writes no row). Returns the number of leads written;
        their "Qualified On" is now.

        MATERIALIZED: each criterion evaluated once per lead (inlined, the
        planner would copy the conditions into every use of h and of score).
        The leads written are found again by the row address the scan read
        (ctid: no second index lookup; a row updated since is a serialization
        failure, as it would be by id)."""
        self.env.execute_query(  # flushes the fields the criteria read
            SQL(
                """
                WITH hits AS MATERIALIZED (
                         SELECT id, lead_tid, ruleset_id,
                                CASE ruleset_id %(hits)s END AS h,
                                old_ruleset_id, old_score, old_grade_id, old_details,
                                old_disqualified
                           FROM (SELECT "crm_lead".*, "crm_lead".ctid AS lead_tid,
                                        %(ruleset_of_lead)s AS ruleset_id,
                                        "crm_lead".qualification_ruleset_id AS old_ruleset_id,
                                        "crm_lead".qualification_score AS old_score,
                                        "crm_lead".qualification_grade_id AS old_grade_id,
                                        "crm_lead".qualification_details AS old_details,
                                        "crm_lead".qualification_disqualified
                                            AS old_disqualified
                                   FROM "crm_lead" WHERE "crm_lead".id = ANY(%(ids)s)
                                ) AS "crm_lead"),
                     scored AS MATERIALIZED (
                         SELECT *, %(score)s AS score, %(passed)s AS passed FROM hits),
                     graded AS MATERIALIZED (
                         SELECT *, %(grade)s AS grade_id, %(details)s AS details FROM scored),
                     v AS MATERIALIZED (
                         SELECT * FROM graded
                          WHERE old_ruleset_id IS DISTINCT FROM ruleset_id
                             OR old_score IS DISTINCT FROM score
                             OR old_grade_id IS DISTINCT FROM grade_id
                             OR old_details::text IS DISTINCT FROM details
                             OR old_disqualified IS DISTINCT FROM
                                (ruleset_id IS NOT NULL AND grade_id IS NULL))
                UPDATE crm_lead AS lead
                   SET qualification_ruleset_id = v.ruleset_id,
                       qualification_score = v.score,
                       qualification_grade_id = v.grade_id,
                       qualification_details = v.details::jsonb,
                       qualification_disqualified = v.ruleset_id IS NOT NULL
                                                    AND v.grade_id IS NULL,
                       qualification_date = CASE WHEN v.ruleset_id IS NULL THEN NULL
                                                 ELSE now() AT TIME ZONE 'UTC' END
                  FROM v
                 WHERE lead.ctid = v.lead_tid AND lead.id = v.id
                """,
                ids=ids,
                ruleset_of_lead=ruleset_of_lead,
                **self._ccare_qualification_cases(parts),
            )
        )
        return self.env.cr.rowcount

    @api.model
    def _ccare_qualification_cases(self, parts):
        """``parts`` (rule set id -> its _ccare_qualification_parts) as one
        SQL expression per part, each picking the lead's rule set's own
        (``ruleset_id``): ``hits`` as the branches of a CASE, ``score``,
        ``passed``, ``grade`` and ``details`` as whole CASE expressions."""

        def by_ruleset(part, default):
            if not parts:
                return default
            return SQL(
                "CASE ruleset_id %s ELSE %s END",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s", ruleset_id, part_of[part])
                    for ruleset_id, part_of in parts.items()
                ),
                default,
            )

        return {
            "hits": SQL(" ").join(
                SQL("WHEN %s THEN %s", ruleset_id, part_of["hits"])
                for ruleset_id, part_of in parts.items()
            )
            if parts
            else SQL("WHEN NULL THEN NULL::bool[]"),
            "score": by_ruleset("score", SQL("0")),
            "passed": by_ruleset("passed", SQL("FALSE")),
            "grade": by_ruleset("grade", SQL("NULL::int")),
            "details": by_ruleset("details", SQL("NULL::text")),
        }

    @api.model
    def _ccare_qualify_all(self):
        """Qualify every lead now, in this transaction (demo data and small
        databases; the cron queues jobs instead)."""
        self.sudo().with_context(active_test=False).search([])._ccare_qualify()

    # ------------------------------------------------------------ triggers
    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._ccare_defer_qualify()
        return leads

    def write(self, vals):
        if set(vals) & set(QUALIFICATION_FIELDS) and not self.env.su:
            raise UserError(
                self.env._(
                    "The qualification score and grade are set by the qualification "
                    "rules; ask a Customer Care manager to change the rules instead."
                )
            )
        res = super().write(vals)
        if vals.keys() & self.env["crm.lead.qualification.ruleset"]._trigger_fields():
            self._ccare_defer_qualify()
        return res

    def _ccare_defer_qualify(self):
        """Requalify ``self`` once, at the end of the transaction or when its
        qualification is read, whichever comes first (no query now)."""
        self.env["crm.customer.care.deferred"]._defer("_ccare_deferred_qualify", self)
        self.invalidate_recordset(QUALIFICATION_FIELDS, flush=False)

    def _ccare_deferred_qualify(self, uid_by_lead):
        self.browse(list(uid_by_lead))._ccare_qualify()

    def _fetch_query(self, query, fields):
        if self.env["crm.customer.care.deferred"]._is_pending("_ccare_deferred_qualify") and any(
            field.name in QUALIFICATION_FIELDS for field in fields
        ):
            self.env["crm.customer.care.deferred"]._flush_pending(["_ccare_deferred_qualify"])
        return super()._fetch_query(query, fields)

    def flush_model(self, fnames=None):
        if fnames is not None and set(fnames) & set(QUALIFICATION_FIELDS):
            self.env["crm.customer.care.deferred"]._flush_pending(["_ccare_deferred_qualify"])
        return super().flush_model(fnames)
