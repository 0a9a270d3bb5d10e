"""The search page's FilterSet: its parameter names are the public, shareable URL of a search.

A value that is not valid never raises: the field gets a plain-words error and the filter is
left out (or, for lists, narrowed to the values we know). Industry and skill values are
search Terms (pk, slug, name) from the taxonomy kept in memory by opportunities.search.taxonomy.
"""

from __future__ import annotations

import copy
import re
from datetime import timedelta

import django_filters
import pycountry
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property

from opportunities.catalog.taxonomy_cache import taxonomy_current
from opportunities.models import Company, EmploymentType, Role, Seniority, Workplace
from opportunities.search.backends import get_backend

SORTS = {"relevance": "Relevance", "newest": "Newest", "salary": "Highest salary"}
MAX_QUERY_LENGTH = 200
MAX_POSTED_WITHIN = 365
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def _as_list(value) -> list[str]:
    if value in (None, ""):
        return []
    values = [value] if isinstance(value, str) else list(value)
    # Both ?skill=a&skill=b and ?skill=a,b are accepted; order kept, duplicates dropped.
    seen: dict[str, None] = {}
    for item in values:
        for part in str(item).split(","):
            if part.strip():
                seen[part.strip()] = None
    return list(seen)


class SharedCopy:
    """A form field copied shallowly for each form.

    Django deep-copies every field with its widget and choices for each form, so that a form
    may change them. The search form never renders a widget (the page writes its own inputs)
    and never changes a field in place, and those copies cost about half a millisecond a
    search.
    """

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        memo[id(self)] = result
        return result


class TextField(SharedCopy, forms.CharField):
    pass


class ChoiceField(SharedCopy, django_filters.fields.ChoiceField):
    pass


