"""The Schematron engine (variables, first-matching rule, one-pass rules) and the glued-word
rule's handling of orig, each checked against lxml's XSLT-based reference engine."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, isoschematron

from pipeline import safexml
from pipeline.errors import SchemaError
from pipeline.validate.schemas import EDITION_SCH
from pipeline.validate.schematron import compile_schematron

SCH = "http://purl.oclc.org/dsdl/schematron"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
TEI = "http://www.tei-c.org/ns/1.0"


def schematron(tmp_path: Path, body: str, binding: str = "xslt") -> Path:
    path = tmp_path / "rules.sch"
    path.write_text(f'<schema xmlns="{SCH}" queryBinding="{binding}">{body}</schema>',
                    encoding="utf-8")
    return path


def findings(sch: Path, xml: str) -> list[tuple[str, int | None, str]]:
    tree = safexml.parse_bytes(xml.encode("utf-8"), "doc.xml")
    return [(d.code, d.line, d.message)
            for d in compile_schematron(sch).validate(tree, "doc.xml")]


def reference(sch: Path, xml: str) -> list[tuple[str, int]]:
    """(id, line) of every failed assert and successful report, from lxml.isoschematron."""
    tree = safexml.parse_bytes(xml.encode("utf-8"), "doc.xml")
    engine = isoschematron.Schematron(etree.parse(str(sch)), store_report=True)
    engine.validate(tree)
    result = []
    for item in engine.validation_report.iter(f"{SVRL}failed-assert",
                                              f"{SVRL}successful-report"):
        [node] = tree.xpath(item.get("location"))
        result.append((item.get("id"), node.sourceline))
    return sorted(result, key=lambda pair: pair[1])


DOC = """<doc>
  <b k="1">one</b>
  <b k="2">two</b>
  <b>three</b>
  <c n="5"/>
</doc>"""


def test_rule_level_let_shadows_the_pattern_level_one(tmp_path: Path) -> None:
    sch = schematron(tmp_path, """
      <let name="n" value="'schema'"/>
      <pattern>
        <let name="n" value="concat($n, '+pattern')"/>
        <rule context="b">
          <let name="n" value="concat($n, '+', .)"/>
          <let name="m" value="concat('[', $n, ']')"/>
          <report id="r" test="true()"><value-of select="$m"/></report>
        </rule>
      </pattern>""")
    assert [m for _, _, m in findings(sch, DOC)] == [
        "[schema+pattern+one]", "[schema+pattern+two]", "[schema+pattern+three]"]


def test_a_test_with_only_document_variables_runs_once_for_all_nodes(tmp_path: Path) -> None:
    sch = schematron(tmp_path, """
      <let name="limit" value="count(//b) - 1"/>
      <pattern>
        <rule context="b">
          <assert id="a" test="count(preceding-sibling::b) &lt; $limit">b number
            <value-of select="count(preceding-sibling::b) + 1"/> of <value-of select="$limit"/>
          </assert>
        </rule>
      </pattern>""")
    assert findings(sch, DOC) == [("a", 4, "b number 3 of 2")]
    assert reference(sch, DOC) == [("a", 4)]


def test_the_first_matching_rule_of_a_pattern_takes_the_node(tmp_path: Path) -> None:
    """Nodes the first rule matches are not checked by the second, whether they pass or not;
    the rules are checked with and without rule-level variables in their tests."""
    for let in ("", '<let name="key" value="string(@k)"/>'):
        key = "$key" if let else "@k"
        sch = schematron(tmp_path, f"""
          <pattern>
            <rule context="b[@k]">{let}
              <assert id="first" test="{key} = '1'">first</assert>
            </rule>
            <rule context="b | c">
              <assert id="second" test="false()">second</assert>
            </rule>
          </pattern>""")
        assert [(c, line) for c, line, _ in findings(sch, DOC)] == [
            ("first", 3), ("second", 4), ("second", 5)]
        assert reference(sch, DOC) == [("first", 3), ("second", 4), ("second", 5)]


def test_asserts_and_reports_of_one_rule_fire_separately(tmp_path: Path) -> None:
    sch = schematron(tmp_path, """
      <pattern>
        <rule context="b">
          <assert id="has-k" test="@k">no k</assert>
          <report id="is-two" test=". = 'two'">two</report>
          <report id="never" role="warning" test="false()">never</report>
        </rule>
      </pattern>""")
    assert [(c, line) for c, line, _ in findings(sch, DOC)] == [("is-two", 3), ("has-k", 4)]
    assert reference(sch, DOC) == [("is-two", 3), ("has-k", 4)]


def test_a_let_no_test_needs_is_not_evaluated(tmp_path: Path) -> None:
    """Variables are computed when first used: a message variable only for failing nodes."""
    sch = schematron(tmp_path, """
      <ns prefix="x" uri="urn:x"/>
      <let name="unused" value="x:unknown-function()"/>
      <pattern>
        <rule context="b">
          <let name="detail" value="x:unknown-function()"/>
          <assert id="a" test="true()"><value-of select="$detail"/></assert>
        </rule>
      </pattern>""")
    assert findings(sch, DOC) == []


NESTED = """<doc>
  <s><b k="x"/><b/><b k="y"/></s>
  <s><b/></s>
  <t><s><b k="z"/><b/></s></t>
