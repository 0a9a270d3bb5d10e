"""/me/api-tokens/: a user's personal access tokens for the API and the MCP server."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from opportunities.access import can_manage_tokens
from opportunities.api import selectors, services
from opportunities.models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, label="Name", help_text="What will use it.")
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ, label="Scope"
    )


def _page(request: HttpRequest, form: ApiTokenForm, secret: str = "", status: int = 200):
    return render(
        request,
        "api/tokens.html",
        {"tokens": selectors.api_tokens_of(user=request.user), "form": form, "secret": secret},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token_list(request: HttpRequest) -> HttpResponse:
    """The user's tokens; a POST makes one and shows its secret on this response only."""
    if not can_manage_tokens(request.user):
        raise Http404
    if request.method == "GET":
        return _page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        new = services.api_token_create(user=request.user, **form.cleaned_data)
    except services.ApiTokenError as error:
        form.add_error(None, str(error))
        return _page(request, form, status=400)
    response = _page(request, ApiTokenForm(), secret=new.secret, status=201)
    # The secret is on this page only: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's tokens; anyone else's answers 404."""
    token = selectors.api_token_of(user=request.user, pk=pk)
    if token is None:
        raise Http404
    services.api_token_revoke(token=token, user=request.user)
    messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("api_token_list")
