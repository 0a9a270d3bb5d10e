"""In-memory indexes that score one role against every profile, or one profile against every
open role, with numpy, giving exactly what ``matching.score`` gives pair by pair.

Why an index and not SQL: a role's skills touch a third to nine tenths of all profiles, so a
skill→profile lookup does not prune; what is fast is adding up posting lists in memory.

Layout (the same idea on both sides):

* rows are the indexed objects sorted by id; a row's number is its position;
* skill postings in CSR form: one array of rows sorted by skill, one of level units (profiles)
  and a dict skill id → (start, end) slice;
* one numpy array per attribute a factor or exclusion reads (country and currency as small
  integer codes, seniority as its rank or -1, salary as an int or -1, and so on);
* per-row tables of the factors that depend only on a small enumeration of the other side
  (workplace points per preference, seniority points per rank) so scoring is contiguous
  vector adds, not gathers;
* ``alive`` marks rows still valid; the service overlays objects changed since the load.

The arithmetic repeats ``matching.score`` operation for operation (integer units, the same
divisions, the same order of additions, half-up rounding), so totals are bit-identical and the
tests compare top-K lists exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import overload

import numpy as np

from opportunities.matching import scoring as m
from opportunities.vocabulary import SENIORITY_ORDER, SENIORITY_RANK

# Process-wide codes for country and currency strings; "" is 0 ("not said").
_codes: dict[str, int] = {"": 0}
_names: list[str] = [""]
LEVEL_NAMES = {units: name for name, units in m.LEVEL_UNITS.items()}


def code(value: str) -> int:
    """A stable small integer for a country or currency code within this process."""
    found = _codes.get(value)
    if found is None:
        found = _codes[value] = len(_codes)
        _names.append(value)
    return found


def name_of(value: int) -> str:
    """The country or currency string behind a code."""
    return _names[value]


def _by_row(n: int, rows: np.ndarray, *columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """Row-major CSR of postings: row pointers, then each column ordered by row."""
    order = np.argsort(rows, kind="stable")
    pointers = np.searchsorted(rows[order], np.arange(n + 1))
    return (pointers, *(column[order] for column in columns))


@overload
def _postings(
    keys: np.ndarray, rows: np.ndarray, values: np.ndarray
) -> tuple[dict[int, tuple[int, int]], np.ndarray, np.ndarray]: ...
@overload
def _postings(
    keys: np.ndarray, rows: np.ndarray, values: None = None
) -> tuple[dict[int, tuple[int, int]], np.ndarray, None]: ...
def _postings(
    keys: np.ndarray, rows: np.ndarray, values: np.ndarray | None = None
) -> tuple[dict[int, tuple[int, int]], np.ndarray, np.ndarray | None]:
    """CSR postings: key → slice into rows (and values) sorted by key."""
    order = np.argsort(keys, kind="stable")
    keys_sorted = keys[order]
    # intp, so fancy indexing with a posting list needs no conversion per query.
    rows_sorted = rows[order].astype(np.intp)
    values_sorted = values[order] if values is not None else None
    uniq, starts = np.unique(keys_sorted, return_index=True)
    ends = np.append(starts[1:], len(keys_sorted)) if len(starts) else starts
    slices = {int(k): (int(s), int(e)) for k, s, e in zip(uniq.tolist(), starts, ends, strict=True)}
    return slices, rows_sorted, values_sorted


def _rank(seniority: str) -> int:
    return SENIORITY_RANK.get(seniority, -1)


def _seniority_table(ranks: np.ndarray) -> list[np.ndarray]:
    """Seniority points for each rank of the other side (index 0..5), then for "unknown"."""
    tables = []
    for other in range(len(SENIORITY_ORDER)):
        distance = np.abs(ranks - other)
        points = np.where(
            distance == 0,
            m.SENIORITY_POINTS[0],
            np.where(distance == 1, m.SENIORITY_POINTS[1], 0.0),
        )
        tables.append(np.where(ranks < 0, m.SENIORITY_UNKNOWN, points))
    tables.append(np.full(len(ranks), m.SENIORITY_UNKNOWN))
    return tables


def top(ids: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, int]]:
    """The k best (id, score), higher score first, lower id on ties."""
    if len(ids) == 0 or k <= 0:
        return []
    if len(ids) > k:
        # One int64 key orders by score then id; argpartition avoids sorting everything.
        key = (100 - scores.astype(np.int64)) * (int(ids.max()) + 1) + ids.astype(np.int64)
        part = np.argpartition(key, k - 1)[:k]
        ids, scores = ids[part], scores[part]
    order = np.lexsort((ids, -scores))
    return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))


WORKPLACE_PREFS = ("remote_only", "hybrid_ok", "onsite_ok")
PREF_CODE = {name: i for i, name in enumerate(WORKPLACE_PREFS)}
# Role workplace kinds as the workplace factor sees them.
KIND_REMOTE_SURE, KIND_REMOTE_UNSURE, KIND_HYBRID, KIND_ONSITE = 0, 1, 2, 3
KIND_WORKPLACE = ("remote", "remote", "hybrid", "onsite")
# Most points the factors other than required skills can add, and a margin far above the
# rounding error of adding six floats, for the pruning bound.
REST_MAX = float(sum(w for name, w in m.WEIGHTS.items() if name != "skills"))
BOUND_SLACK = 1e-6
# How many rows per wanted one get exact scores to set the pruning cutoff (see top_for_profile).
CUTOFF_SAMPLE = 20
# Role vectors kept by a RoleIndex (about 1 KB each).
VECTOR_CACHE_MAX = 50_000


def _role_kind(role: m.RoleVector) -> int:
    if role.workplace == "remote":
        return (
            KIND_REMOTE_SURE if role.worldwide or role.applicant_countries else KIND_REMOTE_UNSURE
        )
    return KIND_HYBRID if role.workplace == "hybrid" else KIND_ONSITE


def _workplace_points(kind: int, pref: str) -> float:
    if kind == KIND_REMOTE_SURE:
        return 10.0
    if kind == KIND_REMOTE_UNSURE:
        return m.REMOTE_UNRESTRICTED_UNSURE
    return m.WORKPLACE_POINTS[("hybrid" if kind == KIND_HYBRID else "onsite", pref)]


class ProfileIndex:
    """Every profile, for scoring one role against all of them."""

    def __init__(self, profiles: Sequence[m.ProfileVector]):
        profiles = sorted(profiles, key=lambda p: p.id)
        n = len(profiles)
        self.ids = np.fromiter((p.id for p in profiles), dtype=np.int64, count=n)
        self.alive = np.ones(n, dtype=bool)
        self.country = np.fromiter((code(p.country) for p in profiles), dtype=np.int32, count=n)
        self.pref = np.fromiter(
            (PREF_CODE[p.workplace_preference] for p in profiles), dtype=np.int8, count=n
        )
        self.needs_worldwide = np.fromiter((p.needs_worldwide for p in profiles), bool, count=n)
        self.discoverable = np.fromiter((p.discoverable for p in profiles), bool, count=n)
        self.seniority = np.fromiter((_rank(p.seniority) for p in profiles), np.int8, count=n)
        self.floor = np.fromiter(
            (-1 if p.salary_floor is None else p.salary_floor for p in profiles), np.int64, n
        )
        self.currency = np.fromiter((code(p.salary_currency) for p in profiles), np.int32, n)
        self.has_industry_pref = np.fromiter((bool(p.industry_ids) for p in profiles), bool, n)
        skill_rows, skill_keys, skill_units = [], [], []
        ind_rows, ind_keys = [], []
        for row, p in enumerate(profiles):
            for skill, level in p.skills.items():
                skill_rows.append(row)
                skill_keys.append(skill)
                skill_units.append(m.LEVEL_UNITS[level])
            for industry in p.industry_ids:
                ind_rows.append(row)
                ind_keys.append(industry)
        self._finish(
            np.array(skill_rows, np.int32),
            np.array(skill_keys, np.int64),
            np.array(skill_units, np.int32),
            np.array(ind_rows, np.int32),
            np.array(ind_keys, np.int64),
        )

    @classmethod
    def from_columns(
        cls,
        *,
        ids: np.ndarray,
        country: np.ndarray,
        pref: np.ndarray,
        needs_worldwide: np.ndarray,
        discoverable: np.ndarray,
        seniority: np.ndarray,
        floor: np.ndarray,
        currency: np.ndarray,
        skill_rows: np.ndarray,
        skill_keys: np.ndarray,
        skill_units: np.ndarray,
        industry_rows: np.ndarray,
        industry_keys: np.ndarray,
    ) -> ProfileIndex:
        """An index from encoded columns (rows already in id order), as the loader reads them."""
        self = cls.__new__(cls)
        self.ids = ids
        self.alive = np.ones(len(ids), dtype=bool)
        self.country, self.pref, self.needs_worldwide = country, pref, needs_worldwide
        self.discoverable, self.seniority, self.floor, self.currency = (
            discoverable,
            seniority,
            floor,
            currency,
        )
        self.has_industry_pref = np.zeros(len(ids), dtype=bool)
        self.has_industry_pref[industry_rows] = True
        self._finish(skill_rows, skill_keys, skill_units, industry_rows, industry_keys)
        return self

    def _finish(self, skill_rows, skill_keys, skill_units, ind_rows, ind_keys) -> None:
        self.skill_slices, self.skill_rows, self.skill_units = _postings(
            skill_keys, skill_rows, skill_units
        )
        self.industry_slices, self.industry_rows, _ = _postings(ind_keys, ind_rows)
        n = len(self.ids)
        self.own_skill_ptr, self.own_skills, self.own_units = _by_row(
            n, np.asarray(skill_rows), np.asarray(skill_keys), np.asarray(skill_units)
        )
        self.own_industry_ptr, self.own_industries = _by_row(
            n, np.asarray(ind_rows), np.asarray(ind_keys)
        )
        self.workplace_by_kind = [
            np.array([_workplace_points(kind, pref) for pref in WORKPLACE_PREFS])[self.pref]
            for kind in range(4)
        ]
        self.seniority_by_rank = _seniority_table(self.seniority.astype(np.int16))

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, profile_id: int) -> int | None:
        row = int(np.searchsorted(self.ids, profile_id))
        return row if row < len(self.ids) and self.ids[row] == profile_id else None

    def vector(self, row: int) -> m.ProfileVector:
        """The profile at ``row`` as the plain vector ``matching.score`` reads."""
        a, b = self.own_skill_ptr[row], self.own_skill_ptr[row + 1]
        units = self.own_units[a:b].tolist()
        ia, ib = self.own_industry_ptr[row], self.own_industry_ptr[row + 1]
        rank = int(self.seniority[row])
        floor = int(self.floor[row])
        return m.ProfileVector(
            id=int(self.ids[row]),
            skills=dict(
                zip(self.own_skills[a:b].tolist(), [LEVEL_NAMES[u] for u in units], strict=True)
            ),
            industry_ids=frozenset(self.own_industries[ia:ib].tolist()),
            workplace_preference=WORKPLACE_PREFS[self.pref[row]],
            needs_worldwide=bool(self.needs_worldwide[row]),
            country=name_of(self.country[row]),
            seniority=SENIORITY_ORDER[rank] if rank >= 0 else "",
            salary_floor=floor if floor >= 0 else None,
            salary_currency=name_of(self.currency[row]),
            discoverable=bool(self.discoverable[row]),
        )

    def retire(self, profile_id: int) -> None:
        """Leave a profile out from now on (it changed or went away)."""
        row = self.row_of(profile_id)
        if row is not None:
            self.alive[row] = False

    def _accumulate(self, skills: Iterable[int]) -> np.ndarray:
        units = np.zeros(len(self.ids), dtype=np.int32)
        for skill in skills:
            bounds = self.skill_slices.get(skill)
            if bounds is not None:
                start, end = bounds
                # Rows within one posting list are distinct, so fancy-index += is exact.
                units[self.skill_rows[start:end]] += self.skill_units[start:end]
        return units

    def score_role(self, role: m.RoleVector) -> tuple[np.ndarray, np.ndarray]:
        """(profile ids, scores) of every live profile the role does not exclude."""
        if not role.required:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        units = self._accumulate(role.required)
        valid = (units > 0) & self.alive
        if not role.worldwide:
            valid &= ~self.needs_worldwide
        if role.workplace != "remote":
            if role.country:
                valid &= self.country == code(role.country)
        elif not role.worldwide and role.applicant_countries:
            valid &= np.isin(self.country, [code(c) for c in role.applicant_countries])
        if role.excluded_countries:
            valid &= ~np.isin(self.country, [code(c) for c in role.excluded_countries])
        salary_known = None
        if role.salary_ceiling is not None and role.salary_currency:
            salary_known = (self.floor >= 0) & (self.currency == code(role.salary_currency))
            valid &= ~(salary_known & (role.salary_ceiling < self.floor))
        rows = np.flatnonzero(valid)
        units = units[rows]
        skills = m.SKILL_POINTS_PER_UNIT * units / len(role.required)
        nice: np.ndarray | float
        if role.nice:
            nice = m.NICE_POINTS_PER_UNIT * self._accumulate(role.nice)[rows] / len(role.nice)
        else:
            nice = 10.0
        has_pref = self.has_industry_pref[rows]
        if role.industry_id is None:
            industry = np.where(has_pref, m.INDUSTRY_UNKNOWN, 10.0)
        else:
            in_industry = np.zeros(len(self.ids), dtype=bool)
            bounds = self.industry_slices.get(role.industry_id)
            if bounds is not None:
                in_industry[self.industry_rows[bounds[0] : bounds[1]]] = True
            industry = np.where(~has_pref | in_industry[rows], 10.0, 0.0)
        workplace = self.workplace_by_kind[_role_kind(role)][rows]
        rank = _rank(role.seniority)
        seniority = self.seniority_by_rank[rank if rank >= 0 else -1][rows]
        salary: np.ndarray | float
        if salary_known is None:
            salary = m.SALARY_UNKNOWN
        else:
            # salary_known is set only when role.salary_ceiling is not None (mypy cannot tell).
            salary = np.where(
                salary_known[rows],
                np.where(role.salary_ceiling >= self.floor[rows], float(m.WEIGHTS["salary"]), 0.0),  # type: ignore[operator]
                m.SALARY_UNKNOWN,
            )
        total = skills + nice + industry + workplace + seniority + salary
        scores = np.floor(total + 0.5).astype(np.int64)
        return self.ids[rows], scores

    def top_for_role(
        self, role: m.RoleVector, *, k: int, floor: int = m.MATCH_FLOOR
    ) -> list[tuple[int, int]]:
        ids, scores = self.score_role(role)
        keep = scores >= floor
        return top(ids[keep], scores[keep], k)

    def tops_for_role(
        self, role: m.RoleVector, *, k: int, k_discoverable: int, floor: int = m.MATCH_FLOOR
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """``top_for_role`` for everyone and for discoverable profiles only, scored once."""
        ids, scores = self.score_role(role)
        keep = scores >= floor
        ids, scores = ids[keep], scores[keep]
        shown = self.discoverable[np.searchsorted(self.ids, ids)]
        return top(ids, scores, k), top(ids[shown], scores[shown], k_discoverable)


class RoleIndex:
    """Every open role, for scoring one profile against all of them."""

    def __init__(self, roles: Sequence[m.RoleVector]):
        roles = sorted((r for r in roles if r.required), key=lambda r: r.id)
        n = len(roles)
        self.ids = np.fromiter((r.id for r in roles), dtype=np.int64, count=n)
        self.alive = np.ones(n, dtype=bool)
        self.n_required = np.fromiter((len(r.required) for r in roles), np.int32, n)
        self.n_nice = np.fromiter((len(r.nice) for r in roles), np.int32, n)
        self.industry = np.fromiter(
            (-1 if r.industry_id is None else r.industry_id for r in roles), np.int64, n
        )
        self.kind = np.fromiter((_role_kind(r) for r in roles), np.int8, n)
        self.worldwide = np.fromiter((r.worldwide for r in roles), bool, n)
        # The country an on-site or hybrid role is in; 0 when remote or not said.
        self.fixed_country = np.fromiter(
            (code(r.country) if r.workplace != "remote" else 0 for r in roles), np.int32, n
        )
        self.restricted = np.fromiter(
            (
                r.workplace == "remote" and not r.worldwide and bool(r.applicant_countries)
                for r in roles
            ),
            bool,
            n,
        )
        self.seniority = np.fromiter((_rank(r.seniority) for r in roles), np.int8, n)
        self.ceiling = np.fromiter(
            (-1 if r.salary_ceiling is None else r.salary_ceiling for r in roles), np.int64, n
        )
        self.currency = np.fromiter((code(r.salary_currency) for r in roles), np.int32, n)
        req_rows, req_keys, nice_rows, nice_keys, elig_rows, elig_keys = [], [], [], [], [], []
        excl_rows: list[int] = []
        excl_keys: list[int] = []
        for row, r in enumerate(roles):
            for skill in r.required:
                req_rows.append(row)
                req_keys.append(skill)
            for skill in r.nice:
                nice_rows.append(row)
                nice_keys.append(skill)
            if self.restricted[row]:
                for country in r.applicant_countries:
                    elig_rows.append(row)
                    elig_keys.append(code(country))
            for country in r.excluded_countries:
                excl_rows.append(row)
                excl_keys.append(code(country))
        self._finish(*(np.array(a, np.int64) for a in (req_rows, req_keys, nice_rows, nice_keys)))
        self._finish_eligibility(
            *(np.array(a, np.int64) for a in (elig_rows, elig_keys, excl_rows, excl_keys))
        )

    @classmethod
    def from_columns(cls, **columns) -> RoleIndex:
        """An index from encoded columns (rows in id order, every row with a required skill)."""
        self = cls.__new__(cls)
        for name in (
            "ids",
            "n_required",
            "n_nice",
            "industry",
            "kind",
            "worldwide",
            "fixed_country",
            "restricted",
            "seniority",
            "ceiling",
            "currency",
        ):
            setattr(self, name, columns[name])
        self.alive = np.ones(len(self.ids), dtype=bool)
        self._finish(
            columns["req_rows"], columns["req_keys"], columns["nice_rows"], columns["nice_keys"]
        )
        self._finish_eligibility(
            columns["elig_rows"], columns["elig_keys"], columns["excl_rows"], columns["excl_keys"]
        )
        return self

    def _finish(self, req_rows, req_keys, nice_rows, nice_keys) -> None:
        self.req_slices, self.req_rows, _ = _postings(req_keys, req_rows)
        self.nice_slices, self.nice_rows, _ = _postings(nice_keys, nice_rows)
        n = len(self.ids)
        self.own_req_ptr, self.own_req = _by_row(n, np.asarray(req_rows), np.asarray(req_keys))
        self.own_nice_ptr, self.own_nice = _by_row(n, np.asarray(nice_rows), np.asarray(nice_keys))
        self.workplace_by_pref = [
            np.array([_workplace_points(kind, pref) for kind in range(4)])[self.kind]
            for pref in WORKPLACE_PREFS
        ]
        self.seniority_by_rank = _seniority_table(self.seniority.astype(np.int16))
        self.salary_known_ceiling = self.ceiling >= 0
        # Vectors built by ``vector``: a full rematch asks for the same popular roles again
        # and again (they are immutable, so sharing them is safe).
        self._vectors: dict[int, m.RoleVector] = {}
        self._valid_cache: dict[tuple[bool, int], np.ndarray] = {}

    def _finish_eligibility(self, elig_rows, elig_keys, excl_rows, excl_keys) -> None:
        self.elig_slices, self.elig_rows, _ = _postings(elig_keys, elig_rows)
        self.own_elig_ptr, self.own_elig = _by_row(
            len(self.ids), np.asarray(elig_rows), np.asarray(elig_keys)
        )
        # Countries each role cannot hire in, by country (for a profile) and by row.
        self.excl_slices, self.excl_rows, _ = _postings(excl_keys, excl_rows)
        self.own_excl_ptr, self.own_excl = _by_row(
            len(self.ids), np.asarray(excl_rows), np.asarray(excl_keys)
        )

    def vector(self, row: int) -> m.RoleVector:
        """The role at ``row`` as a plain vector that ``matching.score`` scores exactly as the
        index does (fields no factor reads for this role, such as a remote role's country, are
        left empty)."""
        found = self._vectors.get(row)
        if found is None:
            if len(self._vectors) >= VECTOR_CACHE_MAX:
                self._vectors.clear()
            found = self._vectors[row] = self._build_vector(row)
        return found

    def _build_vector(self, row: int) -> m.RoleVector:
        kind = int(self.kind[row])
        ra, rb = self.own_req_ptr[row], self.own_req_ptr[row + 1]
        na, nb = self.own_nice_ptr[row], self.own_nice_ptr[row + 1]
        ea, eb = self.own_elig_ptr[row], self.own_elig_ptr[row + 1]
        xa, xb = self.own_excl_ptr[row], self.own_excl_ptr[row + 1]
        rank = int(self.seniority[row])
        ceiling = int(self.ceiling[row])
        industry = int(self.industry[row])
        return m.RoleVector(
            id=int(self.ids[row]),
            required=frozenset(self.own_req[ra:rb].tolist()),
            nice=frozenset(self.own_nice[na:nb].tolist()),
            industry_id=industry if industry >= 0 else None,
            workplace=KIND_WORKPLACE[kind],
            worldwide=bool(self.worldwide[row]),
            country=name_of(self.fixed_country[row]),
            applicant_countries=frozenset(name_of(c) for c in self.own_elig[ea:eb].tolist()),
            excluded_countries=frozenset(name_of(c) for c in self.own_excl[xa:xb].tolist()),
            seniority=SENIORITY_ORDER[rank] if rank >= 0 else "",
            salary_ceiling=ceiling if ceiling >= 0 else None,
            salary_currency=name_of(self.currency[row]),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, role_id: int) -> int | None:
        row = int(np.searchsorted(self.ids, role_id))
        return row if row < len(self.ids) and self.ids[row] == role_id else None

    def retire(self, role_id: int) -> None:
        row = self.row_of(role_id)
        if row is not None:
            self.alive[row] = False
            self._valid_cache.clear()

    def _accumulate(self, slices, postings, profile: m.ProfileVector) -> np.ndarray:
        units = np.zeros(len(self.ids), dtype=np.int32)
        for skill, level in profile.skills.items():
            bounds = slices.get(skill)
            if bounds is not None:
                units[postings[bounds[0] : bounds[1]]] += m.LEVEL_UNITS[level]
        return units

    def _valid_where(self, needs_worldwide: bool, home: int) -> np.ndarray:
        """Live roles open to a developer in ``home`` (worldwide ones only, if so needed);
        read-only, and kept per (needs_worldwide, home) until a row is retired."""
        key = (needs_worldwide, home)
        found = self._valid_cache.get(key)
        if found is None:
            found = self.alive.copy()
            if needs_worldwide:
                found &= self.worldwide
            found &= (self.fixed_country == 0) | (self.fixed_country == home)
            eligible = np.zeros(len(self.ids), dtype=bool)
            bounds = self.elig_slices.get(home)
            if bounds is not None:
                eligible[self.elig_rows[bounds[0] : bounds[1]]] = True
            found &= ~self.restricted | eligible
            bounds = self.excl_slices.get(home)
            if bounds is not None:
                found[self.excl_rows[bounds[0] : bounds[1]]] = False
            found.flags.writeable = False
            if len(self._valid_cache) >= 64:
                self._valid_cache.clear()
            self._valid_cache[key] = found
        return found

    def _valid(self, profile: m.ProfileVector) -> np.ndarray:
        """Live roles that no exclusion other than skill overlap rules out."""
        valid = self._valid_where(profile.needs_worldwide, code(profile.country))
        if profile.salary_floor is not None and profile.salary_currency:
            valid = valid & ~(
                self.salary_known_ceiling
                & (self.currency == code(profile.salary_currency))
                & (self.ceiling < profile.salary_floor)
            )
        return valid

    def _total(
        self, profile: m.ProfileVector, rows: np.ndarray, units: np.ndarray, nice_units
    ) -> np.ndarray:
        """Scores of ``rows`` given their required and nice-to-have units."""
        skills = m.SKILL_POINTS_PER_UNIT * units / self.n_required[rows]
        n_nice = self.n_nice[rows]
        nice = np.full(len(rows), 10.0)
        np.divide(m.NICE_POINTS_PER_UNIT * nice_units, n_nice, out=nice, where=n_nice > 0)
        industry: np.ndarray | float
        if not profile.industry_ids:
            industry = 10.0
        else:
            role_industry = self.industry[rows]
            industry = np.where(
                role_industry < 0,
                m.INDUSTRY_UNKNOWN,
                np.where(np.isin(role_industry, list(profile.industry_ids)), 10.0, 0.0),
            )
        workplace = self.workplace_by_pref[PREF_CODE[profile.workplace_preference]][rows]
        rank = _rank(profile.seniority)
        seniority = self.seniority_by_rank[rank if rank >= 0 else -1][rows]
        salary: np.ndarray | float
        if profile.salary_floor is None or not profile.salary_currency:
            salary = m.SALARY_UNKNOWN
        else:
            known = self.salary_known_ceiling[rows] & (
                self.currency[rows] == code(profile.salary_currency)
            )
            salary = np.where(
                known,
                np.where(
                    self.ceiling[rows] >= profile.salary_floor, float(m.WEIGHTS["salary"]), 0.0
                ),
                m.SALARY_UNKNOWN,
            )
        total = skills + nice + industry + workplace + seniority + salary
        return np.floor(total + 0.5).astype(np.int64)

    def score_profile(self, profile: m.ProfileVector) -> tuple[np.ndarray, np.ndarray]:
        """(role ids, scores) of every live role the profile is not excluded from."""
        units = self._accumulate(self.req_slices, self.req_rows, profile)
        rows = np.flatnonzero((units > 0) & self._valid(profile))
        nice_units = self._accumulate(self.nice_slices, self.nice_rows, profile)[rows]
        return self.ids[rows], self._total(profile, rows, units[rows], nice_units)

    def top_for_profile(
        self, profile: m.ProfileVector, *, k: int, floor: int = m.MATCH_FLOOR
    ) -> list[tuple[int, int]]:
        units = self._accumulate(self.req_slices, self.req_rows, profile)
        rows = np.flatnonzero((units > 0) & self._valid(profile))
        units = units[rows]
        nice_all = self._accumulate(self.nice_slices, self.nice_rows, profile)
        if len(rows) > 2 * k:
            # A pair scores at most its skill points plus every other factor's full weight, and
            # the k-th best exact score among any rows is a floor for the k-th best overall:
            # taken over the CUTOFF_SAMPLE * k rows best on skills it is high enough that only
            # a few percent of the rows need the full arithmetic.
            skills = m.SKILL_POINTS_PER_UNIT * units / self.n_required[rows]
            sample = min(CUTOFF_SAMPLE * k, len(rows))
            best = np.argpartition(skills, len(skills) - sample)[len(skills) - sample :]
            exact = self._total(profile, rows[best], units[best], nice_all[rows[best]])
            cutoff = max(floor, int(np.partition(exact, sample - k)[sample - k]))
            reachable = skills + (REST_MAX + 0.5 + BOUND_SLACK) >= cutoff
            rows, units = rows[reachable], units[reachable]
        scores = self._total(profile, rows, units, nice_all[rows])
        keep = scores >= floor
        return top(self.ids[rows[keep]], scores[keep], k)

    def skills_to_learn(
        self, profile: m.ProfileVector, *, threshold: int = m.GOOD_MATCH, limit: int = 10
    ) -> list[tuple[int, int]]:
        """(skill id, roles unlocked): missing required skills that, known at "working" level,
        would lift the most roles from below ``threshold`` (or excluded) to at least it."""
        units = self._accumulate(self.req_slices, self.req_rows, profile)
        nice_units = self._accumulate(self.nice_slices, self.nice_rows, profile)
        valid = self._valid(profile)
        current = np.full(len(self.ids), -1, dtype=np.int64)
        rows = np.flatnonzero((units > 0) & valid)
        current[rows] = self._total(profile, rows, units[rows], nice_units[rows])
        below = valid & (current < threshold)
        gain = m.LEVEL_UNITS["working"]
        results = []
        for skill, (start, end) in self.req_slices.items():
            if skill in profile.skills:
                continue
            rows = self.req_rows[start:end]
            rows = rows[below[rows]]
            if len(rows) == 0:
                continue
            # The skill is required in these roles, so it is never among their nice ones.
            new = self._total(profile, rows, units[rows] + gain, nice_units[rows])
            unlocked = int(np.count_nonzero(new >= threshold))
            if unlocked:
                results.append((skill, unlocked))
        results.sort(key=lambda item: (-item[1], item[0]))
        return results[:limit]
