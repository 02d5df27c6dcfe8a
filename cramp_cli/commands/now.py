"""`cramp now`: one screen for the moment of a cramp, then (on a terminal) a timer and an
offer to log it. Bare `cramp` on a terminal comes here too (cli.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cramp_cli import completion
from cramp_cli.i18n.text import N_, _
from cramp_cli.options import (
    DbOption,
    FormatOption,
    JsonOption,
    NoColorOption,
    OutputFormat,
    ask_on_stderr,
    ask_which_muscle,
    can_prompt,
    chosen_format,
    current_kb,
    emit,
    examples,
    open_diary,
    stdout_is_terminal,
    wrapped,
)

if TYPE_CHECKING:
    from cramp_cli.results import NowResult, Stretch
    from cramp_cli.stopwatch import Timing

app = typer.Typer()


@app.command(epilog=examples("cramp now", "cramp now shin", "cramp now thigh --no-timer"))
def now(
    named: Annotated[
        str | None,
        typer.Argument(
            metavar="[MUSCLE]",
            help=N_(
                "The cramping muscle (calf, shin, foot, thigh, ...). Default: the back of "
                "the calf, where most night cramps are."
            ),
            autocompletion=completion.muscles,
            show_default=False,
        ),
    ] = None,
    no_timer: Annotated[
        bool,
        typer.Option("--no-timer", help=N_("Show the stretch and exit: no timer, no questions.")),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Show the stretch for a cramp right now, then time it."""
    from cramp_cli import right_now

    kb = current_kb()
    result = right_now.now(kb, named)
    emit(result, as_json, fmt, no_color)
    human = chosen_format(as_json, fmt) is OutputFormat.TABLE
    if no_timer or not human or not (can_prompt() and stdout_is_terminal()):
        return
    timing = _time_it(result, no_color)
    if timing.eased and result.stretches:
        _offer_to_log(result, timing, db)


def _time_it(result: NowResult, no_color: bool) -> Timing:
    from cramp_cli import stopwatch
    from cramp_cli.render.rich_view import long_cramp_alert, make_console

    def tick(seconds: float) -> None:
        eases = _("Press Enter when it eases.")
        sys.stderr.write(f"\r{stopwatch.clock_face(seconds)}  {eases}\x1b[K")
        sys.stderr.flush()

    def alert(seconds: float) -> None:
        sys.stderr.write("\n")
        make_console(no_color=no_color).print(long_cramp_alert(result))
        sys.stdout.flush()

    timing = stopwatch.time_cramp(
        limit_seconds=result.long_cramp_minutes * 60,
        now=stopwatch.clock,
        wait_for_enter=stopwatch.wait_for_line(sys.stdin.fileno()),
        on_tick=tick,
        on_limit=alert,
    )
    if not timing.eased:  # the input ended: the Enter that ends the line was never typed
        sys.stderr.write("\n")
    return timing


def _offer_to_log(result: NowResult, timing: Timing, db: Path | None) -> None:
    from cramp_cli import stopwatch

    minutes = stopwatch.measured_minutes(timing.seconds)
    stretch = _which_to_log(result.stretches, minutes)
    if stretch is not None:
        entry_id = _log(stretch, minutes, timing.seconds, db)
        logged = _("Logged as entry {id}. Add to it: cramp log edit last --woke")
        typer.echo(wrapped(logged.format(id=entry_id)))
    if timing.passed_limit:
        typer.echo(
            wrapped(
                _(
                    "It lasted more than {limit} minutes: a warning sign. "
                    "Run 'cramp check --minutes {minutes}'."
                ).format(limit=result.long_cramp_minutes, minutes=f"{minutes:g}")
            )
        )


def _which_to_log(stretches: tuple[Stretch, ...], minutes: float) -> Stretch | None:
    """The stretch (and so the muscle) to log, once the person says yes; None for no."""
    if len(stretches) > 1:  # "thigh": ask which muscle it was
        offer = _("Log it in your diary ({minutes} min)? Enter alone for no.")
        typer.echo(wrapped(offer.format(minutes=f"{minutes:g}")), err=True)
        chosen = ask_which_muscle([stretch.muscle for stretch in stretches], _("Which muscle?"))
        return next((stretch for stretch in stretches if stretch.muscle.id == chosen), None)
    (stretch,) = stretches
    offer = _("Log it in your diary: {muscle}, {minutes} min, eased by stretching?").format(
        muscle=stretch.muscle.name.lower(), minutes=f"{minutes:g}"
    )
    from cramp_cli import i18n

    if i18n.current() != i18n.ENGLISH:
        return stretch if _yes_or_no(offer) else None
    question = wrapped(offer, room=len(" [y/N]: "))
    return (
        stretch if ask_on_stderr(lambda: typer.confirm(question, default=False, err=True)) else None
    )


def _yes_or_no(offer: str) -> bool:
    """Click's confirm knows only y and n: in Chinese, 是 and 否 (cramp_cli/replies.py) too.
    Enter alone, or the end of the input, is no."""
    from cramp_cli.i18n.wrap import width
    from cramp_cli.replies import parse_reply

    hint = _("[y/N]")
    question = wrapped(offer, room=width(hint) + 3)
    while True:
        reply = ask_on_stderr(
            lambda: str(
                typer.prompt(f"{question} {hint}", default="", show_default=False, err=True)
            )
        )
        if reply is None or not reply.strip():
            return False
        answer = parse_reply(reply)
        if answer in ("yes", "no"):
            return answer == "yes"
        typer.echo(_("Please answer y (yes) or n (no)."), err=True)


def _log(stretch: Stretch, minutes: float, seconds: float, db: Path | None) -> str:
    from datetime import timedelta

    from cramp_cli.diary import models

    started = models.parse_at("now") - timedelta(seconds=int(seconds))
    entry = models.Entry(
        id=models.new_id(),
        at=started,
        night=models.night_of(started),
        muscle=stretch.muscle.id,
        minutes=minutes,
        relief=stretch.relief_id,
    )
    diary = open_diary(db, write=True)
    assert diary is not None
    with diary:
        return diary.add(entry).id
