"""Trust flags: signs that a posting, entered or ingested, may not be what it says.

Each flag is a Note for curators (and the moderation queue): a fee asked of applicants, an
apply address or link that does not belong to the company, a salary far from what the same
job pays on the board, a description copied from another company's posting, shouting.
Reading them costs at most two small queries, over a bounded window of the newest roles.
"""

from __future__ import annotations

import re
import statistics
from urllib.parse import urlsplit

from django.db.models import Q

from opportunities.ingest.normalise.role import description_fingerprint, similar
from opportunities.ingest.normalise.sanitise import html_to_lines, lines_to_text
from opportunities.models import Role
from opportunities.posting.notes import Note

WARNING = "warning"

FREE_MAIL_DOMAINS = frozenset(
    str.split(
        """
        gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.fr yahoo.de yahoo.co.in yahoo.co.jp
        ymail.com rocketmail.com outlook.com outlook.fr outlook.de hotmail.com hotmail.co.uk
        hotmail.fr hotmail.de hotmail.it live.com live.co.uk live.fr msn.com aol.com icloud.com
        me.com mac.com proton.me protonmail.com protonmail.ch pm.me gmx.com gmx.de gmx.net gmx.at
        web.de mail.com email.com yandex.com yandex.ru mail.ru inbox.ru bk.ru list.ru rambler.ru
        qq.com 163.com 126.com sina.com sohu.com naver.com daum.net hanmail.net rediffmail.com
        tutanota.com tuta.io zoho.com zohomail.com fastmail.com hushmail.com laposte.net orange.fr
        free.fr libero.it virgilio.it t-online.de seznam.cz wp.pl o2.pl interia.pl onet.pl
        """
    )
)
URL_SHORTENERS = frozenset(
    str.split(
        """
        bit.ly bitly.com tinyurl.com t.co goo.gl ow.ly is.gd buff.ly rebrand.ly cutt.ly
        shorturl.at rb.gy tiny.cc bl.ink lnkd.in t.ly s.id v.gd shorte.st adf.ly forms.gle
        tiny.one short.io soo.gd clck.ru qr.ae trib.al dlvr.it linktr.ee
        """
    )
)
# Applicant tracking systems and job boards: an apply link there is the company's own.
APPLY_HOSTS = frozenset(
    str.split(
        """
        greenhouse.io lever.co ashbyhq.com workable.com smartrecruiters.com myworkdayjobs.com
        myworkdaysite.com workday.com bamboohr.com recruitee.com teamtailor.com personio.de
        personio.com jobvite.com icims.com breezy.hr applytojob.com jazzhr.com taleo.net
        successfactors.com successfactors.eu rippling.com pinpointhq.com comeet.com comeet.co
        gem.com dover.com dover.io homerun.co join.com freshteam.com zohorecruit.com
        oraclecloud.com ultipro.com paylocity.com adp.com eightfold.ai avature.net gupy.io
        jobylon.com manatal.com polymer.co workatastartup.com ycombinator.com wellfound.com
        linkedin.com indeed.com glassdoor.com otta.com welcometothejungle.com builtin.com
        remoteok.com remotive.com weworkremotely.com hnhiring.com
        """
    )
)
# Second-level suffixes under which a company registers its name ("acme.co.uk").
_SECOND_LEVEL = frozenset(
    str.split(
        """
        co.uk org.uk ac.uk gov.uk ltd.uk plc.uk com.au net.au org.au co.nz co.jp co.kr co.in
        co.il co.za com.br com.mx com.ar com.cn com.hk com.tw com.sg com.my com.tr com.ua com.pl
        """
    )
)

# Newest published roles that comparisons read: a bounded slice of an index however many
# roles the board holds, and the current market rather than years-old pay.
COMPARABLE_WINDOW = 5000
MIN_COMPARABLES = 5
OUTLIER_FACTOR = 2.0
COPY_SIMILARITY = 0.8
COPY_MIN_CHARACTERS = 300


