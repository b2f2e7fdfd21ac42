"""A certificate implies the notice's conditions were met, as decided (DOMAIN §7) — and goes on implying it.

- A correction issues a certificate anew: it is refused wherever issuing would be — a title decision waiting for
  its 复查, superseded by one, or not recorded by the office; a skill result from a session whose issuance the
  filing office suspended. And it corrects printed data only: a title's major and 批准文号 are the committee's
  decision (a change of them is a 复查's), never a clerk's correction.
- A 复查 that ends in 未通过, or the office's refusal to record a result, revokes the title certificate at once.
- A 复查 that ends in 通过 is followed by a certificate from the new decision, which supersedes the earlier one:
  the graduate never holds two.
- A correction cannot hand the certificate to another person: the ID number is corrected only to the one on the
  record of the person evaluated (that record is corrected first, in the school's register).

An audit found each of these open on the code before this change (a correction re-issued a valid certificate
while a 复查 was pending, after one ended in 未通过, after a refusal and in a suspended session; a passing 复查
left the graduate with two valid title certificates).
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from assessment.models import SessionState
from certificates import keys
from certificates import services as certificates
from certificates.models import Certificate, CertificateStatus, RevocationReason
from certificates.titles import issue_round_titles
from evaluation.rounds import selectors, services
from evaluation.rounds.models import Decision, ResultsFiling, RoundState
from portal import identifiers
from portal.models import Occupation
from tests.certificates.chain import filed_application, reported_result, session_for
from tests.rounds import factories as f

HELD, PUBLISHED, AFTER = date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 11)


@pytest.fixture(autouse=True)
def _keys(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("CERTIFICATE_KEYS_FILE", str(tmp_path / "keys" / "certificate-keys.json"))
    monkeypatch.delenv("CERTIFICATE_SIGNING_KEYS", raising=False)
    keys._cache.clear()
    yield
    keys._cache.clear()


def _issued(world):
    rnd = f.round_in(world, RoundState.FINALISED, n=2)
    f.record_results(world, rnd)
    certificate = issue_round_titles(rnd, actor=world.staff, render=False)[0]
    return rnd, certificate, selectors.decision_for_source(certificate.source_key)


def _rereview(world, rnd, decision, *, passed):
    """The committee's 复查 of ``decision``: a new vote, its 公示, and the new decision."""
    request = services.request_rereview(decision=decision, actor=world.staff, grounds="complaint", reason="申诉。")
    meeting = services.convene_rereview_meeting(round=rnd, actor=world.staff, held_on=HELD, place="会议室",
                                                today=HELD)
    users = f.check_in(meeting)
    f.vote(meeting, decision.application, users, ["yes" if passed else "no"] * len(users))
    meeting = f.close(meeting)
    services.sign_minutes(meeting=meeting, actor=f.chair(meeting))
    request.refresh_from_db()
    services.publish_rereview_result(request=request, actor=world.staff, today=PUBLISHED)
    request.refresh_from_db()
    return request


def _correct(certificate, staff):
    return certificates.correct_certificate(certificate, actor=staff, changes={"employer": "另一家公司"}, note="笔误")


def _valid_titles(certificate):
    return list(Certificate.objects.filter(kind="title", holder_id_number=certificate.holder_id_number,
                                           status=CertificateStatus.VALID).values_list("number", flat=True))


def test_no_corrected_certificate_while_the_decision_waits_for_its_rereview(world):
    rnd, certificate, decision = _issued(world)
    services.request_rereview(decision=decision, actor=world.staff, grounds="complaint", reason="申诉：材料有误。")
    with pytest.raises(ValidationError, match="正在复查"):
        _correct(certificate, world.staff)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID and Certificate.objects.count() == 2  # nothing issued


def test_a_rereview_ending_in_failure_revokes_the_certificate(world):
    rnd, certificate, decision = _issued(world)
    request = _rereview(world, rnd, decision, passed=False)
    services.conclude_rereview(request=request, actor=world.staff, approval_number="复〔2025〕1号", today=AFTER)
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revocation_reason) == (CertificateStatus.REVOKED,
                                                                   RevocationReason.NOT_ELIGIBLE)
    assert "复〔2025〕1号" in certificate.revocation_note
    assert _valid_titles(certificate) == []
    with pytest.raises(ValidationError, match="有效的证书"):
        _correct(certificate, world.staff)


