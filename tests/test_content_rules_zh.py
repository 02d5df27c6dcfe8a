# ruff: noqa: RUF001  (full-width Chinese punctuation is the point)
"""Issue 16 item 7: the wording safety rules on Chinese text (no doses, no quinine advice, no
stopping medicines alone), over every data/i18n/zh-Hans/*.yaml file that exists and over user
files written in Chinese. A unit counts only after a number: 休克 (shock) is not a dose."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cramp_cli.knowledge.content_rules import (
    check_translation,
    find_dose,
    find_quinine_recommendation,
    find_stop_advice,
    text_breaches,
)
from tests.conftest import run

TRANSLATIONS = sorted((Path(__file__).parent.parent / "data" / "i18n" / "zh-Hans").glob("*.yaml"))

# ---------------------------------------------------------------- doses

ZH_DOSES = [
    "睡前服用 300 毫克镁。",
    "睡前服用300毫克镁。",  # no space
    "每天补充 400 国际单位维生素 E。",
    "每晚吃 1000 微克维生素 B12。",
    "喝 5 毫升糖浆。",
    "１０００毫克的钙",  # full-width digits
    "五百毫克镁",  # Chinese numerals
    "两克盐溶在水里喝下，再补充电解质。",
    "每晚300mg镁",  # a Latin unit right against Chinese
    "400IU维生素E",
    "一次吃两片布洛芬。",
    "服用 1-2 粒胶囊。",
    "服用一到两粒镁胶囊。",
    "每天三次服用钙片。",
    "每天服用 2 次镁补充剂。",
    "每 8 小时吃一次止痛药。",
    "早晚各一片维生素。",
]
ZH_NOT_DOSES = [
    "拉伸 10 分钟。",
    "拉伸10分钟。",
    "保持 30 秒。",
    "抽筋持续超过 10 分钟，请今天就医。",
    "休克是急症，请立即拨打 120。",
    "低钙血症可以引起休克吗？",
    "体重 60 千克以上的人",
    "大约三分之一的 60 岁以上的人会抽筋。",
    "2 型糖尿病",
    "每天拉伸三次。",  # a schedule, but not next to a medicine
    "脚底一片麻木。",  # 一片 (a stretch of), no medicine in the clause
    "万一克服不了，就去看医生。",
    "每天喝 2 升水。",
    "在 2012 年，一篇综述分析了 4 项试验。",
    "15%–87% 的人有所改善。",
    "拨打 999 或 119。",
]


@pytest.mark.parametrize("text", ZH_DOSES)
def test_a_chinese_dose_is_found(text: str) -> None:
    assert find_dose(text), text


@pytest.mark.parametrize("text", ZH_NOT_DOSES)
def test_chinese_numbers_that_are_not_doses_pass(text: str) -> None:
    assert find_dose(text) is None, (text, find_dose(text))


NUMERALS = set(
    "0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千万半几壹贰叁肆伍陆柒捌玖拾佰仟"
)
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF).filter(lambda c: c not in NUMERALS)
PUNCTUATION = st.sampled_from(list("，。；：！？、（）“”　 "))
CHINESE_TEXT = st.text(st.one_of(HAN, PUNCTUATION), max_size=60)
UNITS = ["毫克", "微克", "克", "毫升", "国际单位"]
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=100_000).map(str),
    st.text(st.sampled_from(list("一二两三四五六七八九十百万半几")), min_size=1, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(CHINESE_TEXT)
def test_chinese_text_without_a_number_is_never_a_dose(text: str) -> None:
    assert find_dose(text) is None, text


@settings(max_examples=300, deadline=None)
@given(CHINESE_TEXT, NUMBERS, st.sampled_from(["", " ", "\u3000"]), st.sampled_from(UNITS))
def test_any_number_and_a_dose_unit_is_always_a_dose(
    before: str, number: str, space: str, unit: str
) -> None:
    text = f"{before}服用{number}{space}{unit}"
    assert find_dose(text), text
    assert any(message.startswith("no doses") for message in text_breaches(text)), text


# ---------------------------------------------------------------- quinine

ZH_RECOMMENDS_QUININE = [
    "服用奎宁。",
    "可以试试奎宁水。",
    "抽筋严重时，吃点奎宁。",
    "奎宁有效。",
    "奎宁很安全。",
    "奎宁能缓解抽筋。",
    "奎宁水效果不错。",
    "医生推荐奎宁。",
    "喝点含奎宁的汤力水。",
    "继续服用奎宁。",
]
ZH_REPORTS_QUININE = [
    "不要服用奎宁。",
    "请勿使用奎宁治疗抽筋。",
    "奎宁不推荐用于治疗抽筋，因为可能有严重副作用。",
    "您是否在服用奎宁？",
    "您在服用奎宁吗？",
    "服用奎宁的人可能出血。",
    "服用奎宁期间出现瘀青，请今天就医。",
    "如果您服用奎宁后出现出血，请立即拨打急救电话。",
    "医生不再推荐奎宁。",
    "避免使用奎宁。",
    "奎宁的有效性没有得到证实。",
    "奎宁可能导致严重出血。",
    "用拉伸代替奎宁。",
    "在比较维生素 E 与奎宁的试验中，两者效果相近。",
]


@pytest.mark.parametrize("text", ZH_RECOMMENDS_QUININE)
def test_chinese_text_recommending_quinine_is_found(text: str) -> None:
    assert find_quinine_recommendation(text), text


@pytest.mark.parametrize("text", ZH_REPORTS_QUININE)
def test_chinese_text_that_only_reports_quinine_passes(text: str) -> None:
    assert find_quinine_recommendation(text) is None, (text, find_quinine_recommendation(text))


# ---------------------------------------------------------------- stopping a medicine

ZH_STOPS = [
    "停药。",
    "抽筋时就停药。",
    "停止服用他汀类药物。",
    "停用利尿剂。",
    "把降压药停掉。",
    "别吃降压药了。",
    "不要再服用这种药。",
    "减少剂量。",
    "剂量减半。",
]
ZH_NOT_STOPS = [
    "不要自行停药。",
    "请勿擅自停药。",
    "不要突然停止服用。",
    "切勿自行停用处方药。",
    "不要自行停药，请先咨询医生或药师。",
    "请先咨询医生或药师再停药。",
    "在医生指导下停药。",
    "遵医嘱减少剂量。",
    "抽筋缓解后就停止拉伸。",
    "不要再吃辛辣食物。",
    "疼痛通常几分钟内会停止。",
]


@pytest.mark.parametrize("text", ZH_STOPS)
def test_chinese_advice_to_stop_a_medicine_is_found(text: str) -> None:
    assert find_stop_advice(text), text


@pytest.mark.parametrize("text", ZH_NOT_STOPS)
def test_chinese_do_not_stop_and_stopping_with_a_doctor_pass(text: str) -> None:
    assert find_stop_advice(text) is None, (text, find_stop_advice(text))


# ---------------------------------------------------------------- translation files

BAD_TRANSLATION = {
    "causes": [
        {
            "id": "statins",
            "from": "",
            "summary": "他汀类药物可能与抽筋有关。",
            "details": "停药就好。",
        },
        {"id": "magnesium-low", "from": "", "details": "睡前服用 300 毫克镁。"},
    ],
    "relief": [{"id": "relief-calf", "from": "", "steps": ["轻轻地拉伸。", "喝点奎宁水。"]}],
    "muscles": [{"id": "calf", "from": "", "description": "小腿后侧。", "aliases": ["奎宁"]}],
    "signs": [
        {"id": "chest-pain", "from": "", "note": "奎宁很安全。"},
        {"id": "quinine-bleeding", "from": "", "advice": "停止服用奎宁，立即就医。"},
        {"id": "heavy-bleeding", "from": "", "advice": "停止服用奎宁和他汀。"},
    ],
    "triage": {"levels": [{"level": "urgent", "action": "今天就医：联系{urgent}。"}]},
}


def test_every_string_of_a_translation_file_is_checked() -> None:
    found = {(breach.field, breach.message[:12]) for breach in check_translation(BAD_TRANSLATION)}
    assert found == {
        (("causes", 0, "details"), "never advise"),
        (("causes", 1, "details"), "no doses: '3"),
        (("relief", 0, "steps", 1), "no text may "),
        (("relief", 0, "steps", 1), "quinine is n"),
        (("muscles", 0, "aliases", 0), "quinine is n"),
        (("signs", 0, "note"), "no text may "),
        (("signs", 2, "advice"), "never advise"),
    }


def test_a_clean_translation_passes_and_ids_and_hashes_are_not_text() -> None:
    clean = {
        "causes": [{"id": "300-mg", "from": "5 毫克", "summary": "可能与抽筋有关。"}],
        "signs": [{"id": "quinine-bleeding", "from": "", "advice": "停止服用奎宁，立即就医。"}],
        "safety_net": ["如果出现胸痛或呼吸急促，请立即拨打急救电话。"],
    }
    assert check_translation(clean) == []


@pytest.mark.parametrize("path", TRANSLATIONS, ids=[path.name for path in TRANSLATIONS])
def test_every_shipped_chinese_translation_keeps_the_rules(path: Path) -> None:
    document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    breaches = [
        f"{path.name}: {breach.field}: {breach.message}" for breach in check_translation(document)
    ]
    assert breaches == []


# ---------------------------------------------------------------- user files in Chinese


def _prevention(summary: str, details: str = "我自己的做法。") -> str:
    return (
        "prevention:\n"
        "  - id: my-item\n"
        "    title: 我的睡前习惯\n"
        f"    summary: {summary}\n"
        f"    details: {details}\n"
        "    who: [everyone]\n"
        "    sources: [nhs-leg-cramps]\n"
        "    evidence: {grade: weak, note: 我自己的记录。, weak_reason: health-advice}\n"
    )


@pytest.mark.parametrize(
    ("summary", "details", "fragment", "line"),
    [
        ("睡前服用 300 毫克镁。", "我自己的做法。", "no doses: '300 毫克'", 4),
        ("睡前拉伸小腿。", "拉伸没用就吃奎宁。", "no text may recommend quinine", 5),
        ("睡前拉伸小腿。", "抽筋多了就停药。", "never advise stopping", 5),
    ],
    ids=["dose", "quinine", "stop"],
)
def test_a_chinese_user_file_breaking_a_rule_is_refused(
    tmp_path: Path, summary: str, details: str, fragment: str, line: int
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(_prevention(summary, details), encoding="utf-8")
    result = run("--kb", str(mine), "why")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stdout == ""
    error = result.stderr.strip()
    assert "\n" not in error and "Traceback" not in error
    assert error.startswith(f"Error: {mine}:{line}: "), error
    assert fragment in error, error


def test_a_chinese_user_file_keeping_the_rules_is_accepted(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        _prevention(
            "睡前轻轻地拉伸小腿 30 秒，每天三次。", "不要自行停药，请先咨询医生或药师。休克是急症。"
        ),
        encoding="utf-8",
    )
    result = run("--kb", str(mine), "kb", "validate")
    assert result.exit_code == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "一片" * 200_000 + "药",  # a count unit at every other character, a medicine at the end
        "服用" + "一" * 300_000 + "毫克",
        "奎宁" * 200_000,
        "不要自行停药" * 50_000,
        "１" * 200_000 + "毫克",
    ],
    ids=["count units", "numerals", "quinine", "stops", "full-width digits"],
)
def test_long_chinese_runs_are_checked_in_linear_time(text: str) -> None:
    import time

    text_breaches.cache_clear()
    started = time.monotonic()
    text_breaches(text)
    assert time.monotonic() - started < 5
