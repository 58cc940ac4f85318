"""Who attacks and what they attack, shared by the access matrix
(``crm_loyalty/tests/test_access_matrix.py``) and the generated attack
suites (``test_attack_*.py``): the groups of the matrix with one test user
per group, and ``AttackWorld``, a record of any model to attack."""

import psycopg2

from odoo import fields
from odoo.addons.crm_customer_care.models.ccare_guard import unlocked
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import mute_logger

# key: the group's xml id; each user holds that group only (and what it implies)
GROUPS = {
    "care_user": "crm_customer_care.group_crm_customer_care_user",
    "care_manager": "crm_customer_care.group_crm_customer_care_manager",
    "sensitive": "crm_customer_sensitive_data.group_crm_customer_care_sensitive_data",
    "privacy": "crm_customer_care.group_crm_customer_care_privacy_officer",
    "caller": "crm_callplan.group_crm_callplan_caller",
    "cp_manager": "crm_callplan.group_crm_callplan_manager",
    "agent": "crm_callplan.group_crm_callplan_agent",
    "loyalty_user": "crm_loyalty.group_crm_loyalty_user",
    "loyalty_manager": "crm_loyalty.group_crm_loyalty_manager",
    "portal": "base.group_portal",
    "public": "base.group_public",
}

# the most privileged user who is not an administrator: every internal group
# of the matrix at once (the settings stay the administrator's)
TOP = "top"

# the groups from the least to the most privileged (by what they may touch)
LADDER = (
    "public",
    "portal",
    "agent",
    "care_user",
    "sensitive",
    "caller",
    "loyalty_user",
    "privacy",
    "care_manager",
    "cp_manager",
    "loyalty_manager",
    TOP,
)


def installed_groups(env):
    """``GROUPS`` minus the groups of addons that are not installed, and
    ``TOP``: every installed internal group."""
    groups = {key: xmlid for key, xmlid in GROUPS.items() if env.ref(xmlid, False)}
    internal = [xmlid for key, xmlid in groups.items() if key not in ("portal", "public")]
    return dict(groups, **{TOP: ",".join(internal)})


def group_users(env, prefix, company=None, keys=tuple(GROUPS)):
    """One user per installed group of ``keys`` (``TOP`` included on
    demand), login ``<prefix>_<key>``, password ``rpc.password(login)``;
    in ``company`` only when given."""
    groups = installed_groups(env)
    extra = {}
    if company:
        extra = {"company_id": company.id, "company_ids": [(6, 0, company.ids)]}
    return {
        key: mail_new_test_user(env, login=f"{prefix}_{key}", groups=groups[key], **extra)
        for key in keys
        if key in groups
    }


def _draft_experiment(world):
    """An experiment still in draft: its arms change only then."""
    Experiment = world.env["crm.call.experiment"]
    return Experiment.create(world.values("crm.call.experiment"))


def _unsampled_call(world):
    """A call of its own: a call is sampled for review once (one scorecard
    per call)."""
    return world.env["crm.call"].create(world.values("crm.call")).id


# values the generic guess cannot find, per model: ``world -> {field: value}``
MODEL_VALUES = {
    # a program without a closed-lot history needs its redemption rate by hand
    "crm.loyalty.account.config": lambda world: {"use_manual_rate": True, "manual_rate": 0.8},
    "crm.call.experiment.arm": lambda world: {"experiment_id": _draft_experiment(world).id},
    "crm.call.qa.scorecard": lambda world: {"call_id": _unsampled_call(world)},
}


