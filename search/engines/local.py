import sqlite3
from pathlib import Path

from .base import EngineHealth, SearchEngine


class LocalEngine(SearchEngine):
    """The embedded engine: SQLite FTS5 files under SEARCH_LOCAL_PATH."""

    name = "local"

    def __init__(self, path: Path):
        self.path = Path(path)

    def health(self) -> EngineHealth:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(":memory:") as connection:
                connection.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
        except (OSError, sqlite3.Error) as error:
            return EngineHealth(self.name, False, str(error))
        if not self.path.is_dir() or not _writable(self.path):
            return EngineHealth(self.name, False, f"{self.path} is not writable")
        return EngineHealth(self.name, True)


def _writable(path: Path) -> bool:
    probe = path / ".write-probe"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True
