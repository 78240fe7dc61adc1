"""A local PostgreSQL + PostGIS cluster that `sia` runs for the user (zero-setup default).

When no ``SIA_DATABASE_URL`` is configured, the CLI keeps its own cluster in a data folder of
the user: ``initdb`` on first use, its own port on 127.0.0.1, password authentication with a
generated password kept next to the data (mode 0600). PostgreSQL refuses to run as root, so when
the CLI runs as root the server runs as the ``postgres`` system user (created by Debian's
packages) in a folder that user owns.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from layers.errors import SetupError

DEBIAN_PACKAGES = "postgresql-15 postgresql-15-postgis-3"
_INSTALL_HINT = (  # messages reach users through the CLI: Dutch, like the rest of it
    "Installeer PostgreSQL en PostGIS (Debian/Ubuntu: `sudo apt-get install "
    f"{DEBIAN_PACKAGES}`), of zet SIA_DATABASE_URL op een bestaande PostGIS-database."
)
DATABASE = "sia"
SUPERUSER = "sia"


def default_home() -> Path:
    """Folder of the local cluster: ``$SIA_HOME``, else a per-user data folder."""
    if env := os.environ.get("SIA_HOME"):
        return Path(env)
    if os.geteuid() == 0:
        return Path("/var/lib/sia")
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sia"


def find_pg_bindir() -> Path:
    """Locate the PostgreSQL server binaries (initdb, pg_ctl), newest version first."""
    candidates: list[Path] = []
    if env := os.environ.get("SIA_PG_BINDIR"):
        candidates.append(Path(env))
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))

    def _version(p: Path) -> float:
        try:
            return float(p.parent.name)
        except ValueError:
            return 0.0

    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version, reverse=True)
    for found in (shutil.which("initdb"), shutil.which("pg_ctl")):
        if found:
            candidates.append(Path(found).resolve().parent)
    for cand in candidates:
        if (cand / "initdb").exists() and (cand / "pg_ctl").exists():
            return cand
    raise SetupError(f"De PostgreSQL-serverprogramma's (initdb, pg_ctl) zijn niet gevonden. {_INSTALL_HINT}")


def _postgis_available(bindir: Path) -> bool:
    """Whether the PostGIS extension files belong to this PostgreSQL installation."""
    pg_config = bindir / "pg_config"
    sharedirs: list[Path] = []
    if pg_config.exists():
        out = subprocess.run([str(pg_config), "--sharedir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            sharedirs.append(Path(out.stdout.strip()))
    sharedirs.append(Path("/usr/share/postgresql") / bindir.parent.name)
    return any((d / "extension" / "postgis.control").exists() for d in sharedirs)


@dataclass
class LocalCluster:
    """A PostgreSQL cluster in ``home`` listening on 127.0.0.1:``port``.

    The user's cluster is durable: ``fsync``, ``synchronous_commit`` and ``full_page_writes`` stay
    on, so a crash or power cut cannot lose a committed delivery or a "never changed" scenario.
    Only a throwaway cluster (the test suite's) may pass ``durable=False`` to turn them off.
    """

    home: Path
    port: int = 54329
    durable: bool = True

    @property
    def data_dir(self) -> Path:
        return self.home / "pgdata"

    @property
    def password_file(self) -> Path:
        return self.home / "password"

    @property
    def log_file(self) -> Path:
        return self.home / "postgresql.log"

    def url(self) -> str:
        """SQLAlchemy URL of the cluster's ``sia`` database."""
        if not self.password_file.exists():
            raise SetupError(
                f"De lokale database in {self.home} is nog niet ingericht. Start hem met `sia db start`."
            )
        password = self.password_file.read_text().strip()
        return f"postgresql+psycopg://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{DATABASE}"

    # -- running the server programs ------------------------------------------------------

    def _server_user(self) -> str | None:
        """The system user the server runs as when we are root, else None (ourselves)."""
        if os.geteuid() != 0:
            return None
        user = os.environ.get("SIA_PG_USER", "postgres")
        try:
            pwd.getpwnam(user)
        except KeyError as exc:
            raise SetupError(
                f"PostgreSQL draait niet als root en er is geen systeemgebruiker '{user}' om het onder te "
                f"draaien. {_INSTALL_HINT} (het pakket maakt die gebruiker aan), of start `sia` als gewone "
                "gebruiker."
            ) from exc
        return user

    def _run(self, args: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        user = self._server_user()
        if user is not None:
            entry = pwd.getpwnam(user)

            def _demote() -> None:
                os.setgid(entry.pw_gid)
                os.setuid(entry.pw_uid)

            env = {**os.environ, "HOME": entry.pw_dir, "USER": user}
            proc = subprocess.run(
                args,
                capture_output=True,
                text=True,
                preexec_fn=_demote,
                env=env,
                cwd="/",
                check=False,
            )
        else:
            proc = subprocess.run(args, capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            raise SetupError(
                f"`{Path(args[0]).name}` is mislukt (afsluitcode {proc.returncode}); zie het logboek "
                f"{self.log_file} of start het programma met de hand voor de precieze melding."
            )
        return proc

    def _chown(self, path: Path) -> None:
        user = self._server_user()
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    # -- public operations ------------------------------------------------------------------

    def is_initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def is_running(self) -> bool:
        if not self.is_initialised():
            return False
        bindir = find_pg_bindir()
        proc = self._run([str(bindir / "pg_ctl"), "-D", str(self.data_dir), "status"], check=False)
        return proc.returncode == 0

    def init(self) -> bool:
        """Create the cluster if it does not exist yet. Returns True if it was created."""
        if self.is_initialised():
            return False
        bindir = find_pg_bindir()
        if not _postgis_available(bindir):
            raise SetupError(f"PostgreSQL is gevonden in {bindir}, maar PostGIS niet. {_INSTALL_HINT}")
        self.home.mkdir(parents=True, exist_ok=True)
        self.home.chmod(0o755 if self._server_user() else 0o700)
        if not self.password_file.exists():
            self.password_file.write_text(secrets.token_urlsafe(24) + "\n")
            self.password_file.chmod(0o600)
        # initdb reads the password from a file the server user can read; removed right after.
        pwfile = self.home / ".initdb-pw"
        pwfile.write_text(self.password_file.read_text())
        pwfile.chmod(0o600)
        self._chown(pwfile)
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        self._chown(self.data_dir)
        try:
            self._run(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    SUPERUSER,
                    "--pwfile",
                    str(pwfile),
                    "-A",
                    "scram-sha-256",
                    "-E",
                    "UTF8",
                    "--locale",
                    "C",
                    *([] if self.durable else ["--no-sync"]),
                ]
            )
        finally:
            pwfile.unlink(missing_ok=True)
        return True

    def start(self) -> bool:
        """Initialise if needed and start the server. Returns False if it was already running."""
        self.init()
        if self.is_running():
            return False
        bindir = find_pg_bindir()
        if not self.log_file.exists():
            self.log_file.touch()
        self._chown(self.log_file)
        opts = f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1 " + (
            "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
            if self.durable
            else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        proc = self._run(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                "60",
                "-o",
                opts,
                "start",
            ],
            check=False,
        )
        if proc.returncode != 0:
            raise SetupError(
                f"De lokale PostgreSQL-server in {self.data_dir} is niet gestart (is poort {self.port} "
                f"bezet? Kies een andere met SIA_PG_PORT). Zie het serverlogboek {self.log_file}."
            )
        self._ensure_database()
        return True

    def stop(self) -> bool:
        """Stop the server. Returns False if it was not running."""
        if not self.is_running():
            return False
        bindir = find_pg_bindir()
        self._run([str(bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"])
        return True

    def _ensure_database(self) -> None:
        import psycopg  # local import: only needed when the cluster starts

        password = self.password_file.read_text().strip()
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = psycopg.connect(
                    host="127.0.0.1",
                    port=self.port,
                    user=SUPERUSER,
                    password=password,
                    dbname="postgres",
                    autocommit=True,
                )
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=SUPERUSER,
            password=password,
            dbname=DATABASE,
            autocommit=True,
        ) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
