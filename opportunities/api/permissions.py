"""Who may call what: each permission asks opportunities/access.py, as the pages do."""

from __future__ import annotations

from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission

from opportunities.access import token_allows


class PublicRead(BasePermission):
    """The board's public reads: anyone, with or without a token (these views define only GET,
    so any other method answers 405)."""

    def has_permission(self, request, view) -> bool:
        return True


class TokenScope(BasePermission):
    """A token's own data: any live token reads; writing needs a read-and-write token."""

    def has_permission(self, request, view) -> bool:
        if request.auth is None:
            raise NotAuthenticated("This needs a personal access token (Authorization: Bearer).")
        write = request.method not in SAFE_METHODS
        if not token_allows(request.auth, write=write):
            raise PermissionDenied("This token may only read; make a read-and-write token.")
        return True
