"""Versioned releases of the published catalogue: immutable, dated, reproducible.

``make_release`` freezes the current snapshots and writes the release's files (see
``builder`` for what they are); ``check_release`` builds them again and compares.
docs/releases.md says how releases are named, stored, served and cited.
"""

from guidebook.interchange.releases.builder import ReleaseSpec, archive_name, build_release_files
from guidebook.interchange.releases.making import (
    ReleaseCheck,
    ReleaseRefused,
    check_release,
    ensure_release_files,
    latest_release,
    make_release,
    rebuild_release_files,
    release_file,
    release_snapshots,
    release_spec,
)

__all__ = [
    "ReleaseCheck",
    "ReleaseRefused",
    "ReleaseSpec",
    "archive_name",
    "build_release_files",
    "check_release",
    "ensure_release_files",
    "latest_release",
    "make_release",
    "rebuild_release_files",
    "release_file",
    "release_snapshots",
    "release_spec",
]