class AttackWorld:
    """A record of any model in ``company``: the newest the database holds
    there, else a copy of another company's, else one made from the model's
    required fields (many2one fields get the world's record of their
    comodel), so a model added later has a target without anyone writing
    one. ``records`` may be seeded with the records a suite wants."""

    def __init__(self, env, company, records=None):
        self.env = env
        self.company = company
        self.records = dict(records or {})

    def attempt(self, function, *args):
        """Run ``function`` in a savepoint; on an error, forget the records
        made meanwhile (rolled back with it) and raise it."""
        known = dict(self.records)
        try:
            with self.env.cr.savepoint():
                return function(*args)
        except Exception:
            self.records = known
            raise

    def rows(self, records):
        """The rows of ``records`` (a recordset, or a list of them) as the
        database holds them, to compare."""
        self.env.flush_all()
        rows = []
        for record in (one for recordset in records for one in recordset):
            self.env.cr.execute(
                SQL("SELECT * FROM %s WHERE id = %s", SQL.identifier(record._table), record.id)
            )
            rows.append(self.env.cr.fetchall())
        return rows

    def _company_field(self, model):
        field = self.env[model]._fields.get("company_id")
        return bool(field and field.store and field.type == "many2one")

    def record(self, model):
        if model not in self.records:
            Model = self.env[model].with_context(active_test=False)
            company = self._company_field(model)
            domain = [("company_id", "=", self.company.id)] if company else []
            record = Model.search(domain, limit=1, order="id desc")
            if not record and company and (other := Model.search([], limit=1, order="id desc")):
                try:
                    # a broken unique key is expected here: no "bad query" log
                    with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                        record = other.copy({"company_id": self.company.id})
                except (UserError, psycopg2.IntegrityError):
                    # only the server makes them, or a copy would break a
                    # unique key (a live data-quality issue): made below
                    record = None
            self.records[model] = record or self.make(model)
        return self.records[model]

    def values(self, model, overrides=None):
        """Values for the required fields of ``model`` that have no default
        (as a client sends them: JSON)."""
        Model = self.env[model]
        defaults = Model.default_get(list(Model._fields))
        vals = {}
        for name, field in Model._fields.items():
            default = defaults.get(name)
            if field.type in ("one2many", "many2many"):  # [(6, 0, [])] sets nothing
                default = [command for command in default or () if command[0] != 6 or command[2]]
            if not field.required or not field.store or field.compute or default:
                continue
            if field.type == "many2one":
                vals[name] = self.record(field.comodel_name).id
            elif field.type == "many2many":
                vals[name] = [(6, 0, self.record(field.comodel_name).ids)]
            elif field.type == "selection":
                vals[name] = field.get_values(self.env)[0]
            elif field.type in ("char", "text", "html"):
                vals[name] = f"Attack {name}"
            elif field.type in ("integer", "float", "monetary"):
                vals[name] = 1
            elif field.type == "date":
                vals[name] = fields.Date.to_string(fields.Date.today())
            elif field.type == "datetime":
                vals[name] = fields.Datetime.to_string(fields.Datetime.now())
            elif field.type == "binary":
                vals[name] = "YQ=="
        if self._company_field(model):
            vals["company_id"] = self.company.id
        specific = MODEL_VALUES[model](self) if model in MODEL_VALUES else {}
        return dict(vals, **specific, **(overrides or {}))

    def make(self, model):
        """Create a record; one only the server creates is made as the server
        makes it (its append-only key unlocked), or by SQL (anomalies come
        from the detection job's SQL)."""
        Model = self.env[model]
        vals = self.values(model)
        keys = [Model._ccare_append_only_key()] if hasattr(Model, "_ccare_append_only_key") else []
        for unlock in ([], keys):
            try:
                with self.env.cr.savepoint(), unlocked(*unlock):
                    return Model.create(vals)
            except UserError as error:
                if type(error) is not UserError:
                    raise  # a ValidationError: the values are wrong, say so
        columns = [name for name, field in Model._fields.items() if field.column_type]
        vals = dict(Model.default_get(columns), **vals)
        names = [name for name in vals if name in columns and name != "id"]
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) VALUES %s RETURNING id",
                SQL.identifier(Model._table),
                SQL(", ").join(SQL.identifier(name) for name in names),
                tuple(vals[name] for name in names),
            )
        )
        return Model.browse(self.env.cr.fetchone()[0])
