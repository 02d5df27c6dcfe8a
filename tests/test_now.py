"""`cramp now`: the one screen for the moment of a cramp, its timer and its offer to log.

The screen is tested on a real pseudo-terminal of 80x24; the timer's ten minutes pass in a
second with a faster clock, given to the real process the way a test can: by replacing
cramp_cli.stopwatch.clock before cramp starts.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cramp_cli import api, right_now, stopwatch
from tests.conftest import run, usage_error
from tests.pty_session import Terminal

KB = api.load_kb()
DISCLAIMER_START = "This is general information about night-time leg cramps"
FAST_CLOCK = (
    "import sys, time\n"
    "import cramp_cli.stopwatch as stopwatch\n"
    "start = time.monotonic()\n"
    "stopwatch.clock = lambda: start + (time.monotonic() - start) * 300\n"
    "from cramp_cli.entry import main\n"
    "main()\n"
)


def _diary_rows(path: Path) -> list[tuple[str, float, str]]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT muscle, minutes, relief FROM entries"))


# ---------------------------------------------------------------- the answer itself


def test_without_a_muscle_it_takes_the_back_of_the_calf_and_says_so() -> None:
    result = run("now")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Muscle: back-calf (Back of the calf)" in out
    assert "Note: Taking the back of the calf" in out
    assert "  1. Straighten the knee of the cramping leg." in out
    assert "  6." not in out
    assert "After: Then rub the calf" in out
    assert "Warning: Stop and run 'cramp check'" in out
    assert "10 minutes" in out
    assert out.rstrip().endswith("call your local emergency number.")
    assert "Press Enter" not in out + result.stderr  # piped: no timer, no question


@pytest.mark.parametrize("muscle", [muscle.id for muscle in KB.muscles])
def test_every_muscle_has_a_short_stretch_of_at_most_five_steps(muscle: str) -> None:
    document = json.loads(run("now", muscle, "--json").stdout)
    (stretch,) = document["stretches"]
    assert stretch["muscle"]["id"] == muscle
    assert 1 <= len(stretch["steps"]) <= 5
    assert all(len(step) <= 80 for step in stretch["steps"])
    assert stretch["after"]
    assert document["notes"] == []  # a muscle that was named needs no note
    assert document["long_cramp"]["level"] == "urgent"
    assert document["disclaimer"].startswith(DISCLAIMER_START)


def test_an_alias_works_and_an_unknown_name_is_a_usage_error() -> None:
    assert "Muscle: front-calf" in run("now", "shin").stdout
    assert "unknown muscle 'elbow'" in usage_error(run("now", "elbow"))


def test_the_long_cramp_limit_and_level_come_from_the_data(kb_copy: Path) -> None:
    triage = kb_copy / "triage.yaml"
    text = triage.read_text(encoding="utf-8")
    assert "more_than: 10" in text
    triage.write_text(text.replace("more_than: 10", "more_than: 7"), encoding="utf-8")
    patterns = kb_copy / "patterns.yml"  # the diary's pattern must agree with the limit
    text = patterns.read_text(encoding="utf-8")
    patterns.write_text(text.replace("more_than: 10", "more_than: 7"), encoding="utf-8")
    result = run("now", "--json", env={"CRAMP_DATA_DIR": str(kb_copy)})
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["long_cramp_minutes"] == 7
    assert "not eased in 7 minutes" in document["warning"]


@pytest.mark.parametrize("fmt", ["plain", "markdown", "json", "jsonl", "table"])
def test_every_format_carries_the_disclaimer_and_the_warning(fmt: str) -> None:
    result = run("now", "foot", "--format", fmt, "--no-color")
    assert result.exit_code == 0, result.stderr
    assert DISCLAIMER_START in result.stdout
    assert "cramp check" in result.stdout


@pytest.mark.parametrize("columns", [40, 60, 80, 120])
def test_the_screen_fits_with_room_to_spare(columns: int) -> None:
    result = run("now", "--format", "table", env={"COLUMNS": str(columns)})
    lines = result.stdout.rstrip("\n").split("\n")
    assert all(len(line) <= columns for line in lines)
    assert "1. Straighten the knee" in result.stdout
    if columns >= 80:
        assert len(lines) <= 20  # 24 rows, less the timer's line and some room


# ---------------------------------------------------------------- the timer, with a fake clock


class FakeTime:
    """A clock that moves only when the code waits: each wait passes its whole timeout,
    until the person presses Enter at `press_at` seconds (or the input ends)."""

    def __init__(self, press_at: float, ends: bool = False) -> None:
        self.now = 1000.0
        self.press_at = 1000.0 + press_at
        self.ends = ends
        self.ticks: list[float] = []
        self.alerts: list[float] = []

    def clock(self) -> float:
        return self.now

    def wait(self, timeout: float) -> bool | None:
        if self.now + timeout >= self.press_at:
            self.now = self.press_at
            return not self.ends
        self.now += timeout
        return None

    def time(self, limit: float) -> stopwatch.Timing:
        return stopwatch.time_cramp(
            limit_seconds=limit,
            now=self.clock,
            wait_for_enter=self.wait,
            on_tick=self.ticks.append,
            on_limit=self.alerts.append,
        )


def test_ten_minutes_show_the_long_cramp_advice_once_and_at_the_limit() -> None:
    fake = FakeTime(press_at=11 * 60 + 3.5)
    timing = fake.time(limit=600)
    assert timing == stopwatch.Timing(seconds=663.5, eased=True, passed_limit=True)
    assert fake.alerts == [600.0]
    assert stopwatch.measured_minutes(timing.seconds) == 11.1


@given(
    press_at=st.floats(min_value=0, max_value=3 * 3600, allow_nan=False),
    limit=st.integers(min_value=1, max_value=30 * 60),
    ends=st.booleans(),
)
@settings(max_examples=200, deadline=None)
def test_the_alert_comes_exactly_when_the_limit_passes(
    press_at: float, limit: int, ends: bool
) -> None:
    fake = FakeTime(press_at, ends)
    timing = fake.time(limit)
    assert timing.eased is not ends
    assert timing.seconds == pytest.approx(press_at)
    # Enter at the very second of the limit comes first: the cramp did not last *more*
    assert timing.passed_limit is (press_at > limit)
    assert fake.alerts == ([pytest.approx(limit)] if press_at > limit else [])
    # it ticks at least once a second, so the clock on screen never stops
    assert all(later - earlier <= 1.0 + 1e-6 for earlier, later in itertools.pairwise(fake.ticks))


@pytest.mark.parametrize(
    ("seconds", "face", "minutes"),
    [(0, "0:00", 0.1), (42.9, "0:42", 0.7), (605, "10:05", 10.1), (3723, "1:02:03", 62.0)],
)
def test_clock_face_and_logged_minutes(seconds: float, face: str, minutes: float) -> None:
    assert stopwatch.clock_face(seconds) == face
    assert stopwatch.measured_minutes(seconds) == minutes


def test_right_now_builds_from_a_users_stretch_without_a_short_form() -> None:
    muscle = KB.muscle("back-calf")
    stretch = right_now.main_stretch(KB, muscle)
    assert stretch is not None
    assert stretch.relief_id == "relief-back-calf"
    assert stretch.steps == KB.relief_item("relief-back-calf").short_steps


# ---------------------------------------------------------------- a real terminal


def test_on_an_80x24_terminal_the_stretch_is_on_screen_and_nothing_is_logged_without_yes(
    tmp_path: Path,
) -> None:
    diary = tmp_path / "diary.sqlite3"
    terminal = Terminal("now", env={"CRAMP_DB": str(diary)})
    terminal.read_until("Press Enter when it eases.")
    screen = terminal.screen()
    shown = "\n".join(screen)
    assert "Cramp in the back of the calf" in shown
    assert "1. Straighten the knee of the cramping leg." in shown
    assert "5. Keep the stretch gentle and steady until the cramp eases." in shown
    assert "Stop and run 'cramp check'" in shown
    assert "In an emergency, call your local emergency number." in shown
    assert all(len(line) <= 80 for line in screen)
    terminal.type("\n")
    terminal.read_until("[y/N]")
    terminal.type("n\n")
    assert terminal.wait() == 0
    assert "Logged" not in terminal.text
    assert not diary.exists()


def test_bare_cramp_on_a_terminal_is_cramp_now() -> None:
    terminal = Terminal(columns=40)
    terminal.read_until("Press Enter when it eases.")
    assert "Cramp in the back of the" in terminal.text
    assert all(len(line) <= 40 for line in terminal.screen())
    terminal.interrupt()
    assert terminal.wait() == 130


def test_bare_cramp_on_a_pipe_is_the_help_with_exit_code_2() -> None:
    result = run()
    assert result.exit_code == 2
    assert "Usage: cramp" in result.stdout + result.stderr
    assert "Press Enter" not in result.stdout


def test_ten_minutes_on_the_clock_bring_the_advice_without_a_key_then_a_yes_logs_it(
    tmp_path: Path,
) -> None:
    diary = tmp_path / "diary.sqlite3"
    terminal = Terminal("now", "shin", env={"CRAMP_DB": str(diary)}, code=FAST_CLOCK)
    terminal.read_until("Press Enter when it eases.")
    text = terminal.read_until("Get medical help today", timeout=30)
    assert " URGENT " in text
    assert "10 minutes have passed." in text
    terminal.type("\n")
    terminal.read_until("[y/N]")
    terminal.type("y\n")
    assert terminal.wait() == 0
    assert "Logged as entry" in terminal.text
    assert "Run 'cramp check --minutes" in terminal.text
    ((muscle, minutes, relief),) = _diary_rows(diary)
    assert (muscle, relief) == ("front-calf", "relief-front-calf")
    assert minutes >= 10


def test_ctrl_c_during_the_timer_exits_130_and_logs_nothing(tmp_path: Path) -> None:
    diary = tmp_path / "diary.sqlite3"
    terminal = Terminal("now", env={"CRAMP_DB": str(diary)})
    terminal.read_until("Press Enter when it eases.")
    terminal.interrupt()
    assert terminal.wait() == 130
    assert "Traceback" not in terminal.text
    assert not diary.exists()


def test_the_end_of_input_stops_the_timer_without_a_question(tmp_path: Path) -> None:
    diary = tmp_path / "diary.sqlite3"
    terminal = Terminal("now", env={"CRAMP_DB": str(diary)})
    terminal.read_until("Press Enter when it eases.")
    terminal.type("\x04")  # Ctrl-D on an empty line
    assert terminal.wait() == 0
    assert "[y/N]" not in terminal.text
    assert not diary.exists()


def test_no_timer_on_a_terminal_shows_the_screen_and_exits() -> None:
    terminal = Terminal("now", "--no-timer")
    assert terminal.wait() == 0
    assert "1. Straighten the knee" in terminal.text
    assert "Press Enter" not in terminal.text


def test_steps_no_medical_source_gives_say_so_on_the_screen() -> None:
    shin = run("now", "shin", "--format", "table", "--no-color").stdout
    assert "No medical source describes relief for a cramp in the front of the shin" in " ".join(
        shin.split()
    )
    calf = run("now", "calf", "--format", "plain").stdout
    assert "Evidence:" not in calf  # its grade's words say enough
    assert "advice from health services, not tested in trials" in calf
    assert "swollen, warm, red or darker than the other" in calf


def test_cramp_format_json_on_a_terminal_gives_json_and_asks_nothing(tmp_path: Path) -> None:
    terminal = Terminal("now", "--no-pager", env={"CRAMP_FORMAT": "json"})
    assert terminal.wait() == 0
    document = json.loads(terminal.text)
    assert document["command"] == "now"
    assert "Press Enter" not in terminal.text


def test_thigh_shows_both_stretches_on_one_screen_and_asks_which_to_log(tmp_path: Path) -> None:
    diary = tmp_path / "diary.sqlite3"
    terminal = Terminal("now", "thigh", env={"CRAMP_DB": str(diary)})
    terminal.read_until("Press Enter when it eases.")
    shown = "\n".join(terminal.screen())
    assert "'thigh' could mean either muscle" in shown
    assert "Stretch the back of the thigh" in shown
    assert "Stretch the front of the thigh" in shown
    assert "In an emergency, call your local emergency number." in shown
    terminal.type("\n")
    terminal.read_until("Which muscle? [1-2]")
    terminal.type("2\n")
    assert terminal.wait() == 0
    ((muscle, _, relief),) = _diary_rows(diary)
    assert (muscle, relief) == ("front-thigh", "relief-front-thigh")


def test_thigh_with_no_answer_to_which_logs_nothing(tmp_path: Path) -> None:
    diary = tmp_path / "diary.sqlite3"
    terminal = Terminal("now", "thigh", env={"CRAMP_DB": str(diary)})
    terminal.read_until("Press Enter when it eases.")
    terminal.type("\n")
    terminal.read_until("Which muscle? [1-2]")
    terminal.type("\n")
    assert terminal.wait() == 0
    assert not diary.exists()


def test_a_note_is_said_once_whatever_the_number_of_stretches() -> None:
    plain = run("now", "thigh", "--format", "plain").stdout
    assert plain.count("could mean either muscle") == 1
    assert plain.count("Muscle: ") == 2
    assert run("now", "leg", "--format", "plain").stdout.count("Note: ") == 1


# ---------------------------------------------------------------- in Chinese (issue 16)


def _columns(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


def test_on_an_80x24_terminal_in_chinese_the_stretch_warning_and_disclaimer_fit(
    tmp_path: Path,
) -> None:
    diary = tmp_path / "diary.sqlite3"
    terminal = Terminal("now", env={"LANG": "zh_CN.UTF-8", "CRAMP_DB": str(diary)})
    terminal.read_until("缓解后请按 Enter。")
    screen = terminal.screen()
    assert all(_columns(line) <= 80 for line in screen), "\n".join(screen)
    # The whole answer is on the 24 rows: from its heading to the timer's line.
    assert "小腿肚（小腿后侧）抽筋" in terminal.text.split("\n")[0]
    assert len(terminal.text.rstrip("\n").split("\n")) <= 24
    shown = "".join("".join(screen).replace("│", "").split())
    assert "1.伸直抽筋那条腿的膝盖。" in shown
    assert "5.拉伸要轻、要稳，一直保持到抽筋缓解。" in shown
    assert "请停下来运行crampcheck：这可能不是抽筋。" in shown
    assert "遇到紧急情况，请拨打当地急救电话。" in shown
    assert "Press Enter" not in terminal.text
    terminal.type("\n")
    terminal.read_until("[是/否，y/N]")
    assert "要记到日记里吗" in terminal.text
    terminal.type("否\n")
    assert terminal.wait() == 0
    assert not diary.exists()


def test_in_chinese_ten_minutes_bring_the_advice_and_a_yes_logs_it(tmp_path: Path) -> None:
    diary = tmp_path / "diary.sqlite3"
    terminal = Terminal(
        "now", "shin", env={"LANG": "zh_CN.UTF-8", "CRAMP_DB": str(diary)}, code=FAST_CLOCK
    )
    terminal.read_until("缓解后请按 Enter。")
    text = terminal.read_until("已经过去 10 分钟。", timeout=30)
    assert "尽快：今天就医" in text
    assert " URGENT " not in text
    terminal.type("\n")
    terminal.read_until("[是/否，y/N]")
    terminal.type("好\n")  # neither yes nor no: asked again
    terminal.read_until("请回答是或否")
    terminal.type("是\n")
    assert terminal.wait() == 0
    assert "已记录，编号" in terminal.text
    assert "请运行 cramp check --minutes" in terminal.text
    assert len(_diary_rows(diary)) == 1
