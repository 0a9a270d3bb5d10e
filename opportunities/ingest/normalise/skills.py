"""Recognise taxonomy skills in role text and collect unknown skill-like terms for curators."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from typing import Any, NamedTuple

import ahocorasick

REQUIRED = "required"
NICE = "nice"
# Keys starting with this prefix mark auxiliary terms (section markers, context words) that
# ride along in a skill automaton so one pass over a text finds everything.
AUX_PREFIX = "\x00"
_MARKER = AUX_PREFIX + "nice"
_CUE = AUX_PREFIX + "cue"
_ASIDE = AUX_PREFIX + "aside"
_ABOUT = AUX_PREFIX + "about"
_ROLE = AUX_PREFIX + "role"
# "Backend Engineer: Python, ..." in a posting for several roles: what one role needs.
_ROLE_LABEL_TERMS = tuple(
    f"{noun}:"
    for noun in str.split(
        "engineer engineers developer developers scientist scientists designer designers"
        " manager managers architect architects analyst analysts researcher researchers lead"
    )
)
_ABOUT_TERMS = ("about", "who we are", "who is")
# Keys with this prefix name a skill by a word that is often something else ("Go", "Spark"):
# they count only in context (see SkillRecogniser.scan). They nest like skills do.
CONTEXT_PREFIX = "\x01"
# Phrases that contain a skill's name but name something else ("GitHub profile"); they nest
# like skills, so the longer phrase hides the skill, and are then dropped.
_VOID = "\x02void"


class SkillTerms(NamedTuple):
    """One taxonomy skill and the words that name it."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    match_name: bool = True  # False: the name counts only in context ("Go", "Cursor")
    context_aliases: tuple[str, ...] = ()  # aliases that count only in context ("Spark")
    category: str = ""  # the taxonomy's category; a "domain" in a title is not asked for


def skill_terms(taxonomy: Mapping[str, Any]) -> list[SkillTerms]:
    """Read SkillTerms from the parsed taxonomy.json mapping."""
    return [
        SkillTerms(
            skill["slug"],
            skill["name"],
            tuple(skill.get("aliases") or ()),
            skill.get("match_name", True),
            tuple(skill.get("context_aliases") or ()),
            skill.get("category", ""),
        )
        for skill in taxonomy.get("skills", ())
    ]


_Span = tuple[int, int, tuple[str, ...]]
# Per automaton key: (length, keys, check left, check right, plural ok, one char, auxiliary).
_Entry = tuple[int, tuple[str, ...], bool, bool, bool, bool, bool]
# Words that make a one-letter term something else: "Series C", "Plan B", "Type A".
_SINGLE_LETTER_GUARDS = frozenset(
    str.split("series plan type class grade level tier vitamin section round option part phase")
)


def _is_word_char(char: str) -> bool:
    """Letters and digits join words; CJK text has no spaces, so its characters do not."""
    return char.isalnum() and char < "\u2e80"


def _variants(term: str) -> set[str]:
    """Lower-cased spellings of a term: "scikit-learn" also as "scikit learn" and vice versa."""
    base = " ".join(term.lower().split())
    if not base:
        return set()
    variants = {base}
    if "-" in base:
        variants.add(base.replace("-", " "))
    if " " in base:
        variants.add(base.replace(" ", "-"))
    return variants


