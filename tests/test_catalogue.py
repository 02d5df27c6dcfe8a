"""The gettext catalogue (issue 16, item 2): complete, current, compiled, shipped; and the
help and usage errors people see in Chinese, from Typer, Click and cramp alike."""

from __future__ import annotations

import gettext
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cramp_cli import i18n
from cramp_cli.i18n import text
from cramp_cli.wording import (
    DISCLAIMER,
    MEDICINE_SAFETY,
    RELIEF_SAFETY,
    grade_words,
    who_can_help,
)
from tests.conftest import REPO, run

LOCALE = REPO / "cramp_cli" / "i18n" / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "cramp.po"
MO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "cramp.mo"


def _extracted() -> set[str]:
    """What `pybabel extract -F babel.cfg -k N_` finds in the sources, as a fresh .pot would."""
    with open(REPO / "babel.cfg", encoding="utf-8") as config:
        from babel.messages.frontend import parse_mapping_cfg

        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(REPO), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue() -> dict[str, str]:
    with open(PO, "rb") as source:
        po = read_po(source)
    return {str(message.id): str(message.string) for message in po if message.id}


def test_every_message_of_the_sources_is_in_the_catalogue_and_nothing_else() -> None:
    extracted = _extracted()
    catalogue = _catalogue()
    missing = sorted(extracted - catalogue.keys())
    stale = sorted(catalogue.keys() - extracted)
    assert not missing, f"run pybabel extract/update (CONTRIBUTING): missing {missing}"
    assert not stale, f"run pybabel update: no longer in the sources {stale}"
    assert "This is general information about night-time leg cramps" in " ".join(extracted)


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    with open(PO, "rb") as source:
        po = read_po(source)
    untranslated = [message.id for message in po if message.id and not message.string]
    fuzzy = [message.id for message in po if message.id and message.fuzzy]
    assert not untranslated and not fuzzy, (untranslated, fuzzy)
    assert not list(po.obsolete)


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in _catalogue().items():
        assert sorted(re.findall(r"\{[^}]*\}", msgid)) == sorted(
            re.findall(r"\{[^}]*\}", msgstr)
        ), msgid


def test_the_compiled_catalogue_is_the_po_compiled() -> None:
    with open(PO, "rb") as source:
        po = read_po(source)
    compiled = io.BytesIO()
    write_mo(compiled, po)
    compiled.seek(0)
    fresh = gettext.GNUTranslations(compiled)
    with open(MO, "rb") as shipped_file:
        shipped = gettext.GNUTranslations(shipped_file)
    assert fresh._catalog == shipped._catalog  # type: ignore[attr-defined]


def test_the_wheel_ships_the_compiled_catalogue(tmp_path: Path) -> None:
    import tomllib

    with open(REPO / "pyproject.toml", "rb") as config:
        setuptools = tomllib.load(config)["tool"]["setuptools"]
    assert "cramp_cli.i18n" in setuptools["packages"]
    patterns = setuptools["package-data"]["cramp_cli.i18n"]
    shipped = {path for pattern in patterns for path in (REPO / "cramp_cli/i18n").glob(pattern)}
    assert MO in shipped and PO in shipped


