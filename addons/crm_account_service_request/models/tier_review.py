from odoo import api
from odoo import models
from odoo.addons.crm_customer_care.models.ccare_guard import unlocked
from odoo.exceptions import UserError

# bookkeeping OCA's reminder cron writes on any review
FREE_FIELDS = {"last_reminder_date"}


class TierReview(models.Model):
    """Reviews of our workflows are written by the workflow only.

    OCA gives every internal user full rights on ``tier.review``; on the
    reviews of a model with our workflow guard (the account requests), a
    review is created, approved, rejected, re-assigned or deleted only by
    that model's transition methods (``request_validation``,
    ``_validate_tier``...), so writing ``status`` or ``requested_by`` over
    RPC approves nothing."""

    _inherit = "tier.review"

    @api.model
    def _ccare_guarded_models(self, names):
        return {
            name
            for name in names
            if name in self.env and hasattr(self.env[name], "_ccare_workflow_fields")
        }

    def _ccare_check_workflow(self, model_names):
        for name in self._ccare_guarded_models(model_names):
            if not self.env[name]._ccare_in_transition():
                raise UserError(
                    self.env._(
                        "The reviews of %(model)s are written by its approval workflow only: "
                        "use the Approve and Reject buttons of the document.",
                        model=self.env[name]._description,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._ccare_check_workflow({vals.get("model") for vals in vals_list})
        return super().create(vals_list)

    def write(self, vals):
        if vals.keys() - FREE_FIELDS:
            names = set(self.sudo().mapped("model"))
            if "model" in vals:
                names.add(vals["model"])
            self._ccare_check_workflow(names)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_guarded_workflow(self):
        self._ccare_check_workflow(set(self.sudo().mapped("model")))

    def _update_review_status(self):
        # waiting -> pending follows the sequence of approvals: mechanical,
        # computed by the server whoever triggers it
        keys = [
            self.env[name]._ccare_workflow_key()
            for name in self._ccare_guarded_models(set(self.sudo().mapped("model")))
        ]
        with unlocked(*keys):
            return super()._update_review_status()


class CommentWizard(models.TransientModel):
    _inherit = "comment.wizard"

    def add_comment(self):
        # the wizard writes the reviewer's comment, then approves or rejects
        # through the document, whose own checks (four-eyes) then apply
        self.ensure_one()
        Model = self.env[self.res_model]
        if not hasattr(Model, "_ccare_workflow_fields"):
            return super().add_comment()
        record = Model.browse(self.res_id)
        record.check_access("write")
        with record._ccare_transition():
            return super().add_comment()
