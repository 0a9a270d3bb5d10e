"""The one way a template shows stored HTML: `{{ role.description|sanitised }}`."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter(is_safe=True)
def sanitised(value: str | None) -> SafeString:
    """Mark HTML safe because the services sanitised it (nh3) before storing it, not here.

    Every path that stores HTML (admin, posting form, ingest, CSV, data migration) runs it
    through the catalog services' sanitiser at write time; this filter only records that fact
    for the template engine. Use it for such stored fields and nothing else: anything that did
    not come from those services must be escaped, never passed through this filter.
    """
    return mark_safe(value or "")
