"""单位性质 in the transcript (issue #12 item 8, "在省内企业就业": "Record the employer's kind").

附件2 一(四): 评审对象为“毕业离校当年度，在省内企业就业、签订三方就业协议并已到岗的毕业生”. The school may record the
employer's kind (单位性质: 企业、机关、事业单位、其他) in the transcript import, as an optional column; a blank cell is
unknown (""), a value outside the list is an error naming the line and nothing is written. A title application takes
the school's record when the applicant states no kind, and a stated kind that contradicts the record is refused —
so a graduate the school records as employed by a 机关 or 事业单位 cannot be submitted as employed by an enterprise.

This module fails on the code before this change: the import had no 单位性质 column (it was listed as ignored), and
the application knew only the applicant's own statement.
"""

import pytest
from django.core.exceptions import ValidationError

from evaluation.importing.columns import COLUMNS
from evaluation.models import Graduate, ImportBatch
from evaluation.rounds import services
from evaluation.services import imports
from tests.evaluation.test_import import HEADERS, csv_file, good_row, upload
from tests.rounds import factories as f


def test_the_column_is_read_blank_is_unknown_and_a_bad_value_is_refused(world):
    assert "单位性质" in HEADERS and not next(c for c in COLUMNS if c.key == "employer_kind").required
    rows = [good_row("2021000301", 单位性质="事业单位"), good_row("2021000302", 单位性质="民营企业"),
            good_row("2021000303", 单位性质="")]
    batch = upload(world.staff, csv_file(rows))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    imports.confirm_import(batch=batch, actor=world.staff)
    kinds = dict(Graduate.objects.values_list("student_number", "employer_kind"))
    assert kinds == {"2021000301": "public", "2021000302": "enterprise", "2021000303": ""}
    bad = upload(world.staff, csv_file([good_row("2021000304", 单位性质="外企")]))
    assert bad.status != ImportBatch.Status.PREVIEWED
    assert any(column == "单位性质" and "企业、机关、事业单位或其他" in message for _row, column, message in bad.errors)
    assert not Graduate.objects.filter(student_number="2021000304").exists()


def test_a_file_without_the_column_keeps_what_is_stored(world):
    headers = [h for h in HEADERS if h != "单位性质"]
    batch = upload(world.staff, csv_file([good_row("2021000311", 单位性质="机关")], headers=headers))
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.errors
    imports.confirm_import(batch=batch, actor=world.staff)
    assert Graduate.objects.get(student_number="2021000311").employer_kind == ""


def test_an_application_follows_the_schools_record_of_the_employer(world):
    rnd = f.open_round(world)
    recorded_public = f.graduate(world, "K0001", employer_kind="public")
    app = services.create_application(round=rnd, graduate=recorded_public, actor=world.staff, level="technician",
                                      today=f.OPENED)
    assert app.employer_kind == "public"  # taken from the school's record
    with pytest.raises(ValidationError, match="学校记录的就业单位性质为“事业单位”"):
        services.update_application(application=app, actor=world.staff, level="technician",
                                    employer_kind="enterprise", today=f.OPENED)
    for kind in ("employment", "tripartite", "on_duty"):
        services.add_evidence(application=app, actor=world.staff, kind=kind, upload=f.pdf(f"{kind}.pdf"))
    with pytest.raises(ValidationError, match="须在省内企业就业"):
        services.submit_application(application=app, actor=world.staff, today=f.OPENED)
    recorded_enterprise = f.graduate(world, "K0002", employer_kind="enterprise")
    app = services.create_application(round=rnd, graduate=recorded_enterprise, actor=world.staff,
                                      level="technician", today=f.OPENED)
    assert app.employer_kind == "enterprise"
