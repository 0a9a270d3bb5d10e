"""The market insights: /insights/, a page per skill, and a developer's own at /me/insights/.

Every figure is a table (opportunities.insights.tables) shown on the page, drawn as a chart
by a script when one runs, and downloadable as CSV from the same rows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from opportunities.access import can_see_own_insights
from opportunities.insights import selectors, tables
from opportunities.models import Industry, Skill, Workplace
from opportunities.profiles.selectors import developer_profile_get

WORKPLACES = [("", "Any workplace"), *Workplace.choices, ("worldwide", "Remote, open worldwide")]


def _filters(request: HttpRequest) -> dict:
    """The overview's slice (industry, workplace) and salary currency from the query string;
    anything unknown falls back to "all"."""
    industries = list(Industry.objects.filter(active=True).only("pk", "name", "slug"))
    by_slug = {industry.slug: industry for industry in industries}
    industry = by_slug.get(request.GET.get("industry", ""))
    workplace = request.GET.get("workplace", "")
    if workplace not in dict(WORKPLACES):
        workplace = ""
    currencies = selectors.salary_currencies()
    wanted = request.GET.get("currency", "")
    currency = next(
        (pair for pair in currencies if _currency_value(pair) == wanted),
        next(iter(currencies), None),
    )
    return {
        "run": selectors.last_run(),
        "industries": industries,
        "industry": industry,
        "workplace": workplace,
        "workplaces": WORKPLACES,
        "currencies": [(_currency_value(pair), _currency_label(pair)) for pair in currencies],
        "currency": currency,
        "currency_value": _currency_value(currency) if currency else "",
    }


def _currency_value(pair: tuple[str, bool]) -> str:
    return f"{pair[0]}-converted" if pair[1] else pair[0]


def _currency_label(pair: tuple[str, bool]) -> str:
    return f"{pair[0]}, other currencies converted" if pair[1] else f"{pair[0]} only"


def _overview(request: HttpRequest) -> tuple[dict, list[tables.Table]]:
    filters = _filters(request)
    # An industry slice with a workplace is not kept (docs/insights.md): the industry wins.
    workplace = "" if filters["industry"] else filters["workplace"]
    industry_id = filters["industry"].pk if filters["industry"] else 0
    figures = tables.cached(
        filters["run"],
        f"overview:{industry_id}:{workplace}:{filters['currency_value']}",
        lambda: tables.overview_tables(
            industry_id=industry_id, workplace=workplace, currency=filters["currency"]
        ),
    )
    return filters, figures


def _csv(figures: list[tables.Table], name: str, stem: str) -> HttpResponse:
    table = next((table for table in figures if table.name == name), None)
    if table is None:
        raise Http404("No such table.")
    response = HttpResponse(tables.csv_text(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}.csv"'
    return response


@require_GET
def insights_overview(request: HttpRequest) -> HttpResponse:
    """/insights/: what the market for generative-AI work looks like, from the board's roles."""
    filters, figures = _overview(request)
    return render(
        request,
        "insights/overview.html",
        {
            **filters,
            "tables": figures,
            "charts": tables.charts_data(figures),
            "method": selectors.METHOD,
            "query": request.GET.urlencode(),
        },
    )


@require_GET
def insights_overview_csv(request: HttpRequest, name: str) -> HttpResponse:
    _, figures = _overview(request)
    return _csv(figures, name, "insights")


def _skill(slug: str) -> Skill:
    return get_object_or_404(Skill.objects.active().prefetch_related("aliases"), slug=slug)


@require_GET
def skill_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/skills/<slug>/: a skill's category, aliases, demand, salary, companies and neighbours."""
    skill = _skill(slug)
    run = selectors.last_run()
    figures = tables.cached(run, f"skill:{skill.pk}", lambda: tables.skill_tables(skill.pk))
    trend = figures[0].rows
    return render(
        request,
        "insights/skill_detail.html",
        {
            "skill": skill,
            "tables": figures,
            "charts": tables.charts_data(figures),
            "open_now": trend[-1][1] if trend else 0,
            "run": run,
            "method": selectors.METHOD,
        },
    )


@require_GET
def skill_detail_csv(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    skill = _skill(slug)
    run = selectors.last_run()
    figures = tables.cached(run, f"skill:{skill.pk}", lambda: tables.skill_tables(skill.pk))
    return _csv(figures, name, skill.slug)


def _my_figures(request: HttpRequest):
    if not can_see_own_insights(request.user):
        raise Http404("No insights here.")
    profile = developer_profile_get(user=request.user)
    order = request.GET.get("order", "together")
    if order not in selectors.LEARN_ORDERS:
        order = "together"
    figures = tables.my_tables(profile, order=order) if profile is not None else []
    return profile, order, figures


@login_required
@require_GET
def my_insights(request: HttpRequest) -> HttpResponse:
    """/me/insights/: the developer's skills' demand, their salary floor, what to learn next."""
    profile, order, figures = _my_figures(request)
    response = render(
        request,
        "insights/mine.html",
        {
            "profile": profile,
            "tables": figures,
            "charts": tables.charts_data(figures),
            "floor": selectors.salary_floor_position(profile) if profile else None,
            "order": order,
            "run": selectors.last_run(),
            "method": selectors.METHOD,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def my_insights_csv(request: HttpRequest, name: str) -> HttpResponse:
    _, _, figures = _my_figures(request)
    response = _csv(figures, name, "my-insights")
    response["Cache-Control"] = "private, no-store"
    return response
