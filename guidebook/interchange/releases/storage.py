"""Where release files live: one folder per release under ``RELEASES_DIR``.

``RELEASES_DIR`` is ``$GUIDEBOOK_DATA_DIR/releases`` unless the settings say
otherwise. A release's folder is written once: its files go into a hidden folder
beside it, which is then renamed into place in one step, so a reader sees every file
or none, and a folder that exists is never written over.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings

__all__ = ["ReleaseExists", "read_release_file", "release_folder", "releases_dir", "write_release"]


class ReleaseExists(Exception):
    """The folder of a release is already there: it is never written over."""


def releases_dir() -> Path:
    configured = getattr(settings, "RELEASES_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "releases"


def release_folder(name: str) -> Path:
    return releases_dir() / name


def write_release(name: str, files: Mapping[str, bytes]) -> Path:
    """Write every file of release ``name``; ``ReleaseExists`` if it was written before."""
    folder = release_folder(name)
    if folder.exists():
        raise ReleaseExists(f"release {name}: its folder {folder} exists and is never written over")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=folder.parent))
    try:
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for directory, _, names in os.walk(staging):
            os.chmod(directory, 0o755)
            for file_name in names:
                os.chmod(Path(directory) / file_name, 0o444)
        # rename refuses to replace a folder that appeared meanwhile (it is not empty).
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def read_release_file(name: str, path: str) -> bytes | None:
    """The bytes of one file of a release, or ``None`` when it is not on disk."""
    target = release_folder(name) / path
    try:
        return target.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
