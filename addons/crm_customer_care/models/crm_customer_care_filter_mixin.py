from odoo import api
from odoo import models

from .ccare_rule_access import check_rule_readable
from .ccare_rule_access import parse_filter


class CrmCustomerCareFilterMixin(models.AbstractModel):
    """A record that holds filters users write and the server evaluates as
    superuser (segment rules, qualification criteria, target lists,
    data-quality rules).

    ``_ccare_filter_fields`` maps each such field to the model it filters:
    it is read by ``parse_filter`` only, and checked against the rights of
    whoever writes it, or one of ``_ccare_filter_depends`` (what else
    decides what the filter is evaluated over), with ``check_rule_readable``.
    ``_ccare_filter_tests`` lists what the record makes the server test;
    override it to add tests that are not written as domains (a threshold's
    field, required fields). A record that uses another's filters (a
    programme, a campaign over a target list) calls
    ``_ccare_check_filters`` on them as its user. The generated suite
    ``test_attack_domains.py`` fails on a domain-like field of ours that is
    not declared here.
    """

    _name = "crm.customer.care.filter.mixin"
    _description = "User-written filters, checked against their author's rights"

    # {field name: model name the filter applies to}
    _ccare_filter_fields = {}
    # other fields whose change re-checks the filters as the user changing them
    _ccare_filter_depends = ()

    def _ccare_filter(self, fname):
        """The filter of field ``fname`` as a validated Domain."""
        self.ensure_one()
        return parse_filter(
            self.env[self._ccare_filter_fields[fname]],
            self[fname],
            self.env._(
                "%(field)s of “%(record)s”",
                field=self._fields[fname]._description_string(self.env),
                record=self.display_name,
            ),
        )

    def _ccare_filter_tests(self):
        """``[(model, Domain)]``: what this record makes the server test."""
        self.ensure_one()
        return [
            (self.env[model_name], self._ccare_filter(fname))
            for fname, model_name in self._ccare_filter_fields.items()
        ]

    def _ccare_check_filters(self):
        """Raise unless the current user may read everything the filters of
        ``self`` test: before the server evaluates them on their behalf."""
        for record in self:
            for model, domain in record._ccare_filter_tests():
                check_rule_readable(model, domain, record.display_name)

    @api.constrains(lambda self: [*self._ccare_filter_fields, *self._ccare_filter_depends])
    def _check_ccare_filters(self):
        self._ccare_check_filters()
