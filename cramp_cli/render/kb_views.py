"""Plain, Markdown and Rich views of the `cramp kb` results."""

from __future__ import annotations

from collections.abc import Iterator

from cramp_cli.results import KbPathsResult, KbShowResult, KbValidateResult


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


def markdown_lines(plain: Iterator[str], title: str) -> Iterator[str]:
    yield f"# {title}"
    yield ""
    for line in plain:
        safe = line.replace("`", "'")
        yield f"- `{safe}`"
    yield ""
