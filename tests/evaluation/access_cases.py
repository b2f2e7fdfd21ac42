"""Access-matrix cases for every URL of the evaluation app (tests/portal/test_access_matrix.py runs them).

``eval_data(world)`` adds, once per world, what the URLs need: a graduate of ``inst`` linked to the
student account (``own``), another graduate of ``inst`` (``peer``), one of ``other_inst`` (``other``),
an achievement with evidence, an import batch, evaluation runs and standard versions of both schools.
"""

from types import SimpleNamespace

from django.core.files.base import ContentFile

from tests.matrix import Case

STAFF_ADMIN = {"university_staff": 200, "site_admin": 200}
OVERSEERS = ("city_hrss", "city_education", "provincial_hrss", "provincial_education")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def eval_data(w):
    if getattr(w, "ev", None) is not None:
        return w.ev
    from evaluation.models import EvaluationRun, ImportBatch, SchoolStandard, StandardVersion
    from evaluation.rules import DEFAULT_STANDARD
    from tests.evaluation.factories import AchievementFactory, GraduateFactory

    own = GraduateFactory(institution=w.inst, student_number="A0001", name="张三丰", user=w.student)
    peer = GraduateFactory(institution=w.inst, student_number="A0002", name="赵六一")
    other = GraduateFactory(institution=w.other_inst, student_number="B0001", name="李四光")
    ach = AchievementFactory(graduate=own)
    storage = ach.evidence.storage
    if not storage.exists("evidence/matrix-award.pdf"):  # one file, however often the matrix runs
        storage.save("evidence/matrix-award.pdf", ContentFile(PDF))
    ach.evidence.name = "evidence/matrix-award.pdf"
    ach.save(update_fields=["evidence"])
    batch = ImportBatch.objects.create(uploaded_by=w.staff, institution=w.inst, original_name="bad.csv", size=10,
                                       sha256="0" * 64, status=ImportBatch.Status.INVALID, rows=1, error_count=1,
                                       errors=[[2, "身份证号", "身份证号校验位错误"]])
    run = EvaluationRun.objects.create(institution=w.inst, graduation_year=2025, started_by=w.staff, total=2)
    other_run = EvaluationRun.objects.create(institution=w.other_inst, graduation_year=2025,
                                             started_by=w.other_staff, total=1)
    data = DEFAULT_STANDARD.with_path("1(3)", rank_percent_max=25.0).to_dict()
    version = StandardVersion.objects.create(standard=SchoolStandard.objects.create(institution=w.inst), number=1,
                                             name="本校标准", data=data, published_by=w.staff)
    other_version = StandardVersion.objects.create(
        standard=SchoolStandard.objects.create(institution=w.other_inst), number=1, name="他校标准", data=data,
        published_by=w.other_staff)
    w.ev = SimpleNamespace(own=own, peer=peer, other=other, ach=ach, batch=batch, run=run, other_run=other_run,
                           version=version, other_version=other_version)
    return w.ev


def _own(w):
    return {"pk": eval_data(w).own.pk}


def _not_staff_or_admin(role):
    return role not in ("university_staff", "site_admin")


