<?xml version="1.0" encoding="UTF-8"?>
<!--
  Editorial wording shared by the HTML and text editions: gap labels, and the short place
  phrases the archive uses in its handwriting markers ("above", "at the bottom of page 1").
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- "illegible", "illegible, 2 words", "…" for an omission. -->
  <xsl:function name="ed:gap-label" as="xs:string">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="reason" select="substring-before(normalize-space($gap/@reason) || ' ', ' ')"/>
    <xsl:variable name="label" select="($ed:strings('gap-' || $reason), $reason, ed:string('gap-other'))[1]"/>
    <xsl:variable name="extent" select="if ($gap/@quantity) then $gap/@quantity || ($gap/@unit ! (' ' || . || (if ($gap/@quantity ne '1' and not(ends-with(., 's'))) then 's' else '')))
      else normalize-space($gap/@extent)[. ne '']"/>
    <xsl:sequence select="$label || ($extent ! (', ' || .)) || ($gap/desc[normalize-space()] ! (': ' || normalize-space(.)))"/>
  </xsl:function>


  <!-- The gap as the archive marks it: "[illegible]", or "(illegible)" when the source
       used parentheses. -->
  <xsl:function name="ed:gap-marker" as="xs:string">
    <xsl:param name="gap" as="element()"/>
    <xsl:sequence select="if ($gap/@rend = 'parentheses')
      then '(' || replace(ed:gap-label($gap), ': ', ' ') || ')'
      else '[' || ed:gap-label($gap) || ']'"/>
  </xsl:function>

  <!-- Delimiters of a stage remark as printed: slashes unless the source used parentheses. -->
  <xsl:function name="ed:stage-delimiters" as="xs:string+">
    <xsl:param name="stage" as="element()"/>
    <xsl:sequence select="if ($stage/@rend = 'parentheses') then ('(', ')') else ('/', '/')"/>
  </xsl:function>

  <!-- The place wording of the archive's markers: "above", "in the left margin",
       "at the bottom of page 1"; empty for a note in the line. -->
  <xsl:function name="ed:marker-place" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="place" select="tokenize(normalize-space($e/@place), ' ')[1]"/>
    <xsl:variable name="page" select="if ($e/@n) then 'page ' || $e/@n else 'the page'"/>
    <xsl:sequence select="
      if ($place = ('bottom', 'foot')) then 'at the bottom of ' || $page
      else if ($place = 'top') then 'at the top of ' || $page
      else if ($place = ('above', 'below')) then $place
      else if ($place = 'margin-left') then 'in the left margin'
      else if ($place = 'margin-right') then 'in the right margin'
      else if ($place = 'margin') then 'in the margin'
      else if ($place = ('inline', '')) then ()
      else $place"/>
  </xsl:function>

</xsl:stylesheet>
