"""Every environment variable settings.py reads is in the settings table of docs/operations.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def test_every_hoinghi_variable_is_documented():
    read = set(
        re.findall(r'"(HOINGHI_[A-Z0-9_]+)"', (ROOT / "src/hoinghi/settings.py").read_text(encoding="utf-8"))
    )
    table = "\n".join(
        line
        for line in (ROOT / "docs/operations.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    )
    documented = set(re.findall(r"`(HOINGHI_[A-Z0-9_]+)`", table))
    assert "HOINGHI_SMS_BACKEND" in read
    assert sorted(read - documented) == []
