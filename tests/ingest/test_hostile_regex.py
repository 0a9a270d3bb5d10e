"""Every risky pattern in the parsers and the normaliser, on the input that makes it backtrack.

Each case runs in a subprocess with a time limit: a pattern that backtracks exponentially or
quadratically on untrusted text would hold the worker, and a test in-process would never end.
Found by trying every compiled pattern in ingest/parsers and ingest/normalise on runs of
spaces, tags, comments and long words; the patterns not listed here were linear on all of them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests import paths

N = 400_000
CASES = {
    # parsers/common._HTML_TAG: "<" and a long run of spaces
    "html tag": (
        "from opportunities.ingest.parsers.common import looks_like_html",
        f"looks_like_html('<' + ' ' * {N} + '!')",
    ),
    "html tag with a name": (
        "from opportunities.ingest.parsers.common import looks_like_html",
        f"looks_like_html('<a' + ' ' * {N})",
    ),
    # normalise/locations._SPLIT_PIECES_RE and _SPLIT_SEGMENTS_RE: runs of white space
    "location pieces": (
        "from opportunities.ingest.normalise.locations import parse_locations",
        f"parse_locations(['Berlin' + ' ' * {N} + 'x'])",
    ),
    "location segments": (
        "from opportunities.ingest.normalise.locations import parse_locations",
        f"parse_locations(['\\n \\n' * {N // 3}])",
    ),
    # normalise/skills._URL_EMAIL_RE: one long word without an "@"
    "addresses": (
        "from opportunities.ingest.normalise.skills import SkillRecogniser, candidate_terms",
        f"candidate_terms('<p><br>' * {N // 7}, [], SkillRecogniser([]))",
    ),
    # normalise/sanitise._LI_RE, _BLOCK_RE, _TAG_RE: unclosed tags and comments
    "unclosed list items": (
        "from opportunities.ingest.normalise.sanitise import html_to_lines",
        f"html_to_lines('<li' * {N // 3}, sanitised=True)",
    ),
    "unclosed blocks": (
        "from opportunities.ingest.normalise.sanitise import html_to_lines",
        f"html_to_lines('<p' * {N // 2}, sanitised=True)",
    ),
    "unclosed comments": (
        "from opportunities.ingest.normalise.sanitise import html_to_lines",
        f"html_to_lines('<!-' * {N // 3}, sanitised=True)",
    ),
    # parsers/hn: links without an end, spaces before an obfuscated "AT", a first line of
    # thousands of comma-separated roles
    "hn links": (
        "from opportunities.ingest.parsers.hn import _links",
        f"_links('<a ' * {N // 3} + '<a href=\"' + 'x' * {N})",
    ),
    "hn addresses": (
        "from opportunities.ingest.parsers.hn import _deobfuscate",
        f"_deobfuscate('x' + ' ' * {N} + 'at ' + '[' * {N} + ' dot ' * {N // 5})",
    ),
    "hn first line": (
        "import io, json; from opportunities.ingest.parsers.hn import parse",
        "list(parse(io.BytesIO(json.dumps({'id': 1, 'children': [{'id': 2, 'text': "
        f"'Acme | ' + 'Engineer, ' * {N // 10} + '|' + 'x |' * {N // 3}}}]}}).encode())))",
    ),
    # parsers/jsonld._CHARSET: meta tags without a closing ">"
    "meta charset": (
        "from opportunities.ingest.parsers.jsonld import _decode",
        "_decode(b'\\xff' + b'<meta ' * 800)",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_pathological_input_is_handled_quickly(case: str) -> None:
    imports, call = CASES[case]
    script = textwrap.dedent(
        f"""
        {imports}
        {call}
        print("done")
        """
    )

    finished = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        cwd=paths.ROOT,
        timeout=60,  # linear patterns take a second or two here; quadratic ones, many minutes
        check=False,
    )

    assert finished.stdout.decode().strip() == "done", finished.stderr.decode()[-2000:]
