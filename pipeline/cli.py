"""The ``edition`` command line: thin click commands over the library.

Each command parses its options, calls one library function, prints diagnostics in the
common ``path:line:col: severity[code]: message`` format (or JSON with ``--format json``)
and maps the outcome to an exit code:

0 ok · 1 content errors · 2 usage · 3 warnings under ``--strict`` · 4 internal error.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from pipeline import __version__
from pipeline.diagnostics import (
    Diagnostic,
    Outcome,
    Report,
    Severity,
    format_text,
    outcome,
    to_json,
)
from pipeline.errors import EditionError, UsageError

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2
EXIT_STRICT = 3
EXIT_INTERNAL = 4

F = TypeVar("F", bound=Callable[..., Any])

FORMAT_OPTION = click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
    show_default=True, help="How to print diagnostics.")
STRICT_OPTION = click.option(
    "--strict", is_flag=True, help="Treat warnings as failures (exit code 3).")


def _exit_code(result: Outcome) -> int:
    return {Outcome.OK: EXIT_OK, Outcome.ERRORS: EXIT_ERRORS,
            Outcome.WARNINGS: EXIT_STRICT}[result]


def guarded(func: F) -> F:
    """Turn library errors into located messages and exit codes; never show a traceback.

    With ``--format json`` the error is also printed on standard output, as the command's
    JSON would hold it (one file, one diagnostic), so that a program reading the JSON always
    gets some."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = kwargs.get("output_format") == "json"
        try:
            return func(*args, **kwargs)
        except EditionError as exc:
            usage = isinstance(exc, UsageError)
            _fail(exc.to_diagnostic(), as_json, EXIT_USAGE if usage else EXIT_ERRORS)
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:  # an internal error is ours, not the user's
            click.echo(f"edition: internal error: {type(exc).__name__}: {exc}\n"
                       "This is a bug in tei-edition; please report it with the input that "
                       "caused it.", err=True)
            if as_json:
                _echo_json(Diagnostic("internal", Severity.ERROR,
                                      f"internal error: {type(exc).__name__}: {exc}", None,
                                      None, None), EXIT_INTERNAL)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _fail(diagnostic: Diagnostic, as_json: bool, exit_code: int) -> NoReturn:
    click.echo(diagnostic.format(), err=True)
    if as_json:
        _echo_json(diagnostic, exit_code)
    sys.exit(exit_code)


def _echo_json(diagnostic: Diagnostic, exit_code: int) -> None:
    report = Report(diagnostic.path or "<input>")
    report.add(diagnostic)
    click.echo(to_json([report], exit_code=exit_code))