class TermMatcher:
    """Whole-word, case-insensitive matching of many terms in one Aho-Corasick pass.

    A term is whole-word when the characters around it are not letters or digits; a side of
    the term that is itself punctuation ("C++", ".NET") needs no check, so "C++17" and
    "ASP.NET" match. A trailing "s" is allowed ("GANs", "LLMs"). Where matches nest, the
    longest wins ("React Native" over "React"); keys starting with AUX_PREFIX never take
    part in that.
    """

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        """Index (term, key) pairs; a term shared by several keys reports all of them."""
        keys_by_term: dict[str, set[str]] = {}
        for term, key in terms:
            for variant in _variants(term):
                keys_by_term.setdefault(variant, set()).add(key)
        self.terms = frozenset(term for term, keys in keys_by_term.items() if not _all_aux(keys))
        # One-letter terms ("C", "R") would match inside almost every word and cost a step
        # of the loop below each time: one regex finds them standing alone instead.
        self._singles = {
            term: tuple(sorted(keys))
            for term, keys in keys_by_term.items()
            if len(term) == 1 and _is_word_char(term)
        }
        # Written in capitals ("C", "R") in the original text, which is far rarer than the
        # letter in any case.
        # One regex per letter: a pattern that starts with one literal character is searched
        # for at C speed, a class or a lookbehind is tried at every character.
        self._singles_res = [
            re.compile(re.escape(term.upper()) + "(?![A-Za-z0-9])")
            for term in sorted(self._singles)
        ]
        self._automaton: ahocorasick.Automaton | None = None
        if len(keys_by_term) > len(self._singles):
            automaton = ahocorasick.Automaton()
            for term, keys in keys_by_term.items():
                if term in self._singles:
                    continue
                entry: _Entry = (
                    len(term),
                    tuple(sorted(keys)),
                    _is_word_char(term[0]),
                    _is_word_char(term[-1]),
                    len(term) > 1 and term[-1].isalpha(),
                    len(term) == 1,
                    _all_aux(keys),
                )
                automaton.add_word(term, entry)
            automaton.make_automaton()
            self._automaton = automaton

    def spans(self, low: str, text: str | None = None) -> list[_Span]:
        """Whole-word matches in already lower-cased text as (start, end, keys).

        One-letter terms count only where `text`, the same text before lower-casing, has
        them in capitals.
        """
        if not low:
            return []
        size_of_text = len(low)
        found: list[_Span] = []
        auxiliary: list[_Span] = []
        for single_re in self._singles_res if text is not None else ():
            for match in single_re.finditer(text):
                start = match.start()
                stop = start + 1
                if start and _is_word_char(low[start - 1]):
                    continue
                if stop < size_of_text and _is_word_char(low[stop]):
                    continue
                if _single_letter_ok(low, start, stop):
                    found.append((start, stop, self._singles[low[start]]))
        if self._automaton is None:
            return found
        for end, entry in self._automaton.iter(low):
            size, keys, left, right, plural_ok, single, aux = entry
            start = end - size + 1
            # _is_word_char inlined: most matches are inside longer words, and this check
            # runs for each of them.
            if left and start:
                char = low[start - 1]
                if char.isalnum() and char < "\u2e80":
                    continue
            stop = end + 1
            if right and stop < size_of_text:
                char = low[stop]
                if char.isalnum() and char < "\u2e80":
                    if not (
                        plural_ok
                        and char == "s"
                        and (stop + 1 == size_of_text or not _is_word_char(low[stop + 1]))
                    ):
                        continue
                    stop += 1
            if single and not _single_letter_ok(low, start, stop):
                continue
            (auxiliary if aux else found).append((start, stop, keys))
        if len(found) > 1:
            found = _drop_nested(found)
        return found + auxiliary if auxiliary else found

    def counts(self, text: str) -> dict[str, int]:
        """How often each key's terms occur in the text as whole words."""
        counts: dict[str, int] = {}
        low = text.lower()
        for _start, _stop, keys in self.spans(low, text if len(low) == len(text) else None):
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
        return counts


def _all_aux(keys: Iterable[str]) -> bool:
    """True when every key is auxiliary."""
    return all(key.startswith(AUX_PREFIX) for key in keys)


def _single_letter_ok(low: str, start: int, stop: int) -> bool:
    """Reject "C-level", "R&D", "Series C" for one-letter languages such as C and R."""
    if stop < len(low) and low[stop] in "-&'\u2019":
        return False
    if start and low[start - 1] in "-&":
        return False
    before = low[max(0, start - 12) : start].split()
    return not (before and before[-1] in _SINGLE_LETTER_GUARDS)


def _drop_nested(spans: list[_Span]) -> list[_Span]:
    """Keep the longest match where one sits inside another ("React Native" over "React")."""
    # Matches come in order of their end, so after a stable sort on the start alone those
    # with the same start come shortest first: a longer one replaces the one kept before it.
    spans.sort(key=_start)
    kept: list[_Span] = []
    reach = -1
    for span in spans:
        stop = span[1]
        same_start = kept and kept[-1][0] == span[0]
        # Equal spans from one start: the later one is the longer term, not a plural of a
        # shorter one ("Sass" over "SAS" + "s").
        if stop < reach or (stop == reach and not same_start):
            continue
        if same_start:
            kept[-1] = span
        else:
            kept.append(span)
        reach = stop
    return kept


_start = itemgetter(0)


# Words that make what follows optional, and words that make a line talk about technology.
_NICE_MARKER_TERMS = (
    "nice to have",
    "nice to haves",
    "good to have",
    "good to haves",
    "bonus points",
    "bonus point",
    "bonus if",
    "bonus",
    "a plus",
    "plus if",
    "preferred",
    "preferably",
    "desirable",
    "ideally",
    "not required",
    "advantageous",
    "an advantage",
    "extra credit",
    "strong plus",
    "big plus",
    "huge plus",
    "helps",
    "helpful",
)
_TECH_CUE_TERMS = (
    "framework",
    "library",
    "libraries",
    "tool",
    "tooling",
    "stack",
    "database",
    "platform",
    "language",
    "such as",
    "e.g.",
    "like",
    "including",
)
_BULLET_RE = re.compile(r"^\s*(?:[-*\u2022\u00b7\u25e6\u25aa\u2023\u2013\u2014]|\d{1,2}[.)])\s")
_SECTION_RE = re.compile(
    r"\b(?:requirements?|qualifications?|responsibilit|what\s+you|who\s+you|about|benefits?"
    r"|perks|we\s+offer|compensation|salary|how\s+to\s+apply|the\s+role|the\s+team|you\s+will"
    r"|you'll|must[\s-]haves?|required)\b"
)
_SENTENCE_END_RE = re.compile(r"[.!?;]\s+")
_LEADING_BULLET = " \t-*\u2022\u00b7\u25e6\u25aa\u2023\u2013\u2014"