def test_a_rereview_ending_in_a_pass_gives_one_certificate_from_the_new_decision(world):
    rnd, certificate, decision = _issued(world)
    request = _rereview(world, rnd, decision, passed=True)
    services.conclude_rereview(request=request, actor=world.staff, approval_number="复〔2025〕2号", today=AFTER)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID  # until the new decision's certificate takes its place
    with pytest.raises(ValidationError, match="已被评委会复查后的新决定替代"):
        _correct(certificate, world.staff)
    services.filing.submit_results(round=rnd, actor=world.staff)
    services.filing.record_results(filing=ResultsFiling.objects.get(round=rnd), actor=f.office_user(world, rnd))
    again = issue_round_titles(rnd, actor=world.staff, render=False)
    new = Decision.objects.get(supersedes=decision)
    replacement = next(c for c in again if c.source_key == new.source_key)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.SUPERSEDED and certificate.replacement == replacement
    assert replacement.data["approval_no"] == "复〔2025〕2号"
    assert _valid_titles(certificate) == [replacement.number]
    assert issue_round_titles(rnd, actor=world.staff, render=False) == again  # issuing again issues nothing


def test_the_offices_refusal_to_record_revokes_the_certificate(world):
    rnd, certificate, decision = _issued(world)
    services.filing.submit_results(round=rnd, actor=world.staff)
    office = f.office_user(world, rnd)
    services.filing.record_results(filing=ResultsFiling.objects.get(round=rnd), actor=office,
                                   refusals={decision.pk: "实践时间证明不实。"})
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revocation_note == "人社部门对评审结果不予备案：实践时间证明不实。"
    assert _valid_titles(certificate) == []


def test_a_titles_major_and_approval_number_are_not_corrections(world):
    _rnd, certificate, _decision = _issued(world)
    for field, value in (("major", "电气工程及其自动化"), ("approval_no", "随便写的文号")):
        with pytest.raises(ValidationError, match="不能更正"):
            certificates.correct_certificate(certificate, actor=world.staff, changes={field: value}, note="更正")
    assert _correct(certificate, world.staff).data["employer"] == "另一家公司"  # printed data still is


def test_a_correction_cannot_hand_the_certificate_to_another_person(world):
    _rnd, certificate, decision = _issued(world)
    someone_else = "340104199905050011"
    with pytest.raises(ValidationError, match="只能更正为被评价人记录中的号码"):
        certificates.correct_certificate(certificate, actor=world.staff, changes={"id_number": someone_else},
                                         note="更正")
    # the register had a wrong digit, corrected there: the certificate follows it
    graduate = decision.graduate
    wrong = identifiers.normalize_ric(graduate.id_number)
    body = wrong[:16] + str((int(wrong[16]) + 2) % 10)  # another sequence digit, the same sex
    right = body + identifiers.ric_check_digit(body)
    type(graduate).objects.filter(pk=graduate.pk).update(id_number=right)
    corrected = certificates.correct_certificate(certificate, actor=world.staff, changes={"id_number": right},
                                                 note="身份证号录入错误，学籍记录已更正")
    assert corrected.holder_id_number == right and corrected.status == CertificateStatus.VALID


def test_no_corrected_skill_certificate_from_a_suspended_session(world):
    electrician, _ = Occupation.objects.update_or_create(code="6-31-01-03", defaults={"name": "电工"})
    filing = filed_application(world.inst, "Y000034000017", [electrician], staff=world.staff)
    session = session_for(filing, electrician, 3, staff=world.staff)
    result = reported_result(session, name="王小明", id_number="340504199801010017", staff=world.staff)
    certificate = certificates.issue_from_result(result, issued_by=world.staff, render=False)
    session.__class__.objects.filter(pk=session.pk).update(state=SessionState.SUSPENDED, suspension_reason="考场违纪")
    with pytest.raises(ValidationError, match="暂停"):
        certificates.correct_certificate(certificate, actor=world.staff, changes={"name": "王晓明"}, note="笔误")
    assert Certificate.objects.count() == 1
