"""Plain, Markdown and Rich views of the `cramp kb` results and of `cramp sources --check`."""

from __future__ import annotations

from collections.abc import Iterator

from cramp_cli.results import KbPathsResult, KbShowResult, KbValidateResult, TrailCheck


def plain_paths(result: KbPathsResult) -> Iterator[str]:
    for file in result.items:
        yield f"{file.layer}\t{file.id}\t{file.entries} entries"
    for layer in result.layers:
        if not layer.paths and layer.name != "built-in":
            yield f"{layer.name}\t(none)\t{layer.source}"
    yield f"Precedence: {result.precedence}."


def plain_show(result: KbShowResult) -> Iterator[str]:
    for entry in result.items:
        yield f"{entry.id}\t{entry.kind}\t{entry.layer}\t{entry.file}:{entry.line}"
    for old in result.overrides:
        yield f"overrides\t{old.layer}\t{old.file}:{old.line}"
    if result.disabled_by is not None:
        where = result.disabled_by
        yield f"disabled by\t{where.layer}\t{where.file}:{where.line}"


def plain_validate(result: KbValidateResult) -> Iterator[str]:
    for problem in result.items:
        place = f"{problem.file}:{problem.line}" if problem.line else problem.file
        item = f" {problem.item}:" if problem.item else ""
        field = f" {problem.field}:" if problem.field else ""
        yield f"{place}:{item}{field} {problem.message}"
    verdict = "ok" if result.ok else f"{len(result.items)} problem(s)"
    yield f"{verdict}: {result.files} file(s) checked"


def trail_verdict(result: TrailCheck) -> str:
    """'ok: no problems, 3 note(s); 102 sources and 138 entries checked'."""
    verdict = "ok: no problems" if result.ok else f"{len(result.problems)} problem(s)"
    return (
        f"{verdict}, {len(result.notes)} note(s); "
        f"{result.sources} sources and {result.entries} entries checked"
    )


def plain_trail(result: TrailCheck) -> Iterator[str]:
    for label, findings in (("problem", result.problems), ("note", result.notes)):
        for found in findings:
            yield f"{label}\t{found.entry}\t{found.id}\t{found.kind}\t{found.message}"
    yield trail_verdict(result)


def markdown_trail(result: TrailCheck) -> Iterator[str]:
    yield "# Evidence trail"
    yield ""
    for title, findings in (("Problems", result.problems), ("Notes", result.notes)):
        yield f"## {title} ({len(findings)})"
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