def _line_starts(lines: list[str]) -> list[int]:
    """Offset of each line in the text the lines were split from."""
    # accumulate() over map() keeps the loop in C: start of line n = sum(len + 1 of lines before).
    return list(accumulate(map((1).__add__, map(len, lines[:-1])), initial=0))


def _real_marker(low: str, start: int, stop: int) -> bool:
    """Plain "bonus" is pay ("annual bonus") unless it heads its line or a colon follows;
    "helps" makes what it follows optional only when it ends the clause ("X helps.")."""
    term = low[start:stop]
    if term in ("helps", "helpful"):
        following = low[stop : stop + 5].lstrip(" ")
        return not following or following[0] in ".,;:!)\n" or following.startswith("but")
    if term not in ("bonus", "bonuses"):
        return True
    line_start = low.rfind("\n", 0, start) + 1
    return not low[line_start:start].strip(_LEADING_BULLET) or low[stop : stop + 1] == ":"


def _introduces_list(line: str) -> bool:
    """A heading or lead-in ("nice to have:", "bonus points") governing the bullets after it."""
    stripped = line.rstrip()
    return stripped.endswith(":") or (len(stripped.split()) <= 8 and not stripped.endswith("."))


def _ends_section(line: str) -> bool:
    """A non-bullet line that starts a new section rather than continuing a nice-to-have list."""
    stripped = line.rstrip()
    return stripped.endswith(":") or len(stripped.split()) > 12 or bool(_SECTION_RE.search(line))


