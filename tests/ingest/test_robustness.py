"""The hostile feeds of the robustness review, each run through the whole ingest service.

Every case runs `source_ingest` in a forked child under an address-space limit (what the
child already maps plus 512 MB) and an alarm, on whichever database the suite runs on, and
checks what a curator would: the run ended (succeeded or failed, never left running) with a
reason, the hostile item or feed was refused or recorded, its siblings were stored whole,
nothing was half written, and the child's resident memory grew by at most 300 MB.

The child does its own checks (on SQLite the test database lives in the parent's memory, and
a forked child writes to its own copy of it) and sends the outcome back through a pipe.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import resource
import signal
import socket
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from opportunities.ingest.run import source_ingest
from opportunities.models import Company, IngestRun, Role, RoleSkill, Source
from opportunities.text import text_clean
from tests import paths
from tests.ingest.boards import job

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024
MEMORY_LIMIT = 512 * MB  # beyond what the child maps when it starts
PEAK_ALLOWED = 300 * MB
SECONDS = 60


def _status_value(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(name)


def in_child(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """check() in a forked child under the memory and time limits; its outcome, with the
    growth of the child's peak resident memory as "grown"."""
    connections.close_all()  # the child opens its own (an in-memory SQLite is kept)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        outcome: dict[str, Any]
        try:
            os.close(reader)
            Path("/proc/self/clear_refs").write_text("5")  # the peak starts from here
            start = _status_value("VmRSS")
            limit = _status_value("VmSize") + MEMORY_LIMIT
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            signal.alarm(SECONDS)
            outcome = check()
            outcome["grown"] = _status_value("VmHWM") - start
        except BaseException as exc:  # reported to the parent, which fails the test
            outcome = {"crashed": repr(exc)[:2000]}
        with os.fdopen(writer, "w") as pipe:
            json.dump(outcome, pipe)
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader) as pipe:
        sent = pipe.read()
    _, status = os.waitpid(pid, 0)
    died = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"status {status}"
    assert sent, f"the child died ({died})"
    outcome = json.loads(sent)
    assert "crashed" not in outcome, outcome["crashed"]
    assert outcome["grown"] <= PEAK_ALLOWED, f"grew {outcome['grown'] / MB:.0f} MB"
    return outcome


def ingest_in_child(kind: str, location: str) -> dict[str, Any]:
    """Ingest a new Source of this kind in a child; the run and the stored roles, as data.
    The Source names its company, as a Lever board's must (its postings do not)."""

    def check() -> dict[str, Any]:
        company = Company.objects.create(name="Acme AI", slug="acme-ai")
        source = Source.objects.create(
            name=f"Hostile {kind}", kind=kind, location=location, company=company
        )
        run = source_ingest(source=source, allow_local_files=True)
        run.refresh_from_db()
        roles = Role.objects.filter(source=source)
        half_written = [
            role.external_id
            for role in roles
            if sorted(RoleSkill.objects.filter(role=role).values_list("skill_id", flat=True))
            != sorted(role.skill_ids)
        ]
        return {
            "status": run.status,
            "message": run.message,
            "created": run.created,
            "rejected": run.rejected,
            "errors": run.errors,
            "external_ids": sorted(roles.values_list("external_id", flat=True)),
            "titles": sorted(roles.values_list("title", flat=True)),
            "descriptions_longest": max((len(role.description) for role in roles), default=0),
            "posted": sorted(str(role.posted_at) for role in roles),
            "half_written": half_written,
        }

    outcome = in_child(check)
    assert outcome["status"] in (IngestRun.Status.SUCCEEDED, IngestRun.Status.FAILED)
    assert outcome["half_written"] == []
    if outcome["status"] == IngestRun.Status.FAILED:
        assert outcome["message"] and text_clean(outcome["message"]) == outcome["message"]
    for error in outcome["errors"]:
        assert error["reason"] and text_clean(error["reason"]) == error["reason"]
    return outcome


def _feed(tmp_path: Path, data: bytes, name: str = "feed") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _board(*items: str) -> bytes:
    """A Greenhouse board from items given as raw JSON text (some of it not json.dumps')."""
    return b'{"jobs": [' + ",".join(items).encode("utf-8", "surrogatepass") + b"]}"


def _ok(number: int) -> str:
    return json.dumps(job(number))


# -- bounded memory ------------------------------------------------------------------------


def test_stacked_gzip_layers_are_refused_in_bounded_memory(skills, httpserver, settings):
    settings.INGEST_ALLOW_LOOPBACK = True
    inner = zlib.compress(b" " * (300 * MB), 9)  # one layer would already pass the cap
    body = gzip.compress(gzip.compress(inner))
    httpserver.expect_request("/feed").respond_with_data(
        body, headers={"Content-Encoding": "gzip, gzip"}, content_type="application/json"
    )

    outcome = ingest_in_child("greenhouse", httpserver.url_for("/feed"))

    assert outcome["status"] == IngestRun.Status.FAILED
    assert outcome["created"] == 0


def test_a_single_gzip_bomb_stops_at_the_size_cap(skills, httpserver, settings):
    settings.INGEST_ALLOW_LOOPBACK = True
    settings.INGEST_MAX_BYTES = 5 * MB
    body = gzip.compress(b'{"jobs": [' + b" " * (400 * MB) + b"]}", 9)
    httpserver.expect_request("/feed").respond_with_data(
        body, headers={"Content-Encoding": "gzip"}, content_type="application/json"
    )

    outcome = ingest_in_child("greenhouse", httpserver.url_for("/feed"))

    assert outcome["status"] == IngestRun.Status.FAILED
    assert "MB" in outcome["message"] or "large" in outcome["message"]


