<?xml version="1.0" encoding="UTF-8"?>
<!--
  The text of a document as HTML (mode ed:html). Both editorial views are written into the
  page: content only one view shows carries class ed-read (reading) or ed-dipl
  (diplomatic), and the page's view switch hides the other with CSS.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:ed="urn:tei-edition:xslt"
  xmlns:xi="http://www.w3.org/2001/XInclude"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Every node kind has a rule below; anything unmatched would be a stylesheet bug. -->
  <xsl:mode name="ed:html" on-no-match="fail" use-accumulators="#all"/>

  <!-- ===== text, comments, processing instructions ===== -->

  <xsl:template match="text()" mode="ed:html">
    <xsl:value-of select="."/>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="ed:html"/>

  <!-- ===== unknown elements: their text, and a coded warning ===== -->

  <xsl:template match="*" mode="ed:html" priority="-10">
    <xsl:call-template name="ed:warn-unknown"/>
    <span class="ed-unknown" data-element="{name()}">
      <xsl:apply-templates mode="ed:html"/>
    </span>
  </xsl:template>

  <!-- ===== containers ===== -->

  <xsl:template match="text | group | front | back | sourceDoc" mode="ed:html">
    <div class="ed-tei-{local-name()}">
      <xsl:call-template name="ed:guarded-children">
        <xsl:with-param name="nodes" select="node()"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <xsl:template match="body" mode="ed:html">
    <div class="ed-body">
      <xsl:call-template name="ed:guarded-children">
        <xsl:with-param name="nodes" select="node()"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <xsl:template match="div | div0 | div1 | div2 | div3 | div4 | div5 | div6 | div7 | floatingText"
    mode="ed:html">
    <section class="ed-div">
      <xsl:for-each select="@type"><xsl:attribute name="data-type" select="."/></xsl:for-each>
      <xsl:call-template name="ed:lang-attribute"/>
      <xsl:call-template name="ed:guarded-children">
        <xsl:with-param name="nodes" select="node()"/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <!-- Parts of a document this edition does not display (images, stand-off data). -->
  <xsl:template match="facsimile | standOff | teiHeader | divGen" mode="ed:html">
    <xsl:call-template name="ed:warn">
      <xsl:with-param name="code" select="'render-not-displayed'"/>
      <xsl:with-param name="severity" select="'info'"/>
      <xsl:with-param name="message" select="'&lt;' || name() || '&gt; is not displayed in the edition'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="xi:include" mode="ed:html">
    <xsl:call-template name="ed:warn">
      <xsl:with-param name="code" select="'render-xinclude-not-followed'"/>
      <xsl:with-param name="message" select="'XInclude of ' || (@href, '(no href)')[1]
        || ' is not followed' || (if (xi:fallback) then '; its fallback is shown' else '')"/>
    </xsl:call-template>
    <xsl:apply-templates select="xi:fallback/node()" mode="ed:html"/>
  </xsl:template>

  <xsl:function name="ed:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <xsl:variable name="depth" select="count($head/ancestor::*[self::div or self::floatingText
      or starts-with(local-name(), 'div') and string-length(local-name()) eq 4])"/>
    <xsl:sequence select="min((6, max((1, $depth)) + 1 + max((0, count($head/ancestor::TEI) - 1))))"/>
  </xsl:function>

  <xsl:template match="head" mode="ed:html">
    <xsl:element name="h{ed:heading-level(.)}">
      <xsl:attribute name="class" select="'ed-head'"/>
      <xsl:apply-templates mode="ed:html"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="list/head | lg/head | table/head | figure/head | castList/head | listBibl/head"
    mode="ed:html">
    <p class="ed-list-head"><xsl:apply-templates mode="ed:html"/></p>
  </xsl:template>

  <!-- A paragraph is a p, unless it holds blocks that HTML does not allow inside p. -->
  <xsl:template match="p | ab" mode="ed:html">
    <xsl:element name="{if (list | table | lg | figure | floatingText | sp | quote[p | lg] | p | child::div)
      then 'div' else 'p'}">
      <xsl:attribute name="class" select="'ed-p'"/>
      <xsl:call-template name="ed:lang-attribute"/>
      <xsl:apply-templates mode="ed:html"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="ed:lang-attribute">
    <xsl:for-each select="@xml:lang"><xsl:attribute name="lang" select="."/></xsl:for-each>
  </xsl:template>

  <!-- ===== dialogue ===== -->

  <xsl:template match="sp | u" mode="ed:html">
    <xsl:variable name="speaker" select="speaker[1]"/>
    <div class="ed-sp">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
      <xsl:if test="@who"><xsl:attribute name="data-who" select="@who"/></xsl:if>
      <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
      <p class="ed-speaker">
        <xsl:choose>
          <xsl:when test="$speaker"><xsl:apply-templates select="$speaker/node()" mode="ed:html"/></xsl:when>
          <xsl:when test="@who">
            <xsl:attribute name="class" select="'ed-speaker ed-speaker-implied'"/>
            <xsl:text>{string-join(tokenize(@who) ! (ed:target(current(), .)[self::person] ! ed:person-name(.), replace(., '^#', ''))[1], ', ')}</xsl:text>
          </xsl:when>
        </xsl:choose>
        <xsl:if test="$turn-numbers and starts-with(@xml:id, 'turn-')">
          <xsl:variable name="n" select="substring-after(@xml:id, 'turn-')"/>
          <xsl:text> </xsl:text>
          <a class="ed-turn-n" href="#{@xml:id}" aria-label="{$ed:strings?turn} {$n}">{$n}</a>
        </xsl:if>
      </p>
      <xsl:choose>
        <xsl:when test="self::u">
          <p class="ed-p"><xsl:apply-templates mode="ed:html"/></p>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates select="node()[not(. is $speaker)]" mode="ed:html"/>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template match="speaker" mode="ed:html">
    <p class="ed-speaker"><xsl:apply-templates mode="ed:html"/></p>
  </xsl:template>

  <!-- Stage remarks: inline in a paragraph, a block of their own elsewhere. -->
  <xsl:template match="stage | pause | kinesic | incident | vocal | writing" mode="ed:html">
    <xsl:element name="{if (ed:is-block-context(.)) then 'p' else 'span'}">
      <xsl:attribute name="class" select="if (ed:is-block-context(.)) then 'ed-stage ed-stage-block' else 'ed-stage'"/>
      <xsl:if test="@type"><xsl:attribute name="data-type" select="@type"/></xsl:if>
      <i>
        <xsl:apply-templates mode="ed:html"/>
        <xsl:if test="not(normalize-space()) and (@type, desc)">{(desc, @type)[1]}</xsl:if>
      </i>
    </xsl:element>
  </xsl:template>

  <xsl:template match="stage/desc | incident/desc | kinesic/desc | vocal/desc" mode="ed:html"/>

  <!-- Is this element a block of its own (child of a division, turn or body)? -->
  <xsl:function name="ed:is-block-context" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/parent::*[self::body or self::div or self::sp
      or self::front or self::back or self::closer or self::opener or self::floatingText
      or self::lg or self::castList or self::text or self::postscript
      or (starts-with(local-name(), 'div') and string-length(local-name()) eq 4)])
      or empty($e/parent::*)"/>
  </xsl:function>

  <!-- ===== verse, lists, tables, figures ===== -->

  <xsl:template match="lg" mode="ed:html">
    <div class="ed-lg"><xsl:apply-templates mode="ed:html"/></div>
  </xsl:template>

  <xsl:template match="l" mode="ed:html">
    <div class="ed-l"><xsl:apply-templates mode="ed:html"/></div>
  </xsl:template>

  <xsl:template match="list | listBibl | castList | castGroup" mode="ed:html">
    <xsl:apply-templates select="head" mode="ed:html"/>
    <xsl:element name="{if (@type = ('ordered', 'numbered') or @rend = 'numbered') then 'ol' else 'ul'}">
      <xsl:attribute name="class" select="'ed-list'"/>
      <xsl:for-each select="@type"><xsl:attribute name="data-type" select="."/></xsl:for-each>
      <xsl:for-each select="node() except head">
        <xsl:choose>
          <xsl:when test="self::item or self::bibl or self::castItem or self::castGroup">
            <li><xsl:apply-templates select="." mode="ed:html"/></li>
          </xsl:when>
          <xsl:when test="self::text()[not(normalize-space())]"/>
          <xsl:otherwise><li class="ed-list-other"><xsl:apply-templates select="." mode="ed:html"/></li></xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <xsl:template match="item | castItem | bibl | role | roleDesc | label | desc | figDesc | caption"
    mode="ed:html">
    <span class="ed-t-{local-name()}"><xsl:apply-templates mode="ed:html"/></span>
  </xsl:template>

  <!-- A listing page (div type="listing"): each entry as the archive lists it, a date, a
       title and a summary. -->
  <xsl:template match="listBibl[parent::div[@type = 'listing']]" mode="ed:html" priority="2">
    <xsl:apply-templates select="head" mode="ed:html"/>
    <xsl:for-each select="bibl">
      <article class="ed-hit ed-listing-entry">
        <xsl:for-each select="date">
          <p class="ed-hit-date">
            <xsl:choose>
              <xsl:when test="@when"><time datetime="{@when}"><xsl:apply-templates mode="ed:html"/></time></xsl:when>
              <xsl:otherwise><xsl:apply-templates mode="ed:html"/></xsl:otherwise>
            </xsl:choose>
          </p>
        </xsl:for-each>
        <xsl:for-each select="title">
          <xsl:element name="h{min((6, ed:heading-level(.) + 1))}">
            <xsl:attribute name="class" select="'ed-hit-title'"/>
            <xsl:apply-templates mode="ed:html"/>
          </xsl:element>
        </xsl:for-each>
        <xsl:for-each select="note[@type = 'summary']">
          <p class="ed-hit-summary"><xsl:apply-templates mode="ed:html"/></p>
        </xsl:for-each>
        <xsl:apply-templates select="* except (date, title, note[@type = 'summary'])" mode="ed:html"/>
      </article>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="table" mode="ed:html">
    <table class="ed-table">
      <xsl:for-each select="head"><caption><xsl:apply-templates mode="ed:html"/></caption></xsl:for-each>
      <tbody>
        <xsl:for-each select="row">
          <tr>
            <xsl:for-each select="cell">
              <td><xsl:apply-templates mode="ed:html"/></td>
            </xsl:for-each>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template match="figure" mode="ed:html">
    <figure class="ed-figure">
      <xsl:apply-templates select="node() except (head, graphic)" mode="ed:html"/>
      <xsl:for-each select="head"><figcaption><xsl:apply-templates mode="ed:html"/></figcaption></xsl:for-each>
    </figure>
  </xsl:template>

  <!-- Images are never fetched: the edition carries no external resources. -->
  <xsl:template match="graphic | media" mode="ed:html"/>

  <!-- ===== openers, closers, title pages ===== -->

  <xsl:template match="closer | opener | postscript | titlePage | argument | epigraph | trailer | byline | docTitle | docImprint"
    mode="ed:html">
    <div class="ed-{local-name()}"><xsl:apply-templates mode="ed:html"/></div>
  </xsl:template>

  <xsl:template match="signed | salute | dateline | docAuthor | docDate | titlePart | address"
    mode="ed:html">
    <p class="ed-{local-name()}"><xsl:apply-templates mode="ed:html"/></p>
  </xsl:template>

  <xsl:template match="addrLine" mode="ed:html">
    <span class="ed-addrLine"><xsl:apply-templates mode="ed:html"/></span><br/>
  </xsl:template>

  <!-- In closers and openers a line break separates lines in both views. -->
  <xsl:template match="closer/lb | opener/lb" mode="ed:html" priority="2">
    <br/>
  </xsl:template>

  <xsl:template match="closer/seg | opener/seg" mode="ed:html">
    <p class="ed-seg" data-type="{@type}"><xsl:apply-templates mode="ed:html"/></p>
  </xsl:template>

  <!-- ===== phrase-level elements rendered as their content ===== -->

  <xsl:template match="seg | w | pc | c | s | cl | phr | m | name | persName | placeName
    | orgName | rs | date | time | num | measure | measureGrp | term | gloss | roleName | forename
    | surname | addName | genName | nameLink | geogName | country | settlement | region | bloc
    | district | idno | mentioned | distinct | damage | restore | secl | span | metamark | retrace
    | objectName | title[ancestor::text] | author[ancestor::text] | email | abbr[not(parent::choice)]
    | expan[not(parent::choice)] | am | ex | g | orig[not(parent::choice)] | reg[not(parent::choice)]
    | corr[not(parent::choice)] | lem | unit | street | postCode | geo"
    mode="ed:html">
    <span class="ed-t-{local-name()}"><xsl:apply-templates mode="ed:html"/></span>
  </xsl:template>

  <xsl:template match="hi" mode="ed:html">
    <xsl:variable name="rend" select="lower-case(string-join((@rend, @rendition, @style), ' '))"/>
    <xsl:element name="{if (contains($rend, 'sup')) then 'sup' else if (contains($rend, 'sub'))
      then 'sub' else if (contains($rend, 'bold')) then 'strong' else if (contains($rend, 'under'))
      then 'u' else if (contains($rend, 'ital') or $rend = '') then 'em' else 'span'}">
      <xsl:attribute name="class" select="'ed-hi'"/>
      <xsl:apply-templates mode="ed:html"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="emph" mode="ed:html">
    <em><xsl:apply-templates mode="ed:html"/></em>
  </xsl:template>

  <xsl:template match="foreign" mode="ed:html">
    <i class="ed-foreign">
      <xsl:call-template name="ed:lang-attribute"/>
      <xsl:apply-templates mode="ed:html"/>
    </i>
  </xsl:template>

  <xsl:template match="q | quote | said | soCalled | cit" mode="ed:html">
    <xsl:choose>
      <xsl:when test="p | lg | l">
        <blockquote class="ed-{local-name()}"><xsl:apply-templates mode="ed:html"/></blockquote>
      </xsl:when>
      <xsl:otherwise>
        <q class="ed-{local-name()}"><xsl:apply-templates mode="ed:html"/></q>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="cit/bibl" mode="ed:html" priority="2">
    <span class="ed-bibl"> (<xsl:apply-templates mode="ed:html"/>)</span>
  </xsl:template>

  <xsl:template match="ref" mode="ed:html">
    <xsl:choose>
      <xsl:when test="starts-with(@target, 'http://') or starts-with(@target, 'https://')">
        <a class="ed-ref" href="{@target}" rel="noreferrer"><xsl:apply-templates mode="ed:html"/></a>
      </xsl:when>
      <xsl:otherwise>
        <span class="ed-ref"><xsl:apply-templates mode="ed:html"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="ptr | anchor | milestone | cb | fw[not(normalize-space())] | space[not(@quantity)]"
    mode="ed:html"/>

  <xsl:template match="space[@quantity]" mode="ed:html">
    <span class="ed-space"> </span>
  </xsl:template>

  <!-- Running heads, catchwords and page numbers: diplomatic view only. -->
  <xsl:template match="fw" mode="ed:html">
    <span class="ed-fw ed-dipl"><xsl:apply-templates mode="ed:html"/></span>
  </xsl:template>

  <xsl:template match="lb" mode="ed:html">
    <xsl:if test="not(@break = 'no')"><span class="ed-read"> </span></xsl:if>
    <br class="ed-dipl"/>
  </xsl:template>

  <xsl:template match="pb[@break = 'no']" mode="ed:html">
    <span class="ed-pb ed-pb-inword" role="note" title="{ed:string('page')} {@n}">|<sub>{@n}</sub></span>
  </xsl:template>

  <xsl:template match="pb" mode="ed:html">
    <span class="ed-pb" role="note">
      <xsl:choose>
        <xsl:when test="@n">[{ed:string('page')} {@n}]</xsl:when>
        <xsl:otherwise>[{ed:string('page-break')}]</xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template match="handShift" mode="ed:html">
    <span class="ed-handshift">[{ed:hand-label(., (@new, @scribe)[1])}]</span>
  </xsl:template>

  <!-- ===== who wrote what: additions, deletions, substitutions ===== -->

  <!-- Who wrote an addition, deletion or annotation, for the page: the CSS classes (hand
       colour, inferred markup), the siglum ("H1") and the tip shown on hover and focus. -->
  <!-- The hands of the document, by pointer ("#hand-1"): number and label, looked up once. -->
  <xsl:variable name="ed:hands" as="map(xs:string, map(xs:string, xs:string))" select="map:merge(
    for $note in (/TEI | /teiCorpus/TEI)/teiHeader/profileDesc/handNotes/handNote[@xml:id]
    return map:entry('#' || $note/@xml:id, map {
      'n': string(count($note/preceding-sibling::handNote) + 1),
      'label': ed:hand-label($note, '#' || $note/@xml:id) }),
    map { 'duplicates': 'use-first' })"/>

  <xsl:function name="ed:hand-info" as="map(xs:string, xs:string?)">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="what" as="xs:string"/>
    <xsl:variable name="hand" select="string($e/@hand)"/>
    <xsl:variable name="known" select="if ($hand) then $ed:hands($hand) else ()"/>
    <xsl:variable name="n" select="if ($hand) then ($known?n, string(ed:hand-number($e, $hand)))[1] else '0'"/>
    <xsl:variable name="cert" select="($e/@cert, $e/parent::subst/@cert)[1]"/>
    <xsl:variable name="inferred" select="exists($cert) or $e/@resp = '#converter'"/>
    <xsl:sequence select="map {
      'classes': string-join((
        if ($hand) then ('ed-hand ed-hand-' || (if ($n ne '0') then (xs:integer($n) - 1) mod 4 + 1 else 0)) else (),
        if ($inferred) then 'ed-inferred' else ()), ' '),
      'siglum': if ($hand) then (if ($n ne '0') then 'H' || $n else 'H?') else (),
      'tip': $what || (if ($hand) then ', ' || ($known?label, ed:hand-label($e, $hand))[1] else '')
        || (if ($inferred) then '; ' || $ed:strings?inferred || (if ($cert) then ', ' || $ed:strings?certainty || ' ' || $cert else '') else ''),
      'inferred': if ($inferred) then 'yes' else ()
    }"/>
  </xsl:function>

  <xsl:template name="ed:hand-attributes">
    <xsl:param name="info" as="map(xs:string, xs:string?)"/>
    <xsl:param name="focusable" as="xs:boolean" select="true()"/>
    <xsl:if test="exists($info?siglum)"><xsl:attribute name="data-siglum" select="$info?siglum"/></xsl:if>
    <xsl:attribute name="data-ed-tip" select="$info?tip"/>
    <xsl:choose>
      <xsl:when test="exists($info?inferred) and $focusable">
        <xsl:attribute name="tabindex" select="'0'"/>
      </xsl:when>
      <xsl:otherwise><xsl:attribute name="title" select="$info?tip"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="add" mode="ed:html">
    <xsl:variable name="info" select="ed:hand-info(., if (@hand) then ed:string('Handwritten') else
      upper-case(substring(ed:string('added'), 1, 1)) || substring(ed:string('added'), 2)
      || (if (@place) then ' ' || ed:place-phrase(.) else ''))"/>
    <ins class="ed-add {$info?classes}">
      <xsl:call-template name="ed:hand-attributes"><xsl:with-param name="info" select="$info"/></xsl:call-template>
      <xsl:apply-templates mode="ed:html"/>
    </ins>
  </xsl:template>

  <xsl:template match="del" mode="ed:html">
    <xsl:variable name="info" select="ed:hand-info(., ed:string('crossed-out'))"/>
    <del class="ed-del ed-dipl {$info?classes}">
      <xsl:call-template name="ed:hand-attributes">
        <xsl:with-param name="info" select="$info"/>
        <xsl:with-param name="focusable" select="false()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="ed:html"/>
    </del>
  </xsl:template>

  <xsl:template match="subst | app | rdgGrp" mode="ed:html">
    <span class="ed-{local-name()}">
      <xsl:if test="@cert">
        <xsl:attribute name="class" select="'ed-' || local-name() || ' ed-inferred'"/>
        <xsl:attribute name="data-ed-tip" select="ed:string('inferred') || ', ' || ed:string('certainty') || ' ' || @cert"/>
      </xsl:if>
      <xsl:apply-templates mode="ed:html"/>
    </span>
  </xsl:template>

  <xsl:template match="rdg | addSpan | delSpan | witDetail" mode="ed:html">
    <xsl:if test="self::rdg and normalize-space()">
      <span class="ed-rdg ed-dipl"> (<xsl:apply-templates mode="ed:html"/>{@wit ! (' ' || .)})</span>
    </xsl:if>
  </xsl:template>

  <!-- ===== choice: the view decides, never the order of the children ===== -->

  <xsl:template match="choice" mode="ed:html">
    <xsl:variable name="source" select="(orig, sic, abbr)[1]"/>
    <xsl:variable name="edited" select="(reg, corr, expan)[1]"/>
    <span class="ed-choice">
      <xsl:choose>
        <xsl:when test="$source and $edited">
          <span class="ed-dipl ed-{local-name($source)}">
            <xsl:apply-templates select="$source/node()" mode="ed:html"/>
            <xsl:if test="$source/self::sic"><span class="ed-sic-mark"> [{ed:string('sic')}]</span></xsl:if>
          </span>
          <xsl:variable name="from" select="if ($source/self::sic) then ed:string('corrected-from')
            else if ($source/self::abbr) then ed:string('expanded-from') else ed:string('regularised-from')"/>
          <xsl:variable name="inferred" select="exists(($edited/@cert, @cert)) or $edited/@resp = '#converter'"/>
          <xsl:variable name="title" select="$from || ': ' || normalize-space($source)"/>
          <span class="ed-read ed-{local-name($edited)}{if ($inferred) then ' ed-inferred' else ''}"
            data-ed-tip="{$title}{if ($inferred) then '; ' || ed:string('inferred') || (($edited/@cert, @cert)[1] ! (', ' || ed:string('certainty') || ' ' || .)) else ''}"
            title="{$title}">
            <xsl:if test="$inferred"><xsl:attribute name="tabindex" select="'0'"/></xsl:if>
            <xsl:apply-templates select="$edited/node()" mode="ed:html"/>
          </span>
        </xsl:when>
        <xsl:otherwise>
          <!-- Alternatives of one kind (two segs, two regs …): all of them, in order. -->
          <xsl:for-each select="*">
            <xsl:if test="position() gt 1"><span class="ed-choice-sep"> | </span></xsl:if>
            <span class="ed-{local-name()}"><xsl:apply-templates mode="ed:html"/></span>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <xsl:template match="sic[not(parent::choice)]" mode="ed:html">
    <span class="ed-sic"><xsl:apply-templates mode="ed:html"/></span>
    <span class="ed-sic-mark"> [{ed:string('sic')}]</span>
  </xsl:template>

  <!-- ===== editorial interventions ===== -->

  <xsl:template match="supplied" mode="ed:html">
    <span class="ed-supplied" data-reason="{@reason}"
      title="{string-join((ed:string('supplied'), @reason), ': ')}">[<xsl:apply-templates mode="ed:html"/>{if (@reason = 'conjecture' or @cert = 'low') then '?' else ''}]</span>
  </xsl:template>

  <xsl:template match="unclear" mode="ed:html">
    <span class="ed-unclear" title="{ed:string('unclear')}{@reason ! (': ' || .)}"><xsl:apply-templates mode="ed:html"/></span>
  </xsl:template>

  <xsl:template match="gap" mode="ed:html">
    <span class="ed-gap" data-reason="{@reason}">{ed:gap-marker(.)}</span>
  </xsl:template>

  <xsl:template match="gap/desc" mode="ed:html"/>

  <xsl:template match="stamp" mode="ed:html">
    <span class="ed-stamp" data-type="{@type}">
      <xsl:if test="not(@type = 'classification')">
        <span class="ed-stamp-label">{ed:string('stamp')}: </span>
      </xsl:if>
      <xsl:apply-templates mode="ed:html"/>
    </span>
  </xsl:template>

  <!-- ===== notes ===== -->

  <!-- Handwritten annotations stand where they are written, labelled with hand and place. -->
  <!-- A note printed in the line or in parentheses: "(Translator’s note: sea cucumbers)". -->
  <xsl:template match="note[ed:in-place(.)]" mode="ed:html" priority="1">
    <span class="ed-inline-note" role="note">({ed:note-kind(.) ! (. || ': ')}<xsl:apply-templates mode="ed:html"/>)</span>
  </xsl:template>

  <xsl:template match="listBibl/bibl/note[@type = 'summary']" mode="ed:html" priority="3">
    <span class="ed-hit-summary"><xsl:apply-templates mode="ed:html"/></span>
  </xsl:template>

  <xsl:template match="note[ed:in-place(.)][ed:is-annotation(.)]" mode="ed:html" priority="2">
    <xsl:variable name="label" select="string-join((if (@hand or @type = 'annotation')
      then ed:string('Handwritten') else ed:string('note-source'), ed:place-phrase(.)), ', ')"/>
    <xsl:variable name="info" select="ed:hand-info(., $label)"/>
    <xsl:variable name="box">
      <span class="ed-annotation {$info?classes}" role="note">
        <xsl:call-template name="ed:hand-attributes"><xsl:with-param name="info" select="$info"/></xsl:call-template>
        <span class="ed-annotation-label">{$label}{if ($info?siglum) then ' · ' || $info?siglum else ''}: </span>
        <span class="ed-annotation-text"><xsl:apply-templates mode="ed:html"/></span>
      </span>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="ed:is-block-context(.)"><div class="ed-annotation-block"><xsl:sequence select="$box"/></div></xsl:when>
      <xsl:otherwise><xsl:sequence select="$box"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Every other note becomes a numbered note with links both ways. -->
  <xsl:template match="note" mode="ed:html">
    <xsl:variable name="n" select="ed:note-number(.)"/>
    <sup class="ed-noteref"><a id="ed-noteref-{$n}" href="#ed-note-{$n}" role="doc-noteref"
      aria-label="{ed:string('note')} {$n}">{$n}</a></sup>
  </xsl:template>

  <xsl:template match="note/p" mode="ed:html" priority="2">
    <span class="ed-note-p"><xsl:apply-templates mode="ed:html"/></span>
    <xsl:if test="following-sibling::p"><br/></xsl:if>
  </xsl:template>

</xsl:stylesheet>