class OptionalField(SharedCopy, forms.Field):
    """A query parameter that may be left out: absent means "no filter", never an error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class TolerantListField(OptionalField):
    """A repeatable parameter: keeps the values it knows, reports the others in plain words."""

    widget = forms.SelectMultiple

    def __init__(self, *, noun: str, choices=None, lookup: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.noun = noun
        self.choices = dict(choices or {})
        # The Taxonomy mapping (slug -> Term) that knows the values; SearchForm resolves them.
        self.lookup = lookup
        self.unknown: list[str] = []

    def clean(self, value):
        values = _as_list(value)
        self.unknown = []
        if self.lookup is not None:
            return values
        result = [v.lower() for v in values if v.lower() in self.choices]
        self.unknown = [v for v in values if v.lower() not in self.choices]
        return result


class FlagField(OptionalField):
    """A yes/no parameter such as worldwide=1."""

    widget = forms.TextInput

    def clean(self, value):
        text = str(value or "").strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return None
        raise forms.ValidationError(f"Use 1 to turn this on; “{value}” isn't understood.")


class AmountField(OptionalField):
    """A yearly amount: 120000, 120,000 or 120k."""

    widget = forms.NumberInput

    def clean(self, value):
        text = str(value or "").strip().lower().replace(",", "").replace("_", "")
        if not text:
            return None
        match = re.fullmatch(r"(-?\d+(?:\.\d+)?)(k?)", text)
        if not match:
            raise forms.ValidationError(
                f"Enter the minimum yearly salary as a number, like 120000; “{value}” isn't one."
            )
        amount = float(match.group(1)) * (1000 if match.group(2) else 1)
        if amount < 0:
            raise forms.ValidationError("The minimum salary can't be negative.")
        if amount > 10_000_000:
            raise forms.ValidationError("That minimum salary is higher than any role's.")
        return int(amount)


class WholeNumberField(OptionalField):
    """A whole number within bounds; an empty value means "not given"."""

    def __init__(self, *, minimum: int, maximum: int | None, message: str, **kwargs):
        self.minimum, self.maximum, self.message = minimum, maximum, message
        super().__init__(**kwargs)

    def clean(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        number = int(text) if text.isdigit() else None
        if (
            number is None
            or number < self.minimum
            or (self.maximum is not None and number > self.maximum)
        ):
            raise forms.ValidationError(self.message.format(value=value))
        return number


class DaysField(WholeNumberField):
    widget = forms.NumberInput

    def __init__(self, **kwargs):
        super().__init__(
            minimum=1,
            maximum=MAX_POSTED_WITHIN,
            message=f"Enter a number of days from 1 to {MAX_POSTED_WITHIN}; “{{value}}” isn't one.",
            **kwargs,
        )


class PageField(WholeNumberField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(
            minimum=1,
            maximum=None,
            message="Page must be a whole number from 1 up; “{value}” isn't, so this is page 1.",
            **kwargs,
        )


class TextFilter(django_filters.CharFilter):
    field_class = TextField


class OneOfFilter(django_filters.ChoiceFilter):
    field_class = ChoiceField


class ListFilter(django_filters.Filter):
    field_class = TolerantListField


class FlagFilter(django_filters.Filter):
    field_class = FlagField


class AmountFilter(django_filters.Filter):
    field_class = AmountField


class DaysFilter(django_filters.Filter):
    field_class = DaysField


class PageFilter(django_filters.Filter):
    field_class = PageField


class SearchForm(forms.Form):
    """The FilterSet's form; lists with unknown values keep the rest and note the unknown."""

    def note(self, name: str, message: str) -> None:
        """An error shown next to the field that still lets the rest of the field apply."""
        self._errors.setdefault(name, self.error_class()).append(message)

    @cached_property
    def taxonomy(self):
        """Industries and skills as they stand now, read once per form (the search reuses it)."""
        # Imported here: the search package imports this module for its service.
        return taxonomy_current()

    def clean(self):
        cleaned = super().clean()
        self._resolve_terms()
        for name, field in self.fields.items():
            unknown = getattr(field, "unknown", None)
            if unknown:
                quoted = ", ".join(f"“{value}”" for value in unknown)
                if len(unknown) == 1:
                    self.note(name, f"We don't know the {field.noun} {quoted}, so it was left out.")
                else:
                    self.note(name, f"We don't know the {field.noun} values {quoted}; left out.")
        self._clean_country()
        self._clean_company()
        return cleaned

    def _resolve_terms(self) -> None:
        """Slugs of industries and skills to their Terms; unknown ones are noted by clean()."""
        for name, field in self.fields.items():
            values = self.cleaned_data.get(name)
            if getattr(field, "lookup", None) is None or not values:
                continue
            known = getattr(self.taxonomy, field.lookup)
            self.cleaned_data[name] = [known[v.lower()] for v in values if v.lower() in known]
            field.unknown = [v for v in values if v.lower() not in known]

    def _clean_country(self) -> None:
        raw = (self.cleaned_data.get("country") or "").strip()
        if not raw:
            return
        code = raw.upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            self.note("country", f"“{raw}” isn't a country code we know; use two letters, like DE.")
            self.cleaned_data.pop("country", None)
        else:
            self.cleaned_data["country"] = code

    def _clean_company(self) -> None:
        slug = (self.cleaned_data.get("company") or "").strip().lower()
        if not slug:
            return
        company = Company.objects.filter(slug=slug).first()
        if company is None:
            self.note("company", f"We don't know the company “{slug}”, so it was left out.")
            self.cleaned_data.pop("company", None)
        else:
            self.cleaned_data["company"] = company


def _choices(text_choices) -> dict[str, str]:
    return dict(text_choices.choices)


