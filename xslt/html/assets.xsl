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

</xsl:stylesheet>
