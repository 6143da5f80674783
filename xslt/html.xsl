<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-edition: the HTML edition, one self-contained page per document.

  Input: a TEI document (TEI, teiCorpus, or any other root from a foreign file).
  Output: an HTML5 page with the header panel, the text in both editorial views (a switch
  on the page chooses one; it works without scripts), numbered notes linked both ways, the
  hands legend, persons with their turns, and a citation block. CSS travels inside the page.
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
  <xsl:include href="html/assets.xsl"/>
  <xsl:include href="html/page.xsl"/>
  <xsl:include href="html/text.xsl"/>

  <!--* Show a small turn number beside each speaker label, as a link target. *-->
  <xsl:param name="turn-numbers" as="xs:boolean" select="true()"
    ed:doc="Show turn numbers beside speaker labels (true or false)."/>

  <!--* Where the edition's index page is, relative to this page; empty: no link. *-->
  <xsl:param name="index-href" as="xs:string" select="''"
    ed:doc="Link to the edition's index page from the page header (a relative URL; empty for none)."/>

  <!--* The document's other outputs and the build report, relative to this page; empty:
        no link (a page rendered on its own). *-->
  <xsl:param name="tei-href" as="xs:string" select="''"
    ed:doc="Link to the document's TEI from the page header (a relative URL; empty for none)."/>
  <xsl:param name="text-href" as="xs:string" select="''"
    ed:doc="Link to the document's plain-text edition from the page header (a relative URL; empty for none)."/>
  <xsl:param name="report-href" as="xs:string" select="''"
    ed:doc="Link to the edition's build report from the page header (a relative URL; empty for none)."/>

  <!-- URI attributes are written as they are (browsers take non-ASCII characters in
       them as UTF-8, which this page is in): percent-encoding each one costs about 4 % of a
       page's transformation. -->
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
    include-content-type="no" escape-uri-attributes="no"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>

  <xsl:template match="/">
    <xsl:call-template name="ed:check-params"/>
    <xsl:call-template name="ed:page"/>
  </xsl:template>

</xsl:stylesheet>
