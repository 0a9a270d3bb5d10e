"""Every URL pattern of the project as a path a test can request, parameters filled in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_ADMIN_MODEL = re.compile(r"^admin/(\w+)/(\w+)/")


@dataclass(frozen=True)
class Pattern:
    route: str  # the joined route, e.g. "jobs/<int:pk>-<slug:slug>/"
    name: str  # "role_detail", "admin:opportunities_role_change", or "" when unnamed


def patterns(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> Iterator[Pattern]:
    """Every endpoint under the root URLconf, with its full route."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from patterns(entry, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            yield Pattern(route=prefix + route, name=f"{ns}{entry.name}" if entry.name else "")


def path_for(pattern: Pattern, values: dict[str, str]) -> str:
    """The pattern as a path: each parameter from values by "url_name.param" or "param".

    An admin object_id is the first row of that admin's model ("1" when it has none).
    """
    route = pattern.route
    short_name = pattern.name.rsplit(":", 1)[-1]

    def value(name: str) -> str:
        if f"{short_name}.{name}" in values:
            return values[f"{short_name}.{name}"]
        if name == "object_id" and (model := _ADMIN_MODEL.match(route)):
            try:
                row = apps.get_model(model[1], model[2]).objects.order_by("pk").first()
            except LookupError:
                row = None
            return str(row.pk) if row else "1"
        return values[name]

    route = _REGEX_PARAM.sub(lambda m: value(m[1]), route)
    route = _ROUTE_PARAM.sub(lambda m: value(m[1]), route)
    return "/" + route.replace("^", "").replace("$", "")
