from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

NUMERIC_TYPES = ("integer", "float", "monetary")


class CrmLeadQualificationCriterion(models.Model):
    """One weighted test of a rule set: a filter on leads, or a threshold on
    a numeric lead field. Matching earns its points (negative allowed); a
    required criterion that is missed disqualifies the lead."""

    _name = "crm.lead.qualification.criterion"
    _inherit = ["crm.lead.qualification.rescore.mixin", "crm.customer.care.filter.mixin"]
    _description = "Lead Qualification Criterion"
    _order = "sequence, id"
    _ccare_filter_fields = {"domain": "crm.lead"}
    # a threshold tests its field: the author must be able to read it too
    _ccare_filter_depends = ("kind", "field_id", "operator")

    ruleset_id = fields.Many2one(
        "crm.lead.qualification.ruleset", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ruleset_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    description = fields.Text(
        translate=True, help="Shown to salespeople to explain what earns the points."
    )
    kind = fields.Selection(
        [("domain", "Filter"), ("threshold", "Threshold")],
        required=True,
        default="domain",
    )
    domain = fields.Char(string="Filter", default="[]")
    field_id = fields.Many2one(
        "ir.model.fields",
        string="Field",
        ondelete="cascade",
        domain=[("model", "=", "crm.lead"), ("ttype", "in", NUMERIC_TYPES), ("store", "=", True)],
    )
    operator = fields.Selection(
        [(">=", "≥"), (">", ">"), ("<=", "≤"), ("<", "<"), ("=", "="), ("!=", "≠")],
        default=">=",
    )
    threshold = fields.Float()
    points = fields.Integer(required=True, default=10, help="Negative points penalise.")
    required = fields.Boolean(
        help="A knock-out gate: a lead that does not meet it is disqualified whatever its score."
    )

    def _lead_domain(self):
        """The criterion as a Domain on crm.lead (validated)."""
        self.ensure_one()
        if self.kind != "threshold":
            return self._ccare_filter("domain")
        if not self.field_id or not self.operator:
            raise ValidationError(
                self.env._(
                    "Criterion “%(criterion)s” is not a valid test on leads: a threshold needs "
                    "a field and an operator.",
                    criterion=self.name,
                )
            )
        return Domain(self._threshold_field_name(), self.operator, self.threshold)

    def _ccare_filter_tests(self):
        tests = super()._ccare_filter_tests()
        if self.kind == "threshold":
            tests.append((self.env["crm.lead"], self._lead_domain()))
        return tests

    def _threshold_field_name(self):
        """The name of the threshold's lead field, from the registry's cached
        map of crm.lead's fields (rescoring reads criteria on every chunk and
        every lead write: no query for the field)."""
        names = {
            field_id: name
            for name, field_id in self.env["ir.model.fields"]._get_ids("crm.lead").items()
        }
        return names.get(self.field_id.id) or self.field_id.name

    @api.constrains("field_id")
    def _check_field_numeric(self):
        for criterion in self.filtered("field_id"):
            if (
                criterion.field_id.model != "crm.lead"
                or criterion.field_id.ttype not in NUMERIC_TYPES
            ):
                raise ValidationError(
                    self.env._(
                        "Criterion “%(criterion)s”: a threshold needs a numeric lead "
                        "field, not “%(field)s”.",
                        criterion=criterion.name,
                        field=criterion.field_id.field_description,
                    )
                )
