import csv
import io
import logging
import os
import re
import unicodedata
from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.base_import.models.base_import import ImportValidationError
from odoo.addons.crm_customer_care.vat import normalize_vat
from odoo.addons.crm_customer_care.vat import vat_normalized_sql
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools import email_normalize
from odoo.tools.mimetypes import guess_mimetype

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "crm_customer_care.group_crm_customer_care_manager"
MAX_ROWS_PARAM = "crm_customer_care.import_max_rows"
DEFAULT_MAX_ROWS = 100000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The columns a file can be mapped to, and the header names recognised for them.
IMPORT_FIELDS = [
    ("name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("vat", "Tax ID"),
    ("country", "Country"),
    ("street", "Street"),
    ("zip", "ZIP"),
    ("city", "City"),
    ("company_name", "Company Name"),
    ("lead_name", "Lead Title"),
]
HEADER_ALIASES = {
    "name": {"name", "fullname", "customer", "customername", "contact", "contactname"},
    "email": {"email", "emailaddress", "mail", "courriel", "emailfrom"},
    "phone": {"phone", "telephone", "tel", "phonenumber", "mobile", "cellphone"},
    "vat": {"vat", "taxid", "vatnumber", "tin", "tva"},
    "country": {"country", "countrycode", "countryid", "pays"},
    "street": {"street", "address", "street1"},
    "zip": {"zip", "zipcode", "postcode", "postalcode"},
    "city": {"city", "town"},
    "company_name": {"company", "companyname", "partnername", "organisation", "organization"},
    "lead_name": {"leadname", "leadtitle", "opportunity", "title", "subject"},
}
# The fields of a cleaned row a new partner or lead takes as they are: its address.
ADDRESS_KEYS = ("country_id", "street", "zip", "city")
# Columns whose values are validated, so a column of garbage can be told apart.
CHECKED_KEYS = ("email", "phone", "country")
GARBAGE_MIN_VALUES = 5
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def suggest_import_field(header):
    """The import key a header name stands for, or False."""
    key = re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", header or "").lower())
    return next((field for field, names in HEADER_ALIASES.items() if key in names), False)


class CrmCustomerImport(models.Model):
    """The stored report of one customer (or lead) file import: what each row
    would do (dry run) or did (done), and why rows were rejected."""

    _name = "crm.customer.import"
    _inherit = ["crm.customer.care.workflow.mixin"]
    _description = "Customer Import Report"
    # the outcome of a run is the run's: never typed in
    _ccare_workflow_fields = ("state", "date", "error_message", "report_attachment_id")
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, default=lambda self: self.env._("Customer import"))
    target = fields.Selection(
        [("partner", "Customers"), ("lead", "Leads")],
        required=True,
        default="partner",
    )
    source_id = fields.Many2one("utm.source", string="Source", required=True, ondelete="restrict")
    file_name = fields.Char()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one("res.users", string="Imported by", default=lambda self: self.env.user)
    date = fields.Datetime(string="Run on", readonly=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("dry_run", "Dry Run"),
            ("done", "Imported"),
            ("failed", "Failed"),
        ],
        required=True,
        default="draft",
        readonly=True,
    )
    error_message = fields.Text(readonly=True)
    line_ids = fields.One2many("crm.customer.import.line", "import_id", string="Rows")
    row_count = fields.Integer(compute="_compute_counts", store=True)
    created_count = fields.Integer(string="Created", compute="_compute_counts", store=True)
    matched_count = fields.Integer(string="Matched", compute="_compute_counts", store=True)
    duplicate_count = fields.Integer(string="Duplicates", compute="_compute_counts", store=True)
    rejected_count = fields.Integer(string="Rejected", compute="_compute_counts", store=True)
    report_attachment_id = fields.Many2one("ir.attachment", readonly=True, copy=False)

    @api.depends("line_ids.status")
    def _compute_counts(self):
        counts = defaultdict(int)
        for import_, status, count in self.env["crm.customer.import.line"]._read_group(
            [("import_id", "in", self.ids)], ["import_id", "status"], ["__count"]
        ):
            counts[import_.id, status] = count
        for report in self:
            report.created_count = counts[report.id, "new"]
            report.matched_count = counts[report.id, "match"]
            report.duplicate_count = counts[report.id, "duplicate"]
            report.rejected_count = counts[report.id, "reject"]
            report.row_count = sum(
                counts[report.id, s] for s in ("new", "match", "duplicate", "reject")
            )

    # ------------------------------------------------------------------
    # Reading a file
    # ------------------------------------------------------------------

    @api.model
    def _get_max_rows(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_ROWS_PARAM)
        try:
            return int(value) if value else DEFAULT_MAX_ROWS
        except ValueError:
            return DEFAULT_MAX_ROWS

    @api.model
    def _read_import_file(self, content, file_name, encoding="utf-8", separator=False):
        """Parse a CSV or XLSX file with base_import's readers.

        :param bytes content: the raw file
        :returns: (headers, rows): the header row and the data rows, as lists
          of stripped strings padded to the width of the header
        :raises UserError: naming the problem for anything that is not a
          readable, non-empty CSV/XLSX file within the row limit
        """
        file_name = file_name or self.env._("the file")
        if not content:
            raise UserError(self.env._("The file %s is empty.", file_name))
        file_type = self._get_file_type(content, file_name)
        max_rows = self._get_max_rows()
        # a cheap bound before parsing: a CSV has at least one line per row
        if file_type == "text/csv" and content.count(b"\n") > max_rows + 2:
            raise UserError(
                self.env._(
                    "%(file)s has about %(count)s rows, more than the limit of %(limit)s rows "
                    "per import (system parameter %(param)s). Split the file.",
                    file=file_name,
                    count=content.count(b"\n"),
                    limit=max_rows,
                    param=MAX_ROWS_PARAM,
                )
            )
        rows = self._parse_file(content, file_name, file_type, encoding, separator)
        rows = [["" if cell is None else str(cell).strip() for cell in row] for row in rows]
        if not rows:
            raise UserError(self.env._("The file %s is empty.", file_name))
        headers, rows = rows[0], rows[1:]
        self._check_rows(headers, rows, file_name, file_type, max_rows)
        return headers, rows

    @api.model
    def _get_file_type(self, content, file_name):
        """The mimetype base_import reads ``content`` as: XLSX or CSV, from
        its content and its extension; UserError for anything else."""
        ext = os.path.splitext(file_name)[1].lower()
        mimetype = guess_mimetype(content)
        if mimetype == XLSX_MIMETYPE or (ext == ".xlsx" and mimetype == "application/zip"):
            return XLSX_MIMETYPE
        if ext == ".xlsx":
            raise UserError(
                self.env._(
                    "%(file)s is not a valid XLSX file (its content looks like %(type)s).",
                    file=file_name,
                    type=mimetype,
                )
            )
        if ext in (".csv", ".txt", "") and (
            mimetype.startswith("text/") or mimetype == "application/octet-stream"
        ):
            return "text/csv"
        raise UserError(
            self.env._(
                "%(file)s cannot be imported: only CSV and XLSX files are supported "
                "(this file looks like %(type)s).",
                file=file_name,
                type=mimetype,
            )
        )

    @api.model
    def _parse_file(self, content, file_name, file_type, encoding, separator):
        """The rows of the file as base_import reads them (header first);
        every reading error becomes a UserError naming the file."""
        # a new (unsaved) record: base_import reads the file from it, nothing is stored
        importer = self.env["base_import.import"].new(
            {
                "res_model": "res.partner",
                "file": content,
                "file_name": file_name,
                "file_type": file_type,
            }
        )
        if (encoding or "").lower() in ("utf-8", "utf8") and content.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8-sig"  # Excel's "CSV UTF-8" starts with a byte order mark
        options = {
            "quoting": '"',
            "separator": separator or "",
            "encoding": encoding or "",
            "has_headers": True,
        }
        try:
            _length, rows = importer._read_file(options)
        except ImportValidationError as error:
            raise UserError(
                self.env._(
                    "%(file)s could not be read: %(error)s Choose the file's encoding "
                    "(e.g. Latin-1 or Windows-1252) or save it as UTF-8.",
                    file=file_name,
                    error=error.message,
                )
            ) from error
        except UnicodeError as error:
            raise UserError(
                self.env._(
                    "%(file)s is not encoded in %(encoding)s: %(error)s",
                    file=file_name,
                    encoding=encoding,
                    error=error,
                )
            ) from error
        except UserError as error:
            raise UserError(
                self.env._(
                    "%(file)s could not be read: %(error)s", file=file_name, error=error.args[0]
                )
            ) from error
        except Exception as error:
            _logger.info("Unreadable import file %s", file_name, exc_info=True)
            raise UserError(
                self.env._(
                    "%(file)s could not be read as %(type)s: %(error)s",
                    file=file_name,
                    type="XLSX" if file_type == XLSX_MIMETYPE else "CSV",
                    error=error,
                )
            ) from error
        return rows

    @api.model
    def _check_rows(self, headers, rows, file_name, file_type, max_rows):
        """Refuse a file without data rows, over the row limit, of a single
        CSV column (wrong separator) or with rows wider than the header; pad
        short rows to the header's width (in place)."""
        if not rows:
            raise UserError(self.env._("%s has a header row but no data rows.", file_name))
        if len(rows) > max_rows:
            raise UserError(
                self.env._(
                    "%(file)s has %(count)s rows, more than the limit of %(limit)s rows "
                    "per import (system parameter %(param)s). Split the file.",
                    file=file_name,
                    count=len(rows),
                    limit=max_rows,
                    param=MAX_ROWS_PARAM,
                )
            )
        if len(headers) < 2 and file_type == "text/csv":
            raise UserError(
                self.env._(
                    "%(file)s has a single column (%(header)s): check the separator "
                    "(comma, semicolon or tab).",
                    file=file_name,
                    header=headers[0][:80],
                )
            )
        width = len(headers)
        for index, row in enumerate(rows, start=2):
            if len(row) > width and any(row[width:]):
                raise UserError(
                    self.env._(
                        "Row %(row)s of %(file)s has %(count)s cells but the header has "
                        "%(width)s columns.",
                        row=index,
                        file=file_name,
                        count=len(row),
                        width=width,
                    )
                )
            if len(row) != width:
                row[:] = (row + [""] * width)[:width]

    # ------------------------------------------------------------------
    # Analysis: validation and set-based matching
    # ------------------------------------------------------------------

    def _get_country_map(self):
        """({code or lower-case name: country id}, countries) for every
        country, in at most two queries (English and the user's language)."""
        result = {}
        Country = self.env["res.country"]
        for lang in {"en_US", self.env.lang or "en_US"}:
            countries = Country.with_context(lang=lang).search_fetch(
                [], ["code", "name", "phone_code"]
            )
            for country in countries:
                result[country.code.upper()] = country.id
                result[country.name.lower()] = country.id
        return result, countries.with_env(self.env)

    def _check_garbage_columns(self, headers, rows, mapping, validated):
        """Refuse a file whose mapped column is garbage rather than data with a
        few bad values: binary/control characters, or mostly invalid values."""
        for column, key in mapping.items():
            for index, row in enumerate(rows, start=2):
                if CONTROL_CHARS.search(row[column]):
                    raise UserError(
                        self.env._(
                            "Column %(column)s holds binary or control characters (row "
                            "%(row)s): it is not text. Check the file and its encoding.",
                            column=headers[column],
                            row=index,
                        )
                    )
            if key not in validated:
                continue
            values, invalid = validated[key]
            if values >= GARBAGE_MIN_VALUES and invalid * 2 > values:
                raise UserError(
                    self.env._(
                        "Column %(column)s, mapped to %(field)s, looks like garbage: "
                        "%(invalid)s of its %(values)s values are not valid. Check the "
                        "column mapping.",
                        column=headers[column],
                        field=dict(IMPORT_FIELDS)[key],
                        invalid=invalid,
                        values=values,
                    )
                )

    def _match_keys(self):
        """(key of a cleaned row, label) of the values rows are matched by."""
        return (
            ("email_normalized", self.env._("email")),
            ("phone_e164", self.env._("phone")),
            ("vat_normalized", self.env._("tax ID")),
        )

    def _analyse_rows(self, headers, rows, mapping):
        """Validate every row and match it against the file and the database.

        :param dict mapping: {column index: import key}
        :returns: a list of dicts, one per row: row_number, status, reason,
          values (the cleaned row), partner_id, updates (field -> value)
        """
        if "name" not in mapping.values() and not (
            self.target == "lead" and {"lead_name", "company_name"} & set(mapping.values())
        ):
            raise UserError(self.env._("Map a column to Name: every row needs a name."))
        countries = self._get_country_map()
        validated = {key: [0, 0] for key in CHECKED_KEYS}
        plan = [
            self._validate_row(index, row, mapping, countries, validated)
            for index, row in enumerate(rows, start=2)
        ]
        self._check_garbage_columns(headers, rows, mapping, validated)
        valid = [line for line in plan if line["status"] != "reject"]
        self._flag_file_duplicates(valid)
        self._match_existing(valid)
        return plan

    def _validate_row(self, row_number, row, mapping, countries, validated):
        """The plan line of one row: its cleaned values (country id, strict
        email, E.164 phone, normalised tax ID), *new* or *reject* with the
        reasons. Counts the checked values in ``validated`` ({key: [values,
        invalid]})."""
        country_map, Country = countries
        values = {key: row[column] for column, key in mapping.items() if row[column]}
        reasons = []
        if not (
            values.get("name")
            or (self.target == "lead" and (values.get("lead_name") or values.get("company_name")))
        ):
            reasons.append(self.env._("missing name"))
        country_id = False
        if values.get("country"):
            validated["country"][0] += 1
            country_id = country_map.get(values["country"].upper()) or country_map.get(
                values["country"].lower()
            )
            if not country_id:
                validated["country"][1] += 1
                reasons.append(self.env._("unknown country %s", values["country"]))
        values["country_id"] = country_id
        if values.get("email"):
            validated["email"][0] += 1
            email = email_normalize(values["email"], strict=True)
            if not email:
                validated["email"][1] += 1
                reasons.append(self.env._("bad email %s", values["email"]))
            values["email_normalized"] = email
        if values.get("phone"):
            validated["phone"][0] += 1
            country = Country.browse(country_id) if country_id else self.env.company.country_id
            try:
                values["phone_e164"] = self.env["res.partner"]._phone_format_number(
                    values["phone"], country, force_format="E164", raise_exception=True
                )
            except UserError as error:
                validated["phone"][1] += 1
                values["phone_e164"] = False
                reasons.append(self.env._("bad phone: %s", error.args[0]))
        values["vat_normalized"] = normalize_vat(values.get("vat"))
        return {
            "row_number": row_number,
            "status": "reject" if reasons else "new",
            "reason": "; ".join(reasons),
            "values": values,
            "partner_id": False,
            "updates": {},
        }

    def _flag_file_duplicates(self, lines):
        """Flag as *duplicate* a row with the same email, phone or tax ID as
        an earlier row of the file."""
        first_seen = {}
        for line in lines:
            values = line["values"]
            for key, label in self._match_keys():
                if values.get(key):
                    first = first_seen.setdefault((key, values[key]), line["row_number"])
                    if first != line["row_number"] and line["status"] != "duplicate":
                        line["status"] = "duplicate"
                        line["reason"] = self.env._(
                            "duplicate of row %(row)s in the file (same %(key)s)",
                            row=first,
                            key=label,
                        )

    def _match_existing(self, lines):
        """Match the rows that are not duplicates to existing partners (one
        lookup for all): a row matching one partner is *match* (a customer
        import updates it) or a new lead of it; a row matching several
        partners, conflicting ones, or the partner of an earlier row is
        *duplicate*."""
        Partner = self.env["res.partner"]
        partners_by_key = self._match_partners(lines)
        matched_rows = {}
        for line in lines:
            if line["status"] == "duplicate":
                continue
            values = line["values"]
            found = {}
            for key, label in self._match_keys():
                partners = partners_by_key.get((key, values.get(key)), Partner)
                if len(partners) > 1:
                    line["status"] = "duplicate"
                    line["reason"] = self.env._(
                        "%(key)s %(value)s matches several existing partners: %(names)s",
                        key=label,
                        value=values[key],
                        names=", ".join(f"{p.display_name} (#{p.id})" for p in partners[:5]),
                    )
                    break
                if partners:
                    found[label] = partners
            if line["status"] == "duplicate" or not found:
                continue
            if len({p.id for p in found.values()}) > 1:
                line["status"] = "duplicate"
                line["reason"] = self.env._(
                    "conflicting matches: %s",
                    ", ".join(
                        f"{label} → {p.display_name} (#{p.id})" for label, p in found.items()
                    ),
                )
                continue
            partner = next(iter(found.values()))
            if partner.id in matched_rows:
                line["status"] = "duplicate"
                line["reason"] = self.env._(
                    "matches the same partner as row %(row)s: %(name)s",
                    row=matched_rows[partner.id],
                    name=partner.display_name,
                )
                continue
            matched_rows[partner.id] = line["row_number"]
            self._set_match(line, partner, found)

    def _set_match(self, line, partner, found):
        """Record on a plan line the one partner its row matched (by the
        labels of ``found``)."""
        line["partner_id"] = partner.id
        if self.target == "partner":
            line["status"] = "match"
            line["updates"] = self._partner_updates(partner, line["values"])
            line["reason"] = self.env._("matched by %s", ", ".join(found))
        else:
            line["reason"] = self.env._(
                "new lead for %(name)s (matched by %(keys)s)",
                name=partner.display_name,
                keys=", ".join(found),
            )

    def _match_partners(self, lines):
        """Existing partners per (key, value) for the file's emails, phones
        and tax IDs: one SQL query for the tax IDs, one search for all."""
        Partner = self.env["res.partner"]
        emails = {
            line["values"]["email_normalized"]
            for line in lines
            if line["values"].get("email_normalized")
        }
        phones = {
            line["values"]["phone_e164"] for line in lines if line["values"].get("phone_e164")
        }
        vats = {
            line["values"]["vat_normalized"]
            for line in lines
            if line["values"].get("vat_normalized")
        }
        vat_partner_ids = []
        if vats:
            # the tax ID is copied on the contacts of a company: match the company
            self.env.cr.execute(
                SQL(
                    """SELECT id FROM res_partner
                    WHERE parent_id IS NULL AND vat IS NOT NULL AND %s = ANY(%s)""",
                    vat_normalized_sql(),
                    list(vats),
                )
            )
            vat_partner_ids = [row[0] for row in self.env.cr.fetchall()]
        domains = []
        if emails:
            domains.append([("email_normalized", "in", list(emails))])
        if phones:
            domains.append([("phone_sanitized", "in", list(phones))])
        if vat_partner_ids:
            domains.append([("id", "in", vat_partner_ids)])
        if not domains:
            return {}
        partners = Partner.search_fetch(
            Domain.OR(domains),
            [
                "name",
                "email",
                "email_normalized",
                "phone",
                "phone_sanitized",
                "vat",
                "parent_id",
                "country_id",
                "street",
                "zip",
                "city",
                "display_name",
            ],
        )
        result = defaultdict(lambda: Partner)
        vat_ids = set(vat_partner_ids)
        for partner in partners:
            if partner.email_normalized in emails:
                result["email_normalized", partner.email_normalized] |= partner
            if partner.phone_sanitized in phones:
                result["phone_e164", partner.phone_sanitized] |= partner
            if partner.id in vat_ids:
                result["vat_normalized", normalize_vat(partner.vat)] |= partner
        return result

    def _partner_updates(self, partner, values):
        """The fields of ``partner`` the row would change: non-empty values of
        the file that differ from the partner's (compared normalised)."""
        updates = {}
        if values.get("name") and values["name"] != partner.name:
            updates["name"] = values["name"]
        if values.get("email_normalized") and values["email_normalized"] != (
            partner.email_normalized or email_normalize(partner.email or "")
        ):
            updates["email"] = values["email"]
        if values.get("phone_e164") and values["phone_e164"] != partner.phone_sanitized:
            updates["phone"] = values["phone_e164"]
        if values.get("vat_normalized") and values["vat_normalized"] != normalize_vat(partner.vat):
            updates["vat"] = values["vat"]
        if values.get("country_id") and values["country_id"] != partner.country_id.id:
            updates["country_id"] = values["country_id"]
        for key in ("street", "zip", "city"):
            if values.get(key) and values[key] != (partner[key] or ""):
                updates[key] = values[key]
        return updates

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    @api.model
    def _address_vals(self, values):
        """The address of a cleaned row, as a partner and a lead both hold it."""
        return {key: values.get(key) or False for key in ADDRESS_KEYS}

    def _partner_create_vals(self, values):
        vals = {
            "name": values.get("name"),
            "email": values.get("email") or False,
            "phone": values.get("phone_e164") or False,
            "vat": values.get("vat") or False,
            **self._address_vals(values),
        }
        if values.get("company_name"):
            vals["company_name"] = values["company_name"]
        return vals

    def _lead_create_vals(self, values, partner_id):
        name = values.get("lead_name") or values.get("name") or values.get("company_name")
        vals = {
            "name": name,
            "source_id": self.source_id.id,
            "company_id": self.company_id.id,
        }
        if partner_id:
            # contact details come from the partner: the lead must not rewrite them
            vals["partner_id"] = partner_id
        else:
            vals.update(
                {
                    "contact_name": values.get("name") or False,
                    "partner_name": values.get("company_name") or False,
                    "email_from": values.get("email") or False,
                    "phone": values.get("phone_e164") or False,
                    **self._address_vals(values),
                }
            )
        return vals

    def _apply_plan(self, plan):
        """Write what the plan says: create the new partners (or leads) in
        one batch and update the matched partners. Fills partner_id/lead_id."""
        Partner = self.env["res.partner"].with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        )
        todo = [line for line in plan if line["status"] in ("new", "match")]
        if self.target == "partner":
            new_lines = [line for line in todo if line["status"] == "new"]
            partners = Partner.create(
                [self._partner_create_vals(line["values"]) for line in new_lines]
            )
            for line, partner in zip(new_lines, partners, strict=True):
                line["partner_id"] = partner.id
            # one write per distinct set of changes, not one per row
            partner_ids_by_updates = defaultdict(list)
            for line in todo:
                if line["status"] == "match" and line["updates"]:
                    key = tuple(sorted(line["updates"].items()))
                    partner_ids_by_updates[key].append(line["partner_id"])
            for updates, partner_ids in partner_ids_by_updates.items():
                Partner.browse(partner_ids).write(dict(updates))
        else:
            leads = (
                self.env["crm.lead"]
                .with_context(mail_create_nolog=True)
                .create(
                    [self._lead_create_vals(line["values"], line["partner_id"]) for line in todo]
                )
            )
            for line, lead in zip(todo, leads, strict=True):
                line["lead_id"] = lead.id

    def _line_vals(self, line):
        values = line["values"]
        updates = line["updates"]
        labels = {"country_id": "country"}
        return {
            "import_id": self.id,
            "row_number": line["row_number"],
            "status": line["status"],
            "reason": line["reason"] or False,
            "name": values.get("name") or values.get("lead_name") or values.get("company_name"),
            "email": values.get("email_normalized") or values.get("email") or False,
            "phone": values.get("phone_e164") or values.get("phone") or False,
            "vat": values.get("vat") or False,
            "country": values.get("country") or False,
            "partner_id": line["partner_id"] or False,
            "lead_id": line.get("lead_id") or False,
            "updated_fields": ", ".join(labels.get(f, f) for f in updates) or False,
        }

    def _run(self, headers, rows, mapping, dry_run=True):
        """Analyse the rows and, unless ``dry_run``, write them, all or nothing.

        :param list headers: the header row
        :param list rows: the data rows (lists of strings)
        :param dict mapping: {column index: import key}
        :returns: True when the rows were written (or would be, in a dry run)
        """
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only Customer Care managers can import customers."))
        self.check_access("write")
        plan = self._analyse_rows(headers, rows, mapping)
        state, error = ("dry_run" if dry_run else "done"), False
        if not dry_run:
            try:
                with self.env.cr.savepoint():
                    self._apply_plan(plan)
                    self.env.flush_all()
            except Exception as exc:
                # the savepoint rolled the writes back and cleared the cache
                _logger.warning("Customer import %s failed, rolled back", self.id, exc_info=True)
                state = "failed"
                error = self.env._("Nothing was imported, the import was rolled back: %s", exc)
                for line in plan:
                    line["lead_id"] = False
                    if line["status"] == "new":
                        line["partner_id"] = False
        Line = self.env["crm.customer.import.line"]
        with Line._ccare_append_only_unlocked(), self._ccare_transition():
            self.line_ids.unlink()
            Line.create([self._line_vals(line) for line in plan])
            self.write({"state": state, "error_message": error, "date": fields.Datetime.now()})
        return state != "failed"

    # ------------------------------------------------------------------
    # Report download
    # ------------------------------------------------------------------

    def _get_report_csv(self):
        """The report as CSV bytes: one line per row of the imported file."""
        self.ensure_one()
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow(
            [
                "row",
                "status",
                "name",
                "email",
                "phone",
                "vat",
                "country",
                "partner_id",
                "partner",
                "lead_id",
                "updated_fields",
                "reason",
            ]
        )
        status_labels = dict(
            self.env["crm.customer.import.line"]._fields["status"]._description_selection(self.env)
        )
        for line in self.line_ids.sorted("row_number"):
            writer.writerow(
                [
                    line.row_number,
                    status_labels[line.status],
                    line.name or "",
                    line.email or "",
                    line.phone or "",
                    line.vat or "",
                    line.country or "",
                    line.partner_id.id or "",
                    line.partner_id.display_name or "",
                    line.lead_id.id or "",
                    line.updated_fields or "",
                    line.reason or "",
                ]
            )
        return output.getvalue().encode("utf-8")

    def action_download_csv(self):
        """Download the report as CSV: an attachment of the report, readable
        by whoever can read the report."""
        self.ensure_one()
        self.check_access("read")
        name = "{}-report-{}.csv".format(re.sub(r"[^\w.-]+", "_", self.name), self.id)
        # the report is read-only for care users: attach it as superuser,
        # limited to this report that the user was just checked to read
        attachment = self.sudo().report_attachment_id
        vals = {"name": name, "raw": self._get_report_csv(), "mimetype": "text/csv"}
        if attachment:
            attachment.write(vals)
        else:
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(dict(vals, res_model=self._name, res_id=self.id))
            )
            with self._ccare_transition():
                self.sudo().report_attachment_id = attachment
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