class RoleFilterSet(django_filters.FilterSet):
    q = TextFilter(
        method="filter_q",
        label="Keywords",
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Keep the search under {MAX_QUERY_LENGTH} characters; it was left out."
        },
    )
    industry = ListFilter(
        method="filter_industry",
        label="Industry",
        noun="industry",
        lookup="industry_by_slug",
    )
    skill = ListFilter(
        method="filter_skill",
        label="Skills",
        noun="skill",
        lookup="skill_by_slug",
    )
    skills = OneOfFilter(
        method="filter_noop",
        label="Match",
        choices=[("all", "All of these skills"), ("any", "Any of these skills")],
        empty_label=None,
        error_messages={
            "invalid_choice": (
                "Choose all or any for skills; “%(value)s” isn't one, so all are required."
            )
        },
    )
    workplace = ListFilter(
        method="filter_workplace",
        label="Workplace",
        noun="workplace",
        choices=_choices(Workplace),
    )
    worldwide = FlagFilter(
        method="filter_worldwide",
        label="Open worldwide",
    )
    country = TextFilter(method="filter_country", label="Country")
    employment = ListFilter(
        method="filter_employment",
        label="Employment",
        noun="employment type",
        choices=_choices(EmploymentType),
    )
    seniority = ListFilter(
        method="filter_seniority",
        label="Seniority",
        noun="seniority",
        choices=_choices(Seniority),
    )
    salary_min = AmountFilter(
        method="filter_salary",
        label="Minimum yearly salary",
    )
    include_unsalaried = FlagFilter(
        method="filter_noop",
        label="Include roles without a salary",
    )
    visa = FlagFilter(
        method="filter_visa",
        label="Visa sponsorship",
    )
    posted_within = DaysFilter(
        method="filter_posted_within",
        label="Posted within (days)",
    )
    company = TextFilter(method="filter_company", label="Company")
    sort = OneOfFilter(
        method="filter_noop",
        label="Sort by",
        choices=list(SORTS.items()),
        empty_label=None,
        error_messages={
            "invalid_choice": "Sort by relevance, newest or salary; “%(value)s” isn't one."
        },
    )
    page = PageFilter(
        method="filter_noop",
        label="Page",
    )

    class Meta:
        model = Role
        fields: list[str] = []
        form = SearchForm

    # Filters that narrow by a facet, and the parameters that belong to each.
    FACET_PARAMS = {
        "industry": ("industry",),
        "workplace": ("workplace",),
        "worldwide": ("worldwide",),
        "seniority": ("seniority",),
        "skill": ("skill", "skills"),
    }

    @classmethod
    def facet_params(cls) -> tuple[str, ...]:
        """Every parameter that belongs to a facet."""
        return tuple(name for names in cls.FACET_PARAMS.values() for name in names)

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # Not FilterSet.__init__: it deep-copies every filter on each request (a few ms) only
        # to point them at this instance. Every filter here names a method, and
        # filter_queryset calls that method directly, so the class's filters are shared.
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset if queryset is not None else Role.objects.open()
        self.request = request
        self.form_prefix = prefix
        self.filters = self.base_filters

    @classmethod
    def get_form_class(cls):
        """The form class, built once per FilterSet class rather than once per request."""
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            fields = {name: filter_.field for name, filter_ in cls.base_filters.items()}
            form_class = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._form_class = form_class
        return form_class

    # Values the search service reads after validation.
    def value(self, name: str, default=None):
        self.errors  # noqa: B018 - validate once before reading cleaned values
        value = self.form.cleaned_data.get(name)
        return default if value in (None, "", []) else value

    def filter_queryset(self, queryset: QuerySet, *, without: tuple[str, ...] = ()) -> QuerySet:
        """Apply every valid filter except those named in `without` (for facet counts)."""
        for name, value in self.form.cleaned_data.items():
            if name in without or value in (None, "", []):
                continue
            queryset = getattr(self, self.filters[name].method)(queryset, name, value)
        return queryset

    def qs_without(self, *names: str) -> QuerySet:
        self.errors  # noqa: B018 - validate once before filtering
        return self.filter_queryset(self.queryset.all(), without=names)

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_q(self, queryset, name, value):
        # Imported here: the search package imports this module for its service.
        text = value.strip()
        backend = get_backend(queryset.db)
        if not text or not backend.is_searchable(queryset, text):
            return queryset
        return backend.match(queryset, text)

    def filter_industry(self, queryset, name, value):
        return queryset.filter(industry__in=[industry.pk for industry in value])

    def filter_skill(self, queryset, name, value):
        match_all = self.value("skills", "all") != "any"
        return queryset.having_skills([skill.pk for skill in value], match_all=match_all)

    def filter_workplace(self, queryset, name, value):
        return queryset.filter(workplace__in=value)

    def filter_worldwide(self, queryset, name, value):
        return queryset.worldwide()

    def filter_country(self, queryset, name, value):
        return queryset.open_to_country(value)

    def filter_employment(self, queryset, name, value):
        return queryset.filter(employment_type__in=value)

    def filter_seniority(self, queryset, name, value):
        return queryset.filter(seniority__in=value)

    def filter_salary(self, queryset, name, value):
        return queryset.paying_at_least(
            value, include_unsalaried=bool(self.value("include_unsalaried"))
        )

    def filter_visa(self, queryset, name, value):
        return queryset.filter(visa_sponsorship=True)

    def filter_posted_within(self, queryset, name, value):
        return queryset.posted_since(timezone.now() - timedelta(days=value))

    def filter_company(self, queryset, name, value):
        return queryset.filter(company=value)
