"""The public side of a round: the notices (公示) with masked names, lodging an objection (anyone, contact
optional), and reading the written answer with the receipt number. No sign-in; no personal data beyond the
masked name, major, level and evidence summary that the notice itself publishes. The written answer to an
objection goes to whoever holds its receipt number, not onto the public page (it may discuss the person)."""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.audit import client_ip

from . import clock, forms, selectors, services
from .models import NoticeEntry, Objection, PublicNotice

#: At most this many objections per client and notice per hour (an open form must not be a flood gate).
OBJECTION_LIMIT = (20, 3600)


def public_index(request):
    today = clock.today()
    return render(request, "rounds/public_index.html", {"notices": selectors.public_notices(today), "today": today})


def _notice(pk):
    return get_object_or_404(PublicNotice.objects.select_related("round__institution"), pk=pk)


def public_notice(request, pk, form=None):
    notice = _notice(pk)
    today = clock.today()
    entries = list(NoticeEntry.objects.filter(notice=notice).order_by("position"))
    revoked = set(Objection.objects.filter(notice=notice, revoked=True).values_list("entry_id", flat=True))
    return render(request, "rounds/public_notice.html", {
        "notice": notice, "round": notice.round, "entries": entries, "revoked": revoked, "today": today,
        "running": notice.is_running(today) and notice.round.state == services.objections.STAGE_STATE[notice.stage],
        "form": form or forms.ObjectionForm(entries=entries),
    })


@require_POST
def objection(request, pk):
    notice = _notice(pk)
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
