"""The diary commands: `cramp log` (and `log edit`, `log delete`), `history`, `report`,
`export` and `import`.

Values are taken as text and checked by cramp_cli.diary.models, so a bad one gives the same
one-line error (exit 2) whichever option it came from, before the diary is even opened.
"""

import contextlib
import functools
import os
import sys
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from typer import _click as click  # Typer 0.28's vendored Click (see cli.py)
from typer.core import TyperGroup, TyperOption

from cramp_cli import completion
from cramp_cli.errors import CrampError, ExitCode, UnknownNameError, UsageError
from cramp_cli.i18n.text import N_, _
from cramp_cli.options import (
    DbOption,
    FormatOption,
    JsonOption,
    NoColorOption,
    OutputFormat,
    ask_on_stderr,
    ask_which_muscle,
    bad_values,
    can_prompt,
    chosen_format,
    current_kb,
    emit,
    examples,
    machine_output,
    muscle_option,
    open_diary,
    stdout_is_terminal,
)

if TYPE_CHECKING:
    from cramp_cli.diary.models import Entry, Medicine
    from cramp_cli.diary.store import Diary
    from cramp_cli.diary.transfer import Source
    from cramp_cli.knowledge.kb import KnowledgeBase
    from cramp_cli.knowledge.models import Level, Sign

MAX_LIMIT = 100_000


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


SideOption = Annotated[
    str | None,
    typer.Option(
        "--side",
        metavar="SIDE",
        help=N_("Which leg: left, right or both."),
        autocompletion=completion.sides,
    ),
]
MinutesOption = Annotated[
    str | None,
    typer.Option(
        "--minutes", metavar="N", help=N_("How long it lasted, in minutes (0.5 is fine).")
    ),
]
SeverityOption = Annotated[
    str | None,
    typer.Option("--severity", metavar="1-10", help=N_("How bad it was, from 1 (mild) to 10.")),
]
TriggerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--trigger",
        metavar="TAG",
        help=N_("What may have brought it on, e.g. long-walk (repeatable, or a,b)."),
    ),
]
ReliefOption = Annotated[
    str | None,
    typer.Option(
        "--relief",
        metavar="WORD",
        help=N_(
            "What you did: stretch (the stretch for the muscle), toe, rub, walk, shake, "
            "heat, cold, legs up, nothing; or an id from 'cramp relieve'."
        ),
        autocompletion=completion.relief_ids,
    ),
]
NoteOption = Annotated[
    str | None,
    typer.Option("--note", metavar="TEXT", help=N_("A note, up to 1,000 characters.")),
]
WithOption = Annotated[
    list[str] | None,
    typer.Option(
        "--with",
        metavar="WORDS",
        help=N_(
            "What else you noticed: swelling, one-sided-swelling, numbness, weakness, "
            "walking-pain, twitching, dark-urine, urge-to-move, tingling, leg-jerks (repeatable, "
            "or a,b). A warning sign is asked about at once on a terminal."
        ),
        autocompletion=completion.symptom_words,
    ),
]


@contextlib.contextmanager
def _opened(db: Path | None) -> Iterator["Diary | None"]:
    """The diary to change an entry of, closed afterwards; None if there is no diary yet."""
    diary = open_diary(db, write=True, create=False)
    if diary is None:
        yield None
        return
    with diary:
        yield diary


LAST = "last"  # the ID that means the newest entry, the first one 'cramp history' lists


def _entry_key(entry_id: str) -> str:
    """The id as typed, lower-cased: `last`, or 4 to 32 hex digits (the start of an id)."""
    key = entry_id.strip().lower()
    if key == LAST:
        return key
    if not 4 <= len(key) <= 32 or any(char not in "0123456789abcdef" for char in key):
        raise UsageError(
            _(
                "ID must be the hex digits of an entry id (4 or more), like 3f9a0c1b2d, or "
                "'last', not {given}."
            ).format(given=repr(entry_id[:40])),
            hint=_("Run 'cramp history' for the ids."),
        )
    return key


def _no_entries() -> UnknownNameError:
    return UnknownNameError(
        _("the diary has no entries yet."), hint=_("Log one: cramp log --muscle calf")
    )


