"""Choosing the language (issue 16, item 1): --lang, then CRAMP_LANG, then the locale
variables as gettext reads them; and the same answer whichever way Chinese was chosen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cramp_cli import i18n
from cramp_cli.i18n.language import CHINESE, ENGLISH, choose
from tests.conftest import run

CRAMP = os.environ.get("CRAMP_INSTALLED_BIN") or str(Path(sys.executable).parent / "cramp")
LOCALE_VARIABLES = ("CRAMP_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.mark.parametrize(
    ("argv", "environ", "code"),
    [
        # --lang first, in both spellings, whatever the environment says
        (["--lang", "zh", "why"], {"CRAMP_LANG": "en", "LANG": "en_GB.UTF-8"}, CHINESE),
        (["--lang=zh", "why"], {}, CHINESE),
        (["--lang", "en", "why"], {"CRAMP_LANG": "zh", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        (["search", "抽筋", "--lang", "zh"], {}, CHINESE),  # after the command too
        (["--lang", "zh-Hans", "why"], {}, CHINESE),
        (["--lang", "zh_CN", "why"], {}, CHINESE),
        # ... but not after "--", where it is an argument
        (["log", "--", "--lang", "zh"], {}, ENGLISH),
        # then CRAMP_LANG, over the locale
        (["why"], {"CRAMP_LANG": "zh", "LANG": "en_US.UTF-8"}, CHINESE),
        (["why"], {"CRAMP_LANG": "en", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        # then LANGUAGE: its first entry cramp has
        (["why"], {"LANGUAGE": "fr:zh_CN:en", "LANG": "en_US.UTF-8"}, CHINESE),
        (["why"], {"LANGUAGE": "en_GB:zh", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        (["why"], {"LANGUAGE": "fr:de", "LANG": "zh_CN.UTF-8"}, ENGLISH),  # as gettext does
        (["why"], {"LANGUAGE": "", "LANG": "zh_CN.UTF-8"}, CHINESE),
        # then LC_ALL, LC_MESSAGES, LANG, in that order
        (["why"], {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, CHINESE),
        (["why"], {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, ENGLISH),
        (["why"], {"LC_MESSAGES": "zh_SG.UTF-8", "LANG": "en_US.UTF-8"}, CHINESE),
        (["why"], {"LANG": "zh_CN.UTF-8"}, CHINESE),
        (["why"], {"LANG": "zh_CN.GB18030"}, CHINESE),
        (["why"], {"LANG": "zh"}, CHINESE),
        (["why"], {"LANG": "zh_SG"}, CHINESE),
        # C, C.UTF-8, POSIX and empty values are skipped: the next variable decides
        (["why"], {"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, CHINESE),
        (["why"], {"LC_ALL": "C", "LC_MESSAGES": "POSIX", "LANG": "zh_CN.UTF-8"}, CHINESE),
        (["why"], {"CRAMP_LANG": "C", "LANG": "zh_CN.UTF-8"}, CHINESE),
        (["why"], {"LANGUAGE": "C", "LANG": "zh_CN.UTF-8"}, CHINESE),
        (["why"], {"LANG": "C.UTF-8"}, ENGLISH),
        (["why"], {}, ENGLISH),
        # anything else is English
        (["why"], {"LANG": "fr_FR.UTF-8"}, ENGLISH),
        (["why"], {"LANG": "ja_JP.UTF-8", "LC_MESSAGES": ""}, ENGLISH),
        (["why"], {"LANG": "en_GB.UTF-8"}, ENGLISH),
    ],
)
def test_the_order_and_the_mapping(argv: list[str], environ: dict[str, str], code: str) -> None:
    choice = choose(argv, environ)
    assert choice.code == code
    assert choice.error is None and choice.warning is None and choice.note is None


@pytest.mark.parametrize(
    "environ",
    [
        {"LANG": "zh_TW.UTF-8"},
        {"LANG": "zh_HK.UTF-8"},
        {"LC_ALL": "zh_TW"},
        {"CRAMP_LANG": "zh-Hant"},
        {"LANGUAGE": "zh_HK:en"},
    ],
)
def test_traditional_chinese_gets_simplified_with_a_note(environ: dict[str, str]) -> None:
    choice = choose(["why"], environ)
    assert choice.code == CHINESE
    assert choice.note is not None and "\n" not in choice.note
    assert "Traditional Chinese" in choice.note and "繁体" in choice.note


def test_lang_with_a_language_cramp_lacks_is_an_error_listing_the_languages() -> None:
    choice = choose(["--lang", "fr", "why"], {"LANG": "zh_CN.UTF-8"})
    assert choice.error is not None
    assert "'fr'" in choice.error and "en, zh" in choice.error


@pytest.mark.parametrize("value", ["\r", "a\nb", "zh\x1b[31m", "\u2028"])
def test_an_unknown_language_with_control_characters_stays_one_line(value: str) -> None:
    """Found by the CLI fuzz: `cramp kb --lang $'\\r'` printed a carriage return."""
    error = choose(["--lang", value], {}).error
    warning = choose([], {"CRAMP_LANG": value}).warning
    assert error is not None and error.isprintable(), repr(error)
    # A blank CRAMP_LANG is ignored; any warning is one printable line.
    assert warning is None or warning.isprintable(), repr(warning)


def test_cramp_lang_with_a_language_cramp_lacks_warns_and_speaks_english() -> None:
    choice = choose(["why"], {"CRAMP_LANG": "fr", "LANG": "zh_CN.UTF-8"})
    assert choice.code == ENGLISH
    assert choice.warning is not None and "'fr'" in choice.warning and "en, zh" in choice.warning


def test_in_process_lang_sets_the_language_and_a_run_without_it_resets_it() -> None:
    chinese = run("--lang", "zh", "why")
    assert chinese.exit_code == 0, chinese.stderr
    assert i18n.current() == CHINESE
    english = run("why")
    assert english.exit_code == 0
    assert i18n.current() == ENGLISH
    assert chinese.stdout != english.stdout


def test_in_process_lang_after_the_command() -> None:
    after = run("why", "--lang", "zh")
    before = run("--lang", "zh", "why")
    assert after.exit_code == before.exit_code == 0
    assert after.stdout == before.stdout
    assert "不要自行停药" in after.stdout


# Real processes: the language is chosen in cramp_cli.entry, before Typer is imported.


def _cramp(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {key: value for key, value in os.environ.items() if key not in LOCALE_VARIABLES}
    base = {key: value for key, value in base.items() if not key.startswith("CRAMP_")}
    base.update(COLUMNS="80", PYTHONUNBUFFERED="1", LANG="C.UTF-8")
    base.update(env)
    return subprocess.run(
        [CRAMP, *args],
        env=base,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_lang_zh_and_a_chinese_locale_give_the_same_help() -> None:
    by_locale = _cramp("--help", LANG="zh_CN.UTF-8")
    by_option = _cramp("--lang", "zh", "--help")
    assert by_locale.returncode == by_option.returncode == 0, by_locale.stderr
    assert by_locale.stdout.startswith("用法：cramp")
    assert "选项：" in by_locale.stdout and "显示本帮助并退出。" in by_locale.stdout
    assert "夜间腿抽筋" in by_locale.stdout
    assert by_locale.stdout == by_option.stdout
    assert by_locale.stderr == by_option.stderr == ""


def test_lang_zh_and_a_chinese_locale_give_the_same_answer() -> None:
    by_locale = _cramp("why", "--format", "plain", LANG="zh_CN.UTF-8")
    by_option = _cramp("--lang=zh", "why", "--format", "plain", LANG="en_US.UTF-8")
    assert by_locale.returncode == by_option.returncode == 0, by_locale.stderr
    assert by_locale.stdout == by_option.stdout
    assert "不要自行停药" in by_locale.stdout


def test_unknown_lang_is_a_one_line_usage_error() -> None:
    done = _cramp("--lang", "fr", "why")
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "'fr'" in lines[0] and "en, zh" in lines[0]


def test_unknown_lang_with_json_is_a_json_usage_error() -> None:
    import json

    done = _cramp("--lang", "fr", "why", "--json")
    assert done.returncode == 2
    assert done.stdout == ""
    error = json.loads(done.stderr)["error"]
    assert error["code"] == "usage" and "en, zh" in error["message"]


def test_unknown_cramp_lang_warns_once_and_answers_in_english() -> None:
    done = _cramp("why", "--format", "plain", CRAMP_LANG="fr")
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "CRAMP_LANG" in lines[0] and "en, zh" in lines[0]
    assert "Never stop or change a prescribed medicine on your own" in done.stdout


def test_traditional_chinese_locale_notes_and_speaks_simplified() -> None:
    done = _cramp("--help", LANG="zh_TW.UTF-8")
    assert done.returncode == 0
    assert done.stdout == _cramp("--lang", "zh", "--help").stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "繁体" in lines[0]


def test_c_locale_is_english() -> None:
    done = _cramp("--help", LANG="C.UTF-8", LC_ALL="C")
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: cramp")
    assert done.stderr == ""


def test_choosing_chinese_sets_no_environment_variable() -> None:
    """No LANGUAGE (or any other variable) is set for gettext's sake: the pager and any
    other child process see the environment cramp got."""
    before = dict(os.environ)
    assert run("--lang", "zh", "why").exit_code == 0
    assert dict(os.environ) == before
