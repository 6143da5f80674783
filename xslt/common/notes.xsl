<?xml version="1.0" encoding="UTF-8"?>
<!--
  Note numbering in one pass. Notes that become numbered foot/endnotes (everything except
  handwritten annotations, which stand where they are written) are counted by an
  accumulator as the document is read, so the cost grows linearly with the number of notes.
  Numbers follow document order; nothing derived from node identity reaches the output.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- A note rendered where it stands rather than as a numbered note: a handwritten
       annotation, a note the source prints in the line or in parentheses, a listing's
       summary. -->
  <xsl:function name="ed:in-place" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/@type = ('annotation', 'summary') or $note/@place = 'inline'
      or $note/@rend = 'parentheses' or exists($note/@hand)"/>
  </xsl:function>

  <!-- A handwritten annotation (labelled with hand and place where it stands). -->
  <xsl:function name="ed:is-annotation" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/@type = 'annotation' or exists($note/@hand)"/>
  </xsl:function>

  <xsl:accumulator name="ed:note-number" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="note[not(ancestor::teiHeader)][not(ed:in-place(.))]" select="$value + 1"/>
  </xsl:accumulator>

  <!-- The number of a counted note (its own position among the numbered notes). -->
  <xsl:function name="ed:note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note ! accumulator-before('ed:note-number')"/>
  </xsl:function>

  <!-- The label a note's kind gets in front of its text, if any. -->
  <xsl:function name="ed:note-kind" as="xs:string?">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="
      if ($note/@type = 'translator') then ed:string('note-translator')
      else if ($note/@type = ('editorial', 'editor')) then ed:string('note-editorial')
      else ()"/>
  </xsl:function>

  <!-- The numbered notes of one document (a TEI element, or the root of any other file). -->
  <xsl:function name="ed:endnotes" as="element()*">
    <xsl:param name="scope" as="node()"/>
    <xsl:sequence select="$scope//note[not(ancestor::teiHeader)][not(ed:in-place(.))]"/>
  </xsl:function>

</xsl:stylesheet>