def _find(diary: "Diary | None", entry_id: str) -> "Entry":
    """The entry with this id, the only one whose id starts so, or the newest for `last`;
    no diary, or no such entry, is an unknown-id error, and a start that fits several a
    usage error naming them."""
    key = _entry_key(entry_id)
    if key == LAST:
        newest = diary.history(limit=1)[0] if diary is not None else []
        if not newest:
            raise _no_entries()
        return newest[0]
    if diary is None:
        raise _no_entries()
    entry = diary.get(key)
    if entry is not None:
        return entry
    starting = diary.ids_starting(key, limit=4)
    if len(starting) == 1:
        found = diary.get(starting[0])
        if found is not None:
            return found
    if len(starting) > 1:
        shown = ", ".join(starting[:3]) + (" ..." if len(starting) > 3 else "")
        raise UsageError(
            _("{given} is the start of more than one entry id ({shown}).").format(
                given=repr(entry_id), shown=shown
            ),
            hint=_("Give more of the id."),
        )
    raise UnknownNameError(
        _("no diary entry with id {given}.").format(given=repr(entry_id)),
        hint=_("Run 'cramp history' for the ids."),
    )


def _advice(kb: "KnowledgeBase", entry: "Entry") -> tuple[str, ...]:
    limit = kb.triage.minutes
    if entry.minutes is not None and entry.minutes > limit.more_than:
        return (
            _(
                "A cramp of more than {limit} minutes is a warning sign: "
                "run 'cramp check --minutes {minutes}'."
            ).format(limit=limit.more_than, minutes=f"{entry.minutes:g}"),
        )
    return ()


app = typer.Typer()


class LogGroup(TyperGroup):
    """`cramp log` records an entry from words (`cramp log calf left 3m`) and is also the
    group of `log edit` and `log delete`: a first word that names a subcommand runs it, any
    other words are the entry's, with options anywhere among them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = self._first_word(ctx, args)
        if first is not None and args[first] in self.commands:
            click.Command.parse_args(self, ctx, args[:first])  # options before it, as ever
            ctx._protected_args, ctx.args = [args[first]], args[first + 1 :]
            return ctx.args
        ctx.allow_interspersed_args = True  # options may come after the words
        return click.Command.parse_args(self, ctx, args)

    def _first_word(self, ctx: click.Context, args: list[str]) -> int | None:
        """Where the first word that is not an option or an option's value is."""
        flags = {
            name
            for param in self.get_params(ctx)
            if isinstance(param, TyperOption) and param.is_flag
            for name in (*param.opts, *param.secondary_opts)
        }
        index = 0
        while index < len(args):
            arg = args[index]
            if arg == "--":
                return index + 1 if index + 1 < len(args) else None
            if not arg.startswith("-") or arg == "-":
                return index
            index += 1 if arg in flags or "=" in arg else 2
        return None


log_app = typer.Typer(
    cls=LogGroup,
    name="log",
    help=N_("Record a cramp in your diary; or edit or delete an entry."),
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)


