"""The curators' admin for the exchange rates the insights convert salaries with."""

from __future__ import annotations

from django.contrib import admin

from opportunities.models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """A rate holds from its date until the currency's next one; the next daily run (or a
    rebuild) uses it."""

    list_display = ["currency", "usd_per_unit", "valid_from"]
    list_filter = ["currency"]
    ordering = ["currency", "-valid_from"]
    search_fields = ["currency"]
