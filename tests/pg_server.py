"""A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temporary folder, loopback port,
run as a non-root user (root: Debian's `postgres` account, folder under /tmp, see start()). Debian package `postgresql`
(`make pg-deps`; CI's .ci/run installs it)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
from pathlib import Path


def pg_bindir() -> Path | None:
    for cand in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(cand, "initdb")):
            return Path(cand)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgCluster:
    def __init__(self, root: Path):
        self.bindir = pg_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL is not installed (make pg-deps)")
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.user = None if os.geteuid() != 0 else "postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if check and out.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({out.returncode}): {out.stdout[-1500:]} {out.stderr[-1500:]}")
        return out

    def start(self) -> "PgCluster":
        self.root.mkdir(parents=True, exist_ok=True)
        if self.user:
            # The cluster's owner must reach its folder for as long as it runs. Under pytest's
            # tmp_path it cannot: every pytest session start (another developer's, too) resets
            # /tmp/pytest-of-<user> to 0700. So the cluster lives in its own folder under /tmp,
            # owned by that user, and is removed by stop().
            import tempfile

            pw = pwd.getpwnam(self.user)
            self.root = Path(tempfile.mkdtemp(prefix="assistant-test-pg-"))
            os.chmod(self.root, 0o700)
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self._owned_tmp = True
            self.data = self.root / "data"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log.txt"), "-w", "-t", "60",
                  "-o", f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=on", "start")
        return self

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        if getattr(self, "_owned_tmp", False):
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, db: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
