"""Pieces the curators' admin pages share."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin import helpers
from django.db import models
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest
from django.template.response import TemplateResponse

# An address typed without a scheme is taken as https:// (Django 6's default, and the one
# the site's own forms use).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def action_confirmation(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    template: str,
    title: str,
    action: str,
    selected: QuerySet,
    form: Form,
) -> TemplateResponse:
    """The intermediate page of a change-list action that needs a choice before it runs."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "opts": modeladmin.model._meta,
        "selected": selected,
        "action": action,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, template, context)
