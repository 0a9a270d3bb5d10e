"""CPU time of normalising, this checkout's code against another's, interleaved A/B.

    python bench/ingest/normalise_ab.py --base ../other-checkout --corpus DIR [--corpus DIR]
        [--rounds 9] [--passes 3]

Each side runs in a process of its own, importing its checkout's code; both parse the same
corpus (every feed file under the corpus folders, its kind read from its parent folder's
name) once, untimed, and build their recognisers from the same taxonomy.json. The parent then
asks the two sides in turn (A, B, A, B, ...) to normalise the whole corpus `passes` times and
report the CPU time (time.process_time) of the fastest pass, so a busy machine's other work
costs neither side more than the other. It prints each round's ratio (this checkout over
the base) and their median.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = ("ashby", "greenhouse", "jsonld", "lever", "remoteok", "remotive", "rss", "hn", "csv")
HERE = Path(__file__).resolve().parents[2]


def _corpus(folders: list[str]) -> list[tuple[str, Path]]:
    files = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.parent.name in KINDS:
                files.append((path.parent.name, path))
    return files


def child(checkout: str, folders: list[str], taxonomy: str, passes: int) -> None:
    """Serve timing requests on stdin for the code in `checkout`."""
    sys.path.insert(0, checkout)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genai_jobs.settings")
    import django

    django.setup()
    from opportunities.ingest.normalise.industries import IndustryRecogniser, industry_terms
    from opportunities.ingest.normalise.role import NormaliseError, normalise
    from opportunities.ingest.normalise.skills import SkillRecogniser, skill_terms
    from opportunities.ingest.parsers import parse
    from opportunities.ingest.parsers.records import RawRole

    data = json.loads(Path(taxonomy).read_text())
    skills = SkillRecogniser(skill_terms(data))
    industries = IndustryRecogniser(industry_terms(data))
    raws = []
    for kind, path in _corpus(folders):
        with path.open("rb") as stream:
            try:
                raws.extend(item for item in parse(kind, stream) if isinstance(item, RawRole))
            except Exception as exc:  # a file one side cannot parse is left out of both
                print(f"skipped {path}: {exc!r}", file=sys.stderr)

    def one_pass() -> float:
        start = time.process_time()
        for raw in raws:
            with contextlib.suppress(NormaliseError):
                normalise(raw, skills=skills, industries=industries)
        return time.process_time() - start

    one_pass()  # warm the caches both sides keep (parsed locations, salary texts)
    print(
        json.dumps({"ready": len(raws), "code": str(Path(normalise.__code__.co_filename))}),
        flush=True,
    )
    for _ in sys.stdin:
        print(json.dumps({"seconds": min(one_pass() for _ in range(passes))}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the checkout to compare against")
    parser.add_argument("--corpus", action="append", required=True)
    parser.add_argument("--taxonomy", default=str(HERE / "opportunities/data/taxonomy.json"))
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folders = [str(Path(folder).resolve()) for folder in args.corpus]
    taxonomy = str(Path(args.taxonomy).resolve())
    if args.child:
        child(args.child, folders, taxonomy, args.passes)
        return
    sides = {}
    scratch = tempfile.mkdtemp(prefix="normalise-ab-")
    for name, checkout in (("new", str(HERE)), ("base", str(Path(args.base).resolve()))):
        # Run as a script from a scratch folder: the checkout is then first on the path.
        command = [sys.executable, str(Path(__file__).resolve()), "--child", checkout]
        command += [part for folder in folders for part in ("--corpus", folder)]
        command += ["--taxonomy", taxonomy, "--base", checkout, "--passes", str(args.passes)]
        # The other checkout is only read: no bytecode or local state is written into it.
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "GENAI_VAR_DIR": scratch}
        process = subprocess.Popen(
            command, cwd=scratch, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        ready = json.loads(process.stdout.readline())
        sides[name] = process
        print(f"{name}: {ready['code']}, {ready['ready']} postings")

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
            f"  ratio {ratios[-1]:.3f}"
        )
    for process in sides.values():
        process.stdin.close()
        process.wait()
    print(f"median ratio (new / base CPU time): {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
