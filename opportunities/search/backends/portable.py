"""Substring search over the same fields, for SQLite and small databases."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from opportunities.search.backends.base import SearchBackend, parse_websearch

# Where a term is found and what that is worth, best first (title above skills above company
# above description, as in the PostgreSQL vector's weights).
_FIELDS = (("title", 8), ("skill_text", 4), ("company__name", 2), ("description", 1))


def _term_q(term: str) -> Q:
    condition = Q()
    for name, _ in _FIELDS:
        condition |= Q(**{f"{name}__icontains": term})
    return condition


class PortableSearchBackend(SearchBackend):
    """Substring matching over the same fields, for SQLite and small databases."""

    def match(self, queryset: QuerySet, text: str) -> QuerySet:
        parsed = parse_websearch(text)
        for group in parsed.groups:
            any_term = Q()
            for term in group:
                any_term |= _term_q(term)
            queryset = queryset.filter(any_term)
        for term in parsed.excluded:
            queryset = queryset.exclude(_term_q(term))
        return queryset

    def rank(self, queryset: QuerySet, text: str) -> QuerySet:
        parsed = parse_websearch(text)
        score = Value(0)
        for group in parsed.groups:
            for term in group:
                for name, weight in _FIELDS:
                    score = score + Case(
                        When(**{f"{name}__icontains": term}, then=Value(weight)),
                        default=Value(0),
                        output_field=IntegerField(),
                    )
        return queryset.annotate(rank=score).order_by("-rank", "-posted_at", "-id")
