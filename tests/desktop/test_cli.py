"""The command line: every command has help; usage errors exit 2."""

from __future__ import annotations

import pytest

from desktop.cli import build_parser, main


def test_every_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    helps = {a.dest: a.help for a in sub._choices_actions}
    assert set(helps) == {"gui", "ingest", "export", "geoparse", "events", "summary"}
    assert all(helps.values())


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "seeds", "--published", "5 Sept"])
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_view_export_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "png"]) == 2
    assert "needs -o" in capsys.readouterr().err
