"""The score import (issue #13 §4): the transcript import's reader, errors as row/column/Chinese message, all or
nothing; an import is the examiner's own entry, so the second examiner's import confirms it."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from assessment.services import candidates, scores

from . import builders as b

HEADER = ["学号", "姓名", "身份证号", "理论知识成绩", "操作技能成绩"]


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("scores.xlsx", buffer.getvalue())


@pytest.fixture
def held(world):
    app = b.quick_filed(world)
    b.reported_plan(world, app)
    session = b.session_with_candidates(world, app, 2)
    with b.at(b.SESSION_DAY, 16):
        candidates.record_attendance(session, user=world.staff,
                                     marks={c.pk: "present" for c in session.candidates.all()})
    return world, app, session


def rows_of(session, values):
    cands = list(session.candidates.select_related("graduate").order_by("id"))
    return [[c.graduate.student_number, c.graduate.name, c.graduate.id_number, *v] for c, v in zip(cands, values,
                                                                                                  strict=True)]


def test_errors_name_row_and_column_and_nothing_is_stored(held):
    w, app, session = held
    first = b.examiner_users(app)[0]
    rows = rows_of(session, [("80", "abc"), ("70", "75")])
    rows[1][1] = "别人"
    with b.at(b.SESSION_DAY, 16):
        count, problems = scores.import_scores(session, user=first, upload=xlsx(rows))
    assert count == 0
    assert {(p.row, p.column) for p in problems} == {(2, "操作技能成绩"), (3, "姓名")}
    assert all(p.message for p in problems)
    assert not session.candidates.filter(first_by__isnull=False).exists()


def test_two_examiners_imports_confirm_each_other(held):
    w, app, session = held
    first, second = b.examiner_users(app)[:2]
    rows = rows_of(session, [("80", "90"), ("58", "75")])
    with b.at(b.SESSION_DAY, 16):
        assert scores.import_scores(session, user=first, upload=xlsx(rows)) == (2, [])
        assert scores.import_scores(session, user=second, upload=xlsx(rows)) == (2, [])
    confirmed = list(session.candidates.order_by("id"))
    assert all(c.confirmed_at for c in confirmed)
    assert [c.passed for c in confirmed] == [True, False]
    assert confirmed[0].theory_score == Decimal("80")
