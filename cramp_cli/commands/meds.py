"""`cramp meds`: the medicines a person says they take, kept in the diary (issue 14).

cramp records the name as typed and, when it is in one of the knowledge base's class lists
(data/causes.yaml, `names`), the class; it adds nothing about the medicine beyond what the
knowledge base says about the class, with its line about never stopping a prescribed
medicine on your own.
"""

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from cramp_cli.errors import UnknownNameError, UsageError
from cramp_cli.i18n.text import N_, _
from cramp_cli.options import (
    DbOption,
    FormatOption,
    JsonOption,
    NoColorOption,
    bad_values,
    current_kb,
    emit,
    examples,
    open_diary,
)

if TYPE_CHECKING:
    from cramp_cli.diary.models import Medicine
    from cramp_cli.diary.results import MedsResult
    from cramp_cli.knowledge.kb import KnowledgeBase

app = typer.Typer()
meds_app = typer.Typer(
    name="meds",
    help=N_("Keep the list of medicines you take, for your doctor."),
    epilog=examples(
        "cramp meds add atorvastatin --since 2025-03-02",
        "cramp meds stop atorvastatin --on 2025-04-01",
        "cramp meds list",
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(meds_app, name="meds")

NameArgument = Annotated[
    str,
    typer.Argument(
        metavar="NAME",
        help=N_("The medicine's name as on the box, e.g. atorvastatin or Ventolin."),
        show_default=False,
    ),
]


def _date(value: str | None, option: str) -> date | None:
    """A date like the diary's other dates (2025-03-05), not in the future."""
    from cramp_cli.diary import models

    if value is None:
        return None
    with bad_values():
        day = models.parse_date(value, option)

    today = models.clock().astimezone().date()
    if day > today:
        raise UsageError(
            _("{option} is in the future: {day} (today is {today}).").format(
                option=option, day=day, today=today
            )
        )
    if day < models.FIRST_NIGHT:
        raise UsageError(
            _("{option} is before {first}: {day}.").format(
                option=option, first=models.FIRST_NIGHT, day=day
            )
        )
    return day


def _name(value: str) -> str:
    from cramp_cli.diary import models

    with bad_values():
        return models.parse_medicine_name(value)


def _result(
    kb: "KnowledgeBase | None", action: str, items: "list[Medicine] | tuple[Medicine, ...]"
) -> "MedsResult":
    from cramp_cli import answers
    from cramp_cli.diary.results import MedicineClass, MedsResult
    from cramp_cli.i18n.text import _
    from cramp_cli.wording import MEDICINE_SAFETY

    classes: tuple[MedicineClass, ...] = ()
    if kb is not None:
        classes = tuple(
            MedicineClass(
                id=cause.id,
                title=cause.title,
                summary=cause.summary,
                names_source=kb.source(cause.names_source or ""),
                sources=tuple(kb.source(source_id) for source_id in cause.sources),
            )
            for cause in answers.medicine_classes(kb, (item.class_id for item in items))
        )
    return MedsResult(
        action=action,  # type: ignore[arg-type]
        items=tuple(items),
        classes=classes,
        safety=_(MEDICINE_SAFETY) if classes else None,
    )


@meds_app.command(
    "add",
    help=N_("Add a medicine you take (over-the-counter ones too)."),
    epilog=examples(
        "cramp meds add atorvastatin --since 2025-03-02",
        "cramp meds add 'magnesium tablets' --note 'from the chemist'",
    ),
)
def add(
    name: NameArgument,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help=N_("When you started it, e.g. 2025-03-02.")),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="TEXT", help=N_("A note, up to 1,000 characters.")),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Add a medicine you take (over-the-counter ones too)."""
    from cramp_cli import answers
    from cramp_cli.diary import models

    text = _name(name)
    started = _date(since, "--since")
    with bad_values():
        written = models.parse_note(note)
    kb = current_kb()
    found = answers.medicine_class(kb, text)
    medicine = models.Medicine(
        id=models.new_id(),
        name=text,
        class_id=found.id if found is not None else None,
        since=started,
        note=written,
    )
    diary = open_diary(db, write=True)
    assert diary is not None
    with diary:
        stored = diary.add_medicine(medicine)
    emit(_result(kb, "added", [stored]), as_json, fmt, no_color)


@meds_app.command(
    "stop",
    help=N_("Record that you stopped taking a medicine (it stays in the list, with its dates)."),
    epilog=examples("cramp meds stop atorvastatin", "cramp meds stop atorvastatin --on 2025-04-01"),
)
def stop(
    name: NameArgument,
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="DATE", help=N_("When you stopped it (default: today).")),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Record that you stopped taking a medicine (it stays in the list, with its dates)."""
    from cramp_cli.diary import models

    text = _name(name)
    day = _date(on, "--on") or models.clock().astimezone().date()
    kb = current_kb()
    diary = open_diary(db, write=True, create=False)
    if diary is None:
        error = _current_named([], text)
        assert isinstance(error, UnknownNameError)
        raise error
    with diary:
        medicine = _current_named([m for m in diary.medicines() if m.current], text)
        if not isinstance(medicine, models.Medicine):
            raise medicine
        if medicine.since is not None and day < medicine.since:
            raise UsageError(
                _("--on {day} is before {name} was started ({since}).").format(
                    day=day, name=repr(medicine.name), since=medicine.since
                )
            )
        stopped = diary.stop_medicine(medicine.id, day)
    emit(_result(kb, "stopped", [stopped]), as_json, fmt, no_color)


def _current_named(current: "list[Medicine]", text: str) -> "Medicine | UnknownNameError":
    """The medicine not yet stopped with this name (any case), or the usage error for an
    unknown name, naming the nearest ones."""
    import difflib

    from cramp_cli.i18n.text import _

    key = text.casefold()
    for medicine in current:
        if medicine.name.casefold() == key:
            return medicine
    names = [medicine.name for medicine in current]
    if not names:
        return UnknownNameError(
            _("no medicine {name} is in your list, or it was stopped already.").format(
                name=repr(text)
            ),
            hint=_("Add one: cramp meds add NAME"),
        )
    by_key = {name.casefold(): name for name in names}
    close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.5)
    hint = ""
    if close:
        hint = _("Did you mean {names}? ").format(
            names=_(" or ").join(repr(by_key[c]) for c in close)
        )
    return UnknownNameError(
        _("no medicine {name} that is not stopped is in your list.").format(name=repr(text)),
        hint=hint
        + _("Taking now: {names} (see 'cramp meds list').").format(names=", ".join(names)),
    )


@meds_app.command(
    "list",
    help=N_("List your medicines, with their dates, and those linked with cramps."),
    epilog=examples("cramp meds list", "cramp meds list --json"),
)
def list_(
    db: DbOption = None,
    as_json: JsonOption = False,
    fmt: FormatOption = None,
    no_color: NoColorOption = False,
) -> None:
    """List your medicines, with their dates, and those linked with cramps."""
    diary = open_diary(db, write=False)
    medicines = []
    if diary is not None:
        with diary:
            medicines = diary.medicines()
    # The knowledge base only for the classes: an empty list answers without it.
    kb = current_kb() if medicines else None
    emit(_result(kb, "listed", medicines), as_json, fmt, no_color)
