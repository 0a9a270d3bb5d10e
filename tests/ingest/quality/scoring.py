"""Score what the board stored against what a careful reader recorded: pure, no Django.

The figures, each over the labelled postings (micro-averaged where it counts skills):

- coverage: of the skills readers marked, the share the taxonomy holds (by slug, or by a name
  or alias of one of its skills for those the labels list as unlisted);
- recall: of the marked skills the taxonomy holds, the share the board stored (either kind);
- precision: of the skills the board stored, the share a reader marked;
- nice: of the nice-to-have skills the board found, the share it stored as nice to have;
- workplace: postings whose workplace is right;
- eligibility: postings whose worldwide flag, applicant countries and excluded countries are
  all right (countries compared as sets);
- salary: postings whose salary (minimum, maximum, currency, period) is right, counted over
  those where the reader recorded a salary or the board stored one;
- industry: postings whose industry is right.

A figure with nothing to count is 1.0: nothing was got wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

THRESHOLDS = {
    "coverage": 0.90,
    "recall": 0.95,
    "precision": 0.95,
    "nice": 0.90,
    "workplace": 0.95,
    "eligibility": 0.95,
    "salary": 0.95,
    "industry": 0.90,
}


@dataclass(frozen=True, slots=True)
class Salary:
    minimum: int | None
    maximum: int | None
    currency: str | None
    period: str | None  # None: the posting does not say per what


@dataclass(frozen=True, slots=True)
class Observed:
    """One posting as the board stored it."""

    title: str = ""
    required: frozenset[str] = frozenset()
    nice: frozenset[str] = frozenset()
    workplace: str = "onsite"
    worldwide: bool = False
    applicant_countries: frozenset[str] = frozenset()
    excluded_countries: frozenset[str] = frozenset()
    applicant_timezones: str = ""
    salary: Salary | None = None
    industry: str | None = None


@dataclass(frozen=True, slots=True)
class Taxonomy:
    slugs: frozenset[str]
    terms: dict[str, str]  # a skill's name or alias, case-folded -> its slug


@dataclass(frozen=True, slots=True)
class Miss:
    posting: str
    field: str
    expected: Any
    got: Any


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    right: int
    total: int

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    @property
    def threshold(self) -> float:
        return THRESHOLDS[self.name]

    @property
    def passed(self) -> bool:
        return self.value >= self.threshold


@dataclass(slots=True)
class Scorecard:
    figures: dict[str, Figure]
    misses: list[Miss] = field(default_factory=list)

    def misses_of(self, *fields: str) -> list[Miss]:
        return [miss for miss in self.misses if miss.field in fields]


# Which misses explain which figure.
FIGURE_FIELDS = {
    "coverage": ("skill not in taxonomy",),
    "recall": ("skill missed", "posting missing"),
    "precision": ("skill not marked", "posting not labelled"),
    "nice": ("nice stored as required",),
    "workplace": ("workplace", "posting missing"),
    "eligibility": ("worldwide", "applicant_countries", "excluded_countries", "posting missing"),
    "salary": ("salary", "posting missing"),
    "industry": ("industry", "posting missing"),
}


@dataclass(frozen=True, slots=True)
class Expected:
    """One posting's label with its skills resolved against the taxonomy."""

    required: frozenset[str]
    nice: frozenset[str]
    unlisted: tuple[str, ...]  # names a reader marked that the taxonomy does not hold
    workplace: str
    worldwide: bool
    applicant_countries: frozenset[str]
    excluded_countries: frozenset[str]
    salary: Salary | None
    industry: str | None


def expected_from(label: dict[str, Any], taxonomy: Taxonomy) -> Expected:
    """A label as sets of taxonomy slugs: an unlisted name the taxonomy now knows joins them,
    and a labelled slug it no longer holds counts as unlisted. Required wins over nice."""
    required = {slug for slug in label["required"] if slug in taxonomy.slugs}
    nice = {slug for slug in label["nice"] if slug in taxonomy.slugs}
    unlisted = [slug for slug in (*label["required"], *label["nice"]) if slug not in taxonomy.slugs]
    for entry in label["unlisted"]:
        slug = taxonomy.terms.get(entry["name"].casefold())
        if slug is None:
            unlisted.append(entry["name"])
        elif entry["kind"] == "nice":
            nice.add(slug)
        else:
            required.add(slug)
    salary = label.get("salary")
    return Expected(
        required=frozenset(required),
        nice=frozenset(nice - required),
        unlisted=tuple(dict.fromkeys(unlisted)),
        workplace=label["workplace"],
        worldwide=label["worldwide"],
        applicant_countries=frozenset(label["applicant_countries"]),
        excluded_countries=frozenset(label["excluded_countries"]),
        salary=Salary(salary["min"], salary["max"], salary["currency"], salary["period"])
        if salary
        else None,
        industry=label.get("industry"),
    )


