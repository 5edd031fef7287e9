"""The production layout of docs/operations.md: its files are valid, and a backup restores.

The systemd units are checked by `systemd-analyze verify` and the nginx site by `nginx -t`
(with a throwaway certificate); the backup is made with `hoinghi backup`, rows are lost, and
`hoinghi restore` brings them back, on whichever database the suite runs on.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from hoinghi.orgs.models import Unit

ROOT = Path(__file__).resolve().parents[4]
DEPLOY = ROOT / "deploy"


def _needs(program: str) -> str:
    found = shutil.which(program) or (
        Path("/usr/sbin") / program if (Path("/usr/sbin") / program).exists() else None
    )
    if not found:
        pytest.skip(f"{program} is not installed")
    return str(found)


def test_the_systemd_units_verify(tmp_path):
    analyze = _needs("systemd-analyze")
    units = []
    for unit in sorted((DEPLOY / "systemd").iterdir()):
        # The units name /opt/hoinghi; here the checkout (with its .venv) stands in for it.
        text = unit.read_text().replace("/opt/hoinghi", str(ROOT))
        (tmp_path / unit.name).write_text(text)
        units.append(str(tmp_path / (unit.name.replace("@.", "@8001.") if "@." in unit.name else unit.name)))
        if "@." in unit.name:
            (tmp_path / unit.name.replace("@.", "@8001.")).symlink_to(tmp_path / unit.name)
    assert any(name.endswith(".timer") for name in units)
    result = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, check=False
    )
    problems = [line for line in result.stderr.splitlines() if "hoinghi" in line]
    assert result.returncode == 0 and problems == [], result.stderr


def test_the_nginx_site_passes_nginx_t(tmp_path):
    nginx = _needs("nginx")
    openssl = _needs("openssl")
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=hoinghi.test",
            "-keyout",
            str(tmp_path / "privkey.pem"),
            "-out",
            str(tmp_path / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "hoinghi.conf").read_text()
    site = site.replace("/etc/ssl/hoinghi", str(tmp_path)).replace(
        "/var/cache/nginx", str(tmp_path / "cache")
    )
    (tmp_path / "hoinghi.conf").write_text(site)
    (tmp_path / "cache").mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/hoinghi.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_what_was_lost(small_tree, tmp_path):
    if not shutil.which("pg_dump"):
        from django.db import connection

        if connection.vendor == "postgresql":
            pytest.skip("pg_dump is not installed")
    before = sorted(Unit.objects.values_list("code", "path"))
    call_command("backup", to=str(tmp_path), keep=2)
    call_command("backup", to=str(tmp_path), keep=2)
    call_command("backup", to=str(tmp_path), keep=2)
    copies = sorted(tmp_path.iterdir())
    assert len(copies) == 2  # --keep 2
    Unit.objects.filter(code="HCM-Q1-001").delete()  # the loss
    assert sorted(Unit.objects.values_list("code", "path")) != before
    with pytest.raises(Exception, match="--yes"):
        call_command("restore", str(copies[-1]))
    call_command("restore", str(copies[-1]), yes=True)
    assert sorted(Unit.objects.values_list("code", "path")) == before
