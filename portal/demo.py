"""The demo data set behind ``make demo``: institutions across cities and affiliations,
and one account per role. Idempotent: running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from stdnum.cn import uscc

from portal.models import Institution, Role, RoleAssignment

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

# username, full name, role, institution (name) or city code or organisation
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
    ("student", "张明（安徽工业大学）", Role.STUDENT, "安徽工业大学"),
]


@transaction.atomic
def load_demo():
    """Creates or refreshes the demo institutions and accounts; returns [(username, role label)]."""
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
    User = get_user_model()
    created = []
    for username, full_name, role, scope in ACCOUNTS:
        user, new = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if new:
            user.set_password(DEMO_PASSWORD)
        user.full_name = full_name
        if role == Role.SITE_ADMIN:
            user.is_staff = user.is_superuser = True
        user.save()
        scope_fields = {"institution": None, "city": None, "organisation": ""}
        if isinstance(scope, str) and scope.startswith("org:"):
            scope_fields["organisation"] = scope[4:]
        elif scope in institutions:
            scope_fields["institution"] = institutions[scope]
        elif scope:
            scope_fields["city_id"] = scope
            del scope_fields["city"]
        RoleAssignment.objects.get_or_create(user=user, role=role, **scope_fields)
        created.append((username, Role(role).label))
    return created