class _Counter:
    def __init__(self) -> None:
        self.counts = {name: [0, 0] for name in THRESHOLDS}

    def count(self, name: str, right: int, total: int) -> None:
        self.counts[name][0] += right
        self.counts[name][1] += total

    def figures(self) -> dict[str, Figure]:
        return {name: Figure(name, right, total) for name, (right, total) in self.counts.items()}


def score(
    labels: dict[str, dict[str, Any]], observed: dict[str, Observed], taxonomy: Taxonomy
) -> Scorecard:
    """Every figure over the labelled postings, and every miss behind them."""
    counter = _Counter()
    misses: list[Miss] = []
    for key, label in labels.items():
        expected = expected_from(label, taxonomy)
        got = observed.get(key)
        _skills_score(key, expected, got, counter, misses)
        if got is None:
            misses.append(Miss(key, "posting missing", label.get("title", ""), None))
            for name in ("workplace", "eligibility", "industry"):
                counter.count(name, 0, 1)
            if expected.salary is not None:
                counter.count("salary", 0, 1)
            continue
        _fields_score(key, expected, got, counter, misses)
    for key in sorted(set(observed) - set(labels)):
        got = observed[key]
        stored = got.required | got.nice
        counter.count("precision", 0, len(stored))
        misses.append(Miss(key, "posting not labelled", None, got.title))
    return Scorecard(figures=counter.figures(), misses=misses)


def _skills_score(
    key: str, expected: Expected, got: Observed | None, counter: _Counter, misses: list[Miss]
) -> None:
    marked = expected.required | expected.nice
    counter.count("coverage", len(marked), len(marked) + len(expected.unlisted))
    misses.extend(Miss(key, "skill not in taxonomy", name, None) for name in expected.unlisted)
    stored = (got.required | got.nice) if got else frozenset()
    found = marked & stored
    counter.count("recall", len(found), len(marked))
    counter.count("precision", len(stored & marked), len(stored))
    misses.extend(Miss(key, "skill missed", slug, None) for slug in sorted(marked - stored))
    misses.extend(Miss(key, "skill not marked", None, slug) for slug in sorted(stored - marked))
    if got is None:
        return
    nice_found = expected.nice & stored
    counter.count("nice", len(nice_found & got.nice), len(nice_found))
    misses.extend(
        Miss(key, "nice stored as required", slug, "required")
        for slug in sorted(nice_found - got.nice)
    )


def _fields_score(
    key: str, expected: Expected, got: Observed, counter: _Counter, misses: list[Miss]
) -> None:
    right = expected.workplace == got.workplace
    counter.count("workplace", int(right), 1)
    if not right:
        misses.append(Miss(key, "workplace", expected.workplace, got.workplace))

    eligibility = [
        ("worldwide", expected.worldwide, got.worldwide),
        ("applicant_countries", expected.applicant_countries, got.applicant_countries),
        ("excluded_countries", expected.excluded_countries, got.excluded_countries),
    ]
    wrong = [(name, want, have) for name, want, have in eligibility if want != have]
    counter.count("eligibility", int(not wrong), 1)
    misses.extend(Miss(key, name, _plain(want), _plain(have)) for name, want, have in wrong)

    if expected.salary is not None or got.salary is not None:
        right = expected.salary == got.salary
        counter.count("salary", int(right), 1)
        if not right:
            misses.append(Miss(key, "salary", expected.salary, got.salary))

    right = expected.industry == got.industry
    counter.count("industry", int(right), 1)
    if not right:
        misses.append(Miss(key, "industry", expected.industry, got.industry))


def _plain(value: Any) -> Any:
    """Sets as sorted lists, so a miss reads the same every run."""
    return sorted(value) if isinstance(value, frozenset) else value
