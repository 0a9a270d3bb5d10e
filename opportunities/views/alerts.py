"""The developer's alerts: saved searches, the new-match setting, and unsubscribe links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from opportunities.alerts import selectors, services, unsubscribe
from opportunities.forms import MatchAlertForm, SavedSearchCreateForm, SavedSearchForm
from opportunities.models import SavedSearch


@login_required
@require_http_methods(["GET"])
def alert_list(request: HttpRequest) -> HttpResponse:
    """/me/alerts/: the user's saved searches and how often they hear about new matches."""
    searches = selectors.saved_search_list(user=request.user)
    preference = selectors.alert_preference_get(user=request.user)
    return render(
        request,
        "alerts/alert_list.html",
        {
            "rows": [
                (search, SavedSearchForm(initial=_initial(search), prefix=f"s{search.pk}"))
                for search in searches
            ],
            "match_form": MatchAlertForm(
                initial={
                    "match_frequency": preference.match_frequency,
                    "min_score": preference.min_score,
                }
            ),
            "has_profile": hasattr(request.user, "developer_profile"),
        },
    )


@login_required
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """Save the search page's current query string (posted as `query`) under a name."""
    form = SavedSearchCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That search could not be saved: " + _errors(form))
        return redirect("alert_list")
    saved_search = services.saved_search_create(user=request.user, **form.cleaned_data)
    messages.success(
        request,
        f"Saved “{saved_search.name}”. New roles that fit it will be e-mailed to you "
        f"({saved_search.get_frequency_display().lower()}).",
    )
    return redirect("alert_list")


@login_required
@require_POST
def saved_search_update(request: HttpRequest, pk: int) -> HttpResponse:
    saved_search = get_object_or_404(selectors.saved_searches_of(user=request.user), pk=pk)
    form = SavedSearchForm(request.POST, prefix=f"s{pk}")
    if form.is_valid():
        services.saved_search_update(
            saved_search=saved_search, user=request.user, **form.cleaned_data
        )
        messages.success(request, f"Saved “{saved_search.name}”.")
    else:
        messages.error(request, "Not saved: " + _errors(form))
    return redirect("alert_list")


@login_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved_search = get_object_or_404(selectors.saved_searches_of(user=request.user), pk=pk)
    services.saved_search_delete(saved_search=saved_search, user=request.user)
    messages.success(request, f"Deleted the saved search “{saved_search.name}”.")
    return redirect("alert_list")


@login_required
@require_POST
def match_alert_update(request: HttpRequest) -> HttpResponse:
    form = MatchAlertForm(request.POST)
    if form.is_valid():
        services.alert_preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Your new-match alerts are saved.")
    else:
        messages.error(request, "Not saved: " + _errors(form))
    return redirect("alert_list")


# The link in an e-mail must work without logging in, and mail providers send RFC 8058
# one-click POSTs without a CSRF token; the signed token is what authorises the request.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: confirm what the link turns off. POST (button or one-click): turn it off."""
    try:
        user_id, target = unsubscribe.unsubscribe_token_read(token)
    except signing.BadSignature:
        return render(request, "alerts/unsubscribe_invalid.html", status=400)
    what = unsubscribe.unsubscribe_describe(user_id=user_id, target=target)
    if request.method == "GET":
        return render(request, "alerts/unsubscribe_confirm.html", {"what": what})
    unsubscribe.unsubscribe_apply(user_id=user_id, target=target)
    if request.POST.get("List-Unsubscribe") == "One-Click":
        return HttpResponse("Unsubscribed.", content_type="text/plain")
    return render(request, "alerts/unsubscribe_done.html", {"what": what})


def _initial(search: SavedSearch) -> dict:
    return {"name": search.name, "frequency": search.frequency}


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
