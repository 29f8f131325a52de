"""A 2,000-file import beside staff signing in, on SQLite: no sign-in fails.

The import reads and checks every file with no transaction open, then stores them all
in one transaction; staff writing meanwhile wait for the lock (the busy timeout,
``GUIDEBOOK_SQLITE_BUSY_SECONDS``) instead of failing with "database is locked". This
checks for errors, never for times. GUIDEBOOK_IMPORT_FILES changes the number of files.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_IPP, REPO

FILES = int(os.environ.get("GUIDEBOOK_IMPORT_FILES", "2000"))

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="the write lock is SQLite's"
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "GUIDEBOOK_DATA_DIR": str(tmp_path)}
    env["GUIDEBOOK_SQLITE_PATH"] = str(tmp_path / "guidebook.sqlite3")
    env.pop("DATABASE_URL", None)
    return env


def _record_files(folder: Path) -> list[Path]:
    folder.mkdir()
    data = json.loads(DEMO_IPP.read_text(encoding="utf-8"))
    paths = []
    for number in range(FILES):
        data["slug"], data["name"] = f"programme-{number}", f"Programme {number}"
        path = folder / f"programme-{number}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(path)
    return paths


def test_staff_sign_ins_never_fail_while_2000_files_are_imported(tmp_path):
    env = _env(tmp_path)
    guidebook = str(Path(sys.executable).parent / "guidebook")
    subprocess.run([guidebook, "migrate", "-v", "0"], env=env, check=True)
    paths = _record_files(tmp_path / "records")
    stop = tmp_path / "import-finished"
    sign_ins = subprocess.Popen(
        [sys.executable, "-m", "tests.concurrency.sign_ins", str(stop)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    imported = subprocess.run(
        [guidebook, "import", *map(str, paths)], env=env, capture_output=True, text=True
    )
    stop.touch()
    out, _ = sign_ins.communicate(timeout=600)
    counts = json.loads(out)
    print(f"import of {FILES} files beside sign-ins: {counts}")
    assert imported.returncode == 0, imported.stderr
    assert f"Imported {FILES} programme(s)." in imported.stdout
    assert counts["failed"] == 0, counts["errors"]
    assert counts["signed_in"] > 0
