"""The |sanitised filter: stored (sanitised) HTML is shown as HTML, and it is the only way."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from tests import factories, paths

pytestmark = pytest.mark.django_db


def test_sanitised_marks_the_stored_html_safe_and_none_empty():
    template = Template("{% load sanitised_html %}{{ html|sanitised }}|{{ missing|sanitised }}|")
    out = template.render(Context({"html": "<p>Ship <strong>RAG</strong></p>", "missing": None}))
    assert out == "<p>Ship <strong>RAG</strong></p>||"


def test_role_page_shows_the_stored_description_as_html(client):
    role = factories.RoleFactory(description="<p>Ship <strong>RAG</strong> systems</p>")
    page = client.get(role.get_absolute_url()).content.decode()
    assert '<div class="prose"><p>Ship <strong>RAG</strong> systems</p></div>' in page


def test_no_template_marks_a_value_safe_except_through_the_filter():
    templates = paths.ROOT / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "|safe" in path.read_text(encoding="utf-8")
        or "{% autoescape off" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
