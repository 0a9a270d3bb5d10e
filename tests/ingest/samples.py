"""Where the shared real payloads live (../shared/samples beside the repository), read in
place and never copied; test modules that need them call `require_samples()` first."""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


def require_samples() -> list[str]:
    """Every sample file's path under SAMPLES (INDEX.md aside); skips the calling test module
    when the folder is not there."""
    if not SAMPLES.is_dir():
        pytest.skip(
            "the shared samples folder is not beside the repository", allow_module_level=True
        )
    return sorted(
        path.relative_to(SAMPLES).as_posix()
        for path in SAMPLES.rglob("*")
        if path.is_file() and path.name != "INDEX.md"
    )