def trust_flags(role: Role) -> list[Note]:
    """Everything about a role that a curator should look at before trusting it."""
    lines = html_to_lines(role.description)
    text = f"{role.title}\n" + "\n".join(lines)
    notes = []
    notes += fee_flags(text)
    notes += apply_flags(role)
    notes += salary_flags(role)
    notes += copy_flags(role, lines_to_text(lines))
    notes += shouting_flags(role.title, "\n".join(lines))
    return notes


# --- fees -------------------------------------------------------------------------------

_FEE_RE = re.compile(
    r"\b(?:"
    r"(?:application|registration|processing|onboarding|training|placement|enrol?ment"
    r"|screening|background[- ]check|starter[- ]kit|equipment|visa|interview|certification"
    r"|admin(?:istration)?|joining)\s+(?:fee|fees|charge|charges|deposit)"
    r"|(?:pay|paying|send|sending|transfer|wire)\s+(?:us\s+)?(?:a|an|the)?\s*"
    r"(?:small\s+|one[- ]time\s+|refundable\s+|non[- ]refundable\s+|nominal\s+)?"
    r"(?:fee|fees|deposit)"
    r"|(?:refundable|security)\s+deposit"
    r"|pay\s+(?:for|to)\s+(?:your\s+own\s+|the\s+)?(?:training|equipment|background\s+check"
    r"|starter\s+kit|laptop|onboarding|apply|interview|certification)"
    r"|(?:buy|purchase|send)\s+(?:\w+\s+)?gift\s+cards?"
    r")\b",
    re.IGNORECASE,
)
# Words before or after a fee that say the applicant does not pay it.
_FEE_DENIED_BEFORE_RE = re.compile(
    r"\b(?:no|never|without|free\s+of|not|don't|do\s+not|won't|will\s+not|nor"
    r"|we\s+(?:cover|pay|reimburse|sponsor)|covers?|reimburses?)\b[^.!?\n]*$",
    re.IGNORECASE,
)
_FEE_DENIED_AFTER_RE = re.compile(
    r"^[^.!?\n]{0,40}\b(?:covered|reimbursed|waived|paid\s+by\s+us|on\s+us)\b", re.IGNORECASE
)


def fee_flags(text: str) -> list[Note]:
    """A fee, deposit or purchase asked of applicants ("a refundable training fee of $99")."""
    asked = []
    for match in _FEE_RE.finditer(text):
        before = text[max(0, match.start() - 60) : match.start()]
        after = text[match.end() : match.end() + 60]
        if _FEE_DENIED_BEFORE_RE.search(before) or _FEE_DENIED_AFTER_RE.search(after):
            continue
        asked.append(" ".join(match[0].split()))
    if not asked:
        return []
    return [
        Note(
            code="fee_asked",
            severity=WARNING,
            message=f"The posting asks applicants to pay: “{'”, “'.join(dict.fromkeys(asked))}”.",
            reason="Real employers do not charge applicants; asking for a fee, deposit or "
            "purchase is the commonest sign of a job scam.",
            suggestion="Remove any payment asked of applicants, or reject the role if it is "
            "the point of the posting.",
        )
    ]


# --- where applications go --------------------------------------------------------------


