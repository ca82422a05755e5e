"""A throwaway PostgreSQL server on 127.0.0.1 for the test suite.

The machine has PostgreSQL's server binaries but no running server. initdb and
pg_ctl refuse to run as root, so as root the server runs as the `postgres`
system user in a temporary directory that user owns.
"""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def find_bindir():
    candidates = []
    if shutil.which("pg_config"):
        result = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=False
        )
        candidates.append(result.stdout.strip())
    candidates += sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True
    )
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).resolve().parent))
    for candidate in candidates:
        if not candidate:
            continue
        if (Path(candidate) / "initdb").exists() and (
            Path(candidate) / "pg_ctl"
        ).exists():
            return Path(candidate)
    raise PostgresUnavailable(
        "PostgreSQL's server binaries (initdb, pg_ctl) were not found. "
        "Install them with: apt-get install postgresql"
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command):
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam("postgres")
    except KeyError as error:
        raise PostgresUnavailable(
            "Running as root, and there is no 'postgres' user to run the server as."
        ) from error
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command, log):
    result = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise PostgresUnavailable(
            f"{' '.join(command[:2])} failed:\n{result.stdout}{result.stderr}"
            + (log.read_text() if log.exists() else "")
        )
    return result


@contextlib.contextmanager
def postgres_server():
    """Start a server, yield its DATABASE_URL, stop and delete it afterwards."""
    bindir = find_bindir()
    workdir = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    data, log = workdir / "data", workdir / "server.log"
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(workdir, entry.pw_uid, entry.pw_gid)
    port = free_port()
    try:
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            log,
        )
        # Durability is pointless for a server that lives for one test run.
        options = (
            f"-p {port} -c listen_addresses=127.0.0.1 -k {workdir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        _run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log)]
            + ["-o", options, "-w", "start"],
            log,
        )
        version = _run([str(bindir / "postgres"), "--version"], log).stdout.strip()
        yield f"postgres://postgres@127.0.0.1:{port}/portal", version
    finally:
        if data.exists():
            subprocess.run(
                _as_server_user(
                    [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]
                ),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(workdir, ignore_errors=True)
