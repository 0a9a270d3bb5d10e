"""Salary figures from structured fields or free text, plus a yearly equivalent for search."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pycountry

from opportunities.ingest.parsers.records import RawSalary
from opportunities.vocabulary import YEARLY_FACTOR

PERIODS = tuple(YEARLY_FACTOR)
UNKNOWN = "unknown"  # a figure given without a period, too small to be plainly yearly
# A bare figure of at least this much (in US-dollar terms, scaled as _CAP_SCALE) can only be
# a yearly salary; below it, 45 could be hourly or daily and 8,000 monthly or a bonus.
YEARLY_WITHOUT_PERIOD = Decimal(20_000)
_PER_YEAR = {period: Decimal(factor) for period, factor in YEARLY_FACTOR.items()}
_MAX_YEARLY = Decimal(10_000_000)
# Above this a figure is nonsense in any currency; checked before arithmetic can overflow.
_MAX_FIGURE = Decimal(10) ** 12
# Rough orders of magnitude (units per US dollar) so "¥12,000,000" or "₹70L" is not absurd;
# the sanity cap needs scale, not exchange rates.
_CAP_SCALE = {
    "JPY": 150,
    "KRW": 1400,
    "INR": 85,
    "IDR": 16000,
    "VND": 25000,
    "HUF": 360,
    "CLP": 950,
    "COP": 4000,
    "ARS": 1000,
    "NGN": 1500,
    "PKR": 280,
    "LKR": 300,
    "KZT": 500,
    "PHP": 58,
    "THB": 36,
    "TWD": 32,
    "CNY": 7,
    "RUB": 90,
    "UAH": 41,
    "EGP": 50,
    "KES": 130,
    "MXN": 20,
    "BRL": 6,
    "ZAR": 18,
}

_ISO_CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies)
# Capitalised three-letter words that are ISO codes but mean something else in an ad.
_NOT_CURRENCY = frozenset({"ALL", "TOP", "CUP", "MOP", "BOB", "PEN", "TRY", "GEL", "DOP"})
_SYMBOLS = {
    "US$": "USD",
    "C$": "CAD",
    "CA$": "CAD",
    "CAD$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "AUD$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "SG$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "MX$": "MXN",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₪": "ILS",
    "₺": "TRY",
    "₱": "PHP",
    "zł": "PLN",
    "Rs.": "INR",
    "Rs": "INR",
}
_WORDS = {
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pounds": "GBP",
    "rupees": "INR",
    "yen": "JPY",
}
_CURRENCY_RE = re.compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True) if s[0].isalpha())
    + r")(?=[\s\d.]|$)"
    + "|"
    + "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True) if not s[0].isalpha())
    + r"|(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])"
    + r"|(?i:\b(?:usd|eur|gbp|cad|aud|chf|inr|sgd|"
    + "|".join(_WORDS)
    + r")\b)"
)
# 80 000 / 60.000 / 45,000 / 31,2 / 150 with an optional multiplier (k, m, lakh, crore).
_AMOUNT_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:[,. \u00a0\u202f']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)"
    r"(?!\d)\s?(?P<mult>[kK](?![a-zA-Z])|[mM](?:m|n|illion)?(?![a-zA-Z])|(?:L|lakhs?|lacs?)(?![a-zA-Z])"
    r"|(?:Cr|crores?)(?![a-zA-Z]))?"
    r"(?!\s?%)"
)
_RANGE_RE = re.compile(r"^\s*(?:-|\u2013|\u2014|to|and|bis|à|a)\s*$", re.I)
_UP_TO_RE = re.compile(r"\b(?:up\s+to|max(?:imum)?|until)\s*$", re.I)
_PERIOD_RES = (
    (
        "hour",
        re.compile(r"/\s*h(?:ou)?r?s?\b|\bper\s+hour\b|\bhourly\b|\ban\s+hour\b|\bp/h\b", re.I),
    ),
    ("day", re.compile(r"/\s*d(?:ay)?\b|\bper\s+day\b|\bdaily\b|\ba\s+day\b|\bday\s+rate\b", re.I)),
    ("week", re.compile(r"/\s*w(?:ee)?k\b|\bper\s+week\b|\bweekly\b|\ba\s+week\b", re.I)),
    (
        "month",
        re.compile(
            r"/\s*mo(?:nth)?s?\b|\bper\s+month\b|\bmonthly\b|\ba\s+month\b|\bpcm\b"
            r"|/\s*mois\b|\bpar\s+mois\b|\bpro\s+monat\b|\bmonatlich\b|\bmensuel\b",
            re.I,
        ),
    ),
    (
        "year",
        re.compile(
            r"/\s*(?:y(?:ea)?r|an|annum|année|jahr|año)\b|\bper\s+(?:year|annum|an)\b"
            r"|\bpar\s+an\b|\bp\.\s?a\.?|\bpa\b|\bannual(?:ly)?\b|\byearly\b|\ba\s+year\b"
            r"|\bpro\s+jahr\b|\bjährlich\b|\bbrutto\b|\bannuel\b|\bOTE\b",
            re.I,
        ),
    ),
)
_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"})
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "l": 100_000, "c": 10_000_000}


@dataclass(frozen=True, slots=True)
class Salary:
    """A normalised salary: amounts in major units of an ISO 4217 currency per period."""

    minimum: Decimal | None
    maximum: Decimal | None
    currency: str  # "" when neither the source nor the text says
    period: str

    @property
    def yearly_min(self) -> Decimal | None:
        """The minimum as a yearly figure, for search; None when the period is unknown."""
        if self.minimum is None or self.period == UNKNOWN:
            return None
        return yearly(self.minimum, self.period)

    @property
    def yearly_max(self) -> Decimal | None:
        """The maximum as a yearly figure, for search; None when the period is unknown."""
        if self.maximum is None or self.period == UNKNOWN:
            return None
        return yearly(self.maximum, self.period)


def yearly(amount: Decimal, period: str) -> Decimal:
    """Convert an amount per period to a whole yearly amount (2080 h, 260 days, 52 weeks)."""
    return (amount * _PER_YEAR[period]).quantize(Decimal(1))


def _to_decimal(number: str, multiplier: str | None) -> Decimal | None:
    """Parse "60.000", "45,000", "31,2", "80 000" with thousands/decimal separators guessed."""
    digits = number.translate({0x20: None, 0xA0: None, 0x202F: None, 0x27: None})
    if "," in digits and "." in digits:
        decimal_sep = "," if digits.rfind(",") > digits.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        digits = digits.replace(thousands, "").replace(decimal_sep, ".")
    else:
        for sep in ",.":
            if sep in digits:
                parts = digits.split(sep)
                # Exactly three digits after a single separator is a thousands group, unless a
                # multiplier follows ("1.500k" is odd, "1.5k" is decimal either way).
                if len(parts) > 2 or (len(parts[1]) == 3 and not multiplier):
                    digits = "".join(parts)
                else:
                    digits = digits.replace(sep, ".")
    if len(digits) > 15:
        return None  # no salary has that many digits, and Decimal precision would run out
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if multiplier:
        value *= _MULTIPLIERS[multiplier[0].lower()]
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))  # "31,2k" -> 31200, not 31200.0
    return value


def _currency(token: str) -> str | None:
    """Map a currency symbol, word or code to ISO 4217."""
    if token in _SYMBOLS:
        return _SYMBOLS[token]
    low = token.lower()
    if low in _WORDS:
        return _WORDS[low]
    code = token.upper()
    if code in _ISO_CURRENCIES and (token.islower() or code not in _NOT_CURRENCY):
        return code
    return None


def _first_currency(matches: Iterable[re.Match[str]]) -> str | None:
    """The first match that names a currency."""
    for match in matches:
        currency = _currency(match.group())
        if currency:
            return currency
    return None


def _period_in(text: str) -> str | None:
    """The first period word in the text, by position."""
    best: tuple[int, str] | None = None
    for period, pattern in _PERIOD_RES:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), period)
    return best[1] if best else None


def infer_period(amount: Decimal, currency: str = "") -> str:
    """The period of a figure given without one: "year" when only a yearly salary is that
    large (90,000 dollars), else UNKNOWN (45 or 8,000 could be paid per hour, day or month)."""
    if amount >= YEARLY_WITHOUT_PERIOD * _CAP_SCALE.get(currency, 1):
        return "year"
    return UNKNOWN


def normalise_period(value: str | None) -> str | None:
    """Map a source's period word ("YEAR", "per-year-salary", "hourly") to a choice value."""
    if not value:
        return None
    low = value.lower()
    if low in PERIODS:
        return low
    for period in PERIODS:
        if period in low:
            return period
    return _period_in(low) or {"annual": "year", "yearly": "year", "annum": "year"}.get(low)


