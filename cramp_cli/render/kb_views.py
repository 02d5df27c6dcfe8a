"""Plain, Markdown and Rich views of the `cramp kb` results and of `cramp sources --check`."""

from __future__ import annotations

from collections.abc import Iterator

from cramp_cli.i18n.text import N_, _
from cramp_cli.results import KbPathsResult, KbShowResult, KbValidateResult, TrailCheck

PATHS_TITLE = N_("Knowledge-base files")
SHOW_TITLE = N_("Where it came from")
VALIDATE_TITLE = N_("Check")
PRECEDENCE = N_("--kb, then CRAMP_KB, then the user folder, then the built-in knowledge base")


def plain_paths(result: KbPathsResult) -> Iterator[str]:
    for file in result.items:
        yield f"{file.layer}\t{file.id}\t" + _("{count} entries").format(count=file.entries)
    for layer in result.layers:
        if not layer.paths and layer.name != "built-in":
            none = _("(none)")
            yield f"{layer.name}\t{none}\t{layer.source}"
    # The precedence is worded in the result (JSON keeps the English); shown in the run's words.
    precedence = _(result.precedence) if result.precedence == PRECEDENCE else result.precedence
    yield _("Precedence: {order}.").format(order=precedence)


def plain_show(result: KbShowResult) -> Iterator[str]:
    for entry in result.items:
        yield f"{entry.id}\t{entry.kind}\t{entry.layer}\t{entry.file}:{entry.line}"
    for old in result.overrides:
        label = _("overrides")
        yield f"{label}\t{old.layer}\t{old.file}:{old.line}"
    if result.disabled_by is not None:
        where = result.disabled_by
        label = _("disabled by")
        yield f"{label}\t{where.layer}\t{where.file}:{where.line}"


def plain_validate(result: KbValidateResult) -> Iterator[str]:
    for problem in result.items:
        place = f"{problem.file}:{problem.line}" if problem.line else problem.file
        item = f" {problem.item}:" if problem.item else ""
        field = f" {problem.field}:" if problem.field else ""
        yield f"{place}:{item}{field} {problem.message}"
    verdict = _("ok") if result.ok else _("{count} problem(s)").format(count=len(result.items))
    yield _("{verdict}: {files} file(s) checked").format(verdict=verdict, files=result.files)


def trail_verdict(result: TrailCheck) -> str:
    """'ok: no problems, 3 note(s); 102 sources and 138 entries checked'."""
    verdict = (
        _("ok: no problems")
        if result.ok
        else _("{count} problem(s)").format(count=len(result.problems))
    )
    return _("{verdict}, {notes} note(s); {sources} sources and {entries} entries checked").format(
        verdict=verdict, notes=len(result.notes), sources=result.sources, entries=result.entries
    )


def plain_trail(result: TrailCheck) -> Iterator[str]:
    for label, findings in ((_("problem"), result.problems), (_("note"), result.notes)):
        for found in findings:
            yield f"{label}\t{found.entry}\t{found.id}\t{found.kind}\t{found.message}"
    yield trail_verdict(result)


def markdown_trail(result: TrailCheck) -> Iterator[str]:
    yield "# " + _("Evidence trail")
    yield ""
    for title, findings in (
        (_("Problems ({count})"), result.problems),
        (_("Notes ({count})"), result.notes),
    ):
        yield f"## {title.format(count=len(findings))}"
        yield ""
        for found in findings:
            message = found.message.replace("`", "'")
            yield f"- {found.entry} `{found.id}` ({found.kind}): {message}"
        if findings:
            yield ""
    yield trail_verdict(result)
    yield ""


def markdown_lines(plain: Iterator[str], title: str) -> Iterator[str]:
    yield f"# {title}"
    yield ""
    for line in plain:
        safe = line.replace("`", "'")
        yield f"- `{safe}`"
    yield ""
