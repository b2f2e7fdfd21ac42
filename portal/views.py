"""HTTP only: parse, ask access/selectors/services, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access, audit_labels, dashboard, links, lockouts, routing, selectors
from portal.auth import PortalAuthenticationForm
from portal.forms import AuditFilterForm
from portal.middleware import touch
from portal.models import Role
from portal.pagecache import cached_page
from portal.pagination import CappedPaginator


class LoginView(auth_views.LoginView):
    authentication_form = PortalAuthenticationForm
    redirect_authenticated_user = True


@login_required
@cached_page
def home(request):
    return render(request, "portal/dashboard.html", {"sections": dashboard.sections_for(request.user)})


@login_required
@cached_page
def audit_log(request):
    access.require(request.user, "portal.view_audit_log")
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_log_visible_to(request.user, **filters).select_related("actor")
    page = CappedPaginator(entries, 50).get_page(request.GET.get("page"))  # no COUNT over the whole log
    roles = dict(Role.choices)
    page.object_list = [{
        "at": e.at, "who": e.actor.display_name if e.actor is not None else e.actor_name, "account": e.actor_name,
        "role": roles.get(e.role, e.role), "action": audit_labels.action_label(e.action), "code": e.action,
        "object": e.object_repr, "changes": audit_labels.changes_text(e.object_type or e.action.rpartition(".")[0], e.changes), "ip": e.ip,
        "outcome": audit_labels.OUTCOMES.get(e.outcome, e.outcome), "ok": e.outcome == "ok",
    } for e in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@cached_page
def institution_list(request):
    access.require(request.user, "portal.list_institutions")
    institutions = selectors.institutions_visible_to(request.user).order_by("name", "pk")
    page = Paginator(institutions, 50).get_page(request.GET.get("page"))
    page.object_list = links.link_rows(page.object_list, "institution_detail")
    return render(request, "portal/institution_list.html", {"institutions": page, "page": page})


@login_required
def institution_detail(request, pk):
    institution = get_object_or_404(selectors.institutions_visible_to(request.user), pk=pk)
    if not access.can(request.user, "portal.view_institution", institution):
        raise Http404
    authority = routing.skill_filing_authority(institution).label(institution.city.name)
    return render(request, "portal/institution_detail.html", {"institution": institution, "authority": authority})


@login_required
@cached_page
def inbox(request):
    notes = selectors.notifications_of(request.user)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "portal/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request):
    selectors.notifications_of(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("inbox")


@login_required
@require_POST
def session_extend(request):
    """继续使用 in the idle-timeout warning (issue 18, WCAG 2.2.1): the session's idle clock starts again."""
    touch(request)
    return JsonResponse({"idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds())})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@login_required
def login_locks(request):
    """Site administrators see current sign-in locks and lift one (logged)."""
    access.require(request.user, "portal.unlock_logins")
    if request.method == "POST":
        count = lockouts.unlock(actor=request.user, username=request.POST.get("username", "")[:255],
                                ip_address=request.POST.get("ip_address", "")[:45])
        messages.success(request, _("已解除锁定（清除%(n)d条失败记录）。") % {"n": count})
        return redirect("login_locks")
    return render(request, "portal/login_locks.html", {"locks": lockouts.active_locks()})
