"""Every Track B URL × every role. Objects are built inside ``kwargs`` (fresh world per test).

The world's case belongs to ``inst`` (安徽工业大学: 省属, 马鞍山 → 马鞍山市人社局 = ``city_hrss``); the world's
expert (employed by ``other_inst``) leads its panel. Seeing a case one may not see is a 404, acting on a
case one may see but not act on is a 403.
"""

from django.core.files.base import ContentFile

from applications.track_b.models import EntrustmentState, FilingState
from tests.matrix import Case, everyone
from tests.track_b.factories import case_in, ensure_reference_data, occ

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _case(w, state, inst=None):
    ensure_reference_data()
    key = f"_tb_{state}_{inst.pk if inst else 'inst'}"
    if getattr(w, key, None) is None:
        setattr(w, key, case_in(w, state, inst))
    return getattr(w, key)


def pk(state):
    return lambda w: {"pk": _case(w, state).pk}


def _full_ids(w, role):
    app = next((v for k, v in vars(w).items() if k.startswith("_tb_") and hasattr(v, "staff")), None)
    return [s.id_number for s in app.staff.all()] if app is not None else []


def _index_kwargs(w):
    _case(w, FilingState.SUBMITTED)
    _case(w, FilingState.SUBMITTED, w.other_inst)
    return {}


def _regulation_file(w):
    app = _case(w, FilingState.SUBMITTED)
    doc = app.regulations.first()
    doc.file.save("rules.pdf", ContentFile(PDF), save=True)
    return {"pk": app.pk, "kind": "regulation", "row": doc.pk}


