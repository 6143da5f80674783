<?xml version="1.0" encoding="UTF-8"?>
<!--
  Inline text (mode ed:text): the words, with the archive's editorial markers regenerated
  from the markup. The view decides what a choice, a deletion or a substitution shows.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xmlns:xi="http://www.w3.org/2001/XInclude"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Every node kind has a rule; elements without one go to the unknown-element rule. -->
  <xsl:mode name="ed:text" on-no-match="fail" use-accumulators="#all"/>

  <xsl:template match="text()" mode="ed:text">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="ed:text"/>

  <xsl:template match="*" mode="ed:text" priority="-10">
    <xsl:call-template name="ed:warn-unknown"/>
    <xsl:apply-templates mode="ed:text"/>
  </xsl:template>

  <!-- Elements whose text is simply their content. Those that end a line or are followed by
       a space have rules of their own below: a rule whose body tests which element it has
       is compiled once per name of its pattern, which made this one a third of the
       stylesheet's compile time. -->
  <xsl:template match="seg | w | pc | c | s | cl | phr | m | name | persName | placeName
    | orgName | rs | date | time | num | measure | measureGrp | term | gloss | roleName | forename
    | surname | addName | genName | nameLink | geogName | country | settlement | region | bloc
    | district | idno | mentioned | distinct | damage | restore | secl | span | metamark | retrace
    | objectName | title | author | email | abbr | expan | am | ex | g | orig | reg | corr | lem
    | unit | street | postCode | geo | hi | emph | foreign | quote | cit | head | speaker
    | bibl | role | roleDesc | label | desc | figDesc | caption
    | docAuthor | docDate | titlePart | byline | docTitle
    | docImprint | closer | opener | trailer | address | text | body | front | back | group
    | div | div0 | div1 | div2 | div3 | div4 | div5 | div6 | div7 | floatingText | lg | sp | u
    | list | listBibl | castList | castGroup | table | figure | postscript
    | titlePage | argument | epigraph | sourceDoc"
    mode="ed:text">
    <xsl:apply-templates mode="ed:text"/>
  </xsl:template>

  <!-- Elements whose content ends a line. -->
  <xsl:template match="l | item | row | lg/head | list/head | signed | dateline | salute
    | addrLine" mode="ed:text">
    <xsl:apply-templates mode="ed:text"/>
    <xsl:value-of select="$ed:break"/>
  </xsl:template>

  <!-- Elements whose content is followed by a space. -->
  <xsl:template match="p | ab | cell | castItem" mode="ed:text">
    <xsl:apply-templates mode="ed:text"/>
    <xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="q | said | soCalled" mode="ed:text">“<xsl:apply-templates mode="ed:text"/>”</xsl:template>

  <xsl:template match="ref" mode="ed:text">
    <xsl:apply-templates mode="ed:text"/>
    <xsl:if test="(starts-with(@target, 'http://') or starts-with(@target, 'https://')) and normalize-space(@target) ne normalize-space(.)"> &lt;{@target}&gt;</xsl:if>
  </xsl:template>

  <xsl:template match="ptr | anchor | milestone | cb | graphic | media | teiHeader | facsimile
    | standOff | divGen | gap/desc | stage/desc | incident/desc | kinesic/desc | vocal/desc"
    mode="ed:text"/>

  <xsl:template match="space" mode="ed:text"><xsl:text> </xsl:text></xsl:template>

  <xsl:template match="fw" mode="ed:text">
    <xsl:if test="$ed:diplomatic"> <xsl:apply-templates mode="ed:text"/> </xsl:if>
  </xsl:template>

  <xsl:template match="lb" mode="ed:text">
    <xsl:choose>
      <xsl:when test="$ed:diplomatic"><xsl:value-of select="$ed:break"/></xsl:when>
      <xsl:when test="@break = 'no'"/>
      <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Page breaks: "[Page 2]"; inside a word (break="no") the diplomatic view shows the
       archive's "//" and the reading view joins the word. -->
  <xsl:template match="pb" mode="ed:text">
    <xsl:choose>
      <xsl:when test="@break = 'no'">
        <xsl:if test="$ed:diplomatic"> // </xsl:if>
      </xsl:when>
      <xsl:when test="@n"> [{ed:string('page')} {@n}] </xsl:when>
      <xsl:when test="$ed:diplomatic"> [{ed:string('page-break')}] </xsl:when>
      <xsl:otherwise><xsl:text> </xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="handShift" mode="ed:text"> [{ed:hand-label(., (@new, @scribe)[1])}] </xsl:template>

  <xsl:template match="xi:include" mode="ed:text">
    <xsl:call-template name="ed:warn">
      <xsl:with-param name="code" select="'render-xinclude-not-followed'"/>
      <xsl:with-param name="message" select="'XInclude of ' || (@href, '(no href)')[1]
        || ' is not followed' || (if (xi:fallback) then '; its fallback is shown' else '')"/>
    </xsl:call-template>
    <xsl:apply-templates select="xi:fallback/node()" mode="ed:text"/>
  </xsl:template>

  <!-- Stage remarks between slashes, as the archive prints them: /Laughter/. -->
  <xsl:template match="stage | pause | kinesic | incident | vocal | writing" mode="ed:text">
    <xsl:variable name="content">
      <xsl:apply-templates mode="ed:text"/>
    </xsl:variable>
    <xsl:variable name="delimiters" select="ed:stage-delimiters(.)"/>
    <xsl:text>{$delimiters[1]}{normalize-space(if (normalize-space($content)) then $content else (desc, @type, local-name())[1])}{$delimiters[2]}</xsl:text>
  </xsl:template>

  <!-- ===== who wrote what ===== -->

  <!-- "word [handwritten]"; an addition without a hand: "[added above: word]". -->
  <xsl:template match="add" mode="ed:text">
    <xsl:choose>
      <xsl:when test="@hand">
        <xsl:apply-templates mode="ed:text"/>
        <xsl:text> [{ed:string('handwritten')}]</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>[{ed:string('added')}{ed:marker-place(.) ! (' ' || .)}: </xsl:text>
        <xsl:apply-templates mode="ed:text"/>
        <xsl:text>]</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="del" mode="ed:text">
    <xsl:if test="$ed:diplomatic">
      <xsl:variable name="content">
        <xsl:apply-templates mode="ed:text"/>
      </xsl:variable>
      <xsl:text>[{ed:string('crossed-out')}: "{normalize-space($content)}"]</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- A substitution: the reading view gives the new text; the diplomatic view gives the
       deleted and the added text run together, as the source transcript has them. -->
  <xsl:template match="subst" mode="ed:text">
    <xsl:variable name="hand" select="exists(add/@hand)"/>
    <xsl:choose>
      <xsl:when test="$ed:diplomatic">
        <xsl:apply-templates select="del/node(), add/node()" mode="ed:text"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="add/node()" mode="ed:text"/>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$hand"> [{ed:string('handwritten')}]</xsl:if>
  </xsl:template>

  <xsl:template match="app | rdgGrp" mode="ed:text">
    <xsl:apply-templates select="lem | rdgGrp" mode="ed:text"/>
  </xsl:template>

  <xsl:template match="rdg | addSpan | delSpan | witDetail" mode="ed:text"/>

  <!-- ===== choice: the view decides ===== -->

  <xsl:template match="choice" mode="ed:text">
    <xsl:variable name="source" select="(orig, sic, abbr)[1]"/>
    <xsl:variable name="edited" select="(reg, corr, expan)[1]"/>
    <xsl:choose>
      <xsl:when test="$source and $edited and $ed:diplomatic">
        <xsl:apply-templates select="$source/node()" mode="ed:text"/>
        <xsl:if test="$source/self::sic">
          <xsl:variable name="corr">
            <xsl:apply-templates select="$edited/node()" mode="ed:text"/>
          </xsl:variable>
          <xsl:text> [{ed:string('sic')}; {normalize-space($corr)}]</xsl:text>
        </xsl:if>
      </xsl:when>
      <xsl:when test="$source and $edited">
        <xsl:apply-templates select="$edited/node()" mode="ed:text"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="*">
          <xsl:if test="position() gt 1"> | </xsl:if>
          <xsl:apply-templates mode="ed:text"/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="sic" mode="ed:text">
    <xsl:apply-templates mode="ed:text"/>
    <xsl:text> [{ed:string('sic')}]</xsl:text>
  </xsl:template>

  <!-- ===== editorial interventions ===== -->

  <xsl:template match="supplied" mode="ed:text">
    <xsl:text>[</xsl:text>
    <xsl:apply-templates mode="ed:text"/>
    <xsl:if test="@reason = 'conjecture' or @cert = 'low'">?</xsl:if>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="unclear" mode="ed:text">
    <xsl:apply-templates mode="ed:text"/>
    <xsl:text>[?]</xsl:text>
  </xsl:template>

  <xsl:template match="gap" mode="ed:text">{ed:gap-marker(.)}</xsl:template>

  <xsl:template match="stamp" mode="ed:text">
    <xsl:choose>
      <xsl:when test="@type = 'classification'"><xsl:apply-templates mode="ed:text"/></xsl:when>
      <xsl:otherwise>
        <xsl:text>[{ed:string('stamp')}: </xsl:text>
        <xsl:apply-templates mode="ed:text"/>
        <xsl:text>]</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== notes ===== -->

  <!-- Handwriting in the running text: "[handwritten above: …]". -->
  <!-- A note printed in the line or in parentheses stays there: "(Translator’s note: …)". -->
  <xsl:template match="note[ed:in-place(.)]" mode="ed:text" priority="1">
    <xsl:variable name="content">
      <xsl:apply-templates mode="ed:text"/>
    </xsl:variable>
    <xsl:text>({ed:note-kind(.) ! (. || ': ')}{normalize-space($content)})</xsl:text>
  </xsl:template>

  <xsl:template match="listBibl/bibl/note[@type = 'summary']" mode="ed:text" priority="3">
    <xsl:value-of select="$ed:break"/>
    <xsl:apply-templates mode="ed:text"/>
  </xsl:template>

  <xsl:template match="closer/lb | opener/lb" mode="ed:text" priority="2">
    <xsl:value-of select="$ed:break"/>
  </xsl:template>

  <xsl:template match="note[ed:in-place(.)][ed:is-annotation(.)]" mode="ed:text" priority="2">
    <xsl:variable name="content">
      <xsl:apply-templates mode="ed:text"/>
    </xsl:variable>
    <xsl:text> [{if (@hand or @type = 'annotation') then ed:string('handwritten') else lower-case(ed:string('note'))}{ed:marker-place(.) ! (' ' || .)}: {normalize-space($content)}] </xsl:text>
  </xsl:template>

  <xsl:template match="note" mode="ed:text">[{ed:note-number(.)}]</xsl:template>

</xsl:stylesheet>
