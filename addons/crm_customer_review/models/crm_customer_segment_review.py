from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import date_utils

REVIEW_FREQUENCIES = [
    ("none", "No Periodic Review"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("half_yearly", "Every Six Months"),
    ("yearly", "Yearly"),
]


class CrmCustomerSegment(models.Model):
    """Periodic account reviews per segment: how often the account manager
    reviews each account of the segment."""

    _inherit = "crm.customer.segment"

    review_frequency = fields.Selection(
        REVIEW_FREQUENCIES,
        default="none",
        required=True,
        help="How often the account manager of each account of this segment reviews "
        "it: a scheduled job plans one review activity per account and period.",
    )

    def _ccare_review_period(self, today):
        """(start, end) of the review period containing ``today``, or None."""
        self.ensure_one()
        frequency = self.review_frequency
        if frequency == "monthly":
            return date_utils.start_of(today, "month"), date_utils.end_of(today, "month")
        if frequency == "quarterly":
            return date_utils.start_of(today, "quarter"), date_utils.end_of(today, "quarter")
        if frequency == "half_yearly":
            first_half = today.month <= 6
            return (
                today.replace(month=1 if first_half else 7, day=1),
                today.replace(month=6, day=30) if first_half else today.replace(month=12, day=31),
            )
        if frequency == "yearly":
            return date_utils.start_of(today, "year"), date_utils.end_of(today, "year")
        return None

    @api.model
    def _ccare_accounts_due_for_review(self, today=None):
        """Accounts (commercial partners with an account manager) of segments
        with a review frequency that have no review planned for the current
        period: one search per segment."""
        today = today or fields.Date.context_today(self)
        Partner = self.env["res.partner"].sudo()
        Schedule = self.env["crm.customer.review.schedule"].sudo()
        due = Partner
        for segment in self.sudo().search([("review_frequency", "!=", "none")]):
            start, _end = segment._ccare_review_period(today)
            due |= Partner.search(
                [
                    ("segment_id", "=", segment.id),
                    ("parent_id", "=", False),
                    ("user_id", "!=", False),
                    (
                        "id",
                        "not in",
                        Schedule._search([("period_start", "=", start)]).subselect("partner_id"),
                    ),
                ]
            )
        return due

    @api.model
    def _cron_schedule_account_reviews(self):
        """Plan the periodic account reviews that are due, one queued job per
        chunk of accounts; returns the number of chunks."""
        accounts = self._ccare_accounts_due_for_review()
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            accounts,
            "_ccare_schedule_account_reviews",
            description=self.env._("Plan periodic account reviews"),
        )