def _sentences(line: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences in a line."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(line):
        bounds.append((start, match.start() + 1))
        start = match.end()
    bounds.append((start, len(line)))
    return bounds


def _bullet_nice(line: str, begin: int, markers: list[int]) -> list[tuple[int, int]]:
    """The nice part of a bullet: a "(… preferred)" aside only, else the whole bullet."""
    ranges: list[tuple[int, int]] = []
    for position in markers:
        offset = position - begin
        opening = line.rfind("(", 0, offset)
        if opening < 0 or ")" in line[opening:offset]:
            return [(begin, begin + len(line))]
        closing = line.find(")", offset)
        closing = len(line) if closing < 0 else closing
        # "(preferred)" on its own speaks for the whole bullet.
        inside = line[opening + 1 : closing].lower().split()
        if not set(inside) - _MARKER_WORDS:
            return [(begin, begin + len(line))]
        ranges.append((begin + opening, begin + closing + 1))
    return ranges


_MARKER_WORDS = frozenset(
    [*" ".join(_NICE_MARKER_TERMS).split(), "strongly", "highly", "very", "is", "are", "but"]
)


def _nice_ranges(low: str, markers: list[int]) -> list[tuple[int, int]]:
    """Character ranges of lower-cased block-per-line text that are nice-to-have.

    A bullet is nice when it carries a marker or follows a lead-in that does ("Nice to
    have:"), until a line that starts a new section; in a paragraph only the sentence with
    the marker is nice.
    """
    lines = low.split("\n")
    starts = _line_starts(lines)
    marked: dict[int, list[int]] = {}
    for position in markers:
        marked.setdefault(bisect_right(starts, position) - 1, []).append(position)
    ranges: list[tuple[int, int]] = []
    in_list = False
    for index, line in enumerate(lines):
        begin = starts[index]
        if _BULLET_RE.match(line):
            if in_list:
                ranges.append((begin, begin + len(line)))
            elif index in marked:
                ranges.extend(_bullet_nice(line, begin, marked[index]))
        elif index in marked:
            for first, last in _sentences(line):
                if any(first <= position - begin < last for position in marked[index]):
                    ranges.append((begin + first, begin + last))
            in_list = _introduces_list(line)
        elif in_list and _ends_section(line):
            in_list = False
        elif in_list:
            ranges.append((begin, begin + len(line)))
    return ranges


# Phrases that hide a skill's name inside something else.
_VOID_TERMS = (
    "github profile",
    "github profiles",
    "github account",
    "github handle",
    "github link",
    "github url",
    "github username",
    "gitlab profile",
    "go to market",
    "go-to-market",
    "go live",
    "on the go",
    "spark joy",
    "spark curiosity",
    # People, not the field: "work with ML scientists".
    "ml scientist",
    "ml scientists",
    "ml engineer",
    "ml engineers",
    "ml team",
    "ml teams",
    "ml researcher",
    "ml researchers",
    "machine learning engineer",
    "machine learning engineers",
    "machine learning scientist",
    "machine learning scientists",
    "ml infrastructure engineer",
)
# Words that open a sentence about technology nobody is asked for: a refused stack, a
# founder's past, a client list. Checked on the sentence only (see _ASIDE_RE).
_ASIDE_TERMS = (
    "not your tech stack",
    "not your stack",
    "please",
    "don't use",
    "do not use",
    "don't want",
    "do not want",
    "don't work with",
    "do not work with",
    "founder",
    "founders",
    "co-founder",
    "co-founders",
    "cofounder",
    "founded by",
    "clients include",
    "customers include",
    "our clients",
    "our customers include",
    "trusted by",
    "partners include",
    "backed by",
    "previously at",
    "previously built",
    "previously led",
    "anywhere",
    "not a fit",
    "migrating",
    "migrate",
    "moving off",
    "moving away",
    "clients such as",
    "customers such as",
    "will not touch",
    "will not need",
    "won't touch",
    "won't need",
)
_REFUSAL_RE = re.compile(
    r"\b(?:no|not|never|without|avoid|non)\b[^.!?\n]{0,80}\bplease\b"
    r"|\bnot\s+(?:your|our|a|the)\s+(?:tech\s+)?stack\b"
    r"|\b(?:don't|do\s+not)\s+(?:use|want|work\s+with)\b"
    r"|\bfound(?:er|ers|ed\s+by)\b|\bco-?founders?\b|\bbacked\s+by\b"
    r"|\b(?:clients|customers|partners)\s+include\b|\bour\s+clients\b|\btrusted\s+by\b"
    r"|\bpreviously\s+(?:at|built|led)\b"
    r"|\bno\s+[^.!?\n]{1,40}\banywhere\b|\bnot\s+a\s+fit\s+if\b"
    r"|\b(?:migrat\w*|moving)\s+(?:\w+\s+)?(?:off|away\s+from)\b"
    r"|\b(?:clients|customers)\s+(?:such\s+as|like|including)\b"
    r"|\b(?:will\s+not|won't|never)\s+(?:touch|need|use)\b"
)
# A heading about the company: what follows describes it, not the role ("About Acme").
_ABOUT_HEADING_RE = re.compile(
    r"^[#* ]*(?:about|who\s+(?:we\s+are|is))\b(?!\s+(?:the\s+)?(?:role|you|job|position"
    r"|opportunity|team|this|what|how|your))",
    re.M,
)
_RawScan = tuple[list[_Span], list[int], list[int], list[int], list[int], list[_Span], list[int]]
_MEMO_SIZE = 8
# How far (characters, same line) another skill may be from a context-only name.
_CONTEXT_REACH = 40
_LONGEST_NAME = 100  # a skill name or alias fits its column (max_length=100)
# "experience with Ray", "written in Go": what follows is named as a skill.
_CONTEXT_CUE_RE = re.compile(
    r"\b(?:experience|familiar(?:ity)?|knowledge|proficien(?:t|cy)|expertise|fluen(?:t|cy)"
    r"|skilled|comfortable|written|built|services)\s+(?:with|in|of|on)\s+(?:\w+\s+)?$",
    re.I,
)
_LIST_ITEM_WORDS = 5
_FIELD_CATEGORIES = frozenset(("domain",))


def _sentence_bounds(low: str, position: int) -> tuple[int, int]:
    """The sentence (within its line) around a position."""
    # Lines are whitespace-collapsed, so a sentence ends at ". " and the like: a few
    # searches for those are cheaper than a regex over a long paragraph.
    # Within a window: a paragraph can be a long line, a sentence is rarely that long.
    line_start = max(low.rfind("\n", 0, position) + 1, position - _SENTENCE_REACH)
    line_end = low.find("\n", position, position + _SENTENCE_REACH)
    if line_end < 0:
        line_end = min(len(low), position + _SENTENCE_REACH)
    first = line_start
    last = line_end
    for end in _SENTENCE_ENDS:
        before = low.rfind(end, line_start, position)
        if before >= 0 and before + 2 > first:
            first = before + 2
        after = low.find(end, position, line_end)
        if 0 <= after < last:
            last = after + 1
    return first, last


_SENTENCE_ENDS = (". ", "! ", "? ", "; ")
_SENTENCE_REACH = 400


def _about_ranges(low: str, starts: list[int]) -> list[tuple[int, int]]:
    """Sections headed "About <company>": from the heading to the next heading-like line.

    `starts` are the offsets of the lines that begin with "about" or "who we are".
    """
    ranges: list[tuple[int, int]] = []
    reach = 0
    for begin in starts:
        if begin < reach or not _ABOUT_HEADING_RE.match(low, begin):
            continue
        line_end = low.find("\n", begin)
        if line_end < 0:
            break
        if not _is_heading(low[begin:line_end]):
            continue
        # The section runs to the next heading-like line.
        stop = len(low)
        position = line_end + 1
        while position < len(low):
            following = low.find("\n", position)
            following = len(low) if following < 0 else following
            if _is_heading(low[position:following]):
                stop = position
                break
            position = following + 1
        ranges.append((begin, stop))
        reach = stop
    return ranges


def _is_heading(line: str) -> bool:
    """A short line that is not a bullet and not a sentence."""
    # Counting spaces first spares splitting every long paragraph into words.
    return (
        line.count(" ") <= 8
        and bool(line.strip())
        and len(line.split()) <= 6
        and not _BULLET_RE.match(line)
        and not line.rstrip().endswith(".")
    )


def _drop_set_aside(
    low: str, skills: list[_Span], asides: list[int], abouts: list[int]
) -> list[_Span]:
    """Skills outside sentences about someone else's or a refused stack, and outside
    "About <company>" sections."""
    ranges: list[tuple[int, int]] = []
    for position in asides:
        first, last = _sentence_bounds(low, position)
        if _REFUSAL_RE.search(low, first, last):
            if low[last - 1 : last] in ("?", ":"):
                # "Not your tech stack?" / "Our clients:" lead in to what follows on the line.
                line_end = low.find("\n", last)
                last = len(low) if line_end < 0 else line_end
            ranges.append((first, last))
    if abouts:
        ranges.extend(_about_ranges(low, abouts))
    if not ranges:
        return skills
    ranges.sort()
    firsts = [first for first, _last in ranges]
    # Ranges may overlap; the furthest end among those starting at or before each one.
    reaches = list(accumulate((last for _first, last in ranges), max))
    kept = []
    for span in skills:
        index = bisect_right(firsts, span[0]) - 1
        if index < 0 or span[0] >= reaches[index]:
            kept.append(span)
    return kept


def _drop_other_roles(low: str, skills: list[_Span], roles: list[int], title: str) -> list[_Span]:
    """Skills outside lines labelled with another role than `title` ("Founding Engineer:"),
    when the text labels lines with two roles or more; `roles` are the labels' colons."""
    labelled: list[tuple[str, int, int]] = []
    for colon in roles:
        line_start = low.rfind("\n", 0, colon) + 1
        label = low[line_start : colon - 1].strip(_LEADING_BULLET)
        if not label or label.count(" ") > 6:
            continue
        line_end = low.find("\n", colon)
        labelled.append((label, line_start, len(low) if line_end < 0 else line_end))
    if len({label for label, _start, _end in labelled}) < 2:
        return skills
    others = [
        (first, last)
        for label, first, last in labelled
        if label not in title and title not in label
    ]
    if not others:
        return skills
    return [span for span in skills if not any(a <= span[0] < b for a, b in others)]


class SkillRecogniser:
    """Find taxonomy skills in text; build once per run, reuse for every role."""

    def __init__(self, skills: Iterable[SkillTerms]) -> None:
        """Index every alias and the name; ambiguous ones count only in context."""
        pairs: list[tuple[str, str]] = []
        # Spellings of the context-only terms as written: one counts only in that case.
        self._context_forms: set[str] = set()
        self._fields: set[str] = set()
        for skill in skills:
            if skill.category in _FIELD_CATEGORIES:
                self._fields.add(skill.slug)
            context_key = CONTEXT_PREFIX + skill.slug
            if skill.match_name:
                pairs.append((skill.name, skill.slug))
            else:
                pairs.append((skill.name, context_key))
                self._context_forms.add(skill.name)
            pairs.extend((alias, skill.slug) for alias in skill.aliases if alias)
            for alias in skill.context_aliases:
                if alias:
                    pairs.append((alias, context_key))
                    self._context_forms.add(alias)
        pairs.extend((term, _MARKER) for term in _NICE_MARKER_TERMS)
        pairs.extend((term, _CUE) for term in _TECH_CUE_TERMS)
        pairs.extend((term, _ASIDE) for term in _ASIDE_TERMS)
        pairs.extend((term, _ABOUT) for term in _ABOUT_TERMS)
        pairs.extend((term, _ROLE) for term in _ROLE_LABEL_TERMS)
        pairs.extend((term, _VOID) for term in _VOID_TERMS)
        self._matcher = TermMatcher(pairs)
        # The last few texts' raw findings: a role's requirements are read for its skills
        # and again for unknown terms.
        self._memo: dict[str, _RawScan] = {}

    def _in_context(
        self,
        text: str,
        start: int,
        stop: int,
        neighbours: list[tuple[int, int]],
        plain: list[int],
    ) -> bool:
        """Whether a name written as the taxonomy writes it reads as the skill here: it is a
        list item of its own ("- Temporal"), follows "experience with", stands beside another
        skill ("Go, Rust"), or sits mid-sentence in a line that names another skill."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", stop)
        line_end = len(text) if line_end < 0 else line_end
        line = text[line_start:line_end]
        item = line.strip(_LEADING_BULLET + ".,;:")
        # A list item that is the name, or starts with it ("- Go, for our gateway").
        if item == text[start:stop] or (
            item.startswith(text[start:stop]) and item[stop - start : stop - start + 1] in ",:("
        ):
            return True
        if _CONTEXT_CUE_RE.search(text, max(line_start, start - 40), start):
            return True
        # A short line ("- Rust") is an item of a list: the next or last item is context too.
        listed = line.count(" ") < _LIST_ITEM_WORDS
        # Only names that start within reach can be close enough.
        index = bisect_left(neighbours, (start - _CONTEXT_REACH - _LONGEST_NAME,))
        for first, last in neighbours[index:]:
            if first > stop + _CONTEXT_REACH:
                break
            if first == start:
                continue
            gap = text[last:start] if last <= start else text[stop:first]
            # Two names side by side with nothing between are one name ("Spark Payments").
            if len(gap) <= _CONTEXT_REACH and gap.strip() and (listed or "\n" not in gap):
                return True
        before = text[line_start:start].rstrip(" ")
        initial = not before.strip(_LEADING_BULLET) or before[-1] in ".!?"
        if initial:
            return False
        index = bisect_left(plain, line_start)
        return index < len(plain) and plain[index] < line_end

    def _raw_scan(self, low: str, text: str | None) -> _RawScan:
        """The automaton's findings sorted by kind, before any judgement of context."""
        skills: list[_Span] = []
        markers: list[int] = []
        cues: list[int] = []
        asides: list[int] = []
        abouts: list[int] = []
        roles: list[int] = []
        contextual: list[_Span] = []
        for start, stop, keys in self._matcher.spans(low, text):
            first = keys[0]
            if first < " ":
                if _MARKER in keys and _real_marker(low, start, stop):
                    markers.append(start)
                if _CUE in keys:
                    cues.append(start)
                if _ASIDE in keys:
                    asides.append(start)
                if _ROLE in keys:
                    roles.append(stop)
                if _ABOUT in keys:
                    # Only a line that opens with it can head a section.
                    line_start = low.rfind("\n", 0, start) + 1
                    if not low[line_start:start].strip("#* "):
                        abouts.append(line_start)
                if first.startswith(CONTEXT_PREFIX) or _VOID in keys:
                    plain = tuple(key for key in keys if key[0] >= " ")
                    if _VOID not in keys:
                        contextual.append((start, stop, keys))
                    if plain:
                        skills.append((start, stop, plain))
                    continue
                keys = tuple(key for key in keys if key[0] >= " ")
                if not keys:
                    continue
            skills.append((start, stop, keys))
        return skills, markers, cues, asides, abouts, contextual, roles

    def scan(
        self, low: str, text: str | None = None, *, judged: bool = True, title: str = ""
    ) -> tuple[list[_Span], list[int], list[int]]:
        """One pass over lower-cased text: (skill spans, marker positions, cue positions).

        `text` is the text before lower-casing (same length); without it context-only
        names are never counted. judged=False skips what only requirements need (context,
        set-aside sentences) and keeps every plain name: enough to mask known terms. With
        `title`, lines that speak for another of several roles ("Founding Engineer: ...")
        are set aside.
        """
        # Keyed by the text as written: one-letter and context-only names depend on its case.
        raw = self._memo.get(text) if text is not None else None
        if raw is None:
            raw = self._raw_scan(low, text)
            if text is not None:
                if len(self._memo) >= _MEMO_SIZE:
                    self._memo.clear()
                self._memo[text] = raw
        skills, markers, cues, asides, abouts, contextual, roles = raw
        if not judged:
            return skills, markers, cues
        # A context-only name counts only when written as the taxonomy writes it ("Go", not
        # "go"), and then only in context (see _in_context).
        forms = self._context_forms
        written = (
            [
                span
                for span in contextual
                if text[span[0] : span[1]] in forms or text[span[0] : span[1] - 1] in forms
            ]
            if contextual and text is not None
            else None
        )
        if written:
            plain = [span[0] for span in skills]
            # Plain and context-only names alike are context for one another.
            neighbours = sorted([(span[0], span[1]) for span in skills + written])
            found = [
                (start, stop, tuple(key[1:] for key in keys if key.startswith(CONTEXT_PREFIX)))
                for start, stop, keys in written
                if self._in_context(text, start, stop, neighbours, plain)
            ]
            if found:
                # A new list: the memo's stays as the automaton found it.
                skills = sorted(skills + found, key=_start)
        if asides or abouts:
            skills = _drop_set_aside(low, skills, asides, abouts)
        if title and len(roles) > 1:
            skills = _drop_other_roles(low, skills, roles, title.lower())
        return skills, markers, cues

    def scan_plain(self, text: str) -> tuple[list[_Span], list[int], list[int]]:
        """scan(judged=False) of text as written, nothing where lower-casing changes its
        length (the positions would no longer line up)."""
        # A text scanned before is not lower-cased again; an ASCII one keeps its length.
        if text in self._memo and text.isascii():
            return self._memo[text][:3]
        low = text.lower()
        if len(low) != len(text):
            return [], [], []
        return self.scan(low, text, judged=False)

    def find(self, text: str) -> dict[str, int]:
        """Occurrences of each skill slug in the text (whole words, any case)."""
        counts: dict[str, int] = {}
        for _start, _stop, keys in self.scan(text.lower(), text)[0]:
            for key in keys:
                counts[key] = counts.get(key, 0) + 1
        return counts

    def knows(self, term: str) -> bool:
        """True when the whole term is a skill name or alias."""
        low = " ".join(term.lower().split())
        terms = self._matcher.terms
        # A match covering the whole string is the term itself or its plural.
        return low in terms or (len(low) > 2 and low[-1] == "s" and low[:-1] in terms)

    def _kinds(self, text: str, title: str = "") -> tuple[set[str], set[str]]:
        """(required slugs, nice slugs) in one block-per-line text."""
        low = text.lower()
        skills, markers, _cues = self.scan(
            low, text if len(low) == len(text) else None, title=title
        )
        if not markers:
            return {key for _start, _stop, keys in skills for key in keys}, set()
        ranges = _nice_ranges(low, markers)
        range_starts = [first for first, _last in ranges]
        required: set[str] = set()
        nice: set[str] = set()
        for start, _stop, keys in skills:
            index = bisect_right(range_starts, start) - 1
            is_nice = index >= 0 and start < ranges[index][1]
            (nice if is_nice else required).update(keys)
        return required, nice

    def recognise(
        self,
        title: str,
        description_text: str,
        requirements_text: str = "",
        nice_text: str = "",
    ) -> dict[str, str]:
        """Map skill slug -> "required" | "nice"; a skill found in both counts as required.

        description_text and requirements_text are block-per-line text (html_to_lines joined
        with newlines) so that bullets under a "Nice to have" heading can be told apart.
        """
        # A title's domain names the business ("Payments API"), not a skill asked for.
        required = set(self.find(title)) - self._fields
        nice = set(self.find(nice_text)) if nice_text else set()
        for text in (description_text, requirements_text):
            if text:
                text_required, text_nice = self._kinds(text, title)
                required |= text_required
                nice |= text_nice
        kinds = dict.fromkeys(nice - required, NICE)
        kinds.update(dict.fromkeys(required, REQUIRED))
        return dict(sorted(kinds.items()))


# Unknown-term heuristic (candidate_terms):
# - a source tag that is not a skill name/alias and not a generic job word;
# - in a requirement line, a token that looks technical on its own: inner capitals
#   ("LangChain", "vLLM", "MLflow"), letters mixed with digits ("Llama3", "H100"),
#   or dots/+/# inside ("Next.js", "F#");
# - in a technical line (one that names a known skill or a technical token, or talks about
#   "frameworks / libraries / tools / databases ... such as / like / including"), also a
#   mid-sentence Capitalised word ("Mamba", "Pinecone") or acronym ("RLHF"), minus a stop list.
# Tokens with no capital, digit, "+" or "#" are never candidates: written that way they are
# ordinary words far more often than product names. Known skills are masked first; each term
# counts once per role.
_CANDIDATE_RE = re.compile(
    r"(?<![\w.+#@/-])(?=[\w.\-]*[A-Z0-9+#])[^\W\d_][^\W_]*(?:[.\-][^\W_]+)*[+#]*"
)
# An address is matched from the start of its word only: tried inside a long word without an
# "@", each attempt would scan the rest of the word (quadratic time).
_URL_EMAIL_RE = re.compile(r"https?://\S+|www\.\S+|(?<!\S)\S+@\S+")
_CAMEL_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]{2}")
_DIGIT_RE = re.compile(r"\d")
_CAPITALISED_RE = re.compile(r"[A-Z][a-z]{2,}")
_ACRONYM_RE = re.compile(r"[A-Z]{2,6}s?")
_SUFFIX_RE = re.compile(
    r"-(?:style|based|like|powered|native|driven|compatible|first|specific|related|level"
    r"|scale|grade|ready|aware|enabled|centric|focused|heavy)$",
    re.I,
)
_SENTENCE_START = frozenset(".!?:;*-\u2022\u2013\u2014(\n")
STOP_WORDS = frozenset(
    str.split(
        """
    a an and are as at be but by can do for from has have in into is it its of on or our so
    such that the their these this those to we with you your will would should must may etc
    experience experienced strong knowledge familiarity familiar proficiency proficient ability
    excellent good great solid deep hands understanding background expertise expert working
    bachelor bachelors master masters degree phd msc bsc computer science engineering
    mathematics math statistics physics english french german spanish team teams senior junior
    lead staff principal years year plus bonus preferred required nice including like equivalent
    related field fields production systems system software data models model machine learning
    cloud platform platforms tools tooling frameworks framework libraries library languages
    language services service applications application infrastructure products product
    research startup company customers customer industry environment remote hybrid office full
    time part contract api apis sdk ui ux us uk eu usa ai ml bs ms ba cs ee gpa ceo cto cfo vp
    hr pto faang saas b2b b2c kpi kpis okr okrs roi qa it ios llc inc ltd gmbh covid covid-19
    401k h1b h-1b w2 e.g i.e macbook iphone ipad linkedin youtube wework mckinsey ph.d
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday scale design architecture
    building build develop development deploy deployment training inference pipeline pipelines
    evaluation testing open source open-source best practices agile scrum jira confluence
    slack notion google microsoft amazon apple meta netflix
    """
    )
)
_GENERIC_TAGS = frozenset(
    str.split(
        """
    remote hybrid onsite on-site full-time full time fulltime part-time part time contract
    contractor freelance internship intern temporary permanent senior junior mid lead staff
    principal manager director executive engineering engineer engineers developer developers
    software tech technology design product marketing sales operations other jobs job hiring
    startup startups it ai ml data research science dev non-tech entry level
    """
    )
)


