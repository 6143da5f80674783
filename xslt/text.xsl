<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-edition: the plain-text edition.

  A title block with the citation, then the text: speaker labels as printed (or upper-cased),
  paragraphs wrapped at $width and separated by blank lines, the archive's markers
  regenerated from the markup ([illegible], [handwritten], /Laughter/, [sic] …), and the
  notes as numbered endnotes. The reading view hides deletions and uses regularised and
  corrected forms; the diplomatic view keeps deletions, original and run-together forms as
  the source has them.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:include href="common/strings.xsl"/>
  <xsl:include href="common/params.xsl"/>
  <xsl:include href="common/diagnostics.xsl"/>
  <xsl:include href="common/metadata.xsl"/>
  <xsl:include href="common/notes.xsl"/>
  <xsl:include href="common/editorial.xsl"/>
  <xsl:include href="text/layout.xsl"/>
  <xsl:include href="text/blocks.xsl"/>
  <xsl:include href="text/inline.xsl"/>

  <!--* Line width for wrapping paragraphs (characters). *-->
  <xsl:param name="width" as="xs:integer" select="78" ed:min="20" ed:max="400"
    ed:doc="Wrap paragraphs at this many characters (20-400)."/>

  <!--* Speaker labels: "printed" (as in the source, e.g. "Khrushchev.") or "upper"
        ("KHRUSHCHEV:"). *-->
  <xsl:param name="speaker-labels" as="xs:string" select="'printed'"
    ed:values="printed upper"
    ed:doc="Speaker labels as printed, or upper-cased with a colon."/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>

  <xsl:template match="/">
    <xsl:call-template name="ed:check-params"/>
    <xsl:if test="$width lt 20">
      <xsl:sequence select="error(QName('urn:tei-edition:xslt', 'ed:bad-param'),
        'width must be at least 20, not ' || $width)"/>
    </xsl:if>
    <xsl:if test="not($speaker-labels = ('printed', 'upper'))">
      <xsl:sequence select="error(QName('urn:tei-edition:xslt', 'ed:bad-param'),
        'speaker-labels must be printed or upper, not ' || $speaker-labels)"/>
    </xsl:if>
    <xsl:variable name="blocks" as="xs:anyAtomicType*">
      <xsl:apply-templates select="*" mode="ed:text-document"/>
    </xsl:variable>
    <!-- An index of the blocks, then the blocks: the index gives each block's kind, "u"
         (whitespace not yet normalised) or "n" (normalised), and its length in
         characters, separated by commas and ended by a semicolon; the index and the blocks
         go out as one sequence of strings, which the serialiser separates by single
         spaces. The blocks go to the output as they are (joining them first would copy
         the whole text), in one instruction rather than two for each block.
         pipeline.render.layout reads them back, fills the lines and separates the blocks
         with blank lines. -->
    <xsl:variable name="blocks" select="$blocks[normalize-space()]"/>
    <xsl:sequence select="string-join($blocks ! ((if (. instance of xs:untypedAtomic) then 'u'
      else 'n') || string-length(.)), ',') || ';', $blocks"/>
  </xsl:template>

</xsl:stylesheet>
