<?xml version="1.0" encoding="UTF-8"?>
<!--
  Text layout: blocks, rules, the title block, endnotes and the citation block.

  Blocks are built as "raw" strings: words separated by single spaces, with U+2028 (LINE
  SEPARATOR) wherever the text must break a line (verse lines, closer lines, list items).
  Blocks are separated by a blank line. Lines are filled to $width after the transformation
  (pipeline/render/layout.py): a segment that opens with a list or note marker ("- ",
  "3. ", "[12] ") continues under its first word.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:variable name="ed:break" static="yes" as="xs:string" select="'&#x2028;'"/>

  <!-- Documents in the file: a TEI document, each member of a teiCorpus, or any root. -->
  <xsl:mode name="ed:text-document" on-no-match="fail" use-accumulators="#all"/>

  <!-- A block's text as it leaves the stylesheet: its lines are filled to $width after the
       transformation (pipeline.render.layout), where that costs a fraction of what string
       handling costs in XPath. -->
  <xsl:function name="ed:fill" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="indent" as="xs:string"/>
    <xsl:sequence select="$text"/>
  </xsl:function>

  <!-- A rule of $char as wide as the text (at most 72 characters): the two rules the edition
       draws are cut from static strings. -->
  <xsl:function name="ed:rule" as="xs:string">
    <xsl:param name="char" as="xs:string"/>
    <xsl:sequence select="if ($char = ('=', '-')) then substring(if ($char eq '=')
      then $ed:rule-equals else $ed:rule-dashes, 1, min(($width, 72)))
      else string-join((1 to min(($width, 72))) ! $char)"/>
  </xsl:function>

  <xsl:variable name="ed:rule-equals" static="yes" as="xs:string"
    select="string-join((1 to 72) ! '=')"/>
  <xsl:variable name="ed:rule-dashes" static="yes" as="xs:string"
    select="string-join((1 to 72) ! '-')"/>

  <!-- "Label: value", its whitespace not yet normalised: the title block's fields go out as
       one unnormalised block, which pipeline.render.layout normalises (segment by
       segment, as normalize-space() of each field would). -->
  <xsl:function name="ed:field" as="xs:string?">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string*"/>
    <xsl:sequence select="if (exists($value)) then
      $label || ': ' || string-join($value, '; ') else ()"/>
  </xsl:function>

  <!-- The header values both the title block and the citation block print are read once
       (by the TEI rule) and handed to both. -->
  <xsl:template name="ed:title-block" as="xs:anyAtomicType*">
    <xsl:param name="facts" as="map(xs:string, item()*)" select="ed:header-facts(.)"/>
    <xsl:variable name="title" select="ed:fill($facts?title, '')"/>
    <xsl:sequence select="$title || $ed:break || ed:rule('=')"/>
    <xsl:variable name="fields" as="xs:string*" select="
      ed:subtitle(.),
      ed:field(ed:string('date'), $facts?date),
      ed:field(ed:string('author'), ed:authors(.)),
      ed:field(ed:string('archive'), ed:repository(.)),
      ed:field(ed:string('citation'), $facts?citation),
      ed:field(ed:string('record-type'), ed:record-type(.)),
      ed:field(ed:string('record-id'), ed:idno(., 'record')),
      (for $credit in $facts?credits return ed:field($credit?resp, $credit?names)),
      ed:field(ed:string('funder'), ed:funders(.)),
      ed:field(ed:string('original-language'), ed:original-language(.)),
      ed:field(ed:string('publisher'), $facts?publisher),
      ed:field(ed:string('uploaded'), ed:uploaded(.)),
      (for $hand in ed:hand-notes(.) return ed:field(ed:string('hand') || ' H' || (count($hand/preceding-sibling::handNote) + 1),
        (normalize-space($hand)[. ne ''], string($hand/@xml:id))[1]))"/>
    <xsl:if test="exists($fields)">
      <xsl:sequence select="xs:untypedAtomic(string-join($fields, $ed:break))"/>
    </xsl:if>
    <xsl:for-each select="ed:summary(.)">
      <xsl:sequence select="ed:fill(if (position() eq 1) then ed:string('summary') || ': ' || . else ., '')"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="ed:cite-block" as="xs:string*">
    <xsl:param name="facts" as="map(xs:string, item()*)" select="ed:header-facts(.)"/>
    <xsl:variable name="credits" as="xs:string*">
      <xsl:for-each select="$facts?credits">
        <xsl:sequence select="(if (position() eq 1) then ?resp
          else lower-case(substring(?resp, 1, 1)) || substring(?resp, 2)) || ' ' || ?names"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="cite" select="string-join((
      ed:cite-opening-from($facts?title, $facts?date, $facts?citation),
      (if (exists($credits)) then string-join($credits, '; ') || '.' else ()),
      ($facts?publisher ! (. || '.')),
      ed:idno(., 'URI')), ' ')"/>
    <xsl:sequence select="ed:rule('-') || $ed:break || upper-case(ed:string('cite-heading'))"/>
    <xsl:sequence select="ed:fill($cite, '')"/>
    <xsl:for-each select="ed:publication-citation(.)">
      <xsl:sequence select="ed:fill(ed:string('cite-archive-form') || ': ' || ., '')"/>
    </xsl:for-each>
    <xsl:for-each select="ed:rights(.)">
      <xsl:sequence select="ed:fill((if (position() eq 1) then ed:string('rights') || ': ' else '') || ., '')"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="ed:endnotes-block" as="xs:anyAtomicType*">
    <xsl:variable name="notes" select="ed:endnotes(.)"/>
    <xsl:if test="exists($notes)">
      <xsl:sequence select="ed:rule('-') || $ed:break || upper-case(ed:string('notes-heading'))"/>
      <xsl:for-each select="$notes">
        <xsl:variable name="content">
          <xsl:apply-templates mode="ed:text"/>
        </xsl:variable>
        <!-- unnormalised: the note's whitespace is normalised after the transformation
             (the number and kind in front of it are normalised already) -->
        <xsl:sequence select="xs:untypedAtomic('[' || ed:note-number(.) || '] '
          || (ed:note-kind(.) ! (. || ': ')) || string($content))"/>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:template match="teiCorpus" mode="ed:text-document">
    <xsl:call-template name="ed:title-block"/>
    <xsl:for-each select="TEI | teiCorpus">
      <xsl:sequence select="ed:rule('=')"/>
      <xsl:apply-templates select="." mode="ed:text-document"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="TEI" mode="ed:text-document">
    <xsl:variable name="facts" select="ed:header-facts(.)"/>
    <xsl:call-template name="ed:title-block">
      <xsl:with-param name="facts" select="$facts"/>
    </xsl:call-template>
    <xsl:sequence select="ed:rule('-')"/>
    <!-- the blocks as ed:guarded-blocks gives them (blank ones dropped already) -->
    <xsl:call-template name="ed:guarded-blocks">
      <xsl:with-param name="nodes" select="text | sourceDoc | facsimile | standOff"/>
    </xsl:call-template>
    <xsl:call-template name="ed:endnotes-block"/>
    <xsl:call-template name="ed:cite-block">
      <xsl:with-param name="facts" select="$facts"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="*" mode="ed:text-document">
    <xsl:sequence select="upper-case(ed:string('document')) || ' (' || local-name() || ')' || $ed:break || ed:rule('=')"/>
    <!-- the blocks as ed:guarded-blocks gives them (blank ones dropped already) -->
    <xsl:call-template name="ed:guarded-blocks">
      <xsl:with-param name="nodes" select="."/>
    </xsl:call-template>
    <xsl:call-template name="ed:endnotes-block"/>
  </xsl:template>

  <!-- Raw blocks for nodes; with $ed:guarded, a stylesheet error in one is reported and the
       rest renders. -->
  <xsl:template name="ed:guarded-blocks" as="xs:anyAtomicType*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:choose>
      <!-- unguarded (the first run): the nodes in one go -->
      <xsl:when test="not($ed:guarded)">
        <xsl:variable name="raw" as="xs:anyAtomicType*">
          <xsl:apply-templates select="$nodes" mode="ed:text-block"/>
        </xsl:variable>
        <xsl:sequence select="$raw[normalize-space()]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="$nodes">
          <xsl:choose>
            <!-- text between blocks: its rule cannot fail, so it needs no guard -->
            <xsl:when test="self::text()">
              <xsl:apply-templates select="." mode="ed:text-block"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:try>
                <xsl:variable name="raw" as="xs:anyAtomicType*">
                  <xsl:apply-templates select="." mode="ed:text-block"/>
                </xsl:variable>
                <xsl:sequence select="$raw[normalize-space()]"/>
                <xsl:catch errors="*" xmlns:err="http://www.w3.org/2005/xqt-errors">
                  <xsl:call-template name="ed:report-caught">
                    <xsl:with-param name="code" select="$err:code"/>
                    <xsl:with-param name="description" select="$err:description"/>
                    <xsl:with-param name="module" select="$err:module"/>
                    <xsl:with-param name="line" select="$err:line-number"/>
                  </xsl:call-template>
                  <xsl:sequence select="'[' || name() || ': ' || ed:string('not-rendered') || ']'"/>
                </xsl:catch>
              </xsl:try>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
