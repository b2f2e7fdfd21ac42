"""工作地 pages (正文 四(二)): the graduate chooses to apply at the place of work, and downloads their records."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from .. import forms, selectors, services


def _own_graduate(request):
    graduate = selectors.own_graduates(request.user).order_by("-graduation_year").first()
    if graduate is None:
        raise Http404
    return graduate


@login_required
def workplace(request):
    """The graduate's choice: a form until it is made, then the record of it and the export."""
    graduate = _own_graduate(request)
    choice = getattr(graduate, "workplace_choice", None)
    form = None
    if choice is None:
        form = forms.WorkplaceChoiceForm(request.POST or None, initial={"employer": graduate.employer})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.workplace.choose_workplace(
                    graduate=graduate, actor=request.user, employer=data["employer"],
                    employer_kind=data["employer_kind"], for_title=data["for_title"], for_skill=data["for_skill"],
                    note=data["note"])
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("已记录您在工作地申报的选择。请下载评价材料，交工作地的评审机构。"))
                return redirect("rounds:workplace")
    return render(request, "rounds/workplace.html", {"graduate": graduate, "choice": choice, "form": form})


@login_required
def workplace_export(request):
    graduate = _own_graduate(request)
    data = services.workplace.workplace_export(graduate=graduate, actor=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = content_disposition_header(True, f"评价材料-{graduate.student_number}.json")
    return response
