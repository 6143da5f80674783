"""The XSLT engine: one Saxon processor per process, each stylesheet compiled once.

Safety. The processor is configured before anything is compiled: the XML parser refuses
DOCTYPE declarations, and Saxon's ``allowedProtocols`` is ``file`` only while a stylesheet
is being compiled (so that ``xsl:include`` and the compile-time CSS can be read) and empty
otherwise, so no transformation can read a file or reach the network through ``doc()``,
``unparsed-text()``, ``collection()`` or anything else. Documents reach Saxon as strings
serialised from trees parsed by :mod:`pipeline.safexml`; each stylesheet always receives its
documents this one way.

Diagnostics. Stylesheet messages (``xsl:message``) carry a coded ``ed:diagnostic`` element;
they are collected, not printed, and become :class:`~pipeline.diagnostics.Diagnostic`
records with the line of the TEI element in the source file. A stylesheet error is raised as
:class:`~pipeline.errors.RenderError` naming the stylesheet module and line that Saxon
reports.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline import safexml
from pipeline.diagnostics import Diagnostic, Severity
from pipeline.errors import RenderError, UsageError
from pipeline.render.documents import line_of, load_document, to_xml_text
from pipeline.render.layout import fill_stylesheet_output
from pipeline.render.params import ParamSpec, check_params, read_param_specs

XSLT_DIR = Path(__file__).resolve().parents[2] / "xslt"
ENTRY_STYLESHEETS = {"html": "html.xsl", "text": "text.xsl", "index": "index.xsl"}
VIEWS = ("reading", "diplomatic")
#: outputs whose stylesheets render the text's blocks under xsl:try when ed:guarded is true
GUARDED_OUTPUTS = ("html", "text")
ED_NS = "urn:tei-edition:xslt"

_GUARDED = "{urn:tei-edition:xslt}guarded"
#: html.xsl's static parameter: whether the CSS is written into the page by the stylesheet
_CSS_IN_PAGE = "{urn:tei-edition:xslt}css-in-page"
#: how every page starts, up to its ``lang`` value; the empty style element follows in the head
_PAGE_START = '<!DOCTYPE HTML><html lang="'
_EMPTY_STYLE = "<style></style>"
_ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"
_DISALLOW_DOCTYPE = ("http://saxon.sf.net/feature/parserFeature?uri="
                     "http://apache.org/xml/features/disallow-doctype-decl")
_MAX_DEPTH = "http://saxon.sf.net/feature/parserProperty?uri=jdk.xml.maxElementDepth"
_LOCATION = re.compile(r"on line (\d+)(?: column (\d+))? of ([^\s:]+)")
_CODE_LINE = re.compile(r"^\s+(\S+)\s+(.*)$")


#: Saxon holds the GIL anyway; one lock keeps the file-descriptor redirection below and the
#: executables' message lists to one transformation at a time when threads share a renderer.
_LOCK = threading.RLock()


#: one sink per thread for what Saxon writes to file descriptor 2, emptied after each use
_SINKS = threading.local()


@contextmanager
def _captured_stderr() -> Iterator[Callable[[], str]]:
    """Collect what native code writes to file descriptor 2 (Saxon's error listener)."""
    sink = getattr(_SINKS, "sink", None)
    if sink is None or _SINKS.pid != os.getpid():
        # unbuffered, kept open for the thread's life (a process forked from this one makes
        # its own): creating a file per call costs more than transforming a small document
        sink = _SINKS.sink = tempfile.TemporaryFile(buffering=0)  # noqa: SIM115
        _SINKS.pid = os.getpid()
    saved = os.dup(2)
    os.dup2(sink.fileno(), 2)
    try:
        yield lambda: _read(sink)
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        if os.fstat(sink.fileno()).st_size:
            os.ftruncate(sink.fileno(), 0)
            os.lseek(sink.fileno(), 0, os.SEEK_SET)


def _read(sink: Any) -> str:
    sink.seek(0)
    return sink.read().decode("utf-8", "replace")


def _stylesheet_location(stderr_text: str) -> str:
    """``xslt/text/blocks.xsl:120`` from Saxon's error report, or an empty string."""
    match = _LOCATION.search(stderr_text)
    if not match:
        return ""
    module = match.group(3)
    module = re.sub(r"^file:(//)?", "", module)
    try:
        module = str(Path(module).resolve().relative_to(XSLT_DIR.parent))
    except ValueError:
        module = Path(module).name
    return f"{module}:{match.group(1)}"


class Renderer:
    """Renders TEI to HTML, text or an index page; create one per process and reuse it."""

    def __init__(self, xslt_dir: Path = XSLT_DIR) -> None:
        self.xslt_dir = xslt_dir
        self._processor: Any = None
        self._executables: dict[str, Any] = {}
        self._specs: dict[str, dict[str, ParamSpec]] = {}
        self._last_parsed: tuple[str, Any] | None = None
        self._css = ""

    # ----- set-up -----

    @property
    def processor(self) -> Any:
        """The Saxon processor, with every stylesheet compiled and file access then closed.

        Saxon honours a change of ``allowedProtocols`` towards less access, not back, so
        all entry stylesheets are compiled first (with ``file`` allowed, for their modules
        and the compile-time CSS) and then access is closed for good.
        """
        with _LOCK:
            return self._start()

    def _start(self) -> Any:
        if self._processor is None:
            from saxonche import PySaxonProcessor

            processor = PySaxonProcessor(license=False)
            processor.set_configuration_property(_DISALLOW_DOCTYPE, "true")
            # the XML parser's nesting limit (100 by default) made as deep as lxml's, so that
            # a document that validates also renders
            processor.set_configuration_property(_MAX_DEPTH, str(safexml.MAX_DEPTH))
            processor.set_configuration_property(_ALLOWED_PROTOCOLS, "file")
            try:
                for to in ENTRY_STYLESHEETS:
                    self._executables[to] = self._compile(processor, to)
                self._css = self._read_css(processor)
            finally:
                processor.set_configuration_property(_ALLOWED_PROTOCOLS, "")
            self._processor = processor
        return self._processor

    def param_specs(self, to: str) -> dict[str, ParamSpec]:
        if to not in ENTRY_STYLESHEETS:
            raise UsageError(f"unknown output {to!r}: choose html, text or index",
                             code="render-target")
        if to not in self._specs:
            self._specs[to] = read_param_specs(self.xslt_dir / ENTRY_STYLESHEETS[to])
        return self._specs[to]

    def _read_css(self, processor: Any) -> str:
        """The page CSS, read as html.xsl reads it (``unparsed-text``), for :meth:`_with_css`."""
        uri = (self.xslt_dir / "assets" / "edition.css").resolve().as_uri()
        try:
            value = processor.new_xpath_processor().evaluate_single(
                "unparsed-text('" + uri.replace("'", "''") + "')")
        except Exception as exc:
            raise RenderError(f"cannot read the page CSS: {str(exc).strip()}",
                              path=uri, code="render-stylesheet-compile") from None
        return str(value.string_value) if value is not None else ""

    def _with_css(self, page: str) -> str:
        """The page with the CSS in its head's (empty) style element. The element is the first
        ``<style></style>`` after the ``lang`` value: between them there is only the head's
        fixed markup and the title, whose text has every ``<`` escaped."""
        if page.startswith(_PAGE_START):
            end_of_lang = page.find('"', len(_PAGE_START))  # a " in the value is &quot;
            at = page.find(_EMPTY_STYLE, end_of_lang) if end_of_lang >= 0 else -1
            if at >= 0:
                at += len("<style>")
                return page[:at] + self._css + page[at:]
        raise RenderError("the html.xsl page has no empty style element in its head for "
                          "the CSS", code="render-failed")

    def _compile(self, processor: Any, to: str) -> Any:
        entry = self.xslt_dir / ENTRY_STYLESHEETS[to]
        with _captured_stderr() as stderr:
            try:
                compiler = processor.new_xslt30_processor()
                if to == "html":
                    compiler.set_parameter(_CSS_IN_PAGE, processor.make_boolean_value(False))
                executable = compiler.compile_stylesheet(stylesheet_file=str(entry))
            except Exception as exc:
                details = stderr().strip()
                where = _stylesheet_location(details)
                raise RenderError(
                    f"stylesheet {entry.name} does not compile"
                    f"{' at ' + where if where else ''}: "
                    f"{str(exc).strip()}{' | ' + details if details else ''}",
                    path=str(entry), code="render-stylesheet-compile") from None
        executable.set_save_xsl_message(True)
        return executable

    def executable(self, to: str) -> Any:
        """The compiled stylesheet for ``to``."""
        self.param_specs(to)
        self.processor  # noqa: B018 - compiles every stylesheet on first use
        return self._executables[to]

    # ----- rendering -----

    def render(self, tree_or_path: etree._ElementTree | etree._Element | str | Path, *,
               to: str, view: str = "reading", params: dict[str, Any] | None = None,
               path: str | None = None) -> tuple[str, list[Diagnostic]]:
        """Render one document; returns the output and the diagnostics about it."""
        return self.render_outputs(tree_or_path, (to,), view=view,
                                   params={to: params} if params else None, path=path)[to]

    def render_outputs(self, tree_or_path: etree._ElementTree | etree._Element | str | Path,
                       outputs: tuple[str, ...] | list[str] = ("html", "text"), *,
                       view: str = "reading", params: dict[str, dict[str, Any] | None] | None
                       = None, path: str | None = None, xml_text: str | None = None
                       ) -> dict[str, tuple[str, list[Diagnostic]]]:
        """Render one document to several outputs (``html``, ``text``), serialising and
        parsing it once; ``params`` gives each output's parameters by output name. Returns,
        by output in the order given, what :meth:`render` returns for it.

        ``xml_text``: the document as text, when the caller has it already (what the tree
        was parsed from, or the tree written out); it is handed to Saxon instead of a new
        serialisation of the tree."""
        if view not in VIEWS:
            raise UsageError(f"view must be reading or diplomatic, not {view!r}",
                             code="render-view")
        loaded: list[Diagnostic] = []
        if isinstance(tree_or_path, (str, Path)):
            label = path or str(tree_or_path)
            tree, loaded = load_document(tree_or_path)
        else:
            label = path or "<tree>"
            tree = tree_or_path
        root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
        if xml_text is None:
            xml_text = to_xml_text(root)
        results: dict[str, tuple[str, list[Diagnostic]]] = {}
        for to in outputs:
            typed = self._typed_params(to, (params or {}).get(to) or {})
            if "view" in self.param_specs(to):
                typed.setdefault("view", view)
            output, messages = self._transform(to, xml_text, typed, label)
            if to == "text":
                output = fill_stylesheet_output(
                    output, int(typed.get("width", self._default_width())))
            elif to == "html":
                output = self._with_css(output)
            results[to] = (output, [*loaded, *self._diagnostics(messages, root, label)])
        return results

    def _default_width(self) -> int:
        spec = self.param_specs("text").get("width")
        return int(spec.default) if spec is not None and spec.default else 78

    def render_index(self, summaries: list[Any], *,
                     params: dict[str, Any] | None = None) -> str:
        """One listing page for the documents whose summaries are given."""
        from pipeline.render.summary import wrap_summaries

        typed = self._typed_params("index", params or {})
        output, _messages = self._transform("index", wrap_summaries(summaries), typed,
                                            "<index>")
        return output

    def _typed_params(self, to: str, params: dict[str, Any]) -> dict[str, Any]:
        specs = self.param_specs(to)
        raw = {name: (str(value).lower() if isinstance(value, bool) else str(value))
               for name, value in params.items()}
        return check_params(specs, raw, target=to)

    def _xdm(self, value: Any) -> Any:
        processor = self.processor
        if isinstance(value, bool):
            return processor.make_boolean_value(value)
        if isinstance(value, int):
            return processor.make_integer_value(value)
        return processor.make_string_value(str(value))

    def _transform(self, to: str, xml_text: str, params: dict[str, Any],
                   label: str) -> tuple[str, list[str]]:
        with _LOCK:
            return self._transform_locked(to, xml_text, params, label)

    def _transform_locked(self, to: str, xml_text: str, params: dict[str, Any],
                          label: str) -> tuple[str, list[str]]:
        executable = self.executable(to)
        executable.clear_parameters()
        for name, value in params.items():
            executable.set_parameter(name, self._xdm(value))
        executable.clear_xsl_messages()
        if to in GUARDED_OUTPUTS:
            # first without guards; a run that fails is repeated with them (see params.xsl)
            failed = False
            with _captured_stderr():
                try:
                    output = executable.transform_to_string(xdm_node=self._parsed(xml_text))
                except Exception:
                    failed = True
            if not failed:
                return output or "", self._messages(executable)
            executable.clear_xsl_messages()
            executable.set_parameter(_GUARDED, self._xdm(True))
        with _captured_stderr() as stderr:
            try:
                node = self._parsed(xml_text)
                output = executable.transform_to_string(xdm_node=node)
            except Exception as exc:
                details = stderr()
                message = str(exc).strip()
                if "bad-param" in details or "bad-param" in message:
                    raise UsageError(message, code="render-param-value") from None
                where = _stylesheet_location(details)
                raise RenderError(
                    f"the {ENTRY_STYLESHEETS[to]} stylesheet failed"
                    f"{' at ' + where if where else ''}: {message}",
                    path=label, code="render-failed") from None
        return output or "", self._messages(executable)

    @staticmethod
    def _messages(executable: Any) -> list[str]:
        """The run's ``xsl:message`` texts; the executable's list is emptied."""
        messages = executable.get_xsl_messages()
        texts: list[str] = []
        if messages is not None:
            texts = [str(messages.item_at(i)) for i in range(messages.size)]
        executable.clear_xsl_messages()
        return texts

    def _parsed(self, xml_text: str) -> Any:
        """The Saxon tree of a document; the last one is kept with its text (compared whole,
        which costs less than hashing it), so that rendering the same document to HTML and
        then to text parses it once."""
        if self._last_parsed is not None and self._last_parsed[0] == xml_text:
            return self._last_parsed[1]
        node = self.processor.parse_xml(xml_text=xml_text)
        self._last_parsed = (xml_text, node)
        return node

    def _forget_parsed(self) -> None:
        """Drop the kept Saxon tree (benchmarks use this to time parsing too)."""
        self._last_parsed = None

    def _diagnostics(self, messages: list[str], root: etree._Element,
                     label: str) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        for text in messages:
            try:
                element = etree.fromstring(text.encode("utf-8"))
            except etree.XMLSyntaxError:
                element = None
            if element is None or element.tag != f"{{{ED_NS}}}diagnostic":
                found.append(Diagnostic("render-message", Severity.INFO, text.strip(), label))
                continue
            found.append(Diagnostic(
                code=element.get("code", "render-message"),
                severity=Severity(element.get("severity", "warning")),
                message=(element.text or "").strip(),
                path=label,
                line=line_of(root, element.get("path")),
            ))
        return found


_RENDERER: Renderer | None = None


def get_renderer() -> Renderer:
    """The process's renderer (created on first use)."""
    global _RENDERER
    if _RENDERER is None:
        _RENDERER = Renderer()
    return _RENDERER
