"""Exports for the provincial HRSS (office token): filings, certificates and 认定结果报备 data as JSON lines
(``application/x-ndjson``), keyset-paginated on ``id``: the ``X-Next-After`` header (and a ``Link: rel="next"``)
gives the next page; none on the last. Read through the same selectors as the office's pages."""

import json

from django.http import HttpResponse
from ninja import Router

from applications.track_b import selectors as filing_selectors
from assessment import exports
from assessment import selectors as assessment_selectors
from certificates import selectors as certificate_selectors
from portal import access, audit

from ..auth import office_read
from ..keyset import DEFAULT_LIMIT, page
from ..schemas import ERRORS
from .school import certificate_out

router = Router(tags=["省人社厅报备数据"], auth=office_read)

NDJSON = "application/x-ndjson"


def _doc(what):
    return {"responses": {200: {
        "description": f"{what}，每行一个 JSON 对象（JSON Lines）。",
        "headers": {
            "X-Next-After": {"description": "下一页的 after 参数；最后一页无此头。", "schema": {"type": "integer"}},
            "Link": {"description": 'rel="next" 的下一页地址；最后一页无此头。', "schema": {"type": "string"}},
        },
        "content": {NDJSON: {"schema": {"type": "string"}}},
    }}}


def _lines(request, objects, next_after, limit):
    body = "".join(json.dumps(o, ensure_ascii=False, default=str, separators=(",", ":")) + "\n" for o in objects)
    response = HttpResponse(body, content_type=f"{NDJSON}; charset=utf-8")
    if next_after is not None:
        response["X-Next-After"] = str(next_after)
        response["Link"] = f'<{request.path}?after={next_after}&limit={limit}>; rel="next"'
    response["Cache-Control"] = "no-store"
    return response


def _filing(f):
    return {"id": f.pk, "institution": f.institution.name, "uscc": f.uscc or f.institution.uscc,
            "unit_name": f.unit_name, "state": f.state, "state_label": str(f.get_state_display()),
            "authority_role": f.authority_role, "authority_city": f.authority_city_id, "revision": f.revision,
            "filing_code": f.filing_code, "filed_at": f.filed_at, "submitted_at": f.submitted_at,
            "occupations": [{"code": o.occupation.code, "name": o.occupation.name, "job_types": o.job_types,
                             "level": o.level} for o in f.filed_occupations.all()]}


@router.get("/filings.jsonl", response={**ERRORS}, openapi_extra=_doc("本厅受理的职业技能等级认定备案"),
            summary="导出备案申请（JSON Lines）")
def filings(request, after: int = 0, limit: int = DEFAULT_LIMIT):
    qs = filing_selectors.office_cases(request.auth.user).prefetch_related("filed_occupations__occupation")
    rows, next_after = page(qs, after=after, limit=limit)
    return _lines(request, [_filing(f) for f in rows], next_after, limit)


@router.get("/certificates.jsonl", response={**ERRORS}, openapi_extra=_doc("证书登记（姓名、证件号码已遮盖）"),
            summary="导出证书登记（JSON Lines）")
def certificates(request, after: int = 0, limit: int = DEFAULT_LIMIT):
    user = request.auth.user
    access.require(user, "certificates.list")
    rows, next_after = page(certificate_selectors.certificates_visible_to(user), after=after, limit=limit)
    return _lines(request, [{**certificate_out(c), "issuer": c.issuer.name} for c in rows], next_after, limit)


@router.get("/assessment-results.jsonl", response={**ERRORS},
            openapi_extra=_doc("认定结果报备数据：每行一场考核的结果报告（anhui-skill-assessment-results/1，含完整证件号码）"),
            summary="导出认定结果报备数据（JSON Lines）")
def assessment_results(request, after: int = 0, limit: int = DEFAULT_LIMIT):
    """每行一场考核的认定结果报告，与考核页面下载的 JSON 相同（docs/assessment-results.md），含完整证件号码；
    只包含考核页面允许本厅下载的考核，每次导出记入审计日志。按 id 分页：响应头 X-Next-After 为下一页的 after。"""
    user = request.auth.user
    qs = assessment_selectors.sessions_visible_to(user).filter(state__in=exports.EXPORT_STATES)
    rows, next_after = page(qs, after=after, limit=limit)
    documents = []
    for session in rows:
        if exports.may_export(user, session):
            audit.record(actor=user, action="assessment.export_results", obj=session, changes={"format": "api"})
            documents.append(exports.document(session))
    return _lines(request, documents, next_after, limit)
