"""Axes' lockout records in the admin, without its one broken action."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin


class AccessAttemptAdminWithoutCleanup(AccessAttemptAdmin):
    """Axes' own admin minus "Clean up expired attempts".

    In django-axes 8.3.1 (the newest release) that action is a 500: it asks for the cool-off
    threshold of the admin's own request, which has no `axes_attempt_time`. Axes already drops
    a pair's expired attempts at its next login, and deleting selected rows still works.
    """

    actions = []


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdminWithoutCleanup)
