"""Every API error as an RFC 9457 problem details document (application/problem+json)."""

from __future__ import annotations

from http import HTTPStatus

from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_TYPE = "application/problem+json"


def problem(status: int, detail: str, **extra: object) -> dict:
    """The body of a problem: its status, the status's title, and what went wrong."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }


def problem_response(status: int, detail: str, **extra: object) -> Response:
    return Response(problem(status, detail, **extra), status=status, content_type=PROBLEM_TYPE)


def _detail(exc: exceptions.APIException) -> tuple[str, dict]:
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return "Some values are not valid; see errors.", {"errors": errors}
    detail = exc.detail
    if isinstance(detail, dict | list):
        return str(exc.default_detail), {"errors": detail}
    return str(detail), {}


def problem_exception_handler(exc, context) -> Response | None:
    """DRF's handler (which turns Http404 and PermissionDenied into API errors), reshaped as a
    problem; anything else is a server error and left to Django."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        detail, extra = _detail(exc)
    else:
        detail, extra = str(response.data.get("detail", "")), {}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        extra["retry_after"] = int(exc.wait)
    response.data = problem(response.status_code, detail, **extra)
    response.content_type = PROBLEM_TYPE
    return response