def _emit(reports: Sequence[Report], output_format: str) -> None:
    """Diagnostics on standard error (JSON: on standard output)."""
    if output_format == "json":
        click.echo(to_json(reports))
        return
    text = format_text(reports)
    if text:
        click.echo(text, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
def main() -> None:
    """Scholarly TEI editions from archival transcripts.

    \b
    Convert transcripts to TEI, validate TEI, render HTML and text editions,
    and build a whole corpus:
      edition build samples/ -o output/
    """


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write <id>.xml files here (default: TEI to standard output, one source).")
@click.option("--from", "reader", metavar="FORMAT",
              help="Force an input format instead of detecting it (see 'edition formats').")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the full conversion report as JSON to this file.")
@FORMAT_OPTION
@STRICT_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Only print errors.")
@guarded
def convert(sources: tuple[Path, ...], out_dir: Path | None, reader: str | None,
            report_path: Path | None, output_format: str, strict: bool, quiet: bool) -> None:
    """Convert transcripts to TEI P5.

    \b
    Examples:
      edition convert page.txt > page.xml
      edition convert corpus/*.txt -o tei/ --report report.json
      edition convert scan.txt --from wcda-pdf --format json
    """
    from pipeline.convert import convert_sources

    if out_dir is None and len(sources) > 1:
        raise UsageError("several sources need an output folder: add -o DIR")
    result = convert_sources(list(sources), out_dir=out_dir, reader=reader)
    if out_dir is None and result.conversions:
        sys.stdout.buffer.write(result.conversions[0].tei_bytes)
    reports = result.reports
    if report_path is not None:
        from pipeline.atomic import write_text
        write_text(report_path, to_json(reports))
    if output_format == "json":
        click.echo(to_json(reports), err=out_dir is None)
    elif not quiet:
        for conversion in result.conversions:
            click.echo(conversion.summary_line(), err=True)
        text = format_text(reports)
        if text:
            click.echo(text, err=True)
    else:
        text = format_text(reports, min_severity=Severity.ERROR)
        if text:
            click.echo(text, err=True)
    sys.exit(_exit_code(outcome(reports, strict=strict)))


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A table, or JSON records.")
def formats(output_format: str) -> None:
    """List the input formats the converter reads (names for --from).

    \b
    Example:
      edition formats
    """
    from pipeline.readers import READERS

    if output_format == "json":
        click.echo(json.dumps([{"name": r.name, "description": r.description}
                               for r in READERS.values()], indent=2))
        return
    width = max(len(name) for name in READERS)
    for reader in READERS.values():
        click.echo(f"{reader.name:<{width}}  {reader.description}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--schema", default="edition", show_default=True,
              help="'edition' (this project's schema), 'tei_all', or a .rng/.rnc file.")
@click.option("--schematron", type=click.Path(dir_okay=False, path_type=Path),
              help="An ISO Schematron file to apply instead of the project's rules.")
@click.option("--tei-all", "tei_all", type=click.Path(dir_okay=False, path_type=Path),
              envvar="EDITION_TEI_ALL",
              help="Where tei_all.rng is (also $EDITION_TEI_ALL).")
@FORMAT_OPTION
@STRICT_OPTION
@guarded
def validate(paths: tuple[Path, ...], schema: str, schematron: Path | None,
             tei_all: Path | None, output_format: str, strict: bool) -> None:
    """Validate TEI files against a schema and Schematron rules.

    Directories are walked for *.xml. Every problem in every file is reported.

    \b
    Examples:
      edition validate output/tei/
      edition validate letter.xml --schema tei_all --format json
      edition validate other-archive/ --schema their-schema.rng
    """
    from pipeline.validate import validate_paths

    reports = validate_paths(list(paths), schema=schema, schematron=schematron,
                             tei_all=tei_all)
    if output_format == "json":
        click.echo(to_json(reports))
    else:
        text = format_text(reports)
        if text:
            click.echo(text)
        errors = sum(r.errors for r in reports)
        warnings = sum(r.warnings for r in reports)
        # a folder without XML files has a report of its own (its warning), but no file
        files = [r for r in reports
                 if not (r.diagnostics and all(d.code == "input-no-xml" for d in r.diagnostics))]
        bad = sum(1 for r in files if r.errors)
        click.echo(f"{len(files)} file(s) checked: {len(files) - bad} valid, "
                   f"{bad} invalid; {errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(_exit_code(outcome(reports, strict=strict)))


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        name, sep, val = value.partition("=")
        if not sep or not name:
            raise UsageError(f"-p takes NAME=VALUE, got {value!r}")
        params[name.strip()] = val
    return params


@main.command()
@click.argument("documents", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "target", type=click.Choice(["html", "text", "index"]), required=True,
              help="html: one page per document; text: plain-text edition; "
                   "index: one listing page for all the documents.")
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write files here (default: standard output, one document).")
@click.option("--view", type=click.Choice(["reading", "diplomatic"]), default="reading",
              show_default=True, help="Editorial view.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A stylesheet parameter (repeatable).")
@FORMAT_OPTION
@STRICT_OPTION
@guarded
def render(documents: tuple[Path, ...], target: str, out_dir: Path | None, view: str,
           params: tuple[str, ...], output_format: str, strict: bool) -> None:
    """Render TEI documents to HTML or plain text with the XSLT 3.0 stylesheets.

    \b
    Examples:
      edition render output/tei/doc.xml --to text
      edition render output/tei/*.xml --to html -o site/
      edition render doc.xml --to text --view diplomatic -p width=72
    """
    from pipeline.render import render_paths

    if out_dir is None and len(documents) > 1 and target != "index":
        raise UsageError("several documents need an output folder: add -o DIR")
    result = render_paths(list(documents), to=target, out_dir=out_dir, view=view,
                          params=_parse_params(params))
    if out_dir is None and result.outputs:
        sys.stdout.write(result.outputs[0])
    _emit(result.reports, output_format)
    sys.exit(_exit_code(outcome(result.reports, strict=strict)))


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, help="Where the edition goes.")
@click.option("--to", "targets", default=None, metavar="LIST",
              help="Comma-separated outputs among html,text,tei (default: all, or edition.toml).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of cores).")
@STRICT_OPTION
@click.option("--clean", is_flag=True, help="Remove the output folder's previous build first.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run documents locally or on a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler address, e.g. tcp://127.0.0.1:8786 (with --executor dask).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; only the summary line.")
@FORMAT_OPTION
@guarded
def build(source: Path | None, out_dir: Path, targets: str | None, jobs: int | None,
          strict: bool, clean: bool, executor: str, scheduler: str | None, quiet: bool,
          output_format: str) -> None:
    """Build a whole edition: convert, validate, render, index.

    SOURCE is a folder of transcripts and/or TEI files (default: the bundled samples).

    \b
    Examples:
      edition build
      edition build ~/transcripts -o site/ --jobs 2
      edition build corpus/ --to html,tei --strict
      edition build corpus/ --executor dask --scheduler tcp://127.0.0.1:8786
    """
    from pipeline.build import BuildOptions, default_source, run_build

    progress = not quiet and output_format == "text" and sys.stderr.isatty()
    options = BuildOptions(
        source=source if source is not None else default_source(),
        out_dir=out_dir,
        targets=tuple(t.strip() for t in targets.split(",")) if targets else None,
        jobs=jobs,
        strict=strict,
        clean=clean,
        executor=executor,
        scheduler=scheduler,
        progress=progress,
    )
    result = run_build(options)
    if output_format == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        if not quiet:
            text = format_text(result.reports)
            if text:
                click.echo(text, err=True)
        click.echo(result.summary_line())
    sys.exit(_exit_code(result.outcome))


@main.command()
@click.argument("directory", required=False, default="output",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--bind", default="127.0.0.1", show_default=True)
@guarded
def serve(directory: Path, port: int, bind: str) -> None:
    """Serve a built edition over HTTP on this machine, for a look in a browser.

    \b
    Example:
      edition serve output/ --port 8000
    """
    from pipeline.serve import serve_directory

    serve_directory(directory, host=bind, port=port,
                    announce=lambda url: click.echo(f"Serving {directory} at {url} "
                                                    "(Ctrl-C to stop)", err=True))


if __name__ == "__main__":  # pragma: no cover
    main()