@log_app.callback(
    invoke_without_command=True,
    epilog=examples(
        "cramp log calf left 3m",
        "cramp log calf --at 02:10 --relief stretch --woke",
        "cramp log --muscle calf --side left --minutes 3 --severity 6 --at 2025-03-05T02:10",
        "cramp log edit last --minutes 4",
        "cramp log delete last",
    ),
)
def log(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[MUSCLE [SIDE] [DURATION]]",
            help=N_(
                "The muscle first, then the side and how long, in any order: "
                "'cramp log calf left 3m'. Durations: 3 (minutes), 3m, 3min, 90s, 1m30s."
            ),
            show_default=False,
        ),
    ] = None,
    muscle: Annotated[
        str | None,
        muscle_option(
            N_("The muscle that cramped: a name from 'cramp muscles' (calf, shin, ...).")
        ),
    ] = None,
    side: SideOption = None,
    minutes: MinutesOption = None,
    severity: SeverityOption = None,
    at: Annotated[
        str,
        typer.Option(
            "--at",
            metavar="TIME",
            help=N_(
                "When it started: now; a date and time such as 2025-03-05T02:10 (local "
                "time unless it has an offset); a time, 02:10 or 3am (the most recent); "
                "'yesterday 03:00'; or a time ago, -5h or '90 minutes ago'."
            ),
        ),
    ] = "now",
    woke: Annotated[bool, typer.Option("--woke", help=N_("It woke me up."))] = False,
    trigger: TriggerOption = None,
    relief: ReliefOption = None,
    note: NoteOption = None,
    with_: WithOption = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="REGION",
            autocompletion=completion.regions,
            envvar="CRAMP_REGION",
            help=N_(
                "Where you are, for the numbers to call if a warning sign applies: gb, us, eu, au."
            ),
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Record a cramp in your diary; or edit or delete an entry."""
    if ctx.invoked_subcommand is not None:
        return
    from cramp_cli import answers
    from cramp_cli.diary import models
    from cramp_cli.diary.results import LogResult

    if not words and muscle is None:
        raise UsageError(
            _("say which muscle cramped: cramp log calf, or --muscle NAME."),
            hint=_("Run 'cramp muscles' for the names, 'cramp log --help' for every option."),
        )
    kb = current_kb()
    if words:
        named, side, minutes = _entry_words(kb, words, side, minutes)
        if muscle is not None and named != muscle:
            raise UsageError(
                _("two muscles given, {first} and --muscle {second}: give one of them.").format(
                    first=repr(named), second=repr(muscle)
                )
            )
        muscle = named
    assert muscle is not None
    with bad_values(), _subcommand_hint(words or []):
        muscle_id, notes = _one_muscle(kb, muscle, ask=not machine_output(as_json, fmt))
        moment = models.parse_when(at)
        entry = models.Entry(
            id=models.new_id(),
            at=moment,
            night=models.night_of(moment),
            muscle=muscle_id,
            side=models.parse_side(side),
            minutes=models.parse_duration(minutes),
            severity=models.parse_severity(severity),
            woke=woke,
            triggers=models.parse_triggers(trigger or []),
            relief=models.resolve_relief(kb, relief, muscle=muscle_id),
            note=models.parse_note(note),
            symptoms=models.resolve_symptoms(kb, with_ or []),
        )
    signs = answers.symptom_signs(kb, entry.symptoms)
    if signs:
        answers.resolve_region(kb, region)  # a bad --region fails before anything is stored
    # Stored first, with the `cramp check` line to run, so that nothing is lost whatever
    # happens while the questions are asked; the answers then replace that line.
    pointer = (answers.check_pointer(signs),) if signs else ()
    entry = entry.model_copy(update={"logged_advice": (*pointer, *_advice(kb, entry))})
    notes = (*notes, *answers.symptom_notes(kb, entry.symptoms))
    diary = open_diary(db, write=True)
    assert diary is not None
    interrupted = False
    with diary:
        stored = diary.add(entry)
        if signs and not machine_output(as_json, fmt) and can_prompt():
            (level, lines), interrupted = _ask_signs(kb, signs, region)
            stored = stored.model_copy(
                update={"logged_level": level, "logged_advice": (*lines, *_advice(kb, entry))}
            )
            diary.replace(stored)
    emit(
        LogResult(action="added", items=(stored,), notes=notes, advice=stored.logged_advice),
        as_json,
        fmt,
        no_color,
    )
    if interrupted:
        raise typer.Exit(ExitCode.INTERRUPTED)


def _prompt(question: str) -> str:
    return str(typer.prompt(question, err=True))


def _ask_signs(
    kb: "KnowledgeBase", signs: "list[Sign]", region: str | None
) -> "tuple[tuple[Level | None, tuple[str, ...]], bool]":
    """Ask each warning sign's full question on the terminal (stderr), as `cramp check`
    does. Returns the entry's new logged level and advice (None when every answer was no
    and nothing is left to check), and whether Ctrl-C ended the questions. An emergency
    answer ends them at once; a question not answered keeps its `cramp check` line."""
    from cramp_cli import answers
    from cramp_cli.replies import parse_reply

    yes: list[str] = []
    unsure: list[str] = []
    unanswered: list[Sign] = []
    interrupted = False
    typer.echo(_("You noticed a warning sign. Answer y (yes), n (no) or ? (not sure)."), err=True)
    for index, sign in enumerate(signs):
        reply = None
        try:
            while True:
                typed = ask_on_stderr(
                    functools.partial(_prompt, f"{sign.question} [y/n/?]"), keep_interrupt=True
                )
                if typed is None:
                    break
                reply = parse_reply(typed)
                if reply is not None:
                    break
                typer.echo(_("Please answer y (yes), n (no) or ? (not sure)."), err=True)
        except KeyboardInterrupt:
            interrupted = True
        if reply is None:
            unanswered = signs[index:]
            break
        (yes if reply == "yes" else unsure if reply == "unsure" else []).append(sign.id)
        if reply != "no" and sign.level == "emergency":
            unanswered = signs[index + 1 :]  # the most urgent level: say so now, ask no more
            break
    lines: list[str] = []
    level: Level | None = None
    if yes or unsure:
        level, lines_given = answers.logged_verdict(kb, yes, unsure, region)
        lines.extend(lines_given)
    if unanswered:
        lines.append(answers.check_pointer(unanswered))
    return (level, tuple(lines)), interrupted


def _entry_words(
    kb: "KnowledgeBase", words: list[str], side: str | None, minutes: str | None
) -> tuple[str, str | None, str | None]:
    """The muscle, side and duration of `cramp log calf left 3m`: the muscle's words first
    (it may be several: 'back of calf'), then a side and a duration in either order. A side
    or duration given both ways must agree."""
    from cramp_cli.diary import models
    from cramp_cli.names import normalise_name

    def kind(word: str) -> str | None:
        if word.strip().lower() in models.SIDES:
            return "side"
        return "duration" if models.is_duration(word.strip()) else None

    first = next((index for index, word in enumerate(words) if kind(word)), len(words))
    known = {*kb.muscle_names(), *kb.vague_names()}
    if first == 0:
        raise UsageError(
            _("the muscle comes first, before {word}: cramp log calf left 3m.").format(
                word=repr(words[0])
            ),
            hint=_("Run 'cramp muscles' for the names."),
        )
    # A word that is neither, right after the muscle's name, is reported as the bad word.
    for end in range(first, 0, -1):
        if normalise_name(" ".join(words[:end])) in known:
            first = end
            break
    named = " ".join(words[:first])
    given: dict[str, str] = {}
    for word in words[first:]:
        found = kind(word)
        if found is None:
            raise UsageError(
                _("{word} is neither a side nor a duration.").format(word=repr(word)),
                hint=_("After the muscle: left, right or both, and how long: {accepted}.").format(
                    accepted=_(models.DURATIONS_ACCEPTED)
                ),
            )
        if found in given:
            twice = _("two sides given") if found == "side" else _("two durations given")
            raise UsageError(
                _("{twice}, {first} and {second}: give one.").format(
                    twice=twice, first=repr(given[found]), second=repr(word)
                )
            )
        given[found] = word
    for found, option, value in (("side", "--side", side), ("duration", "--minutes", minutes)):
        if found in given and value is not None and value != given[found]:
            twice = _("two sides given") if found == "side" else _("two durations given")
            raise UsageError(
                _("{twice}, {first} and {option} {second}: give one of them.").format(
                    twice=twice, first=repr(given[found]), option=option, second=repr(value)
                )
            )
    return named, given.get("side", side), given.get("duration", minutes)


# Words people may type for a subcommand of `log`, which would otherwise read as a muscle.
_SUBCOMMAND_WORDS = {
    "remove": "delete",
    "rm": "delete",
    "del": "delete",
    "change": "edit",
    "modify": "edit",
    "update": "edit",
    "fix": "edit",
}


@contextlib.contextmanager
def _subcommand_hint(words: list[str]) -> Iterator[None]:
    """`cramp log remove abc` or `log delet last`: an unknown muscle whose first word means
    or nearly spells edit/delete gets a hint naming the subcommand."""
    try:
        yield
    except UnknownNameError as err:
        import difflib

        first = words[0].lower() if words else ""
        meant = _SUBCOMMAND_WORDS.get(first) or next(
            iter(difflib.get_close_matches(first, ("edit", "delete"), n=1, cutoff=0.75)), None
        )
        if meant is None:
            raise
        rest = " ".join(words[1:]) or "last"
        raise UnknownNameError(
            err.message,
            hint=(
                _("To edit an entry: {command}.")
                if meant == "edit"
                else _("To delete an entry: {command}.")
            ).format(command=f"'cramp log {meant} {rest}'"),
        ) from None


def _one_muscle(kb: "KnowledgeBase", name: str, *, ask: bool) -> tuple[str, tuple[str, ...]]:
    """The muscle id for a diary entry, and the note on how the name was read. A name that
    fits several muscles ("thigh") is asked about on a terminal, else a usage error."""
    from cramp_cli import answers
    from cramp_cli.diary import models

    if not name.strip():
        raise models.ValueProblem("muscle", "is empty")
    match = answers.match_muscle(kb, name)
    if len(match.muscles) > 1 and ask and can_prompt() and stdout_is_terminal():
        chosen = ask_which_muscle(match.muscles)
        if chosen is not None:
            return chosen, ()
    return answers.one_muscle(match, name).id, (match.note,) if match.note else ()


@log_app.command(
    "edit",
    help=N_("Change a diary entry: give only the values to change."),
    epilog=examples("cramp log edit last --minutes 4", "cramp log edit 3f9a --clear relief"),
)
def edit(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=N_(
                "The entry's id from 'cramp history', or its first 4 or more hex digits, "
                "or 'last' for the newest entry."
            ),
        ),
    ],
    muscle: Annotated[
        str | None,
        muscle_option(N_("The muscle that cramped.")),
    ] = None,
    side: SideOption = None,
    minutes: MinutesOption = None,
    severity: SeverityOption = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="TIME", help=N_("When it started (see 'cramp log --help').")),
    ] = None,
    woke: Annotated[
        bool | None, typer.Option("--woke/--no-woke", help=N_("Whether it woke you up."))
    ] = None,
    trigger: Annotated[
        list[str] | None,
        typer.Option(
            "--trigger", metavar="TAG", help=N_("Replace the triggers with these (repeatable).")
        ),
    ] = None,
    relief: ReliefOption = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help=N_("Replace the note."))
    ] = None,
    clear: Annotated[
        list[str] | None,
        typer.Option(
            "--clear",
            metavar="FIELD",
            help=N_(
                "Remove a value: side, minutes, severity, triggers, relief or note (repeatable)."
            ),
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Change a diary entry: give only the values to change."""
    from cramp_cli.diary import models
    from cramp_cli.diary.results import LogResult

    _entry_key(entry_id)

    clearable: dict[str, object] = {
        "side": None,
        "minutes": None,
        "severity": None,
        "triggers": (),
        "relief": None,
        "note": "",
    }
    updates: dict[str, object] = {}
    for name in clear or []:
        key = name.strip().lower()
        if key == "trigger":
            key = "triggers"
        if key not in clearable:
            raise UsageError(
                _(
                    "--clear takes side, minutes, severity, triggers, relief or note, not {name}."
                ).format(name=repr(name))
            )
        updates[key] = clearable[key]
    kb = current_kb()
    given: dict[str, object] = {}
    with bad_values():
        if muscle is not None:
            given["muscle"] = models.resolve_muscle(kb, muscle)
        if side is not None:
            given["side"] = models.parse_side(side)
        if minutes is not None:
            given["minutes"] = models.parse_duration(minutes)
        if severity is not None:
            given["severity"] = models.parse_severity(severity)
        if at is not None:
            given["at"] = models.parse_when(at)
        if woke is not None:
            given["woke"] = woke
        if trigger is not None:
            given["triggers"] = models.parse_triggers(trigger)
        if relief is not None and muscle is not None:
            given["relief"] = models.resolve_relief(kb, relief, muscle=str(given["muscle"]))
        if note is not None:
            given["note"] = models.parse_note(note)
    both = sorted(set(updates) & {*given, *(["relief"] if relief is not None else [])})
    if both:
        raise UsageError(
            _("--clear {field} and a new {field} disagree: give one of them.").format(field=both[0])
        )
    updates.update(given)
    if not updates and relief is None:
        raise UsageError(
            _("nothing to change: give the new values, e.g. --minutes 4, or --clear FIELD.")
        )
    with _opened(db) as diary:
        entry = _find(diary, entry_id)
        assert diary is not None  # _find found the entry in it
        with bad_values():
            if relief is not None and muscle is None:  # a word means this entry's muscle's
                updates["relief"] = models.resolve_relief(kb, relief, muscle=entry.muscle)
            new = models.changed(entry, updates)
        diary.replace(new)
    emit(
        LogResult(action="edited", items=(new,), advice=_advice(kb, new)),
        as_json,
        fmt,
        no_color,
    )


