from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

# The NPS point of an answer line ``l`` to an NPS question: a promoter (9-10)
# +100, a detractor (0-6) -100, a passive 0. Their average is the Net
# Promoter Score, on the programme's form and in its effectiveness report.
NPS_POINT_SQL = SQL(
    "CASE WHEN l.value_scale >= 9 THEN 100 WHEN l.value_scale <= 6 THEN -100 ELSE 0 END"
)


class SurveySurvey(models.Model):
    """Surveys as feedback channels of relationship programmes."""

    _inherit = "survey.survey"

    crm_programme_id = fields.Many2one(
        "crm.relationship.programme",
        string="Relationship Programme",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_segment_ids = fields.Many2many(
        related="crm_programme_id.segment_ids", string="Target Segments"
    )
    crm_points_on_completion = fields.Float(
        "Points for Answering",
        help="Loyalty points given (on the programme's loyalty program) to a customer who "
        "completes this survey. At 0, the program's points rule for answered surveys "
        "applies, if it has one.",
    )

    _crm_points_positive = models.Constraint(
        "CHECK (crm_points_on_completion >= 0)", "Points for answering cannot be negative."
    )

    @api.model
    def _loyalty_feedback_figures(self, programmes):
        """``{programme_id: {nps_before, nps_after, satisfaction, response_rate}}``
        in two queries. NPS questions are 0-10 scale questions; answers given
        (completed) before the programme started count as *before*, even if
        the invitation went out earlier."""
        if not programmes.ids:
            return {}
        self.env["survey.user_input.line"].flush_model()
        self.env["survey.user_input"].flush_model()
        self.env["survey.question"].flush_model()
        self.env["survey.survey"].flush_model(["crm_programme_id"])
        figures = {pid: {} for pid in programmes.ids}
        rows = self.env.execute_query(
            SQL(
                """
                SELECT s.crm_programme_id, count(*),
                       count(*) FILTER (WHERE ui.state = 'done')
                  FROM survey_user_input ui JOIN survey_survey s ON s.id = ui.survey_id
                 WHERE s.crm_programme_id = ANY(%s) AND NOT coalesce(ui.test_entry, false)
              GROUP BY s.crm_programme_id
                """,
                programmes.ids,
            )
        )
        for pid, total, done in rows:
            figures[pid]["response_rate"] = 100.0 * done / total if total else 0.0
        rows = self.env.execute_query(
            SQL(
                """
                SELECT s.crm_programme_id,
                       coalesce(ui.end_datetime, ui.create_date)::date < p.date_start
                           AS before,
                       q.crm_is_nps,
                       avg(%s),
                       avg(100.0 * (l.value_scale - q.scale_min)
                           / nullif(q.scale_max - q.scale_min, 0))
                  FROM survey_user_input_line l
                  JOIN survey_user_input ui ON ui.id = l.user_input_id
                  JOIN survey_question q ON q.id = l.question_id
                  JOIN survey_survey s ON s.id = ui.survey_id
                  JOIN crm_relationship_programme p ON p.id = s.crm_programme_id
                 WHERE s.crm_programme_id = ANY(%s) AND ui.state = 'done'
                   AND NOT coalesce(ui.test_entry, false)
                   AND q.question_type = 'scale' AND l.value_scale IS NOT NULL
              GROUP BY 1, 2, 3
                """,
                NPS_POINT_SQL,
                programmes.ids,
            )
        )
        for pid, before, is_nps, nps, satisfaction in rows:
            if is_nps:
                figures[pid]["nps_before" if before else "nps_after"] = float(nps)
            elif not before:
                figures[pid]["satisfaction"] = float(satisfaction or 0.0)
        return figures
