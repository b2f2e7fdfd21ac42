"""The notices (公示) of a round: masked names, major, level and evidence summary — never an ID number —, lodging an
objection (contact optional), and reading the written answer with the receipt number.

公示 is within the unit (单位内部公示, DOMAIN §7; rule ``rounds.read_notice``): the candidates' notice is read by
signed-in members of the school and the offices concerned; the results notice likewise, unless the setting
``ROUNDS_RESULTS_NOTICE_VISIBILITY`` is "public" — and so is each 复查结果公示 (the new result of a re-review). Someone not signed in is sent to sign in; a signed-in outsider
gets a 404. The written answer to an objection goes to whoever holds its receipt number, not onto the page."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.audit import client_ip

from . import clock, forms, selectors, services
from .access import may_read_notice
from .models import NoticeEntry, Objection, PublicNotice
from .views.common import PAGE_SIZE

#: At most this many objections per client and notice per hour (an open form must not be a flood gate).
OBJECTION_LIMIT = (20, 3600)


def public_index(request):
    today = clock.today()
    notices = [n for n in selectors.public_notices(today) if may_read_notice(request.user, n)]
    return render(request, "rounds/public_index.html", {"notices": notices, "today": today})


class _SignIn(Exception):
    pass


def _notice(request, pk):
    notice = get_object_or_404(PublicNotice.objects.select_related("round__institution", "round__committee",
                                                                    "rereview"), pk=pk)
    if not may_read_notice(request.user, notice):
        if not request.user.is_authenticated:
            raise _SignIn
        raise Http404
    return notice


def _within_unit(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _SignIn:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_within_unit
def public_notice(request, pk, form=None):
    notice = _notice(request, pk)
    today = clock.today()
    entries = list(NoticeEntry.objects.filter(notice=notice).order_by("position"))  # the objection form's choices
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))  # the list: a page at a time
    revoked = set(Objection.objects.filter(notice=notice, revoked=True).values_list("entry_id", flat=True))
    return render(request, "rounds/public_notice.html", {
        "notice": notice, "round": notice.round, "entries": list(page), "page": page, "total": len(entries),
        "revoked": revoked, "today": today,
        "running": services.objections.accepts_objections(notice, today),
        "form": form or forms.ObjectionForm(entries=entries),
    })


@require_POST
@_within_unit
def objection(request, pk):
    notice = _notice(request, pk)
    entries = list(NoticeEntry.objects.filter(notice=notice).order_by("position"))
    form = forms.ObjectionForm(request.POST, entries=entries)
    if not form.is_valid():
        return public_notice(request, pk, form=form)
    data = form.cleaned_data
    if data["website"]:  # a bot filled the hidden field
        return redirect("rounds:public_notice", pk=notice.pk)
    key = f"rounds:objection:{notice.pk}:{client_ip(request)}"
    count = cache.get(key, 0)
    if count >= OBJECTION_LIMIT[0]:
        messages.error(request, _("提交过于频繁，请稍后再试。"))
        return redirect("rounds:public_notice", pk=notice.pk)
    entry = next((e for e in entries if str(e.pk) == data["entry"]), None)
    try:
        item = services.lodge_objection(notice=notice, entry=entry, content=data["content"], name=data["name"],
                                        contact=data["contact"])
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return public_notice(request, pk, form=form)
    cache.set(key, count + 1, OBJECTION_LIMIT[1])
    messages.success(request, _("异议已受理，受理编号：%(receipt)s。学校将书面答复，请凭受理编号查询。")
                     % {"receipt": item.receipt})
    return redirect("rounds:objection_receipt", receipt=item.receipt)


def objection_receipt(request, receipt):
    item = get_object_or_404(Objection.objects.select_related("notice__round__institution", "entry"),
                             receipt=receipt)
    return render(request, "rounds/objection_receipt.html", {"objection": item, "notice": item.notice})