# The same tokens come back role after role ("Python", "AWS", "Kubernetes"): a hit is
# cheaper than the two searches below.
@lru_cache(maxsize=16384)
def _looks_technical(token: str) -> bool:
    """Inner capitals, letters with digits, or dots/+/# inside a word."""
    if _CAMEL_RE.search(token):
        return True
    if _DIGIT_RE.search(token):
        letters = sum(c.isalpha() for c in token)
        return letters >= 1 and len(token) >= 3
    if "." in token:
        parts = token.split(".")
        # "e.g", "U.S", "Ph.D", "B.Sc" are abbreviations, "Next.js" is not.
        return len(parts[0]) > 1 and any(len(part) > 2 for part in parts)
    return token.endswith(("+", "#"))


def _mask(text: str, spans: list[_Span]) -> str:
    """Blank out known skills so their parts ("CI" of "CI/CD") are not reported."""
    pieces: list[str] = []
    last = 0
    for start, stop, _keys in sorted(spans):
        if start < last:
            continue
        pieces.append(text[last:start])
        pieces.append(" " * (stop - start))
        last = stop
    pieces.append(text[last:])
    return "".join(pieces)


def _tag_candidate(tag: str, recogniser: SkillRecogniser) -> str | None:
    """The tag as a candidate term, or None when it is known, generic or not a term."""
    term = " ".join(tag.split()).strip(" .,;:")
    if (
        not term
        or len(term) > 40
        or len(term.split()) > 4
        or not any(c.isalpha() for c in term)
        or term.lower() in _GENERIC_TAGS
        or term.lower() in STOP_WORDS
        or "$" in term
        or recogniser.knows(term)
    ):
        return None
    return term