def registrable_domain(host: str) -> str:
    """The name a company registers: "jobs.acme.co.uk" → "acme.co.uk"."""
    host = host.lower().strip(".")
    host = host.removeprefix("www.")
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def apply_flags(role: Role) -> list[Note]:
    """An apply address at a free-mail provider, an apply link that is shortened or elsewhere."""
    company_host = _host(role.company.website) if role.company.website else ""
    company_domain = registrable_domain(company_host) if company_host else ""
    notes = []
    email_domain = role.apply_email.rpartition("@")[2].lower() if role.apply_email else ""
    if (
        email_domain in FREE_MAIL_DOMAINS
        and company_domain
        and company_domain not in FREE_MAIL_DOMAINS
    ):
        notes.append(
            Note(
                code="apply_email_free_mail",
                severity=WARNING,
                message=f"Applications go to a {email_domain} address, though "
                f"{role.company.name} has its own domain ({company_domain}).",
                reason="Scammers posing as real companies collect CVs and personal details "
                "through free-mail addresses; a company's recruiters write from its domain.",
                suggestion=f"Use an address at {company_domain}, or check with the company "
                "that the address is theirs.",
            )
        )
    apply_host = _host(role.apply_url) if role.apply_url else ""
    if not apply_host:
        return notes
    apply_domain = registrable_domain(apply_host)
    if apply_domain in URL_SHORTENERS or apply_host in URL_SHORTENERS:
        notes.append(
            Note(
                code="apply_url_shortener",
                severity=WARNING,
                message=f"The apply link is shortened ({apply_host}), so no one can see "
                "where it leads.",
                reason="Shortened links hide phishing pages and tracking; a genuine apply "
                "page has nothing to hide.",
                suggestion="Link to the apply page itself.",
            )
        )
    elif company_domain and apply_domain != company_domain and apply_domain not in APPLY_HOSTS:
        own = {registrable_domain(_host(role.canonical_url))} if role.canonical_url else set()
        if role.source_id and role.source.location:
            own.add(registrable_domain(_host(role.source.location)))
        if apply_domain not in own:
            notes.append(
                Note(
                    code="apply_url_other_domain",
                    severity=WARNING,
                    message=f"The apply link goes to {apply_domain}, not to "
                    f"{role.company.name}'s {company_domain} or a known hiring system.",
                    reason="A posting that sends applicants to someone else's site may be "
                    "collecting their details under the company's name.",
                    suggestion=f"Link to a page on {company_domain} or the company's "
                    "applicant tracking system, or confirm the link with the company.",
                )
            )
    return notes


# --- salary -----------------------------------------------------------------------------

_TITLE_CUT_RE = re.compile(r"\s*(?:\(|,|\s[-\u2013\u2014|]\s).*$")
_TITLE_WORD_RE = re.compile(r"[a-z0-9+#]+")
_TITLE_ABBREVIATIONS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "engr": "engineer",
    "eng": "engineer",
    "mgr": "manager",
    "ml": "machine learning",
    "swe": "software engineer",
    "sde": "software engineer",
}
# Seniority has its own column; these words in a title only repeat it.
_SENIORITY_WORDS = frozenset(
    str.split("senior junior lead staff principal intern mid level entry i ii iii iv v")
)


def title_normalised(title: str) -> str:
    """A title reduced to the job: "Sr. ML Engineer (LLMs) - Remote" → "machine learning
    engineer"."""
    head = _TITLE_CUT_RE.sub("", title.lower())
    words = []
    for word in _TITLE_WORD_RE.findall(head):
        words += _TITLE_ABBREVIATIONS.get(word, word).split()
    return " ".join(word for word in words if word not in _SENIORITY_WORDS)


def _newest_published_ids():
    return (
        Role.objects.published()
        .canonical()
        .order_by("-posted_at", "-id")
        .values("pk")[:COMPARABLE_WINDOW]
    )


def _yearly_middle(low: int | None, high: int | None) -> float | None:
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def salary_flags(role: Role) -> list[Note]:
    """A salary far outside what the board's roles with this title and seniority pay."""
    middle = _yearly_middle(role.salary_yearly_min, role.salary_yearly_max)
    job = title_normalised(role.title)
    if not middle or not role.salary_currency or not job:
        return []
    # The title's last word ("engineer", "scientist") narrows the window in the database;
    # the exact comparison is on the normalised title.
    rows = (
        Role.objects.filter(pk__in=_newest_published_ids())
        .exclude(pk=role.pk)
        .filter(
            Q(salary_yearly_min__isnull=False) | Q(salary_yearly_max__isnull=False),
            seniority=role.seniority,
            salary_currency=role.salary_currency,
            title__icontains=job.split()[-1],
        )
        .values_list("title", "salary_yearly_min", "salary_yearly_max")
    )
    paid = [
        value
        for title, low, high in rows
        if title_normalised(title) == job and (value := _yearly_middle(low, high))
    ]
    if len(paid) < MIN_COMPARABLES:
        return []
    median = statistics.median(paid)
    if median / OUTLIER_FACTOR <= middle <= median * OUTLIER_FACTOR:
        return []
    high = middle > median
    seniority = role.get_seniority_display().lower() if role.seniority else "unstated seniority"
    return [
        Note(
            code="salary_outlier",
            severity=WARNING,
            message=f"The salary ({_money(middle, role.salary_currency)} a year) is "
            f"{'over twice' if high else 'under half'} what {len(paid)} roles with this "
            f"title and {seniority} pay on the board (median "
            f"{_money(median, role.salary_currency)}).",
            reason="Pay far above the market is a common lure in scam postings"
            if high
            else "Pay far below the market usually means the amounts or the period are wrong "
            "(a monthly salary entered as yearly)",
            suggestion="Check the amounts, the currency and the period (year, month, hour).",
        )
    ]