def _historical(w):
    """A filing of ``inst`` made before the portal, registered by its filing office (马鞍山市人社局)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.track_b.services.historical import register_historical_filing

    ensure_reference_data()
    if getattr(w, "_tb_historical", None) is None:
        w._tb_historical = register_historical_filing(
            user=w.city_hrss, institution=w.inst, receipt_number="Y000034000901", filed_on=date(2022, 6, 1),
            unit_name=w.inst.name, receipt_scan=SimpleUploadedFile("receipt.pdf", PDF, "application/pdf"),
            occupations=[(occ("4-12-01-01"), 3, "")])
    return {"pk": w._tb_historical.pk}


def _entrustment(w, state):
    from applications.track_b import services

    ensure_reference_data()
    key = f"_tb_ent_{state}"
    if getattr(w, key, None) is None:
        filed = case_in(w, FilingState.FILED, w.other_inst)  # the filed university that is entrusted
        item = services.create_entrustment(user=w.staff)
        item.plan = "实施方案：汽车维修工（三级）认定，委托芜湖职业技术学院组织考试。"
        item.evaluation = "经校内外专家评估论证，方案可行。"
        item.level = 3
        item.entrusted_filing = filed
        item.voluntary = True
        item.plan_file.save("plan.pdf", ContentFile(PDF), save=False)
        item.save()
        item.occupations.add(occ("4-12-01-01"))
        if state != EntrustmentState.DRAFT:
            item = services.report_entrustment(item, user=w.staff)
        setattr(w, key, item)
    return getattr(w, key)


def own_record(w):
    """The student's graduate record: a 1+X request names the student's own ID number (issue #12 item 6)."""
    from applications.track_b.demo import fake_ric
    from evaluation.models import Graduate

    return Graduate.objects.get_or_create(
        institution=w.inst, student_number="EX0001",
        defaults={"graduation_year": 2026, "name": "张明", "gender": "M", "user": w.student,
                  "id_number": fake_ric("340503", "20030506", "012"), "degree_level": "junior_college",
                  "major": "新能源汽车技术"})[0]


def _exemption(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.track_b import services
    from applications.track_b.demo import fake_ric
    from applications.track_b.forms import ExemptionForm

    ensure_reference_data()
    if getattr(w, "_tb_exemption", None) is None:
        form = ExemptionForm({
            "name": "张明", "id_number": fake_ric("340503", "20030506", "012"), "major": "新能源汽车技术",
            "certificate_name": "智能新能源汽车", "certificate_level": "intermediate", "certificate_number": "X2024001",
            "certificate_issuer": "某培训评价组织", "occupation": occ("4-12-01-01").pk, "level": 4,
            "subjects": "theory", "reason": "已取得中级证书。"},
            {"certificate_file": SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")})
        assert form.is_valid(), form.errors
        own_record(w)
        request = services.create_exemption(user=w.student, form=form)
        services.submit_batch(user=w.staff, request_ids=[request.pk])  # the school submits it to the offices
        request.refresh_from_db()
        w._tb_exemption = request
    return w._tb_exemption


VIEWERS = {"university_staff": 200, "city_hrss": 200, "site_admin": 200}
OFFICE_ACTS = {"city_hrss": 302, "university_staff": 403, "site_admin": 403}
PANEL_OFFICE = {"city_hrss": 302, "university_staff": 403, "expert": 403, "site_admin": 403}

CASES = [
    Case("track_b:index", {"university_staff": 200, "city_hrss": 200, "provincial_hrss": 200, "expert": 200,
                           "site_admin": 200}, kwargs=_index_kwargs,
         hidden=lambda w, role: [w.other_inst.name] if role in ("city_hrss", "university_staff") else []),
    Case("track_b:create", {"university_staff": 200}),
    Case("track_b:create", {"university_staff": 302}, method="post", id="POST track_b:create"),
    Case("track_b:registry", everyone(200), kwargs=lambda w: (_case(w, FilingState.FILED), {})[1], anonymous=200),
    Case("track_b:detail", VIEWERS, default=404, kwargs=pk(FilingState.SUBMITTED), hidden=_full_ids,
         id="track_b:detail (submitted)"),
    Case("track_b:detail", {"university_staff": 200, "site_admin": 200}, default=404, kwargs=pk(FilingState.DRAFT),
         id="track_b:detail (draft: the university's own)"),
    Case("track_b:detail", {**VIEWERS, "expert": 200}, default=404, kwargs=pk(FilingState.UNDER_EVALUATION),
         hidden=_full_ids, id="track_b:detail (panel member)"),
    Case("track_b:edit", {"university_staff": 200, "site_admin": 403}, default=404,
         kwargs=lambda w: {"pk": _case(w, FilingState.DRAFT).pk, "section": "majors"}),
    Case("track_b:edit", {"university_staff": 403, "city_hrss": 403, "site_admin": 403}, default=404,
         kwargs=lambda w: {"pk": _case(w, FilingState.SUBMITTED).pk, "section": "basic"},
         id="track_b:edit (submitted: nobody edits)"),
    Case("track_b:submit", {"university_staff": 200, "site_admin": 403}, default=404, kwargs=pk(FilingState.DRAFT)),
    Case("track_b:submit", {"university_staff": 302, "site_admin": 403}, default=404, kwargs=pk(FilingState.DRAFT),
         method="post", id="POST track_b:submit"),
    Case("track_b:withdraw", {"university_staff": 302, "city_hrss": 403, "site_admin": 403}, default=404,
         kwargs=pk(FilingState.SUBMITTED), method="post"),
    Case("track_b:accept", OFFICE_ACTS, default=404, kwargs=pk(FilingState.SUBMITTED), method="post"),
    Case("track_b:return", OFFICE_ACTS, default=404, kwargs=pk(FilingState.SUBMITTED), method="post",
         data=lambda w: {"reasons": "请补充材料。"}),
    Case("track_b:panel", {"city_hrss": 200, "university_staff": 403, "site_admin": 403}, default=404,
         kwargs=pk(FilingState.ACCEPTED)),
    Case("track_b:declare_conflict", {"expert": 302, "city_hrss": 403, "university_staff": 403, "site_admin": 403},
         default=404, kwargs=pk(FilingState.UNDER_EVALUATION), method="post",
         data=lambda w: {"reason": "近三年与申报单位有合作项目"}),
    Case("track_b:report", {"expert": 200, "city_hrss": 200, "site_admin": 200, "university_staff": 403},
         default=404, kwargs=pk(FilingState.UNDER_EVALUATION)),
    Case("track_b:report", {"expert": 200, "city_hrss": 200, "site_admin": 200, "university_staff": 200},
         default=404, kwargs=pk(FilingState.FILED), id="track_b:report (filed: the school reads it)"),
    Case("track_b:sign", {"expert": 302, "city_hrss": 403, "university_staff": 403, "site_admin": 403}, default=404,
         kwargs=pk(FilingState.UNDER_EVALUATION), method="post", data=lambda w: {"version": "0"}),
    Case("track_b:reopen", PANEL_OFFICE, default=404, kwargs=pk(FilingState.REPORT_SIGNED), method="post",
         data=lambda w: {"reasons": "请补充实地查看情况。"}),
    Case("track_b:file", {"city_hrss": 200, "university_staff": 403, "expert": 403, "site_admin": 403},
         default=404, kwargs=pk(FilingState.REPORT_SIGNED)),
    Case("track_b:refuse", PANEL_OFFICE, default=404, kwargs=pk(FilingState.REPORT_SIGNED), method="post",
         data=lambda w: {"reasons": "场地不符合要求。"}),
    Case("track_b:document", {**VIEWERS, "expert": 200}, default=404,
         kwargs=lambda w: {"pk": _case(w, FilingState.FILED).pk, "kind": "receipt"}),
    Case("track_b:document", VIEWERS, default=404,
         kwargs=lambda w: {"pk": _case(w, FilingState.SUBMITTED).pk, "kind": "annex3"},
         id="track_b:document (annex3)"),
    Case("track_b:row_file", VIEWERS, default=404, kwargs=_regulation_file),
    Case("track_b:entrustment_list", {"university_staff": 200, "city_hrss": 200, "provincial_hrss": 200,
                                      "site_admin": 200}),
    Case("track_b:entrustment_create", {"university_staff": 302}, method="post"),
    Case("track_b:entrustment_detail", VIEWERS, default=404,
         kwargs=lambda w: {"pk": _entrustment(w, EntrustmentState.REPORTED).pk}),
    Case("track_b:entrustment_edit", {"university_staff": 200, "site_admin": 403}, default=404,
         kwargs=lambda w: {"pk": _entrustment(w, EntrustmentState.DRAFT).pk}),
    Case("track_b:entrustment_report", {"university_staff": 302, "site_admin": 403}, default=404,
         kwargs=lambda w: {"pk": _entrustment(w, EntrustmentState.DRAFT).pk}, method="post"),
    Case("track_b:entrustment_acknowledge", OFFICE_ACTS, default=404,
         kwargs=lambda w: {"pk": _entrustment(w, EntrustmentState.REPORTED).pk}, method="post"),
    Case("track_b:entrustment_return", OFFICE_ACTS, default=404,
         kwargs=lambda w: {"pk": _entrustment(w, EntrustmentState.REPORTED).pk}, method="post",
         data=lambda w: {"reasons": "请补充评估论证材料。"}),
    Case("track_b:entrustment_plan_file", VIEWERS, default=404,
         kwargs=lambda w: {"pk": _entrustment(w, EntrustmentState.REPORTED).pk}),
    Case("track_b:exemption_list", {"student": 200, "university_staff": 200, "provincial_hrss": 200,
                                    "provincial_education": 200, "site_admin": 200},
         kwargs=lambda w: (_exemption(w), {})[1],
         hidden=lambda w, role: [w._tb_exemption.id_number] if getattr(w, "_tb_exemption", None) else []),
    Case("track_b:historical_register", {"city_hrss": 200, "provincial_hrss": 200}),
    Case("track_b:historical_receipt", {"university_staff": 200, "city_hrss": 200, "site_admin": 200}, default=404,
         kwargs=_historical),
    Case("track_b:exemption_create", {"student": 200}),
    Case("track_b:exemption_batch", {"university_staff": 200}),
    Case("track_b:exemption_detail", {"student": 200, "university_staff": 200, "provincial_hrss": 200,
                                      "provincial_education": 200, "site_admin": 200}, default=404,
         kwargs=lambda w: {"pk": _exemption(w).pk},
         hidden=lambda w, role: [w._tb_exemption.id_number] if getattr(w, "_tb_exemption", None) else []),
    Case("track_b:exemption_decide", {"provincial_hrss": 302, "provincial_education": 302, "student": 403,
                                      "university_staff": 403, "site_admin": 403}, default=404,
         kwargs=lambda w: {"pk": _exemption(w).pk}, method="post",
         data=lambda w: {"outcome": "agree", "reasons": "证书与职业对应。"}),
    Case("track_b:exemption_withdraw", {"student": 302, "university_staff": 403, "provincial_hrss": 403,
                                        "provincial_education": 403, "site_admin": 403}, default=404,
         kwargs=lambda w: {"pk": _exemption(w).pk}, method="post"),
    Case("track_b:exemption_file", {"student": 200, "university_staff": 200, "provincial_hrss": 200,
                                    "provincial_education": 200, "site_admin": 200}, default=404,
         kwargs=lambda w: {"pk": _exemption(w).pk}),
]