@lru_cache(maxsize=8192)
def parse_salary_text(text: str) -> Salary | None:
    """Read "$150k - $230k", "€60.000 - €75.000 per year", "$18 - $22/hr"; None when unusable."""
    parsed = _parse_text(text)
    return _sane(parsed) if parsed else None


def _parse_text(text: str) -> Salary | None:
    """Read the figures, currency and period of a salary text without sanity checks."""
    amounts = list(_AMOUNT_RE.finditer(text))
    if not amounts:
        return None
    first = amounts[0]
    low = _to_decimal(first.group("num"), first.group("mult"))
    high: Decimal | None = None
    end = first.end()
    if len(amounts) > 1:
        second = amounts[1]
        between = _CURRENCY_RE.sub(" ", text[first.end() : second.start()])
        if _RANGE_RE.match(between):
            high = _to_decimal(second.group("num"), second.group("mult"))
            end = second.end()
            # "120-150k": the multiplier written once applies to both ends.
            if (
                second.group("mult")
                and not first.group("mult")
                and low is not None
                and high is not None
                and low < 1000
            ):
                low = _to_decimal(first.group("num"), second.group("mult"))
    if low is None:
        return None
    if high is None:
        if _UP_TO_RE.search(_CURRENCY_RE.sub(" ", text[: first.start()])):
            low, high = None, low
        elif not text[first.end() : first.end() + 2].strip().startswith("+"):
            high = low  # a single figure such as "£45,000" is both ends
    # Prefer the symbol right before the first figure, then a code after the last one; a
    # bare "$" is only a dollar, which a code after the figures names ("$24 to $28 CAD").
    currency = _first_currency(reversed(list(_CURRENCY_RE.finditer(text, 0, first.start()))))
    after = _first_currency(_CURRENCY_RE.finditer(text, end, end + 8))
    if currency is None or (
        currency == "USD"
        and after in _DOLLARS
        and "$" in text[: first.start()]
        and not text[: first.start()].rstrip().endswith(("US$", "USD"))
    ):
        currency = after if after is not None else currency
    if currency is None:
        currency = _first_currency(_CURRENCY_RE.finditer(text, end))
    if currency is None and (first.group("mult") or "").lower().startswith(("l", "c")):
        currency = "INR"  # lakh and crore are Indian units
    reference = high if high is not None else low
    period = _period_in(text) or infer_period(reference, currency or "")
    return Salary(low, high, currency or "", period)


