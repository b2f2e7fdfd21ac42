"""django-import-export resources: graduates' records in and out.

Import: headers are recognised in Chinese (as a registrar's system exports them) or English
(``transcripts.HEADER_ALIASES``); every row goes through ``transcripts.Checker`` — the same checks,
and the same Chinese messages, as the fast path — before import-export's widgets see it.
Export: Chinese headers and values (so an export can be re-imported), ID numbers masked unless
asked for, and every cell that a spreadsheet would run as a formula neutralised.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from portal.identifiers import mask_ric
from portal.models import Institution

from .models import Assessment, DegreeLevel, DesignGrade, Gender, Graduate
from .transcripts import COLUMNS, FIELDS, HEADER_ALIASES, HEADER_OF, Checker, normalise_header

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet would evaluate (=, +, -, @, tab, CR first) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class InstitutionWidget(widgets.ForeignKeyWidget):
    """Rows carry the institution's id after the checks; look each one up once per import."""

    def __init__(self):
        super().__init__(Institution, "pk")
        self._cache = {}

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if value not in self._cache:
            self._cache[value] = Institution.objects.get(pk=value)
        return self._cache[value]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.name


class PassThroughBoolean(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        return super().clean(value, row=row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


def _widget(name):
    model_field = Graduate._meta.get_field(name)
    if name == "institution_id":
        return InstitutionWidget()
    if model_field.get_internal_type() == "BooleanField":
        return PassThroughBoolean()
    if model_field.get_internal_type() == "DecimalField":
        return widgets.DecimalWidget()
    if model_field.get_internal_type() == "DateField":
        return widgets.DateWidget("%Y-%m-%d")
    if model_field.get_internal_type() == "PositiveSmallIntegerField":
        return widgets.IntegerWidget()
    return widgets.CharWidget(allow_blank=True)


def _field(key):
    attribute = "institution" if key == "institution_id" else key
    header = HEADER_OF["institution" if key == "institution_id" else key]
    return fields.Field(attribute=attribute, column_name=header, widget=_widget(key))


_CHOICE_LABELS = {
    "gender": dict(Gender.choices),
    "degree_level": dict(DegreeLevel.choices),
    "design_grade": dict(DesignGrade.choices),
    "assessment": dict(Assessment.choices),
}


class GraduateResourceBase(resources.ModelResource):
    def __init__(self, *, institutions=None, default_institution=None, restricted=True, full_ids=False, **kwargs):
        super().__init__(**kwargs)  # the admin passes its form and request
        if institutions is None:
            institutions = {pk: (name, uscc) for pk, name, uscc in
                            Institution.objects.values_list("pk", "name", "uscc")}
            restricted = False
        self.scope = {"institutions": institutions, "default_institution": default_institution,
                      "restricted": restricted}
        self.full_ids = full_ids
        self.checker = None
        self.seen = {}

    # --- import ---------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Maps the file's headers to the canonical ones; adds an empty 院校名称 column if absent."""
        headers = []
        for h in dataset.headers or []:
            key = HEADER_ALIASES.get(normalise_header(h))
            headers.append(HEADER_OF[key] if key else h)
        dataset.headers = headers
        if HEADER_OF["institution"] not in headers:
            dataset.append_col([""] * len(dataset), header=HEADER_OF["institution"])
        self.checker = Checker(dataset.headers, **self.scope)
        self.seen = {}
        if self.checker.header_problems:
            raise ValidationError(self.checker.header_problems)

    def before_import_row(self, row, **kwargs):
        """Checks the row (transcripts.Checker) and replaces its cells by canonical values."""
        cells = [row.get(h, "") for h in self.checker.headers]
        cells = ["" if c is None else c if isinstance(c, str) else str(c) for c in cells] + [""]
        record, problems, _notes = self.checker.row(cells)
        if record is not None:
            key = (record[0], record[1])
            if key in self.seen:
                problems = [("student_number", f"学号与第{self.seen[key]}个数据行重复")]
            else:
                self.seen[key] = kwargs.get("row_number")
        if problems:
            errors = {}
            for key, message in problems:
                errors.setdefault("institution" if key == "institution" else key, []).append(message)
            raise ValidationError(errors)
        row.clear()
        for key, value in zip(FIELDS, record, strict=True):
            if key == "duty_start_date" and value:
                value = datetime.date.fromisoformat(value)
            row[HEADER_OF["institution" if key == "institution_id" else key]] = value

    # --- export ---------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        out = type(dataset)(headers=dataset.headers)
        for row in dataset:
            out.append([neutralise(cell) for cell in row])
        return out

    def dehydrate_id_number(self, graduate):
        return graduate.id_number if self.full_ids else mask_ric(graduate.id_number)


def _dehydrate_choice(key):
    labels = _CHOICE_LABELS[key]

    def dehydrate(self, graduate):
        value = getattr(graduate, key)
        return str(labels.get(value, value)) if value else ""

    return dehydrate


_attrs = {key: _field(key) for key in FIELDS}
_attrs["institution"] = _attrs.pop("institution_id")
for _key in _CHOICE_LABELS:
    _attrs[f"dehydrate_{_key}"] = _dehydrate_choice(_key)


class _Meta:
    model = Graduate
    fields = tuple("institution" if k == "institution_id" else k for k in FIELDS)
    import_id_fields = ("institution", "student_number")
    export_order = fields
    skip_unchanged = True
    report_skipped = True
    skip_html_diff = True
    use_transactions = True


_attrs["Meta"] = _Meta
_attrs["__module__"] = __name__
_attrs["__doc__"] = ("Graduates' records (``transcripts.COLUMNS``): one row per graduate, keyed by institution "
                     "and student number; unchanged rows are skipped, so importing a file twice changes nothing.")
GraduateResource = type("GraduateResource", (GraduateResourceBase,), _attrs)

assert [c.key for c in COLUMNS][1:] == list(FIELDS)[1:]  # the template and the record agree