_BULLET_LINES: dict[str, re.Pattern[str]] = {}


def _bullet_lines(bullet: str) -> re.Pattern[str]:
    """A pattern for the whole lines that start with `bullet`."""
    pattern = _BULLET_LINES.get(bullet)
    if pattern is None:
        pattern = _BULLET_LINES[bullet] = re.compile(f"^{re.escape(bullet)}[^\n]*", re.M)
    return pattern


def role_candidate_terms(
    description: str,
    sections: Iterable[str],
    tags: Iterable[str],
    recogniser: SkillRecogniser,
    *,
    bullet: str,
) -> Counter[str]:
    """candidate_terms over the description's bullet lines (starting with `bullet`) and the
    whole of each section, reusing what recognise found in those same texts."""
    pieces: list[str] = []
    spans: list[_Span] = []
    cues: list[int] = []
    offset = 0
    for part, bullets_only in ((description, True), *((section, False) for section in sections)):
        if not part:
            continue
        found, _markers, part_cues = recogniser.scan_plain(part)
        if not bullets_only:
            spans.extend([(start + offset, stop + offset, keys) for start, stop, keys in found])
            cues.extend([cue + offset for cue in part_cues])
            pieces.append(part)
            offset += len(part) + 1
            continue
        starts = [span[0] for span in found]
        part_cues = sorted(part_cues)
        # One regex finds the bullet lines, where a loop in Python would visit every line.
        for match in _bullet_lines(bullet).finditer(part):
            line_start, line_end = match.span()
            line = match.group()
            shift = offset - line_start
            first = bisect_left(starts, line_start)
            last = bisect_left(starts, line_end, first)
            if first < last:
                spans.extend(
                    [(start + shift, stop + shift, keys) for start, stop, keys in found[first:last]]
                )
            first = bisect_left(part_cues, line_start)
            last = bisect_left(part_cues, line_end, first)
            if first < last:
                cues.extend([cue + shift for cue in part_cues[first:last]])
            pieces.append(line)
            offset += len(line) + 1
    return candidate_terms("\n".join(pieces), tags, recogniser, scanned=(spans, cues))