def _sane(salary: Salary) -> Salary | None:
    """Swap reversed ranges; reject zero, negative or absurd (> 10M a year, scaled) figures."""
    low, high = salary.minimum, salary.maximum
    if any(value is not None and value > _MAX_FIGURE for value in (low, high)):
        return None
    if low is not None and low <= 0:
        low = None
    if high is not None and high <= 0:
        high = None
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        low, high = high, low
    cap = _MAX_YEARLY * _CAP_SCALE.get(salary.currency, 1)
    top = high if high is not None else low
    if (top if salary.period == UNKNOWN else yearly(top, salary.period)) > cap:
        return None
    return Salary(low, high, salary.currency, salary.period)


def normalise_salary(raw: RawSalary | None) -> Salary | None:
    """Normalise a RawSalary, preferring structured fields and falling back to its text."""
    if raw is None:
        return None
    from_text = parse_salary_text(raw.text) if raw.text else None
    low = raw.minimum if raw.minimum else None
    high = raw.maximum if raw.maximum else None
    if low is None and high is None:
        return from_text
    currency = (raw.currency or "").strip().upper()
    if currency not in _ISO_CURRENCIES:
        currency = from_text.currency if from_text else ""
    period = normalise_period(raw.period) or (from_text.period if from_text else None)
    low_d = _as_decimal(low)
    high_d = _as_decimal(high)
    reference = high_d if high_d is not None else low_d
    if reference is None:
        return None
    return _sane(Salary(low_d, high_d, currency, period or infer_period(reference, currency)))


