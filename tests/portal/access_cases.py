from tests.matrix import Case, everyone

CASES = [
    Case("home", everyone(200)),
    Case("login", everyone(302), anonymous=200),  # signed-in users are sent on to their dashboard
    Case("logout", everyone(302), method="post", anonymous=302),
    Case("login_locks", {"site_admin": 200}),
    Case("login_locks", {"site_admin": 302}, method="post", data=lambda w: {"username": "x", "ip_address": "10.0.0.9"},
         id="POST login_locks (unlock)"),
    Case("audit_log", {"provincial_hrss": 200, "provincial_education": 200, "site_admin": 200}),
    Case("institution_list", {"university_staff": 200, "city_hrss": 200, "city_education": 200,
                              "provincial_hrss": 200, "provincial_education": 200, "site_admin": 200},
         hidden=lambda w, role: [w.other_inst.name] if role in ("university_staff", "city_hrss",
                                                                 "city_education") else []),
    # The own institution: its staff and students, its city's offices, the province, admins.
    Case("institution_detail", {"university_staff": 200, "city_hrss": 200, "city_education": 200,
                                "provincial_hrss": 200, "provincial_education": 200, "student": 200,
                                "site_admin": 200},
         default=404, kwargs=lambda w: {"pk": w.inst.pk}, id="institution_detail (own)"),
    # Another city's institution: only the province and admins.
    Case("institution_detail", {"provincial_hrss": 200, "provincial_education": 200, "site_admin": 200},
         default=404, kwargs=lambda w: {"pk": w.other_inst.pk}, id="institution_detail (other city)",
         hidden=lambda w, role: [] if role in ("provincial_hrss", "provincial_education", "site_admin")
         else [w.other_inst.uscc, w.other_inst.name]),
    Case("inbox", everyone(200)),
    Case("inbox_mark_read", everyone(302), method="post"),
    Case("healthz", everyone(200), anonymous=200),
    # Two-factor sign-in: one's own account only (force_login has passed the second step: tests/conftest.py).
    Case("twofactor_account", everyone(200)),
    Case("twofactor_verify", everyone(302)),  # passed already (officials) or nothing to verify (students): on
    Case("twofactor_setup", everyone(200)),
    Case("twofactor_recovery_codes", everyone(302), method="post"),  # no authenticator enrolled: back, with why
    Case("twofactor_turn_off", everyone(302), method="post"),
    # A lost phone: only site administrators reset another account's second factor (tests/portal/test_two_factor_reset.py).
    Case("twofactor_reset", {"site_admin": 200}),
    Case("twofactor_reset", {"site_admin": 302}, method="post",
         data=lambda w: {"username": w.expert.username, "reason": "手机丢失，已电话核实本人身份", "confirm": "on"},
         id="POST twofactor_reset"),
    Case("session_extend", everyone(200), method="post"),
]

EXEMPT = {
    "admin:*": "Django admin: tested in tests/portal/test_admin.py (site admins only)",
}