def candidate_terms(
    text: str,
    tags: Iterable[str],
    recogniser: SkillRecogniser,
    *,
    scanned: tuple[list[_Span], list[int]] | None = None,
) -> Counter[str]:
    """Skill-like terms not in the taxonomy, each counted once, for curators to review.

    `scanned` is (skill spans, cue positions) of the text when the caller has them.
    """
    found: Counter[str] = Counter()
    for tag in tags:
        term = _tag_candidate(tag, recogniser)
        if term:
            found[term] = 1
    if not text.strip():
        return found
    if scanned is not None:
        skills, cues = scanned
    else:
        skills, _markers, cues = recogniser.scan_plain(text)
    masked = _mask(text, skills) if skills else text
    if "@" in masked or "http" in masked or "www." in masked:
        masked = _URL_EMAIL_RE.sub(lambda m: " " * len(m.group()), masked)
    line_starts = _line_starts(text.split("\n"))
    technical = {bisect_right(line_starts, start) - 1 for start, _stop, _keys in skills}
    technical.update(bisect_right(line_starts, start) - 1 for start in cues)
    tokens: list[tuple[str, int, bool]] = []
    for match in _CANDIDATE_RE.finditer(masked):
        token = match.group()
        if "-" in token:  # every suffix starts with one; most tokens have none
            token = _SUFFIX_RE.sub("", token)
        if token.lower() in STOP_WORDS:
            continue
        line = bisect_right(line_starts, match.start()) - 1
        if _looks_technical(token):
            technical.add(line)
            tokens.append((token, line, True))
            continue
        before = match.start() - 1
        while before >= 0 and masked[before] in " \t":
            before -= 1
        if before >= 0 and masked[before] not in _SENTENCE_START:
            tokens.append((token, line, False))
    for token, line, strong in tokens:
        if token in found:
            continue
        weak = (
            not strong
            and line in technical
            and bool(_CAPITALISED_RE.fullmatch(token) or _ACRONYM_RE.fullmatch(token))
        )
        if (strong or weak) and not recogniser.knows(token):
            found[token] = 1
    return found
