from odoo import fields
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    ccare_qa_sample_percent = fields.Float(
        "QA Sample (%)",
        default=10.0,
        help="The share of each caller's completed calls of a month drawn for quality review "
        "(rounded half up per caller: 10 % of 15 calls is 2 calls).",
    )
    ccare_qa_bar = fields.Float(
        "QA Bar (0-100)",
        default=70.0,
        help="A caller whose mean scorecard total of a month is below this bar gets a "
        "coaching activity.",
    )
    ccare_qa_min_sample = fields.Integer(
        "QA Minimum Sample",
        default=3,
        help="A caller is judged against the bar only with at least this many scored calls "
        "in the month.",
    )

    _ccare_qa_sample_percent_range = models.Constraint(
        "CHECK (ccare_qa_sample_percent >= 0 AND ccare_qa_sample_percent <= 100)",
        "The QA sample is a share between 0 and 100 %.",
    )
    _ccare_qa_bar_range = models.Constraint(
        "CHECK (ccare_qa_bar >= 0 AND ccare_qa_bar <= 100)",
        "The QA bar is a score between 0 and 100.",
    )
    _ccare_qa_min_sample_positive = models.Constraint(
        "CHECK (ccare_qa_min_sample >= 1)",
        "The QA minimum sample is at least one scored call.",
    )
