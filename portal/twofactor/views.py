"""HTTP of two-factor sign-in: the second step, enrolling an authenticator, the account's security page, and an
administrator's reset of another account's second factor (a lost phone: ``reset``)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certificates.qr import qr_svg
from portal import access
from portal.auth import failure_message
from portal.models import User
from portal.twofactor import policy, services, signin
from portal.twofactor import reset as resets
from portal.twofactor.forms import CodeForm, ResetForm
from portal.twofactor.models import DEMO_CODE, EnrolmentRequired

QR_MODULE_MM = 1.2  # an otpauth link is a version 4–6 symbol: ~5 cm on screen with its quiet zone


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@login_required
def verify(request):
    """The second step: a code from the authenticator, or one recovery code."""
    next_url = _next(request)
    if policy.is_verified(request):
        return redirect(next_url)
    user = request.user
    if not policy.has_second_factor(user):
        return redirect(_with_next("twofactor_setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = signin.attempt(request, form.cleaned_data["otp_token"])
        if outcome == signin.OK:
            return redirect(next_url)
        if outcome == signin.LOCKED:
            logout(request)
            messages.error(request, failure_message())
            return redirect("login")
        form.add_error("otp_token", _("验证码错误或已使用过。连续错误次数过多时，将暂停从本设备登录该账号。"))
    demo = policy.demo_devices(user).exists()
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url,
                                                     "demo_code": DEMO_CODE if demo else ""})


@login_required
def setup(request):
    """Enrolment: scan the QR code (or type the key) into an authenticator app, confirm with its first code."""
    next_url = _next(request)
    user = request.user
    if not policy.is_verified(request) and policy.has_second_factor(user):
        return redirect(_with_next("twofactor_verify", next_url))  # prove the old factor before a new one
    device = services.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.confirm_authenticator(user=user, device_id=device.pk, code=form.cleaned_data["otp_token"])
        if result is not None:
            device, codes = result
            signin.pass_step(request, device)
            return render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": next_url,
                                                                     "enrolled": True})
        form.add_error("otp_token", _("验证码不正确：请核对手机时间是否准确，并输入应用中当前显示的6位数字。"))
    return render(request, "twofactor/setup.html", {
        "form": form, "next": next_url, "secret": services.secret_text(device),
        "qr": mark_safe(qr_svg(device.config_url, module_mm=QR_MODULE_MM)),  # our own SVG: no user markup
        "required": policy.required_for(user),
        "reset": EnrolmentRequired.objects.filter(user=user).first(),
    })


@login_required
def account(request):
    """账号安全: whether two-factor sign-in is on, how many recovery codes are left, and the actions."""
    user = request.user
    return render(request, "twofactor/account.html", {
        "required": policy.required_for(user),
        "enrolled": policy.authenticators(user).exists(),
        "codes_left": services.recovery_codes_left(user),
        "verified": policy.is_verified(request),
    })


@login_required
@require_POST
def renew_recovery_codes(request):
    user = request.user
    if not (policy.is_verified(request) and policy.authenticators(user).exists()):
        messages.error(request, _("请先启用两步验证。"))
        return redirect("twofactor_account")
    codes = services.renew_recovery_codes(user=user)
    return render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": reverse("twofactor_account")})


@login_required
@require_POST
def turn_off(request):
    user = request.user
    if policy.required_for(user) or not policy.is_verified(request):
        messages.error(request, _("您的账号必须使用两步验证登录，不能关闭。") if policy.required_for(user)
                       else _("请先启用两步验证。"))
        return redirect("twofactor_account")
    services.turn_off(user=user)
    messages.success(request, _("已关闭两步验证。"))
    return redirect("twofactor_account")


@login_required
def reset(request):
    """系统管理员 resets another account's second factor, with a reason (audited, the person notified)."""
    access.require(request.user, "portal.reset_second_factor")
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = User.objects.filter(username=form.cleaned_data["username"]).first()
        if target is None:
            form.add_error("username", _("没有这个账号，请核对用户名。"))
        else:
            try:
                resets.reset_second_factor(user=target, actor=request.user, reason=form.cleaned_data["reason"])
            except resets.ResetRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已重置“%(name)s”（%(username)s）的两步验证：原有身份验证器和恢复码已失效，"
                                            "其登录会话已结束，下次登录时须重新绑定。已通知本人。")
                                 % {"name": target.display_name, "username": target.username})
                return redirect("twofactor_reset")
    return render(request, "twofactor/reset.html", {"form": form, "resets": resets.recent_resets()})
