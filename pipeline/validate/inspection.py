"""What a TEI file says about itself, before any schema: its kind, and what it points to.

Files from other archives declare schemas (``xml-model``, oXygen's ``RNGSchema`` PI,
``xsi:schemaLocation``) and pull in other files (``xi:include``). These are reported so the
editor knows what the file asks for; none of them is ever fetched or followed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.tei import TEI_NS

XI_NS = "http://www.w3.org/2001/XInclude"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_SCHEMATYPES = {
    "http://relaxng.org/ns/structure/1.0": "RELAX NG",
    "http://purl.oclc.org/dsdl/schematron": "ISO Schematron",
    "http://www.ascc.net/xml/schematron": "Schematron 1.5",
    "http://www.w3.org/2001/XMLSchema": "W3C XML Schema",
    "http://www.w3.org/XML/1998/namespace": "DTD",
}
_TYPES = {
    "application/xml": "XML",
    "application/relax-ng-compact-syntax": "RELAX NG compact syntax",
    "application/xml-dtd": "DTD",
}


@dataclass
class Inspection:
    """The kind of document and what it refers to, with the diagnostics to report."""

    root: str
    namespace: str | None
    tei_version: str | None  # "P5", "P4" or None (not TEI)
    is_tei_document: bool  # root is TEI or teiCorpus in the TEI namespace
    diagnostics: list[Diagnostic] = field(default_factory=list)
    xml_model: list[dict[str, str]] = field(default_factory=list)
    xincludes: int = 0

    def details(self) -> dict[str, Any]:
        out: dict[str, Any] = {"root": self.root, "namespace": self.namespace,
                               "tei_version": self.tei_version}
        if self.xml_model:
            out["xml_model"] = self.xml_model
        if self.xincludes:
            out["xinclude"] = self.xincludes
        return out


def inspect_tree(tree: etree._ElementTree, path: str) -> Inspection:
    root = tree.getroot()
    qname = etree.QName(root)
    local, namespace = qname.localname, qname.namespace
    if namespace == TEI_NS:
        version = "P5"
    elif namespace is None and local in ("TEI.2", "teiCorpus.2"):
        version = "P4"
    else:
        version = None
    result = Inspection(root=local, namespace=namespace, tei_version=version,
                        is_tei_document=namespace == TEI_NS and local in ("TEI", "teiCorpus"))
    _schema_declarations(root, path, result)
    _xincludes(root, path, result)
    return result


def root_diagnostic(inspection: Inspection, path: str, line: int | None,
                    *, schema_name: str) -> Diagnostic | None:
    """Why a document cannot be checked against a TEI schema at all, or None."""
    local, namespace = inspection.root, inspection.namespace
    if inspection.tei_version == "P4":
        return Diagnostic(
            "tei-p4", Severity.ERROR,
            f"this is a TEI P4 document (root <{local}>, no namespace), not TEI P5: "
            f"{schema_name} describes TEI P5. Expected: root <TEI> in the namespace "
            f"{TEI_NS}. Fix: convert it to P5 (the TEI Consortium publishes P4-to-P5 "
            "conversion stylesheets), then validate again", path, line, None)
    if namespace is None and local in ("TEI", "teiCorpus"):
        return Diagnostic(
            "tei-no-namespace", Severity.ERROR,
            f"the root <{local}> has no namespace. Expected: xmlns=\"{TEI_NS}\" on the root. "
            "Fix: add the TEI namespace declaration", path, line, None)
    allowed = ("TEI",) if schema_name == "edition" else ("TEI", "teiCorpus")
    if namespace == TEI_NS and local not in allowed:
        what = " or ".join(f"<{a}>" for a in allowed)
        return Diagnostic(
            "root-not-tei", Severity.ERROR,
            f"the root element is <{local}> (a TEI element, but not a TEI document): "
            f"{schema_name} expects {what}. Fix: this file is a fragment of another document "
            "(for example a page or a diary entry); validate the document that includes it, "
            "or wrap it in a complete TEI document", path, line, None)
    if namespace != TEI_NS:
        named = f"{{{namespace}}}{local}" if namespace else local
        return Diagnostic(
            "root-not-tei", Severity.ERROR,
            f"the root element is <{named}>, which is not TEI. Expected: <TEI> in the "
            f"namespace {TEI_NS}. Fix: check that this is the file you meant to validate",
            path, line, None)
    return None


def _schema_declarations(root: etree._Element, path: str, result: Inspection) -> None:
    for node in reversed(list(root.itersiblings(preceding=True))):
        if not isinstance(node, etree._ProcessingInstruction):
            continue
        if node.target == "xml-model":
            attrs = {k: v for k, v in node.attrib.items() if v is not None}
            href = attrs.get("href", "")
            kind = _SCHEMATYPES.get(attrs.get("schematypens", ""), "") or \
                _TYPES.get(attrs.get("type", ""), "") or "a schema"
            if href.lower().endswith(".rnc") and kind != "RELAX NG compact syntax":
                kind = "RELAX NG compact syntax"
            result.xml_model.append({key: attrs[key] for key in
                                     ("href", "type", "schematypens", "phase") if key in attrs})
            if "Schematron" in kind:
                how = f"--schematron {_local_name(href)}"
            elif kind in ("RELAX NG", "RELAX NG compact syntax"):
                how = f"--schema {_local_name(href)}"
            else:
                how = ""
            advice = (f" To check against it, save a copy and run: edition validate FILE {how}"
                      if how else "")
            result.diagnostics.append(Diagnostic(
                "xml-model", Severity.INFO,
                f'the file declares {kind} "{href}" (xml-model'
                + (f', schematypens="{attrs["schematypens"]}"' if "schematypens" in attrs
                   else "")
                + ")"
                + "; it is not fetched." + advice, path, node.sourceline, None))
        elif node.target == "oxygen":
            attrs = {k: v for k, v in node.attrib.items() if v is not None}
            for key in ("RNGSchema", "SCHSchema", "NVDLSchema"):
                if key in attrs:
                    result.xml_model.append({"href": attrs[key], "oxygen": key})
                    result.diagnostics.append(Diagnostic(
                        "xml-model", Severity.INFO,
                        f'the file declares the schema "{attrs[key]}" (oXygen {key}); it is '
                        "not fetched. To check against it, save a copy and pass it with "
                        "--schema", path, node.sourceline, None))
    for attr in ("schemaLocation", "noNamespaceSchemaLocation"):
        value = root.get(f"{{{XSI_NS}}}{attr}")
        if value:
            result.xml_model.append({"href": value, "xsi": attr})
            result.diagnostics.append(Diagnostic(
                "xsi-schema-location", Severity.INFO,
                f'the root declares xsi:{attr}="{value}" (a W3C XML Schema); it is not fetched '
                "and W3C XML Schema is not checked here", path, root.sourceline, None))


def _local_name(href: str) -> str:
    name = href.rstrip("/").rsplit("/", 1)[-1]
    return name or "SCHEMA"


def _xincludes(root: etree._Element, path: str, result: Inspection) -> None:
    for node in root.iter(f"{{{XI_NS}}}include"):
        result.xincludes += 1
        href = node.get("href", "")
        fallback = node.find(f"{{{XI_NS}}}fallback") is not None
        result.diagnostics.append(Diagnostic(
            "xi-include", Severity.WARNING,
            f'xi:include of "{href}" is not followed: XIncludes are never resolved, so the '
            "document is checked without the included content"
            + (" (it has an xi:fallback)" if fallback else "")
            + ". Fix: to validate the assembled document, resolve the inclusions with a "
            "trusted tool first", path, node.sourceline, None))
