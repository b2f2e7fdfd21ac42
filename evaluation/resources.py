"""django-import-export resource for exporting graduates' records.

Export: Chinese headers and values (so an export can be re-imported), ID numbers masked unless
asked for, and every cell that a spreadsheet would run as a formula neutralised. Import does not go
through import-export: every door (the registrar's page, the Django admin, ``manage.py
import_transcript``) uses the one pipeline of ``evaluation.importing`` (read → check → write).
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from portal import exports
from portal.identifiers import mask_ric
from portal.models import Institution

from .importing.columns import FIELDS, HEADER_OF
from .models import Assessment, DegreeLevel, DesignGrade, Gender, Graduate


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
        # Unknown (a 一(六) condition the school has not stated) is exported blank, never 否: imported again, blank
        # stays unknown and 否 would become "not met".
        if value is None:
            return ""
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
    def __init__(self, *, full_ids=False, **kwargs):
        super().__init__(**kwargs)  # the admin passes its form and request
        self.full_ids = full_ids

    # --- export ---------------------------------------------------------------------------

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        out = type(dataset)(headers=dataset.headers)
        for row in dataset:
            out.append(exports.safe_row(row))
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
_attrs["__doc__"] = ("Graduates' records (``importing.columns.COLUMNS``): one row per graduate, keyed by institution "
                     "and student number; unchanged rows are skipped, so importing a file twice changes nothing.")
GraduateResource = type("GraduateResource", (GraduateResourceBase,), _attrs)

