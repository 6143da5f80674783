"""Untrusted XML never reads a file or opens a connection.

A local HTTP server on 127.0.0.1 (random port, in a thread) must receive no request, and a
secret file's content must appear in no output, while the validator and the CLI process
files that ask for external entities, parameter entities, remote DTDs, XIncludes, declared
schemas and billions of laughs.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import SchemaError
from pipeline.safexml import find_doctype, parse_bytes
from pipeline.validate import validate_paths

SECRET = "SECRET-7c1e9a-must-never-be-read"
TEI = "http://www.tei-c.org/ns/1.0"


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def _answer(self) -> None:
        type(self).requests.append(f"{self.command} {self.path}")
        body = f'<!ENTITY leaked "{SECRET}">{SECRET}'.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    _Recorder.requests = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.timeout = 5
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Recorder.requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _hostile_files(folder: Path, base: str) -> dict[str, Path]:
    secret = folder / "secret.txt"
    secret.write_text(SECRET)
    secret_url = secret.resolve().as_uri()
    body = f'<TEI xmlns="{TEI}"><text><body><p>&x;</p></body></text></TEI>'
    decl = '<?xml version="1.0"?>\n'
    laughs = "".join(f'<!ENTITY x{i} "{f"&x{i - 1};" * 10}">' for i in range(1, 10))
    files = {
        "entity-file": f'{decl}<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret_url}">]>\n{body}',
        "entity-http": f'{decl}<!DOCTYPE TEI [<!ENTITY x SYSTEM "{base}/entity">]>\n{body}',
        "parameter-entity": (f'{decl}<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{base}/p.dtd">'
                             f' %p; <!ENTITY x "&leaked;">]>\n{body}'),
        "billion-laughs": (f'{decl}<!DOCTYPE TEI [<!ENTITY x0 "ha">{laughs}'
                           f'<!ENTITY x "&x9;">]>\n{body}'),
        "remote-dtd": f'{decl}<!DOCTYPE TEI SYSTEM "{base}/tei.dtd">\n{body}',
        "public-dtd": f'{decl}<!DOCTYPE TEI PUBLIC "-//X//DTD X//EN" "{secret_url}">\n{body}',
        "doctype-after-long-comment": (f'{decl}<!--{"x" * 70000}-->\n'
                                       f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret_url}">]>\n'
                                       f"{body}"),
        "entity-without-doctype": f"{decl}{body}",
        "xinclude-http": (f'<TEI xmlns="{TEI}" xmlns:xi="http://www.w3.org/2001/XInclude">'
                          f'<text><body><xi:include href="{base}/part.xml" parse="text"/>'
                          f'<xi:include href="{secret_url}" parse="text"/></body></text></TEI>'),
        "xml-model-http": (f'<?xml-model href="{base}/schema.rng" '
                           'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
                           f'<?xml-model href="{base}/rules.sch" '
                           'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
                           f'<TEI xmlns="{TEI}"><text/></TEI>'),
        "xsi-schema-location": (f'<TEI xmlns="{TEI}" '
                                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                                f'xsi:schemaLocation="{TEI} {base}/tei.xsd"><text/></TEI>'),
        "stylesheet-pi": (f'<?xml-stylesheet type="text/xsl" href="{base}/s.xsl"?>\n'
                          f'<TEI xmlns="{TEI}"/>'),
    }
    paths = {}
    for name, text in files.items():
        paths[name] = folder / f"{name}.xml"
        paths[name].write_text(text, encoding="utf-8")
    utf16 = (f'<?xml version="1.0" encoding="UTF-16"?>\n'
             f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret_url}">]>\n{body}')
    paths["doctype-utf16"] = folder / "doctype-utf16.xml"
    paths["doctype-utf16"].write_bytes(utf16.encode("utf-16"))
    return paths


EXPECTED = {
    "entity-file": "xml-doctype", "entity-http": "xml-doctype",
    "parameter-entity": "xml-doctype", "billion-laughs": "xml-doctype",
    "remote-dtd": "xml-doctype", "public-dtd": "xml-doctype",
    "doctype-after-long-comment": "xml-doctype", "doctype-utf16": "xml-doctype",
    "entity-without-doctype": "xml-malformed", "xinclude-http": "xi-include",
    "xml-model-http": "xml-model", "xsi-schema-location": "xsi-schema-location",
}


def test_validation_reads_nothing_and_fetches_nothing(tmp_path: Path,
                                                      server: tuple[str, list[str]]) -> None:
    base, requests = server
    files = _hostile_files(tmp_path, base)
    reports = validate_paths(sorted(files.values()))
    by_name = {Path(r.path).stem: r for r in reports}
    for name, code in EXPECTED.items():
        assert code in [d.code for d in by_name[name].diagnostics], name
    everything = json.dumps([r.to_dict() for r in reports])
    assert SECRET not in everything
    assert requests == []


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_cli_output_never_carries_the_secret(tmp_path: Path, server: tuple[str, list[str]],
                                             output_format: str) -> None:
    base, requests = server
    _hostile_files(tmp_path, base)
    result = CliRunner().invoke(main, ["validate", str(tmp_path), "--format", output_format])
    assert result.exit_code == 1, result.output
    assert "xml-doctype" in result.output
    assert SECRET not in result.output
    assert "Traceback" not in result.output
    assert requests == []


def test_declared_schemas_are_reported_with_what_they_ask_for(
        tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, requests = server
    files = _hostile_files(tmp_path, base)
    [report] = validate_paths([files["xml-model-http"]])
    hrefs = [m["href"] for m in report.details["xml_model"]]
    assert hrefs == [f"{base}/schema.rng", f"{base}/rules.sch"]
    assert "RELAX NG" in report.diagnostics[0].message
    assert requests == []


def test_schema_with_a_remote_include_is_refused(tmp_path: Path,
                                                 server: tuple[str, list[str]]) -> None:
    base, requests = server
    rng = tmp_path / "theirs.rng"
    rng.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0">'
                   f'<include href="{base}/other.rng"/><start><element name="a"><text/>'
                   "</element></start></grammar>")
    (tmp_path / "a.xml").write_text("<a/>")
    with pytest.raises(SchemaError, match="never fetched"):
        validate_paths([tmp_path / "a.xml"], schema=str(rng))
    assert requests == []


def test_schema_with_a_doctype_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    rng = tmp_path / "evil.rng"
    rng.write_text(f'<!DOCTYPE grammar [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
                   '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start>'
                   '<element name="a"><value>&x;</value></element></start></grammar>')
    with pytest.raises(SchemaError) as caught:
        validate_paths([tmp_path / "secret.txt"], schema=str(rng))
    assert SECRET not in str(caught.value)


def test_prolog_scan_finds_doctype_anywhere_before_the_root() -> None:
    assert find_doctype(b'<?xml version="1.0"?><!-- c --><?pi x?>\n<!doctype a><a/>') == (2, 1)
    assert find_doctype(b"<a><!DOCTYPE inside-text-is-not-a-prolog/></a>") is None
    assert find_doctype("<!DOCTYPE a><a/>".encode("utf-16")) == (1, 1)
    assert find_doctype("<!DOCTYPE a><a/>".encode("utf-16-be")) == (1, 1)
    with pytest.raises(Exception, match="DOCTYPE"):
        parse_bytes("<!DOCTYPE a><a/>".encode("utf-32"))