def _money(amount: float, currency: str) -> str:
    return f"{currency.upper()} {round(amount):,}"


# --- copied text ------------------------------------------------------------------------


def copy_flags(role: Role, text: str) -> list[Note]:
    """The same description posted by another company (a scam copies a real posting)."""
    if len(text) < COPY_MIN_CHARACTERS:
        return []
    fingerprint = role.text_fingerprint or description_fingerprint(role.description)
    if not fingerprint:
        return []
    # Texts that share most shingles usually share the smallest hash, the sketch's first.
    candidates = (
        Role.objects.filter(pk__in=_newest_published_ids())
        .exclude(company_id=role.company_id)
        .exclude(pk=role.duplicate_of_id or 0)
        .filter(text_fingerprint__startswith=fingerprint[:8])
        .values_list("pk", "company__name", "text_fingerprint")[:50]
    )
    copies = {
        name: pk for pk, name, other in candidates if similar(fingerprint, other) >= COPY_SIMILARITY
    }
    if not copies:
        return []
    names = sorted(copies)
    return [
        Note(
            code="text_copied",
            severity=WARNING,
            message=f"The description is the same as a posting by "
            f"{', '.join(names[:3])}{' and others' if len(names) > 3 else ''} "
            f"(role {', '.join(str(copies[name]) for name in names[:3])}).",
            reason="Scammers copy real postings word for word and put another company's name "
            "on them.",
            suggestion="Check that the company really is the employer before publishing.",
        )
    ]


# --- shouting ---------------------------------------------------------------------------

_LONG_WORD_RE = re.compile(r"[^\W\d_]{4,}")
TITLE_SHOUTING_RATIO = 0.5
TEXT_SHOUTING_RATIO = 0.3
TEXT_SHOUTING_WORDS = 10
EXCLAMATIONS = 3


def _capitals(text: str) -> tuple[int, int]:
    """(words of four letters or more in capitals, words of four letters or more)."""
    words = _LONG_WORD_RE.findall(text)
    return sum(word.isupper() for word in words), len(words)


def shouting_flags(title: str, text: str) -> list[Note]:
    """Capitals and exclamation marks: the style of spam, not of employers."""
    problems = []
    shouted, words = _capitals(title)
    if shouted >= 2 and shouted >= words * TITLE_SHOUTING_RATIO:
        problems.append("the title is in capitals")
    shouted, words = _capitals(text)
    if shouted >= TEXT_SHOUTING_WORDS and shouted >= words * TEXT_SHOUTING_RATIO:
        problems.append(f"{shouted} of the description's {words} longer words are in capitals")
    exclamations = title.count("!") + text.count("!")
    if "!" in title or exclamations >= EXCLAMATIONS or "!!" in text:
        problems.append(f"{exclamations} exclamation mark{'s' if exclamations != 1 else ''}")
    if not problems:
        return []
    return [
        Note(
            code="shouting",
            severity=WARNING,
            message=f"The posting shouts: {'; '.join(problems)}.",
            reason="Capitals and exclamation marks are the style of spam and scam postings, "
            "and make a real one look like them.",
            suggestion="Write the title and text in sentence case, with full stops.",
        )
    ]
