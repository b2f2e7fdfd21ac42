"""The token page: a school's staff (or the provincial HRSS) make and revoke the tokens of the open API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access

from . import selectors, tokens
from .forms import TokenForm

NEW_SECRET = "api_new_token"


@login_required
def token_list(request):
    """POST makes a token and redirects (a reload makes no second one); the secret is kept in the session for
    that one GET and removed as it is shown."""
    access.require(request.user, "api.manage_tokens")
    form = TokenForm(request.POST or None, holders=selectors.token_roles_of(request.user))
    if request.method == "POST" and form.is_valid():
        role, institution = form.cleaned_data["holder"]
        try:
            _token, secret = tokens.create_token(actor=request.user, name=form.cleaned_data["name"], role=role,
                                                 institution=institution, scope=form.cleaned_data["scope"])
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            request.session[NEW_SECRET] = secret
            return redirect("api:tokens")
    return render(request, "api/tokens.html", {
        "form": form, "secret": request.session.pop(NEW_SECRET, None) if request.method == "GET" else None,
        "tokens": selectors.tokens_visible_to(request.user),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def token_revoke(request, pk):
    access.require(request.user, "api.manage_tokens")
    token = get_object_or_404(selectors.tokens_visible_to(request.user), pk=pk)
    tokens.revoke_token(actor=request.user, token=token)
    messages.success(request, _("已吊销令牌 %(p)s…，使用它的请求将被拒绝。") % {"p": token.prefix})
    return redirect("api:tokens")