def _as_decimal(value: object) -> Decimal | None:
    """Decimal from a Decimal, int, float or numeric string; None when not a number."""
    if value is None:
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# The few places in a description that could state a salary hold a currency sign or code;
# only the lines holding one are read closely below.
_TEXT_SIGNS = ("$", "USD", "EUR", "GBP", "CHF", "CAD")
# Signs outside ASCII, looked for only in a text that is not ASCII.
_TEXT_SIGNS_WIDE = ("\u20ac", "\u00a3", "\u00a5", "\u20b9")
_TEXT_CUE_RE = re.compile(
    r"[$€£¥₹]|(?<![A-Za-z])(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR|SGD)(?![A-Za-z])"
)
_SALARY_WORDS_RE = re.compile(
    r"\b(?:salary|salaries|compensation|pay|paid|base|range|ote|wage|rate|package|earn"
    r"|gehalt|salaire|sueldo)\b",
    re.I,
)
# Money that is not the role's pay: the company's funding, revenue or a perk's budget.
_NOT_PAY_RE = re.compile(
    r"\b(?:raised|raise|funding|funded|series\s+[a-e]|seed|valuation|valued|revenue|arr"
    r"|investors?|backed|budget|stipend|allowance|bonus|grant|customers|users|per\s+month\s+for"
    r"|gift|reimburs\w*|donat\w*|prize)\b",
    re.I,
)
_AMOUNT_AFTER_RE = re.compile(r"\s?\d")
_FIGURE_CHARS = frozenset("0123456789,. \u00a0\u202f'-\u2013\u2014kK")
_TEXT_WINDOW = 70
# A salary stated in text, as a yearly figure, lies in this range; outside it, the figure is
# something else (a price, a funding round).
_TEXT_YEARLY_MIN = Decimal(8_000)
_TEXT_HOURLY_MIN = Decimal(8)


def salary_in_text(text: str, words: frozenset | None = None) -> Salary | None:
    """The salary a description states in words ("$130K-$146K", "EUR 60-70k per year",
    "$45/hr"), or None; read only around the currency signs and codes it holds.

    `words`, the set of the text's lower-cased words (bytes for an ASCII text), spares the
    search for codes the text does not hold."""
    # Substring tests run in C at memory speed; a regex over the whole text costs far more.
    spans: list[tuple[int, int]] = []
    if text.isascii():
        signs = _TEXT_SIGNS
        if words and isinstance(next(iter(words)), bytes):
            signs = ("$", *(code for code in _TEXT_SIGNS[1:] if code.lower().encode() in words))
    else:
        signs = (*_TEXT_SIGNS, *_TEXT_SIGNS_WIDE)
    for sign in signs:
        at = text.find(sign)
        while at >= 0:
            # Bounded searches: a description may be one long line.
            start = max(0, at - 60)
            start = text.rfind("\n", start, at) + 1 or start
            end = min(len(text), at + 100)
            line_end = text.find("\n", at, end)
            spans.append((start, end if line_end < 0 else line_end))
            at = text.find(sign, at + len(sign))
    spans.sort()
    for start, end in spans:
        found = _salary_in_line(text[start:end])
        if found is not None:
            return found
    return None


def _salary_in_line(line: str) -> Salary | None:
    """The first plausible salary among the line's currency cues."""
    for cue in _TEXT_CUE_RE.finditer(line):
        # Funding, revenue or a perk named before the figure: not the role's pay ("plus
        # bonus" after a salary range is still a salary).
        if _NOT_PAY_RE.search(line, 0, cue.start()):
            return None
        if _AMOUNT_AFTER_RE.match(line, cue.end()):
            start = cue.start()
        else:
            # Figures before the sign ("60.000 - 70.000 €"): walk back over them.
            start = cue.start()
            while start > 0 and cue.start() - start < 30 and line[start - 1] in _FIGURE_CHARS:
                start -= 1
            if not any(char.isdigit() for char in line[start : cue.start()]):
                continue
        salary = parse_salary_text(line[start : cue.end() + _TEXT_WINDOW])
        if salary is not None and _plausible_in_text(salary, line):
            if salary.minimum == salary.maximum and _UP_TO_RE.search(
                line[max(0, start - 12) : start]
            ):
                salary = Salary(None, salary.maximum, salary.currency, salary.period)
            return salary
    return None


def _plausible_in_text(salary: Salary, line: str) -> bool:
    """Whether a figure read from prose is a salary: a currency, a sane size, and either a
    stated period or words that say it is pay."""
    if not salary.currency:
        return False
    top = salary.maximum if salary.maximum is not None else salary.minimum
    scale = _CAP_SCALE.get(salary.currency, 1)
    if salary.period == UNKNOWN:
        return top >= _TEXT_HOURLY_MIN * scale and bool(_SALARY_WORDS_RE.search(line))
    if salary.period == "hour":
        return top >= _TEXT_HOURLY_MIN * scale
    return yearly(top, salary.period) >= _TEXT_YEARLY_MIN * scale
