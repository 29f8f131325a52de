"""Checksums and the zip of a release, made so that the same files give the same bytes.

Reproducible builds need every input of the bytes fixed: files are taken in sorted
order, every zip entry carries the release date at midnight as its time, the same
permissions and the same "made on" system, and one compression level. The same
files on the same zlib then make the same zip (the approach of the Reproducible
Builds project, https://reproducible-builds.org/docs/archives/).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from datetime import date

__all__ = ["CHECKSUM_FILE", "checksum_file", "sha256", "zip_bytes"]

CHECKSUM_FILE = "SHA256SUMS"
_UNIX = 3
_READ_WRITE = 0o100644


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checksum_file(files: Mapping[str, bytes]) -> bytes:
    """``sha256sum`` format (two spaces between sum and path), paths sorted:
    ``sha256sum -c SHA256SUMS`` in the release's folder checks every file."""
    lines = [f"{sha256(files[path])}  {path}\n" for path in sorted(files)]
    return "".join(lines).encode("utf-8")


def zip_bytes(files: Mapping[str, bytes], day: date, folder: str) -> bytes:
    """Every file under ``folder/`` in one zip, with fixed times and attributes."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(files):
            entry = zipfile.ZipInfo(f"{folder}/{path}", date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = _UNIX
            entry.external_attr = _READ_WRITE << 16
            archive.writestr(entry, files[path], compresslevel=9)
    return buffer.getvalue()