def test_the_runtime_reads_the_catalogue_with_the_standard_library_only() -> None:
    code = (
        "import sys\n"
        "from cramp_cli import i18n\n"
        "from cramp_cli.i18n.text import _\n"
        "i18n.set_current('zh-Hans')\n"
        "print(_('Usage: '))\n"
        "print('babel' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == ["用法：", "False"]


# The safety words follow the language, and English stays as it was.


@pytest.fixture
def chinese() -> object:
    i18n.set_current("zh-Hans")
    yield None
    i18n.set_current(i18n.ENGLISH)


def test_safety_lines_and_grade_words_in_chinese(chinese: object) -> None:
    assert "拨打当地急救电话" in text._(DISCLAIMER)
    assert "不要自行停药" in text._(MEDICINE_SAFETY)
    assert "cramp check" in text._(RELIEF_SAFETY) and "10 分钟" in text._(RELIEF_SAFETY)
    assert grade_words("strong") == "证据充分"
    assert grade_words("weak", "health-advice") == "医疗机构建议，未经试验证实"
    assert grade_words("weak", "studies-disagree") == "研究结论不一"
    assert grade_words("against") == "证据表明无效"
    assert who_can_help(False, ("pregnancy",)) == "请先咨询产科医生或助产士"
    assert who_can_help(False, ()) == "请先咨询医生或药师"


def test_english_words_are_the_msgids() -> None:
    assert i18n.current() == i18n.ENGLISH
    assert text._(DISCLAIMER) is DISCLAIMER
    assert grade_words("strong") == "good evidence"


def test_json_disclaimer_follows_the_language_and_english_json_is_unchanged() -> None:
    english = run("why", "--json")
    assert json.loads(english.stdout)["disclaimer"] == DISCLAIMER
    chinese = run("--lang", "zh", "why", "--json")
    document = json.loads(chinese.stdout)
    assert document["disclaimer"].startswith("以上是关于夜间腿抽筋的一般健康信息")
    assert document["medicine_safety"].startswith("有些药物可能与抽筋有关")
    assert [item["id"] for item in document["items"]] == [
        item["id"] for item in json.loads(english.stdout)["items"]
    ]


def test_every_human_answer_in_chinese_ends_with_the_chinese_disclaimer() -> None:
    for fmt in ("plain", "markdown", "table"):
        done = run("--lang", "zh", "prevent", "--format", fmt)
        assert done.exit_code == 0, done.stderr
        assert "不是诊断" in done.stdout
        assert DISCLAIMER not in done.stdout


# Help and usage errors in Chinese (Typer's words through gettext, Click's through cramp).


def test_help_in_chinese_in_process() -> None:
    done = run("--lang", "zh", "relieve", "--help")
    assert done.exit_code == 0
    assert done.stdout.startswith("用法：cramp relieve")
    assert "选项：" in done.stdout  # Typer's "Options", from cramp's catalogue
    assert "显示本帮助并退出。" in done.stdout  # Click's "Show this message and exit."
    assert "示例：" in done.stdout
    english = run("relieve", "--help")
    assert english.stdout.startswith("Usage: cramp relieve") and "Options:" in english.stdout


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--lang", "zh", "relieve", "--nope"], "没有这个选项：--nope"),
        (["--lang", "zh", "relieve", "calf", "shin", "foot"], "多余的参数：shin foot"),
        (["--lang", "zh", "relieve", "--muscle"], "选项 --muscle 需要一个值"),
        (["--lang", "zh", "nosuch"], "没有 'nosuch' 这个命令"),
        (["--lang", "zh", "--nope"], "没有这个选项：--nope"),
        (["relieve", "--nope", "--lang", "zh"], "没有这个选项：--nope"),
    ],
)
def test_usage_errors_in_chinese_are_one_line(args: list[str], words: str) -> None:
    done = run(*args)
    assert done.exit_code == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("错误：")
    assert words in lines[0]
    assert "--help 查看帮助。" in lines[0]


def test_usage_error_with_json_in_chinese() -> None:
    done = run("--lang", "zh", "relieve", "--json", "--nope")
    assert done.exit_code == 2
    error = json.loads(done.stderr)["error"]
    assert error["code"] == "usage"
    assert error["message"].startswith("没有这个选项：--nope")


def test_english_usage_errors_are_unchanged() -> None:
    done = run("relieve", "--nope")
    assert done.exit_code == 2
    assert "Error: No such option: --nope" in done.stderr


# Help in Chinese fits the terminal: wide characters count two columns, lines break between
# them, and no line starts with closing punctuation.


def _columns(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


@pytest.mark.parametrize("columns", [40, 60, 80])
@pytest.mark.parametrize("command", [[], ["relieve"], ["check"], ["why"], ["now"], ["report"]])
def test_chinese_help_fits_the_terminal(command: list[str], columns: int) -> None:
    done = run("--lang", "zh", *command, "--help", env={"COLUMNS": str(columns)})
    assert done.exit_code == 0
    wide_lines = [line for line in done.stdout.splitlines() if _columns(line) != len(line)]
    assert wide_lines
    for line in wide_lines:
        assert _columns(line) <= columns - 2, line
        assert line.strip()[:1] not in set("，。、；：？！）"), line
        assert not line.endswith("（"), line


def test_wrapping_keeps_latin_words_whole_and_punctuation_with_its_word() -> None:
    from cramp_cli.i18n.wrap import width, wrap

    sample = "只显示证据至少达到这一评级的内容：strong（也可写 good、good evidence）、moderate。"
    words = {"strong", "good", "evidence", "moderate"}
    for columns in range(12, 40):
        lines = wrap(sample, columns)
        assert "".join(lines).replace(" ", "") == sample.replace(" ", "")
        for line in lines:
            assert width(line) <= columns, (columns, lines)
            assert line[:1] not in set("，。、；：？！）"), (columns, lines)
            assert not line.endswith("（"), (columns, lines)
        latin = {word for line in lines for word in re.findall(r"[a-z]+", line)}
        assert latin == words, (columns, lines)  # no word cut in two
