"""平台外历史备案: the filing office registers a filing made before the portal from its receipt (issue #12 item 4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import access

from .. import selectors, services
from ..forms import HistoricalFilingForm, HistoricalOccupationFormSet
from ..services.historical import offices_institutions, register_historical_filing
from .common import get_application, serve_file


@login_required
def historical_register(request):
    access.require(request.user, "track_b.historical_register")
    institutions = offices_institutions(request.user)
    choices = selectors.occupation_choices()
    form_kwargs = {"occupation_choices": choices}
    if request.method == "POST":
        form = HistoricalFilingForm(request.POST, request.FILES, institutions=institutions)
        rows = HistoricalOccupationFormSet(request.POST, prefix="occ", form_kwargs=form_kwargs)
        if form.is_valid() and rows.is_valid():
            data = form.cleaned_data
            occupations = [(r["occupation"], r["level"], r.get("job_types", "")) for r in rows.cleaned_data
                           if r.get("occupation")]
            try:
                application = register_historical_filing(
                    user=request.user, institution=data["institution"], receipt_number=data["receipt_number"],
                    filed_on=data["filed_on"], unit_name=data["unit_name"], receipt_scan=data["receipt_scan"],
                    occupations=occupations)
            except services.TrackBError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("已登记平台外历史备案，该单位经办人将收到通知。"))
                return redirect("track_b:detail", pk=application.pk)
    else:
        form = HistoricalFilingForm(institutions=institutions)
        rows = HistoricalOccupationFormSet(prefix="occ", form_kwargs=form_kwargs)
    return render(request, "track_b/historical_register.html", {"form": form, "rows": rows})


@login_required
def historical_receipt(request, pk):
    application = get_application(request, pk)
    return serve_file(request, application.receipt_scan, filename=_("备案回执扫描件"), obj=application,
                      action="track_b.download_attachment")
