"""The whole test suite, as `make test` runs it.

1. compile the message catalogues;
2. make sure Debian's Chromium is there for the browser tests (install it as
   root, otherwise fail and say how);
3. start a throwaway PostgreSQL server;
4. run every test on SQLite, browser tests included, and at the same time every
   database test on PostgreSQL: the two passes share nothing (each test session
   has its own scratch directory) and each is mostly one busy process, so on
   two cores together they take the time of the longer one. The SQLite pass
   prints as it goes; the PostgreSQL pass is printed whole when it ends.

Nothing is skipped quietly: a missing browser or database fails the run.
"""

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.postgres import PostgresUnavailable, postgres_server  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PYTHON = sys.executable


def banner(text):
    line = "=" * 78
    print(f"\n{line}\n{text}\n{line}", flush=True)


def run(command, env=None):
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, check=False)
    return result.returncode, time.monotonic() - started


def ensure_chromium():
    if CHROMIUM.exists() and CJK_FONT.exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(
            f"{CHROMIUM} is missing and cannot be installed from here. "
            "Install Debian's browser and a CJK font: "
            "apt-get install chromium fonts-wqy-microhei"
        )
    banner("Installing Debian's chromium and a CJK font for the browser tests")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "chromium", "fonts-wqy-microhei"],
    ):
        if subprocess.run(command, env=environment, check=False).returncode:
            sys.exit(f"Could not install Chromium: {' '.join(command)} failed.")
    if not CHROMIUM.exists():
        sys.exit(f"apt-get installed chromium but {CHROMIUM} is still missing.")


def main():
    pytest = [PYTHON, "-m", "pytest", *sys.argv[1:]]
    environment = {**os.environ, "DEBUG": "false"}
    environment.pop("DATABASE_URL", None)

    banner("Compiling message catalogues")
    code, _ = run(
        [PYTHON, "manage.py", "compilemessages", "--ignore=.venv", "--ignore=var"]
        + ["-v0"],
        env={**environment, "DEBUG": "true"},
    )
    if code:
        sys.exit("compilemessages failed (is gettext installed?)")

    ensure_chromium()

    results = {}
    try:
        with postgres_server() as (url, version):
            log_path = ROOT / "var" / "test-artifacts" / "postgresql-pass.log"
            log_path.parent.mkdir(parents=True, exist_ok=True)
            started = time.monotonic()
            with log_path.open("w", encoding="utf-8") as log:
                postgres_pass = subprocess.Popen(
                    [*pytest, "-m", "not browser"],
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env={
                        **environment,
                        "DATABASE_URL": url,
                        "PORTAL_DATABASE_TESTS_ONLY": "1",
                    },
                )
                # The PostgreSQL pass's own time, taken when it ends, not when
                # the SQLite pass is done waiting for it.
                ended = []

                def watch():
                    ended.append((postgres_pass.wait(), time.monotonic()))

                watcher = threading.Thread(target=watch)
                watcher.start()
                try:
                    banner("Test suite on SQLite (unit, page, browser tests)")
                    results["SQLite"] = run(pytest, env=environment)
                    watcher.join()
                finally:
                    if postgres_pass.poll() is None:
                        postgres_pass.kill()
                    watcher.join()
            code, finished = ended[0]
            results["PostgreSQL"] = (code, finished - started)
            banner(f"Database tests on a throwaway {version} at {url}")
            print(log_path.read_text(encoding="utf-8"), flush=True)
    except PostgresUnavailable as error:
        print(f"PostgreSQL could not be started: {error}", file=sys.stderr)
        results["PostgreSQL"] = (1, 0.0)
        if "SQLite" not in results:
            banner("Test suite on SQLite (unit, page, browser tests)")
            results["SQLite"] = run(pytest, env=environment)

    banner("Summary")
    for name, (code, seconds) in results.items():
        outcome = "passed" if code == 0 else f"FAILED (exit {code})"
        print(f"{name:<12} {outcome:<22} {seconds:6.1f} s")
    sys.exit(1 if any(code for code, _ in results.values()) else 0)


if __name__ == "__main__":
    main()
