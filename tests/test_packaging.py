"""Everything an installed (non-editable) copy needs is declared in setup.cfg."""
from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_rule_folder_is_shipped_as_data_files():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    shipped = {v.strip() for v in cfg["options.data_files"].values()}
    folders = {p.parent for p in (ROOT / "rules").rglob("*.yaml")}
    for folder in folders:
        rel = folder.relative_to(ROOT).as_posix()
        assert f"{rel}/*.yaml" in shipped, f"{rel} is missing from [options.data_files] in setup.cfg"


def test_version_does_not_import_heavy_modules():
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from checker.cli import main; "
            "CliRunner().invoke(main, ['--version']); "
            "print(','.join(m for m in ('spacy', 'pdfplumber', 'docx', 'pypdfium2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
