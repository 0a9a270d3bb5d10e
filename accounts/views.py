"""Sign up; logging in, out and password resets are Django's views with our templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .forms import DeleteAccountForm, SignUpForm
from .services import signup_user_for_link, user_delete, user_signup, user_signup_confirm


def _safe_next(request: HttpRequest, next_url: str) -> str:
    """next_url when it points into this site, else ""."""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def signup(request: HttpRequest) -> HttpResponse:
    """Ask for an account; whatever the address, the answer is "check your e-mail"."""
    if request.user.is_authenticated:
        return redirect("profile_edit")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        next_url = _safe_next(request, request.POST.get("next", ""))
        if form.cleaned_data["hiring"]:
            next_url = reverse("hiring_start")
        user_signup(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            next_url=next_url,
        )
        return redirect("signup_sent")
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


def signup_sent(request: HttpRequest) -> HttpResponse:
    """The one answer sign-up gives: a message is on its way to the address."""
    return render(request, "registration/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The e-mailed link: a button (so a mail scanner's GET changes nothing) that activates."""
    user = signup_user_for_link(uidb64=uidb64, token=token)
    next_url = _safe_next(request, request.GET.get("next", ""))
    if user is None:
        return render(request, "registration/signup_confirm.html", {"valid": False}, status=400)
    if request.method == "POST":
        user_signup_confirm(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect(next_url or "profile_edit")
    return render(request, "registration/signup_confirm.html", {"valid": True, "email": user.email})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the account, after offering the tracker's export; asks for the password."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        user_delete(user=user)
        messages.success(request, "Your account and everything in it are deleted.")
        return redirect("home")
    return render(
        request,
        "registration/account_delete.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
