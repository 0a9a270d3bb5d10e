"""Employment type and seniority from a source's own words or, failing that, the title."""

from __future__ import annotations

import re

EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "temporary", "internship")
SENIORITIES = ("intern", "junior", "mid", "senior", "lead", "executive")

_INTERN = (
    r"\bintern(?:ship)?s?\b|\bco-?op\b|\bworking\s+student\b|\bwerkstudent|\btrainee\b"
    r"|\bapprentice(?:ship)?\b"
)

# Checked in order; the first hit wins, so "Fixed-term contract" is temporary and
# "Part-time contract" part-time.
_SOURCE_EMPLOYMENT = (
    ("internship", re.compile(_INTERN, re.I)),
    (
        "temporary",
        re.compile(r"\btemp(?:orary)?\b|fixed[\s_-]?term|\bseasonal\b|\binterim\b", re.I),
    ),
    ("part_time", re.compile(r"\bpart[\s_-]?time\b|\bparttime\b", re.I)),
    ("contract", re.compile(r"\bcontract(?:or|ing)?s?\b|\bfreelanc\w*|\bc2c\b|\b1099\b", re.I)),
    (
        "full_time",
        re.compile(r"\bfull[\s_-]?time\b|\bfulltime\b|\bpermanent\b|\bregular\b|\bft\b", re.I),
    ),
)
# In a title "contract" is often the subject ("Contract Intelligence Engineer"), so it only
# counts as a bracketed or trailing qualifier.
_TITLE_EMPLOYMENT = (
    ("internship", re.compile(_INTERN, re.I)),
    ("temporary", re.compile(r"\btemporary\b|fixed[\s_-]?term|\binterim\b", re.I)),
    ("part_time", re.compile(r"\bpart[\s_-]?time\b", re.I)),
    (
        "contract",
        re.compile(
            r"\bcontractor\b|\bfreelance(?:r)?\b|[(\[]\s*contract\b|[-\u2013|,]\s*contract\s*(?:$|[)\]])"
            r"|\bcontract\s+(?:role|position|to\s+hire)\b|\bcontract\s*$",
            re.I,
        ),
    ),
    ("full_time", re.compile(r"\bfull[\s_-]?time\b", re.I)),
)


def employment_type(source_value: str | None, title: str = "") -> str:
    """Map "Full-time", "FULL_TIME", "Contractor", "Fixed-term" ... to a choice value."""
    if source_value:
        for value, pattern in _SOURCE_EMPLOYMENT:
            if pattern.search(source_value):
                return value
    for value, pattern in _TITLE_EMPLOYMENT:
        if pattern.search(title):
            return value
    return "full_time"


# Checked in order: "Senior Director" is executive, "Senior Staff" lead, "Associate Director"
# executive. People managers of engineers or researchers count as lead; other "Manager" titles
# (Product, Program, Account) name a job, not a level, and give no signal.
_SENIORITY = (
    (
        "executive",
        re.compile(
            r"\bhead\s+of\b|\bdirector\b|\b[se]?vp\b|\bvice[\s-]president\b|\bchief\b"
            r"|\bc[tefoip]o\b|\bcaio\b|\bc-level\b|\bc-suite\b|\b(?:co-?)?founder\b",
            re.I,
        ),
    ),
    ("lead", re.compile(r"\bstaff\b|\bprincipal\b|\blead\b|\bdistinguished\b", re.I)),
    (
        "lead",
        re.compile(
            r"\b(?:engineering|research|ml|ai|science|data\s+science|software|team|development)"
            r"\s+manager\b"
            r"|\bmanager,?\s+(?:of\s+)?(?:engineering|research|machine\s+learning|ml|ai"
            r"|data\s+science)\b",
            re.I,
        ),
    ),
    ("senior", re.compile(r"\bsenior\b|\bsr\b|\bsnr\b|\bexperienced\b", re.I)),
    ("intern", re.compile(_INTERN, re.I)),
    (
        "junior",
        re.compile(
            r"\bjunior\b|\bjr\b|\bgraduate\b|\bnew\s+grad\b|\bgrad\b|\bentry[\s-]?level\b"
            r"|\bentry\b|\bassociate\b",
            re.I,
        ),
    ),
    ("mid", re.compile(r"\bmid(?:[\s-]?level)?\b|\bintermediate\b", re.I)),
)
_PEOPLE_MANAGER_RE = _SENIORITY[2][1]
_JOB_MANAGER_RE = re.compile(
    r"\b(?:product|program|programme|project|account|marketing|partner|community|sales"
    r"|customer\s+success|office|operations)\s+manager\b",
    re.I,
)
# Level suffixes: "Engineer II", "ML Engineer III, Platform".
_LEVEL_RE = re.compile(r"\b(I{1,3}|IV|V)\b\s*(?:$|[,(\-\u2013|/])")
_LEVELS = {"I": "junior", "II": "mid", "III": "senior", "IV": "lead", "V": "lead"}
# Only as a source level: in a title "Account Executive" is a sales job, not a C-level one.
_EXECUTIVE_LEVEL_RE = re.compile(r"\bexecutive\b", re.I)
# LinkedIn's "Mid-Senior level" spans two values; the title decides, else "mid".
_AMBIGUOUS_RE = re.compile(r"mid[\s-]*senior", re.I)


def _seniority_in(text: str) -> str:
    """The first seniority signal in the text, or ""."""
    for value, pattern in _SENIORITY:
        if pattern is _PEOPLE_MANAGER_RE and _JOB_MANAGER_RE.search(text):
            continue  # "Product Manager, AI" is a product job, not an engineering manager
        if pattern.search(text):
            return value
    level = _LEVEL_RE.search(text)
    return _LEVELS[level.group(1)] if level else ""


def seniority(source_value: str | None, title: str = "") -> str:
    """Map the source's level or the title's words to a choice value, "" when unknown."""
    ambiguous = bool(source_value and _AMBIGUOUS_RE.search(source_value))
    if source_value and not ambiguous:
        value = _seniority_in(source_value)
        if not value and _EXECUTIVE_LEVEL_RE.search(source_value):
            value = "executive"
        if value:
            return value
    return _seniority_in(title) or ("mid" if ambiguous else "")
