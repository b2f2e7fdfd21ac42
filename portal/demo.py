"""The demo data set behind ``make demo``: institutions across cities and affiliations,
and one account per role, made by the site administrator through ``portal.accounts`` as in real use.
Idempotent: running it again changes nothing (an existing account is left as it is, never made twice)."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from stdnum.cn import uscc

from portal import accounts
from portal.models import CITY_ROLES, Institution, Role

DEMO_PASSWORD = "Anhui@2026demo"


def make_uscc(prefix17):
    """A well-formed 统一社会信用代码 for demo data: 17 characters plus the GB 32100 check character."""
    return prefix17 + uscc.calc_check_digit(prefix17)


INSTITUTIONS = [
    # name, uscc body, affiliation, city, kind, applied engineering, industry college (name, level, year)
    ("中国科学技术大学", "12100000485001770", "ministry", "3401", "undergraduate", False, ("", "", None)),
    ("合肥工业大学", "12100000485002341", "ministry", "3401", "undergraduate", True,
     ("合肥工业大学智能制造现代产业学院", "provincial", 2021)),
    ("安徽建筑大学", "12340000485960125", "provincial", "3401", "undergraduate", True,
     ("安徽建筑大学智能建造现代产业学院", "provincial", 2022)),
    ("安徽工业大学", "12340000485960317", "provincial", "3405", "undergraduate", True,
     ("安徽工业大学新能源汽车现代产业学院", "provincial", 2021)),
    ("马鞍山学院", "52340500MJB871264", "private", "3405", "undergraduate", True,
     ("马鞍山学院智能制造现代产业学院", "provincial", 2022)),
    ("芜湖职业技术学院", "12340200485470139", "municipal", "3402", "vocational", False, ("", "", None)),
    ("安徽新华学院", "52340100MJB130578", "private", "3401", "undergraduate", True, ("", "", None)),
    ("安徽工程大学", "12340000485960498", "provincial", "3402", "undergraduate", True,
     ("安徽工程大学数字经济现代产业学院", "provincial", 2022)),
    ("合肥学院", "12340100485960628", "municipal", "3401", "undergraduate", True,
     ("合肥学院智能制造现代产业学院", "provincial", 2022)),
]

# username, full name, role, institution (name) or city code or organisation. Student accounts are not here: the
# school generates them from its graduate records and the student activates one (``evaluation.demo``).
ACCOUNTS = [
    ("admin", "系统管理员", Role.SITE_ADMIN, None),
    ("univ", "王经办（安徽工业大学）", Role.UNIVERSITY_STAFF, "安徽工业大学"),
    ("univ_wuhu", "李经办（芜湖职业技术学院）", Role.UNIVERSITY_STAFF, "芜湖职业技术学院"),
    ("univ_ustc", "陈经办（中国科学技术大学）", Role.UNIVERSITY_STAFF, "中国科学技术大学"),
    ("city_hrss", "赵科长（马鞍山市人社局）", Role.CITY_HRSS, "3405"),
    ("city_edu", "钱科长（马鞍山市教育局）", Role.CITY_EDUCATION, "3405"),
    ("city_hrss_wuhu", "孙科长（芜湖市人社局）", Role.CITY_HRSS, "3402"),
    ("city_hrss_hefei", "周科长（合肥市人社局）", Role.CITY_HRSS, "3401"),
    ("prov_hrss", "吴处长（省人社厅）", Role.PROVINCIAL_HRSS, None),
    ("prov_edu", "郑处长（省教育厅）", Role.PROVINCIAL_EDUCATION, None),
    ("expert", "冯教授（安徽建筑大学）", Role.EXPERT, "安徽建筑大学"),
    ("expert2", "陈高工（奇瑞汽车股份有限公司）", Role.EXPERT, "org:奇瑞汽车股份有限公司"),
]


def site_admin():
    """The demo's ``admin``, who opens every other demo account (as a real site administrator does)."""
    return get_user_model().objects.get(username="admin")


def grant(role, scope, institutions=None):
    """A ``portal.accounts.Grant`` from the demo tables' scope: an institution's name, a city code or "org:…"."""
    if isinstance(scope, str) and scope.startswith("org:"):
        return accounts.Grant(role, organisation=scope[4:])
    if isinstance(scope, Institution):
        return accounts.Grant(role, institution=scope)
    if scope and institutions is not None and scope in institutions:
        return accounts.Grant(role, institution=institutions[scope])
    if scope and role in CITY_ROLES:
        return accounts.Grant(role, city_id=scope)
    if scope:
        return accounts.Grant(role, institution=Institution.objects.get(name=scope))
    return accounts.Grant(role)


def ensure_account(username, full_name, grants, *, expert_profile=None):
    """A demo account made by ``admin`` through ``portal.accounts`` (an existing one is left as it is)."""
    return accounts.ensure_account(actor=site_admin(), username=username, full_name=full_name, grants=grants,
                                   password=DEMO_PASSWORD, expert_profile=expert_profile).user


@transaction.atomic
def load_demo():
    """Creates the demo institutions and accounts (existing ones are left as they are); returns
    [(username, role label, created)]."""
    call_command("loaddata", "cities", verbosity=0)  # reference data (also loaded by migration 0002)
    institutions = {}
    for name, body, affiliation, city, kind, applied, (college, level, year) in INSTITUTIONS:
        institutions[name], _ = Institution.objects.update_or_create(
            name=name,
            defaults={
                "uscc": make_uscc(body), "affiliation": affiliation, "city_id": city, "kind": kind,
                "applied_engineering": applied, "industry_college_name": college,
                "industry_college_level": level, "industry_college_year": year,
                "contact_name": "办公室", "contact_phone": "0551-65000000",
            },
        )
    out = []
    for username, full_name, role, scope in ACCOUNTS:
        # The first site administrator is made on the command line (as ``createsuperuser`` makes one): no actor.
        actor = None if role == Role.SITE_ADMIN else site_admin()
        made = accounts.ensure_account(actor=actor, username=username, full_name=full_name,
                                       grants=[grant(role, scope, institutions)], password=DEMO_PASSWORD,
                                       is_superuser=role == Role.SITE_ADMIN)
        out.append((username, Role(role).label, made.created))
    return out