CASES = [
    # Lists of records: the school's staff (own institution only) and site admins.
    Case("evaluation:graduate_list", STAFF_ADMIN, kwargs=lambda w: (eval_data(w), {})[1],
         hidden=lambda w, role: [eval_data(w).other.name] if role != "site_admin" else []),
    # One record: its school's staff, site admins; its own student is sent to their own page; others 404.
    Case("evaluation:graduate_detail", {**STAFF_ADMIN, "student": 302}, default=404, kwargs=_own,
         id="graduate_detail (own student's record)",
         hidden=lambda w, role: [eval_data(w).own.id_number] + ([eval_data(w).own.name]
                                                                if _not_staff_or_admin(role) else [])),
    Case("evaluation:graduate_detail", {"site_admin": 200}, default=404,
         kwargs=lambda w: {"pk": eval_data(w).other.pk}, id="graduate_detail (another school's record)",
         hidden=lambda w, role: [] if role == "site_admin" else [eval_data(w).other.name]),
    Case("evaluation:graduate_detail", STAFF_ADMIN, default=404, kwargs=lambda w: {"pk": eval_data(w).peer.pk},
         id="graduate_detail (a classmate's record)",
         hidden=lambda w, role: [eval_data(w).peer.name] if _not_staff_or_admin(role) else []),
    # The full ID number: staff and admins (audited); the student themself is refused; others 404.
    Case("evaluation:graduate_reveal_id", {**STAFF_ADMIN, "student": 403}, default=404, method="post",
         kwargs=_own, hidden=lambda w, role: [eval_data(w).own.id_number] if _not_staff_or_admin(role) else []),
    Case("evaluation:achievement_add", {"university_staff": 302, "site_admin": 302, "student": 403}, default=404,
         method="post", kwargs=_own,
         data=lambda w: {"kind": "competition", "title": "省大学生电子设计竞赛", "level": "provincial", "rank": 1}),
    Case("evaluation:achievement_delete", {"university_staff": 302, "site_admin": 302, "student": 403},
         default=404, method="post", kwargs=lambda w: {"pk": eval_data(w).own.pk,
                                                        "achievement_pk": eval_data(w).ach.pk}),
    Case("evaluation:evidence", {**STAFF_ADMIN, "student": 200}, default=404,
         kwargs=lambda w: {"pk": eval_data(w).own.pk, "achievement_pk": eval_data(w).ach.pk}),
    # Transcript import and export.
    Case("evaluation:import_start", STAFF_ADMIN),
    Case("evaluation:import_template", STAFF_ADMIN),
    Case("evaluation:import_detail", STAFF_ADMIN, kwargs=lambda w: {"pk": eval_data(w).batch.pk}),
    Case("evaluation:import_progress", STAFF_ADMIN, kwargs=lambda w: {"pk": eval_data(w).batch.pk}),
    Case("evaluation:import_confirm", {"university_staff": 302, "site_admin": 302}, method="post",
         kwargs=lambda w: {"pk": eval_data(w).batch.pk}),
    Case("evaluation:import_discard", {"university_staff": 302, "site_admin": 302}, method="post",
         kwargs=lambda w: {"pk": eval_data(w).batch.pk}),
    Case("evaluation:export", STAFF_ADMIN, data=lambda w: (eval_data(w), {"format": "csv"})[1],
         hidden=lambda w, role: [eval_data(w).other.name, eval_data(w).own.id_number]
         if role != "site_admin" else [eval_data(w).own.id_number]),
    # Cohort evaluation: the school's staff start it; staff and admins follow it.
    Case("evaluation:run_list", STAFF_ADMIN),
    Case("evaluation:run_start", {"university_staff": 302}, method="post",
         data=lambda w: (eval_data(w), {"graduation_year": 2025})[1]),
    Case("evaluation:run_detail", STAFF_ADMIN, default=404, kwargs=lambda w: {"pk": eval_data(w).run.pk}),
    Case("evaluation:run_detail", {"site_admin": 200}, default=404, kwargs=lambda w: {"pk": eval_data(w).other_run.pk},
         id="run_detail (another school's run)"),
    Case("evaluation:run_progress", STAFF_ADMIN, default=404, kwargs=lambda w: {"pk": eval_data(w).run.pk}),
    # School standards: the school publishes; its supervisors (city of the school, province) read.
    Case("evaluation:standard_list", {**STAFF_ADMIN, **{r: 200 for r in OVERSEERS}}),
    Case("evaluation:standard_edit", {"university_staff": 200}),
    Case("evaluation:standard_detail", {**STAFF_ADMIN, **{r: 200 for r in OVERSEERS}}, default=404,
         kwargs=lambda w: {"pk": eval_data(w).version.pk}),
    Case("evaluation:standard_detail", {"site_admin": 200, "provincial_hrss": 200, "provincial_education": 200},
         default=404, kwargs=lambda w: {"pk": eval_data(w).other_version.pk},
         id="standard_detail (a school in another city)"),
    # Only the HRSS of the school's city comments on its standard (正文 三(一)2(4)); others who read it get 403.
    Case("evaluation:standard_comment", {"city_hrss": 302, "university_staff": 403, "site_admin": 403,
                                         "city_education": 403, "provincial_hrss": 403, "provincial_education": 403},
         default=404, method="post", kwargs=lambda w: {"pk": eval_data(w).version.pk},
         data=lambda w: {"text": "建议明确企业实践时长的认定办法"}),
    Case("evaluation:standard_comment", {"site_admin": 403, "provincial_hrss": 403, "provincial_education": 403},
         default=404, method="post", kwargs=lambda w: {"pk": eval_data(w).other_version.pk},
         data=lambda w: {"text": "x"}, id="POST standard_comment (a school in another city)"),
    # Student accounts: created by the school; activated by anyone holding a code.
    Case("evaluation:accounts_create", {"university_staff": 200}),
    Case("evaluation:activate", {r: 200 for r in ("university_staff", "city_hrss", "city_education",
                                                  "provincial_hrss", "provincial_education", "expert", "student",
                                                  "site_admin")}, anonymous=200),
    # The student's own page and what-if: only a student, only their own record.
    Case("evaluation:my_record", {"student": 200}, kwargs=lambda w: (eval_data(w), {})[1],
         hidden=lambda w, role: [eval_data(w).peer.name, eval_data(w).other.name]),
    Case("evaluation:what_if", {"student": 200}, method="post",
         data=lambda w: (eval_data(w), {"options": ["practice_4", "skill_4"]})[1]),
]
