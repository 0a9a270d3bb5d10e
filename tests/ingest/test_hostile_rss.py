"""Hostile RSS: entity declarations in any encoding, and a tail that made a pattern backtrack."""

from __future__ import annotations

import codecs
import io
import subprocess
import sys
import textwrap

import pytest

from opportunities.ingest.parsers import rss
from opportunities.ingest.parsers.records import FeedError, RawRole
from tests import paths

FEED = (paths.FIXTURES / "rss" / "weworkremotely.rss").read_text()
BOMB = textwrap.dedent(
    """\
    <!DOCTYPE rss [
    <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
    <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
    ]>
    <rss version="2.0"><channel><title>Jobs</title>
    <item><title>Engineer</title><guid>1</guid><description>&c;&c;&c;</description></item>
    </channel></rss>
    """
)


def read(data: bytes) -> list:
    return list(rss.parse(io.BytesIO(data)))


def _declared(encoding: str) -> str:
    return BOMB.replace("<!DOCTYPE", f'<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE', 1)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(BOMB.encode(), id="utf-8"),
        pytest.param(_declared("utf-7").encode("utf-7"), id="utf-7"),
        pytest.param(BOMB.encode("utf-32-be"), id="utf-32-be-without-bom"),
        pytest.param(BOMB.encode("utf-32-le"), id="utf-32-le-without-bom"),
        pytest.param(_declared("cp037").encode("cp037"), id="cp037"),
        pytest.param(codecs.BOM_UTF16_LE + BOMB.encode("utf-16-le"), id="utf-16"),
    ],
)
def test_entity_declarations_are_refused_whatever_the_encoding(data: bytes) -> None:
    with pytest.raises(FeedError, match="declares XML entities"):
        read(data)


def test_a_doctype_with_an_internal_subset_is_refused() -> None:
    feed = FEED.replace("<rss", '<!DOCTYPE rss [ <!ATTLIST item x CDATA "y"> ]>\n<rss', 1)

    with pytest.raises(FeedError, match="DTD"):
        read(feed.encode())


def test_a_public_doctype_without_declarations_is_read() -> None:
    feed = FEED.replace(
        "<rss",
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss',
        1,
    )

    assert any(isinstance(item, RawRole) for item in read(feed.encode()))


def test_comments_and_processing_instructions_after_the_root_are_allowed() -> None:
    feed = FEED.rstrip() + "\n<!-- generated -->\n<?cache done?>\n<!---->  \n"

    assert any(isinstance(item, RawRole) for item in read(feed.encode()))


def test_text_after_the_trailing_comments_is_a_cut_off_feed() -> None:
    with pytest.raises(FeedError, match="closing tag"):
        read((FEED.rstrip() + "<!---->" * 3 + "x").encode())


_CLOSING_CHECK = textwrap.dedent(
    """
    import io, sys
    from opportunities.ingest.parsers import rss
    from opportunities.ingest.parsers.records import FeedError
    try:
        list(rss.parse(io.BytesIO(sys.stdin.buffer.read())))
    except FeedError as exc:
        print(exc)
    """
)


def test_a_run_of_empty_comments_and_a_stray_character_ends_quickly() -> None:
    # With the old pattern, 26 repeats took 5.7 s and 40 did not finish in 90 s.
    data = (FEED.rstrip() + "<!---->" * 40 + "x").encode()

    finished = subprocess.run(
        [sys.executable, "-c", _CLOSING_CHECK],
        input=data,
        capture_output=True,
        cwd=paths.ROOT,
        timeout=30,
        check=False,
    )

    assert "closing tag" in finished.stdout.decode()