@log_app.command(
    "delete",
    help=N_("Delete a diary entry (asks first on a terminal)."),
    epilog=examples("cramp log delete last", "cramp log delete 3f9a0c1b2d --yes"),
)
def delete(
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=N_(
                "The entry's id from 'cramp history', or its first 4 or more hex digits, "
                "or 'last' for the newest entry."
            ),
        ),
    ],
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help=N_("Delete without asking (needed when not on a terminal).")
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Delete a diary entry (asks first on a terminal)."""
    from cramp_cli.diary.results import LogResult

    with _opened(db) as diary:
        entry = _find(diary, entry_id)
        assert diary is not None  # _find found the entry in it
        if not yes:
            if machine_output(as_json, fmt) or not can_prompt():
                raise UsageError(
                    _("deleting needs --yes when there is no terminal to ask on."),
                    hint=_("Run 'cramp log delete {id} --yes'.").format(id=entry.id),
                )
            if not _confirm(entry):
                raise CrampError(_("nothing was deleted."))
        if not diary.delete(entry.id):
            raise CrampError(_("the entry {id} was already deleted.").format(id=entry.id))
    emit(LogResult(action="deleted", items=(entry,)), as_json, fmt, no_color)


app.add_typer(log_app, name="log")


@app.command(
    epilog=examples(
        "cramp history",
        "cramp history --since 2025-03-01 --muscle calf --limit 10",
        "cramp history --long",
    )
)
def history(
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help=N_("From this night on (2025-03-01).")),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help=N_("Up to and including this night.")),
    ] = None,
    muscle: Annotated[
        str | None,
        muscle_option(N_("Only cramps of this muscle.")),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", metavar="N", help=N_("At most N entries, newest first."))
    ] = 20,
    long: Annotated[
        bool,
        typer.Option(
            "--long", help=N_("On a terminal, every field of each entry, instead of one line each.")
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List your diary entries, newest first."""
    from cramp_cli.diary import models
    from cramp_cli.diary.results import HistoryFilters, HistoryResult

    with bad_values():
        first = models.parse_night(since, "since") if since is not None else None
        last = models.parse_night(until, "until") if until is not None else None
    if first is not None and last is not None and first > last:
        raise UsageError(
            _("--since {first} is after --until {last}.").format(first=first, last=last)
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(
            _("--limit must be from 1 to {most}, not {given}.").format(
                most=f"{MAX_LIMIT:,}", given=limit
            )
        )
    muscle_id = None
    if muscle is not None:
        with bad_values():
            muscle_id = models.resolve_muscle(current_kb(), muscle)
    entries: list[Entry] = []
    total = 0
    diary = open_diary(db, write=False)
    if diary is not None:
        with diary:
            entries, total = diary.history(since=first, until=last, muscle=muscle_id, limit=limit)
    names: tuple[tuple[str, str], ...] = ()
    warning_minutes = None
    if entries and not long and chosen_format(as_json, fmt) is OutputFormat.TABLE:
        kb = current_kb()  # the one-line view shows names; scripts get ids, and no KB load
        used = {entry.muscle for entry in entries} | {entry.relief for entry in entries}
        names = tuple((item.id, item.name) for item in kb.muscles if item.id in used) + tuple(
            (item.id, item.title) for item in kb.relief if item.id in used
        )
        warning_minutes = kb.triage.minutes.more_than
    result = HistoryResult(
        filters=HistoryFilters(since=first, until=last, muscle=muscle_id, limit=limit),
        total=total,
        items=tuple(entries),
        names=names,
        warning_minutes=warning_minutes,
        long=long,
    )
    emit(result, as_json, fmt, no_color)


class ReportFormat(StrEnum):
    TABLE = "table"
    PLAIN = "plain"
    MARKDOWN = "markdown"
    JSON = "json"
    JSONL = "jsonl"
    HTML = "html"


# --output FILE without --format: the format its name says, else plain text.
_FORMAT_BY_SUFFIX = {
    ".html": ReportFormat.HTML,
    ".htm": ReportFormat.HTML,
    ".md": ReportFormat.MARKDOWN,
    ".markdown": ReportFormat.MARKDOWN,
    ".json": ReportFormat.JSON,
}


@app.command(
    epilog=examples(
        "cramp report",
        "cramp report --days 60",
        "cramp report --for-doctor --output cramps.html",
        "cramp report --for-doctor --format markdown --entries",
    )
)
def report(
    ctx: typer.Context,
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            metavar="N",
            help=N_(
                "The last N nights, tonight included (default 30; with --for-doctor, the "
                "whole diary)."
            ),
        ),
    ] = None,
    for_doctor: Annotated[
        bool,
        typer.Option(
            "--for-doctor",
            help=N_(
                "A summary to take to the doctor: how often, how long, medicines, signs, "
                "what helped, questions to ask."
            ),
        ),
    ] = False,
    entries_too: Annotated[
        bool,
        typer.Option("--entries", help=N_("With --for-doctor: add the list of every entry.")),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=N_(
                "With --for-doctor: write to a new file (it appears only when complete; "
                "the format follows its name: .html, .md, .json, else plain)."
            ),
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help=N_("With --output: replace the file if it exists.")),
    ] = False,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            metavar="REGION",
            envvar="CRAMP_REGION",
            help=N_("Where you are, for the numbers to call: gb, us, eu, au."),
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=N_(
                "Output format. Default: CRAMP_FORMAT if set, else table on a terminal and "
                "plain otherwise. html only with --for-doctor."
            ),
            case_sensitive=False,
        ),
    ] = None,
    no_color: NoColorOption = False,
) -> None:
    """Sum up your diary, and the warning signs its pattern meets."""
    from cramp_cli.diary.models import night_of
    from cramp_cli.diary.report import MAX_DAYS, build_report, long_from, window
    from cramp_cli.diary.store import no_entries

    if days is not None and not 1 <= days <= MAX_DAYS:
        raise UsageError(
            _("--days must be from 1 to {most}, not {given}.").format(
                most=f"{MAX_DAYS:,}", given=days
            )
        )
    # The clock: a test passes its own through the context object (CliRunner's obj=).
    clock = ctx.obj.get("now") if isinstance(ctx.obj, dict) else None
    now = clock if isinstance(clock, datetime) else datetime.now().astimezone()
    if for_doctor:
        _doctor_report(now, days, entries_too, output, force, db, as_json, fmt, no_color)
        return
    for flag, given in (("--entries", entries_too), ("--output", output), ("--force", force)):
        if given:
            raise UsageError(
                _("{flag} goes with --for-doctor: add --for-doctor.").format(flag=flag)
            )
    if fmt is ReportFormat.HTML:
        raise UsageError(_("--format html is for the doctor's report: add --for-doctor."))
    days = 30 if days is None else days
    kb = current_kb()
    rules = kb.patterns
    with bad_values():
        first, last = window(night_of(now), days)
    aggregates = no_entries(first, last)
    diary = open_diary(db, write=False)
    if diary is not None:
        with diary:
            aggregates = diary.aggregates(first, last, long_from(rules))
    result = build_report(aggregates, kb, rules, days=days, now=now, region=region)
    emit(result, as_json, None if fmt is None else OutputFormat(fmt.value), no_color)