@pytest.mark.parametrize("kind", ["greenhouse", "lever"])
def test_an_item_nested_50_000_deep_costs_that_item(skills, tmp_path, kind):
    deep = "[" * 50_000 + "]" * 50_000
    if kind == "greenhouse":
        hostile = json.dumps(job(2, content="@@")).replace('"@@"', deep)
        data = _board(_ok(1), hostile, _ok(3))
    else:
        lever = json.loads((paths.FIXTURES / "lever" / "postings.json").read_text())
        first = json.dumps(lever[0])
        hostile = json.dumps(dict(lever[0], id="deep", text="@@")).replace('"@@"', deep)
        data = f"[{first}, {hostile}]".encode()

    outcome = ingest_in_child(kind, _feed(tmp_path, data))

    assert outcome["status"] == IngestRun.Status.SUCCEEDED
    assert outcome["rejected"] == 1, outcome["errors"]
    assert len(outcome["external_ids"]) == (2 if kind == "greenhouse" else 1), outcome


@pytest.mark.parametrize("encoding", ["utf-7", "utf-32-be", "cp037"])
def test_entity_declarations_in_any_encoding_are_refused(skills, tmp_path, encoding):
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        '<rss version="2.0"><channel><title>Jobs</title><item><title>Engineer</title>'
        "<guid>1</guid><description>&c;&c;&c;&c;&c;&c;&c;&c;</description></item>"
        "</channel></rss>"
    )
    data = text.encode(encoding)
    if encoding == "utf-32-be":
        data = data.removeprefix(codecs.BOM_UTF32_BE)

    outcome = ingest_in_child("rss", _feed(tmp_path, data))

    assert outcome["status"] == IngestRun.Status.FAILED
    assert outcome["external_ids"] == []


# -- bounded time --------------------------------------------------------------------------


def test_a_tail_of_empty_comments_ends_quickly(skills, tmp_path):
    feed = (paths.FIXTURES / "rss" / "weworkremotely.rss").read_text().rstrip()
    data = (feed + "<!---->" * 40 + "x").encode()

    outcome = ingest_in_child("rss", _feed(tmp_path, data))  # the alarm bounds it

    assert outcome["status"] == IngestRun.Status.FAILED


@pytest.fixture
def raw_server():
    """A loopback server that answers each connection with the bytes given, as they are."""
    listener = socket.create_server(("127.0.0.1", 0))
    answers: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            with connection:
                connection.recv(65536)
                connection.sendall(answers[0])

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed", answers
    stop.set()
    listener.close()


@pytest.mark.parametrize("location", [b"http://[::1", b"http://exa mple.com/", b"http://xn--/"])
def test_a_malformed_redirect_location_fails_the_run(skills, settings, raw_server, location):
    settings.INGEST_ALLOW_LOOPBACK = True
    url, answers = raw_server
    answers.append(
        b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\nContent-Length: 0\r\n\r\n"
    )

    outcome = ingest_in_child("greenhouse", url)

    assert outcome["status"] == IngestRun.Status.FAILED
    assert outcome["created"] == 0


# -- one bad item costs one item -----------------------------------------------------------


def test_a_nul_and_an_over_long_id_among_1200_items_cost_two_items(skills, tmp_path):
    items = [_ok(n) for n in range(1200)]
    items[100] = json.dumps(job(100, title="LLM\x00 Engineer"))
    items[700] = json.dumps(job(700, id="9" * 301))

    outcome = ingest_in_child("greenhouse", _feed(tmp_path, _board(*items)))

    assert outcome["status"] == IngestRun.Status.SUCCEEDED
    # The NUL is stripped and the role kept; the over-long id is refused.
    assert (outcome["created"], outcome["rejected"]) == (1199, 1)
    assert "LLM Engineer" in outcome["titles"]
    assert not any("\x00" in title for title in outcome["titles"])


def test_a_lone_surrogate_costs_that_item(skills, tmp_path):
    hostile = json.dumps(job(2)).replace('"LLM Engineer 2"', '"LLM \\udfff Engineer"')

    outcome = ingest_in_child("greenhouse", _feed(tmp_path, _board(_ok(1), hostile, _ok(3))))

    assert outcome["status"] == IngestRun.Status.SUCCEEDED
    assert {"9001", "9003"} <= set(outcome["external_ids"])
    assert all(title.encode("utf-8") for title in outcome["titles"])


def test_implausible_values_never_reach_the_database(skills, tmp_path):
    items = [
        _ok(1),
        json.dumps(job(2, first_published="9999-12-31T23:59:59Z")),
        json.dumps(job(3, title="\u200b\u2066\u3164 \ufeff")),
        json.dumps(job(4, title="Prompt \u202eEngineer\x1b[31m")),
        json.dumps(job(5, first_published="1985-01-01T00:00:00Z")),
    ]

    outcome = ingest_in_child("greenhouse", _feed(tmp_path, _board(*items)))

    assert outcome["status"] == IngestRun.Status.SUCCEEDED
    assert "9003" not in outcome["external_ids"]  # a title of invisible characters only
    assert all(text_clean(title) == title for title in outcome["titles"])
    assert all(not posted.startswith(("9999", "1985")) for posted in outcome["posted"])
