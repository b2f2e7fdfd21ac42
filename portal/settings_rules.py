"""Settings that carry the notice's rules and our readings of it where it leaves a choice (DOMAIN.md, docs/fidelity.md),
kept apart from the infrastructure settings in ``portal/settings.py``, which imports them all."""

import os


def _env(name, default):
    return os.environ.get(name, default)


# --- Track A: the evaluation committee (附件2 二(二)) -------------------------------------
# How long a committee's 核准备案 lasts before it must be renewed: at most 3 years (national rule).
COMMITTEE_FILING_VALID_YEARS = int(_env("COMMITTEE_FILING_VALID_YEARS", "3"))

# --- 评价实施 (assessment app, issue #13) ------------------------------------------------------------
# A session plan reaches the filing office at least this many working days before the session (DOMAIN §4.2).
ASSESSMENT_REPORT_WORKING_DAYS = int(_env("ASSESSMENT_REPORT_WORKING_DAYS", "5"))
# 视同应届 (正文 一): graduates who left within this many years and are not employed.
ASSESSMENT_UNEMPLOYED_YEARS = 2
# 1+X 免试 (通知 三(二)1) — provisional until "具体细则另行发布": who must decide (both provincial offices),
# which subjects a request may exempt, and the wording of a refusal. Kept here so the published rules can change them.
EXEMPTION_DECIDERS = ("provincial_hrss", "provincial_education")
EXEMPTION_SUBJECTS = ("theory", "practice")
EXEMPTION_REFUSAL_LABEL = "不予免试"

# Issue 12 — what the notice leaves to the school or the office (docs/fidelity.md names each):
# the heading printed on a title certificate (the notice says 工程技术人员职称证书 and prescribes no layout);
TITLE_CERTIFICATE_HEADING = _env("TITLE_CERTIFICATE_HEADING", "职称证书（工程系列）")
# who may read a round's results 公示 — "school" (signed-in members of the school and the offices concerned, the
# default) or "public" (anyone); candidates' materials are always within the unit (单位内部公示).
ROUNDS_RESULTS_NOTICE_VISIBILITY = _env("ROUNDS_RESULTS_NOTICE_VISIBILITY", "school")