def _doctor_report(
    now: datetime,
    days: int | None,
    entries_too: bool,
    output: Path | None,
    force: bool,
    db: Path | None,
    as_json: bool,
    fmt: ReportFormat | None,
    no_color: bool,
) -> None:
    """`cramp report --for-doctor`: built from every entry and medicine, then printed in
    the chosen format, or written whole to --output (never over a file without --force)."""
    from cramp_cli.diary.doctor import build_doctor_report

    if force and output is None:
        raise UsageError(_("--force replaces the file given with --output: give --output FILE."))
    if as_json and fmt not in (None, ReportFormat.JSON):
        raise UsageError(
            _("--json and --format {format} disagree: give one of them.").format(format=fmt.value)
        )
    if fmt is ReportFormat.JSONL:
        raise UsageError(_("--format jsonl has no items to list here: use --format json."))
    chosen: ReportFormat | None = ReportFormat.JSON if as_json else fmt
    if chosen is None and output is not None:
        chosen = _FORMAT_BY_SUFFIX.get(output.suffix.lower(), ReportFormat.PLAIN)
    elif chosen is None:  # CRAMP_FORMAT, else table on a terminal and plain otherwise
        chosen = ReportFormat(chosen_format(False, None).value)
        chosen = ReportFormat.JSON if chosen is ReportFormat.JSONL else chosen
    if chosen is ReportFormat.TABLE and output is not None:
        raise UsageError(_("--format table is for the screen: give html, markdown, plain or json."))
    kb = current_kb()
    entries: list[Entry] = []
    medicines: list[Medicine] = []
    diary = open_diary(db, write=False)
    if diary is not None:
        with diary:
            entries = list(diary.iter_all())
            medicines = diary.medicines()
    result = build_doctor_report(
        kb, entries, medicines, now=now, days=days, with_entries=entries_too
    )
    if chosen is ReportFormat.TABLE:
        emit(result, False, OutputFormat.TABLE, no_color)
        return
    if chosen is ReportFormat.JSON:
        from cramp_cli.render.json_view import render_json

        text = render_json(result)
    elif chosen is ReportFormat.MARKDOWN:
        from cramp_cli.render.doctor_text import render_doctor_markdown

        text = render_doctor_markdown(result)
    elif chosen is ReportFormat.HTML:
        text = _html(result)
    else:
        from cramp_cli.render.doctor_text import render_doctor_plain

        text = render_doctor_plain(result)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from cramp_cli.diary.transfer import atomic_output

    with atomic_output(os.path.expanduser(str(output)), force=force, command="cramp report") as out:
        out.write(text)


