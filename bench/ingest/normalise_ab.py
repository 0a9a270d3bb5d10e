"""CPU time of normalising, this checkout's code against another revision's, interleaved A/B.

    python bench/ingest/normalise_ab.py --base REV [--corpus DIR ...] [--rounds 9] [--passes 3]

`--base` is a git revision of this repository (exported with `git archive` into a scratch
folder) or the path of another checkout. Each side runs in a process of its own with its own
code and its own opportunities/data/taxonomy.json: it migrates a fresh SQLite database of its
own, seeds it from that taxonomy and builds its recognisers from the database, as an ingest run
does. Both sides read the same corpus (every feed file under the corpus folders, its kind read
from its parent folder's name; by default tests/fixtures and, when present, the shared sample
folder named by $GENAI_SAMPLES), each with its own parsers; a file either side cannot parse is
left out of both. The parent then asks the two sides in turn (A, B, B, A, ...) to normalise the
whole corpus `passes` times and report the CPU time (time.process_time) of the fastest pass, so
a busy machine's other work costs neither side more than the other. It prints each round's
ratio (this checkout over the base), their median and the load average before and after.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ("ashby", "greenhouse", "jsonld", "lever", "remoteok", "remotive", "rss", "hn", "csv")
HERE = Path(__file__).resolve().parents[2]
SAMPLES = os.environ.get("GENAI_SAMPLES", "")


def _corpus(folders: list[str]) -> list[tuple[str, Path]]:
    files = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.parent.name in KINDS:
                files.append((path.parent.name, path))
    return files


def _load_average() -> str:
    with contextlib.suppress(OSError):
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    return "unknown"


def child(checkout: str, folders: list[str]) -> None:
    """Serve timing requests on stdin for the code and taxonomy in `checkout`."""
    sys.path.insert(0, checkout)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from opportunities.ingest.normalise.role import NormaliseError, normalise
    from opportunities.ingest.parsers import parse
    from opportunities.ingest.parsers.records import RawRole
    from opportunities.ingest.recognisers import recognisers_current

    # A fresh database under this side's own GENAI_VAR_DIR, seeded from its own taxonomy.
    call_command("migrate", verbosity=0, interactive=False)
    taxonomy = Path(checkout) / "opportunities" / "data" / "taxonomy.json"
    with open(os.devnull, "w") as quiet:
        call_command("seed_taxonomy", file=str(taxonomy), verbosity=0, stdout=quiet)
    recognisers = recognisers_current()
    parsed: dict[str, list] = {}
    for kind, path in _corpus(folders):
        with path.open("rb") as stream:
            try:
                items = [item for item in parse(kind, stream) if isinstance(item, RawRole)]
            except Exception as exc:  # reported to the parent, which leaves it out of both
                print(f"{checkout}: cannot parse {path}: {exc!r}", file=sys.stderr)
                continue
        parsed[str(path)] = items
    print(
        json.dumps(
            {
                "code": normalise.__code__.co_filename,
                "skills": len(recognisers.skill_by_slug),
                "files": {path: len(items) for path, items in parsed.items()},
            }
        ),
        flush=True,
    )
    common = json.loads(sys.stdin.readline())["files"]
    raws = [raw for path in common for raw in parsed[path]]

    def one_pass() -> float:
        start = time.process_time()
        for raw in raws:
            with contextlib.suppress(NormaliseError):
                normalise(raw, skills=recognisers.skills, industries=recognisers.industries)
        return time.process_time() - start

    one_pass()  # warm the caches both sides keep (parsed locations, salary texts)
    print(json.dumps({"postings": len(raws)}), flush=True)
    passes = int(os.environ["NORMALISE_AB_PASSES"])
    for _ in sys.stdin:
        print(json.dumps({"seconds": min(one_pass() for _ in range(passes))}), flush=True)


def _base_checkout(base: str, scratch: Path) -> Path:
    """The base side's folder: another checkout as it is, or a revision exported from git."""
    if Path(base).is_dir():
        return Path(base).resolve()
    target = scratch / "base"
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(HERE), "archive", "--format=tar", base],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="a git revision or another checkout")
    parser.add_argument("--corpus", action="append", help="feed folders (repeatable)")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    corpus = args.corpus or [str(HERE / "tests" / "fixtures")]
    if not args.corpus and SAMPLES and Path(SAMPLES).is_dir():
        corpus.append(SAMPLES)
    folders = [str(Path(folder).resolve()) for folder in corpus]
    if args.child:
        child(args.child, folders)
        return
    scratch = Path(tempfile.mkdtemp(prefix="normalise-ab-"))
    try:
        _compare(args, folders, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _compare(args: argparse.Namespace, folders: list[str], scratch: Path) -> None:
    print(f"load average at start: {_load_average()}")
    sides = {}
    ready = {}
    for name, checkout in (("new", HERE), ("base", _base_checkout(args.base, scratch))):
        var = scratch / f"var-{name}"
        var.mkdir()
        # Run as a script from a scratch folder: the side's checkout is then first on the path.
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(checkout)]
        command += [part for folder in folders for part in ("--corpus", folder)]
        command += ["--base", str(checkout)]
        # Nothing is written into either checkout: no bytecode, and local state in scratch.
        env = {
            **os.environ,
            "PYTHONDONTWRITEBYTECODE": "1",
            "GENAI_VAR_DIR": str(var),
            "NORMALISE_AB_PASSES": str(args.passes),
        }
        env.pop("DATABASE_URL", None)
        process = subprocess.Popen(
            command, cwd=var, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        sides[name] = process
        ready[name] = json.loads(process.stdout.readline())
    common = sorted(set(ready["new"]["files"]) & set(ready["base"]["files"]))
    for name, process in sides.items():
        process.stdin.write(json.dumps({"files": common}) + "\n")
        process.stdin.flush()
        postings = json.loads(process.stdout.readline())["postings"]
        print(
            f"{name}: {ready[name]['code']}, {ready[name]['skills']} skills,"
            f" {len(common)} files, {postings} postings"
        )

    def ask(name: str) -> float:
        sides[name].stdin.write("go\n")
        sides[name].stdin.flush()
        return json.loads(sides[name].stdout.readline())["seconds"]

    ratios = []
    for round_number in range(args.rounds):
        # Alternate which side goes first, so neither always runs on a warmer machine.
        order = ("new", "base") if round_number % 2 == 0 else ("base", "new")
        seconds = {name: ask(name) for name in order}
        ratios.append(seconds["new"] / seconds["base"])
        print(
            f"round {round_number + 1}: new {seconds['new']:.3f}s  base {seconds['base']:.3f}s"
            f"  ratio {ratios[-1]:.3f}  load {_load_average()}"
        )
    for process in sides.values():
        process.stdin.close()
        process.wait()
    print(f"load average at end: {_load_average()}")
    print(f"median ratio (new / base CPU time): {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
