"""Site-wide request and response hygiene that no single view should have to remember."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict

from opportunities.text import has_unwanted, text_clean


class QueryStringHygieneMiddleware:
    """Strips control characters from every query parameter before any view reads one (text.py).

    Django already decodes invalid UTF-8 in a query string to U+FFFD; what is left is control
    characters, which would crash the feeds (XML 1.0 refuses them), reach PostgreSQL (which
    refuses NUL) and be echoed into pages and saved searches.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET
        if any(
            has_unwanted(key) or any(has_unwanted(v) for v in values)
            for key, values in query.lists()
        ):
            cleaned = QueryDict(mutable=True, encoding=query.encoding)
            for key, values in query.lists():
                for value in values:
                    clean_key, clean_value = (text_clean(v) for v in (key, value))
                    # A parameter that was nothing but control characters is dropped, not
                    # turned into an empty one, which some views (the admin's _to_field) take
                    # for a value they must use.
                    if (key and not clean_key) or (value and not clean_value):
                        continue
                    cleaned.appendlist(clean_key, clean_value)
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Sends the Permissions-Policy header: no page of ours needs a camera, a microphone, …"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