def _html(result: object) -> str:
    """The page of render/doctor_html.py (imported by name: it comes with the html part)."""
    import importlib

    try:
        module = importlib.import_module("cramp_cli.render.doctor_html")
    except ImportError:
        raise UsageError(
            "--format html is not available in this version: use markdown or plain."
        ) from None
    return str(module.render_html(result))


@app.command(
    epilog=examples("cramp export --format csv --output diary.csv", "cramp export > diary.json")
)
def export(
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", help=N_("csv or json."), case_sensitive=False),
    ] = ExportFormat.JSON,
    as_json: JsonOption = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help=N_(
                "Write to a new file (readable only by you) instead of stdout; it appears "
                "only when complete."
            ),
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help=N_("With --output: replace the file if it exists.")),
    ] = False,
    db: DbOption = None,
) -> None:
    """Write every diary entry, oldest first, as CSV or JSON."""
    if as_json and fmt is not ExportFormat.JSON:
        raise UsageError(
            _("--json and --format {format} disagree: give one of them.").format(format=fmt.value)
        )
    if force and output is None:
        raise UsageError(_("--force replaces the file given with --output: give --output FILE."))
    diary = open_diary(db, write=False)
    with contextlib.ExitStack() as stack:
        entries: Iterator[Entry] = iter(())
        if diary is not None:
            stack.enter_context(diary)
            # closed before the diary, even when the export fails half-way
            every = diary.iter_all()
            stack.callback(every.close)
            entries = every
        stream = stack.enter_context(_destination(output, force=force))
        if fmt is ExportFormat.CSV:
            from cramp_cli.diary.transfer import write_csv

            write_csv(entries, stream)
        else:
            from cramp_cli.diary.results import ExportResult
            from cramp_cli.render.json_view import render_json

            items = tuple(entries)
            medicines = tuple(diary.medicines()) if diary is not None else ()
            stream.write(
                render_json(ExportResult(count=len(items), items=items, medicines=medicines))
            )
        stream.flush()


