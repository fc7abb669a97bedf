"""The data folder: one SQLite database (projects, checks, decisions) and a folder per check holding
its result and, for Word drafts, the copy the annotated download is made from."""
from __future__ import annotations

import gzip
import pickle
import shutil
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

DB_NAME = "tender-check.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS projects (
    id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, name TEXT NOT NULL, number TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS checks (
    id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects(id), file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL, ext TEXT NOT NULL, checked_at TEXT NOT NULL, verdict TEXT NOT NULL DEFAULT '',
    n_error INTEGER NOT NULL DEFAULT 0, n_warning INTEGER NOT NULL DEFAULT 0, n_info INTEGER NOT NULL DEFAULT 0,
    seconds REAL NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS checks_project ON checks(project_id, id);
CREATE INDEX IF NOT EXISTS checks_sha ON checks(sha256);
-- a decision belongs to the project, not to one check: keyed by the finding's fingerprint
-- (rule ID + normalised passage + heading trail + ordinal) and found again by rule ID + passage
CREATE TABLE IF NOT EXISTS decisions (
    project_id INTEGER NOT NULL REFERENCES projects(id), fingerprint TEXT NOT NULL, rule_id TEXT NOT NULL,
    passage TEXT NOT NULL, decision TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
    check_id INTEGER, updated_at TEXT NOT NULL, PRIMARY KEY (project_id, fingerprint));
CREATE INDEX IF NOT EXISTS decisions_loose ON decisions(project_id, rule_id, passage);
"""


class StoredResultError(Exception):
    def __init__(self, check_id: int, exc: Exception):
        super().__init__(f"第 {check_id} 号检查的结果文件无法读取（{type(exc).__name__}），可能已损坏或由其他版本保存；请重新上传该文件")


def now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


class Store:
    def __init__(self, data_dir: str | Path):
        self.root = Path(data_dir)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "checks").mkdir(exist_ok=True)
        self._lock = threading.Lock()
        with self._db() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self):
        with self._lock:
            db = sqlite3.connect(self.root / DB_NAME, timeout=30)
            db.row_factory = sqlite3.Row
            try:
                with db:
                    yield db
            finally:
                db.close()

    # ---- projects
    def project(self, key: str, name: str, number: str = "") -> int:
        with self._db() as db:
            row = db.execute("SELECT id FROM projects WHERE key = ?", (key,)).fetchone()
            if row:
                return row["id"]
            return db.execute("INSERT INTO projects (key, name, number, created) VALUES (?, ?, ?, ?)",
                              (key, name, number, now())).lastrowid

    def project_id(self, key: str) -> int | None:
        with self._db() as db:
            row = db.execute("SELECT id FROM projects WHERE key = ?", (key,)).fetchone()
        return row["id"] if row else None

    def project_of_content(self, sha256: str) -> int | None:
        """The project a document with these exact bytes was checked under before, if any."""
        with self._db() as db:
            row = db.execute("SELECT project_id FROM checks WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
                             (sha256,)).fetchone()
        return row["project_id"] if row else None

    def project_exists(self, project_id: int) -> bool:
        with self._db() as db:
            return db.execute("SELECT 1 FROM projects WHERE id = ?", (project_id,)).fetchone() is not None

    def projects(self) -> list[dict]:
        with self._db() as db:
            rows = db.execute("SELECT p.*, COUNT(c.id) AS n FROM projects p JOIN checks c ON c.project_id = p.id "
                              "GROUP BY p.id ORDER BY MAX(c.id) DESC").fetchall()
        return [dict(r) for r in rows]

    # ---- checks
    def add_check(self, project_id: int, file_name: str, sha256: str, ext: str, verdict: str,
                  counts: dict[str, int], seconds: float) -> int:
        with self._db() as db:
            return db.execute(
                "INSERT INTO checks (project_id, file_name, sha256, ext, checked_at, verdict, n_error, n_warning, "
                "n_info, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (project_id, file_name, sha256, ext, now(), verdict, counts.get("error", 0),
                 counts.get("warning", 0), counts.get("info", 0), seconds)).lastrowid

    def update_summary(self, check_id: int, verdict: str, counts: dict[str, int]) -> None:
        with self._db() as db:
            db.execute("UPDATE checks SET verdict = ?, n_error = ?, n_warning = ?, n_info = ? WHERE id = ?",
                       (verdict, counts.get("error", 0), counts.get("warning", 0), counts.get("info", 0), check_id))

    def check(self, check_id: int) -> dict | None:
        with self._db() as db:
            row = db.execute("SELECT c.*, p.name AS project_name, p.number AS project_number FROM checks c "
                             "JOIN projects p ON p.id = c.project_id WHERE c.id = ?", (check_id,)).fetchone()
        return dict(row) if row else None

    def checks(self, limit: int = 500) -> list[dict]:
        with self._db() as db:
            rows = db.execute("SELECT c.*, p.name AS project_name, p.number AS project_number FROM checks c "
                              "JOIN projects p ON p.id = c.project_id ORDER BY c.id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]

    def previous(self, check: dict) -> dict | None:
        """The project's latest check before this one of a different text (the draft before)."""
        with self._db() as db:
            row = db.execute("SELECT * FROM checks WHERE project_id = ? AND id < ? AND sha256 != ? "
                             "ORDER BY id DESC LIMIT 1", (check["project_id"], check["id"], check["sha256"])).fetchone()
        return dict(row) if row else None

    def delete_check(self, check_id: int) -> bool:
        with self._db() as db:
            gone = db.execute("DELETE FROM checks WHERE id = ?", (check_id,)).rowcount
        shutil.rmtree(self.check_dir(check_id), ignore_errors=True)
        return bool(gone)

    # ---- a check's files
    def check_dir(self, check_id: int) -> Path:
        return self.root / "checks" / str(int(check_id))

    def save_result(self, check_id: int, result, source: Path | None, ext: str) -> None:
        folder = self.check_dir(check_id)
        folder.mkdir(parents=True, exist_ok=True)
        with gzip.open(folder / "result.pickle.gz", "wb", compresslevel=3) as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
        if source is not None:
            shutil.copyfile(source, folder / f"source{ext}")

    def load_result(self, check_id: int):
        """The FileResult (with its Document) this app wrote for the check; None if it is gone."""
        path = self.check_dir(check_id) / "result.pickle.gz"
        try:
            with gzip.open(path, "rb") as fh:
                return pickle.load(fh)  # written by this app into its own data folder
        except FileNotFoundError:
            return None
        except Exception as exc:  # cut short, or saved by a version whose classes have changed
            raise StoredResultError(check_id, exc) from None

    def source(self, check_id: int, ext: str) -> Path | None:
        path = self.check_dir(check_id) / f"source{ext}"
        return path if path.is_file() else None

    # ---- decisions
    def decisions(self, project_id: int) -> list[dict]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM decisions WHERE project_id = ? ORDER BY updated_at, rowid",
                              (project_id,)).fetchall()
        return [dict(r) for r in rows]

    def set_decision(self, project_id: int, fingerprint: str, rule_id: str, passage: str, decision: str,
                     note: str, check_id: int | None) -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO decisions (project_id, fingerprint, rule_id, passage, decision, note, check_id, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, fingerprint) DO UPDATE SET "
                "rule_id = excluded.rule_id, passage = excluded.passage, decision = excluded.decision, "
                "note = excluded.note, check_id = excluded.check_id, updated_at = excluded.updated_at",
                (project_id, fingerprint, rule_id, passage, decision, note, check_id, now()))

    def delete_decision(self, project_id: int, fingerprint: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM decisions WHERE project_id = ? AND fingerprint = ?", (project_id, fingerprint))
