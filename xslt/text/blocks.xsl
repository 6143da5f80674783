<?xml version="1.0" encoding="UTF-8"?>
<!--
  Blocks of the text edition (mode ed:text-block): each template returns raw blocks
  (strings; see layout.xsl), which the document template wraps and separates by blank lines.
  An element with no rule here is a paragraph of its inline rendering (mode ed:text), where
  the unknown-element rule gives its warning.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xmlns:xi="http://www.w3.org/2001/XInclude"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:mode name="ed:text-block" on-no-match="fail" use-accumulators="#all"/>

  <xsl:variable name="ed:plain-text-names" static="yes" as="xs:string+" select="('p', 'ab', 'l', 'head',
    'item', 'signed', 'dateline', 'salute', 'seg', 'speaker', 'label', 'docAuthor', 'docDate',
    'titlePart', 'byline', 'trailer')"/>

  <!-- The inline rendering of nodes, whitespace normalised (hard breaks kept). -->
  <xsl:function name="ed:inline" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="string" select="ed:unnormalised-inline($nodes)"/>
    <xsl:sequence select="if (contains($string, $ed:break))
      then string-join(tokenize($string, $ed:break) ! normalize-space(.), $ed:break)
      else normalize-space($string)"/>
  </xsl:function>

  <!-- The inline rendering of nodes with their whitespace as it is: a block of this kind is
       an xs:untypedAtomic, so that it stays apart from normalised blocks (xs:string) all the
       way out of the stylesheet, and its whitespace is normalised after the transformation
       (pipeline.render.layout does exactly what ed:inline does, for a fraction of the cost
       of normalize-space() in XPath). -->
  <xsl:function name="ed:unnormalised-inline" as="xs:untypedAtomic">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="string" as="xs:string">
      <xsl:choose>
        <!-- the common case, a paragraph of plain text, needs no temporary tree: an element
             without element children whose rule in mode ed:text only gives its text -->
        <xsl:when test="count($nodes) eq 1 and $nodes instance of element() and empty($nodes/*)
          and local-name($nodes) = $ed:plain-text-names">
          <xsl:sequence select="string($nodes)"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="text">
            <xsl:apply-templates select="$nodes" mode="ed:text"/>
          </xsl:variable>
          <xsl:sequence select="string($text)"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:sequence select="xs:untypedAtomic($string)"/>
  </xsl:function>

  <xsl:template match="text()" mode="ed:text-block">
    <xsl:sequence select="normalize-space()[. ne '']"/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="ed:text-block"/>

  <!-- A paragraph: its text when it has no elements in it (most of them; what
       ed:unnormalised-inline() gives, without the call and its tests), else the default. -->
  <xsl:template match="p" mode="ed:text-block">
    <xsl:sequence select="if (empty(*)) then xs:untypedAtomic(string(.))
      else ed:unnormalised-inline(.)"/>
  </xsl:template>

  <!-- Default for elements: a paragraph of their inline rendering (not yet normalised). -->
  <xsl:template match="*" mode="ed:text-block" priority="-10">
    <xsl:sequence select="ed:unnormalised-inline(.)"/>
  </xsl:template>

  <xsl:template match="text | group | front | back | body | sourceDoc | div | div0 | div1 | div2 | div3
    | div4 | div5 | div6 | div7 | floatingText | postscript | titlePage | argument | epigraph"
    mode="ed:text-block">
    <!-- whitespace between the children gives nothing: it is not dispatched -->
    <xsl:call-template name="ed:guarded-blocks">
      <xsl:with-param name="nodes" select="node()[not(self::text()) or normalize-space()]"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="facsimile | standOff | teiHeader | divGen" mode="ed:text-block">
    <xsl:call-template name="ed:warn">
      <xsl:with-param name="code" select="'render-not-displayed'"/>
      <xsl:with-param name="severity" select="'info'"/>
      <xsl:with-param name="message" select="'&lt;' || name() || '&gt; is not displayed in the edition'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="xi:include" mode="ed:text-block">
    <xsl:sequence select="ed:inline(.)"/>
  </xsl:template>

  <!-- Dialogue: the label in front of the first block of the turn. -->
  <xsl:template match="sp | u" mode="ed:text-block">
    <xsl:variable name="speaker" select="speaker[1]"/>
    <!-- a label of plain text (nearly all) is normalised as ed:inline() would, without
         the two function calls -->
    <xsl:variable name="printed" select="if ($speaker) then (if (empty($speaker/*)
      and not(contains($speaker, $ed:break))) then normalize-space($speaker) else ed:inline($speaker))
      else string-join(tokenize(normalize-space(@who), ' ') ! (ed:target(current(), .)[self::person] ! ed:person-name(.), replace(., '^#', ''))[1], ', ') ! (. || ':')"/>
    <xsl:variable name="label" select="if ($speaker-labels eq 'upper' and normalize-space($printed))
      then ed:upper-label($printed) else $printed"/>
    <xsl:variable name="blocks" as="xs:anyAtomicType*">
      <xsl:choose>
        <xsl:when test="self::u">
          <xsl:sequence select="ed:inline(node())"/>
        </xsl:when>
        <xsl:when test="empty(l)">
          <!-- whitespace between the turn's blocks gives nothing: it is not dispatched -->
          <xsl:apply-templates select="node()[not(. is $speaker)][not(self::text()) or normalize-space()]"
            mode="ed:text-block"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each-group select="node()[not(. is $speaker)]" group-adjacent="boolean(self::l)">
            <xsl:choose>
              <xsl:when test="current-grouping-key()">
                <xsl:sequence select="string-join(current-group() ! ed:inline(.), $ed:break)"/>
              </xsl:when>
              <xsl:otherwise>
                <xsl:apply-templates select="current-group()" mode="ed:text-block"/>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each-group>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="blocks" select="$blocks[normalize-space()]"/>
    <xsl:choose>
      <xsl:when test="normalize-space($label) and exists($blocks)">
        <!-- verse or a list starts on the line after the label; the label is normalised,
             so the first block stays unnormalised if it was -->
        <xsl:variable name="first" select="$label || (if (contains($blocks[1], $ed:break))
          then $ed:break else ' ') || $blocks[1]"/>
        <xsl:sequence select="if ($blocks[1] instance of xs:untypedAtomic)
          then xs:untypedAtomic($first) else $first"/>
        <xsl:sequence select="subsequence($blocks, 2)"/>
      </xsl:when>
      <xsl:when test="normalize-space($label)"><xsl:sequence select="$label"/></xsl:when>
      <xsl:otherwise><xsl:sequence select="$blocks"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="lg" mode="ed:text-block">
    <xsl:variable name="head" select="head ! ed:inline(.)"/>
    <xsl:variable name="lines" as="xs:string*">
      <xsl:for-each select="* except head">
        <xsl:choose>
          <xsl:when test="self::lg"><xsl:apply-templates select="." mode="ed:text-block"/></xsl:when>
          <xsl:otherwise><xsl:sequence select="ed:inline(.)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join(($head, $lines[normalize-space()]), $ed:break)"/>
  </xsl:template>

  <xsl:template match="list | listBibl | castList | castGroup" mode="ed:text-block">
    <xsl:variable name="ordered" select="@type = ('ordered', 'numbered') or @rend = 'numbered'"/>
    <xsl:variable name="items" as="xs:string*">
      <xsl:for-each select="* except head">
        <xsl:variable name="text" select="if (self::list or self::castGroup)
          then string-join(ed:nested-list(.), $ed:break) else ed:inline(.)"/>
        <xsl:if test="normalize-space($text)">
          <xsl:sequence select="(if ($ordered) then position() || '. ' else '- ') || $text"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join((head ! ed:inline(.), $items), $ed:break)"/>
  </xsl:template>

  <xsl:function name="ed:nested-list" as="xs:string*">
    <xsl:param name="list" as="element()"/>
    <xsl:variable name="raw" as="xs:string*">
      <xsl:apply-templates select="$list" mode="ed:text-block"/>
    </xsl:variable>
    <xsl:sequence select="$raw"/>
  </xsl:function>

  <xsl:template match="table" mode="ed:text-block">
    <xsl:sequence select="string-join((head ! ed:inline(.),
      row ! string-join(cell ! ed:inline(.), ' | ')), $ed:break)"/>
  </xsl:template>

  <xsl:template match="figure" mode="ed:text-block">
    <xsl:variable name="caption" select="normalize-space(string-join((head, figDesc) ! ed:inline(.), ' '))"/>
    <xsl:sequence select="'[' || ed:string('figure') || ($caption[. ne ''] ! (': ' || .)) || ']'"/>
    <xsl:apply-templates select="* except (head, figDesc, graphic)" mode="ed:text-block"/>
  </xsl:template>

  <!-- Closers and openers: one line per part (signed, dateline, registration number, or
       what a line break separates), in one block. -->
  <xsl:template match="closer | opener | byline | docTitle | docImprint | trailer | address"
    mode="ed:text-block">
    <xsl:variable name="lines" as="xs:string*">
      <xsl:for-each-group select="node()" group-starting-with="lb | signed | dateline | seg
        | salute | stamp | p | address | addrLine | docDate | docAuthor | titlePart | list">
        <xsl:sequence select="ed:inline(current-group()[not(self::lb)])"/>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:sequence select="string-join($lines[normalize-space()], $ed:break)"/>
  </xsl:template>

  <!-- A listing page's entries: date, title, summary. -->
  <xsl:template match="listBibl[parent::div[@type = 'listing']]" mode="ed:text-block">
    <xsl:for-each select="bibl">
      <xsl:sequence select="string-join((date, title, note[@type = 'summary']) ! ed:inline(.), $ed:break)"/>
    </xsl:for-each>
  </xsl:template>

  <!-- Stage remarks standing as blocks. -->
  <xsl:template match="stage | pause | kinesic | incident | vocal | writing" mode="ed:text-block">
    <xsl:sequence select="ed:inline(.)"/>
  </xsl:template>

  <!-- A page break between blocks. -->
  <xsl:template match="pb" mode="ed:text-block">
    <xsl:sequence select="normalize-space(ed:inline(.))"/>
  </xsl:template>

  <xsl:template match="lb | cb | milestone | anchor | ptr | graphic | media | space" mode="ed:text-block"/>

  <!-- A handwritten note standing on its own: "[Handwritten at the bottom of page 1] text". -->
  <xsl:template match="note[ed:in-place(.)][ed:is-annotation(.)]" mode="ed:text-block" priority="2">
    <xsl:variable name="content" select="ed:inline(node())"/>
    <xsl:sequence select="if (@hand or @type = 'annotation')
      then '[' || ed:string('Handwritten') || (ed:marker-place(.) ! (' ' || .)) || '] ' || $content
      else '[' || ed:string('note') || '] ' || $content"/>
  </xsl:template>

</xsl:stylesheet>