@app.command("import", epilog=examples("cramp import diary.csv", "cramp import - < diary.json"))
def import_(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE",
            help=N_("A file from 'cramp export' (CSV or JSON), a named pipe, or - for stdin."),
        ),
    ],
    kind: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            help=N_("csv or json (default: from the name or the content)."),
            case_sensitive=False,
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    no_color: NoColorOption = False,
) -> None:
    """Add the entries of an exported file (all or nothing; ids already there are skipped)."""
    from cramp_cli.diary import transfer
    from cramp_cli.diary.results import ImportResult, ImportRow

    kb = current_kb()
    # A diary that exists is checked (and locked out if read-only) before the file is read;
    # a new one is created only when the file's first good row comes.
    existing = open_diary(db, write=True, create=False)

    def diary() -> "Diary":
        opened = existing or open_diary(db, write=True)
        assert opened is not None  # write=True creates it
        return opened

    with contextlib.ExitStack() as stack:
        if existing is not None:
            stack.callback(existing.close)
        source = stack.enter_context(_read_input(file))
        with _unsafe_input():
            rows = transfer.Rows(source, kind.value if kind is not None else source.kind())
            outcome = transfer.import_rows(rows, kb, source.name, diary)
    result = ImportResult(
        imported=outcome.imported,
        skipped=outcome.skipped,
        rows=outcome.rows,
        completeness_checked=rows.marked,
        items=tuple(ImportRow(id=entry_id, status=status) for entry_id, status in outcome.listed),
        medicines=outcome.medicines,
    )
    emit(result, as_json, None, no_color)
    # After the answer: if stdout is lost, its one-line error is all that stderr says. A file
    # without rows has nothing that could be missing.
    if not rows.marked and outcome.rows:
        typer.echo(
            _(
                "Warning: {name} has no completeness mark (an older export, or another "
                "program's file), so cramp could not check that it is complete."
            ).format(name=source.name),
            err=True,
        )