</doc>"""


@pytest.mark.parametrize("context", [
    "b[1]", "s/b[2]", "b[last()]", "b[count(preceding-sibling::b)]", "b[@k][1]",
    "b[position() > 1 and @k]", "b[not(@k)]", "s[b/@k = 'z']//b[@k]", "t//b[. = '']",
    "b[@k = 'x' or @k = 'z']", "doc//s[b[2]]/b"])
def test_contexts_select_what_the_xslt_pattern_matches(tmp_path: Path, context: str) -> None:
    """Positional predicates keep their per-parent meaning; boolean ones are evaluated
    over the descendants in one walk."""
    sch = schematron(tmp_path, f"""
      <pattern>
        <rule context="{context}">
          <report id="hit" test="true()">hit</report>
        </rule>
      </pattern>""")
    assert [(code, line) for code, line, _ in findings(sch, NESTED)] == reference(sch, NESTED)


def test_regular_expressions_under_any_prefix(tmp_path: Path) -> None:
    sch = schematron(tmp_path, """
      <ns prefix="rx" uri="http://exslt.org/regular-expressions"/>
      <pattern>
        <rule context="b">
          <report id="vowel-start" test="rx:test(., '^[aeiou]')"><value-of select="."/></report>
        </rule>
      </pattern>""")
    assert findings(sch, DOC) == [("vowel-start", 2, "one")]


# The project's glued-word rule: orig holds glued text on purpose.

def tei(body: str) -> str:
    return (f'<TEI xmlns="{TEI}"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
            "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>"
            f'</fileDesc></teiHeader><text><body><div type="record">\n{body}\n'
            "</div></body></text></TEI>")


GLUED_CASES = {
    "only-in-orig": ("<p>Said <choice><orig>Khrushchev,will</orig><reg>Khrushchev, will"
                     "</reg></choice> go.</p>", []),
    "orig-and-outside": ("<p><choice><orig>a,b</orig><reg>a, b</reg></choice> x</p>\n"
                         "<p>Moscow,Peking</p>", [3]),
    "two-in-one-orig": ("<p><choice><orig>a,b;c</orig><reg>a, b; c</reg></choice></p>\n"
                        "<p>one,two</p>", [3]),
    "nested-orig": ("<p><choice><orig>a <orig>e,f</orig></orig><reg>x</reg></choice></p>\n"
                    "<p>Хрущёв,сказал</p>", [3]),
    "across-elements": ("<p>word,<hi>next</hi> and <orig>x,y</orig></p>", []),
    "in-a-tail": ("<p><choice><orig>p,q</orig><reg>p, q</reg></choice>tail,glued</p>", [2]),
    "clean": ("<p>Commas, semicolons; numbers 1,000 and a,</p>", []),
}


@pytest.fixture(scope="module")
def glued_rules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's rules reduced to the glued-word pattern."""
    tree = etree.parse(str(EDITION_SCH))
    for pattern in tree.getroot().findall(f"{{{SCH}}}pattern"):
        if pattern.get("id") != "glued-words":
            pattern.getparent().remove(pattern)
    path = tmp_path_factory.mktemp("sch") / "glued.sch"
    tree.write(str(path), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(GLUED_CASES))
def test_glued_words_outside_orig_are_found_and_inside_orig_are_not(glued_rules: Path,
                                                                    case: str) -> None:
    body, lines = GLUED_CASES[case]
    xml = tei(body)
    assert [line for code, line, _ in findings(glued_rules, xml)
            if code == "ed-glued-word"] == lines
    assert reference(glued_rules, xml) == [("ed-glued-word", line) for line in lines]


@pytest.mark.parametrize("test", ["current()/@k", "key('k', @k)", "contain(., 'o')"])
def test_a_function_xpath_1_lacks_is_refused_where_it_is_written(tmp_path: Path,
                                                                 test: str) -> None:
    sch = schematron(tmp_path, f'<pattern>\n<rule context="b">\n<assert test="{test}">m'
                               "</assert></rule></pattern>")
    with pytest.raises(SchemaError) as caught:
        compile_schematron(sch)
    assert caught.value.code == "schematron-unsupported"
    assert caught.value.line == 3
    assert f"{test.split('(')[0]}()" in caught.value.message


def test_functions_of_xpath_1_and_node_tests_are_accepted(tmp_path: Path) -> None:
    sch = schematron(tmp_path, '<pattern><rule context="b"><assert test="not(contains(., '
                               "'current()')) and count(node()) = 1 and (string-length(.) div "
                               '2) &gt; 0">m</assert></rule></pattern>')
    assert findings(sch, DOC) == []


def test_a_rule_that_fails_when_evaluated_is_the_schematron_files_error(tmp_path: Path) -> None:
    sch = schematron(tmp_path, '<ns prefix="x" uri="urn:x"/><pattern>\n<rule context="c">'
                               '<assert test="x:f(@n)">m</assert></rule></pattern>')
    compiled = compile_schematron(sch)           # a prefixed function is known only when run
    tree = safexml.parse_bytes(DOC.encode("utf-8"), "doc.xml")
    with pytest.raises(SchemaError) as caught:
        compiled.validate(tree, "doc.xml")
    assert (caught.value.code, caught.value.path, caught.value.line) == (
        "schematron-invalid", str(sch), 2)
