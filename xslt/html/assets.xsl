<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page's CSS, read from xslt/assets/ when the stylesheet is compiled (a static
  variable), so that each page carries its own styles and the transformation itself never
  reads a file.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  exclude-result-prefixes="#all">

  <xsl:variable name="ed:css" static="yes" as="xs:string"
    select="unparsed-text('../assets/edition.css')"/>

  <!-- Whether html.xsl writes the CSS into the page's style element itself (true), or
       leaves the element empty for the caller to fill with $ed:css (pipeline.render
       compiles it with false(): putting the text in after the transformation costs a
       fraction of serialising 12 KB of CSS in every page). The page is the same. -->
  <xsl:param name="ed:css-in-page" static="yes" as="xs:boolean" select="true()"/>

</xsl:stylesheet>