def _destination(output: Path | None, *, force: bool) -> contextlib.AbstractContextManager[TextIO]:
    """stdout, or a file written whole or not at all (see transfer.atomic_output)."""
    if output is None:
        return contextlib.nullcontext(sys.stdout)
    from cramp_cli.diary.transfer import atomic_output

    return atomic_output(os.path.expanduser(str(output)), force=force)


def _read_input(file: str) -> "Source":
    """The file to import, open with the size limit; a path that cannot be read is a
    one-line error naming it (exit 2 if it does not exist, else 1)."""
    from cramp_cli.diary.transfer import Source

    with _unsafe_input():
        return Source.open(file)


@contextlib.contextmanager
def _unsafe_input() -> Iterator[None]:
    """A file to import that cannot be opened or read, or is too large, as one line."""
    from cramp_cli.safe_io import TooLarge, UnsafeFile

    try:
        yield
    except TooLarge as err:
        raise UsageError(
            _("{name} {reason}; nothing was imported.").format(name=err.name, reason=err.reason)
        ) from None
    except UnsafeFile as err:
        if err.reason_key == "no such file":
            raise UsageError(_("no such file: {name}.").format(name=err.name)) from None
        raise CrampError(
            _("cannot import {name}: {reason}.").format(name=err.name, reason=err.reason)
        ) from None


def _confirm(entry: "Entry") -> bool:
    from cramp_cli.diary.models import format_minutes
    from cramp_cli.render.diary_views import SIDE_WORDS

    side = _(SIDE_WORDS[entry.side]) if entry.side in SIDE_WORDS else entry.side
    typer.echo(
        _("Entry {id}: {time}, night of {night}, {muscle}, {side}, {minutes} min.").format(
            id=entry.id,
            time=entry.local_time,
            night=entry.night,
            muscle=entry.muscle,
            side=side or _("side not given"),
            minutes=format_minutes(entry.minutes),
        ),
        err=True,
    )
    question = _("Delete entry {id}?").format(id=entry.id)
    from cramp_cli import i18n

    if i18n.current() != i18n.ENGLISH:
        from cramp_cli.commands.now import _yes_or_no

        return _yes_or_no(question)  # 是 and 否 as well as y and n (cramp_cli/replies.py)
    # No answer (the input ended) is no.
    return bool(ask_on_stderr(lambda: typer.confirm(question, default=False, err=True)))
