<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page around the text: head, view switch, header panel from the teiHeader, hands
  legend, notes, persons with their turns, citation block and footer.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Documents on the page: the TEI element, each member of a teiCorpus, or the root. -->
  <xsl:mode name="ed:document" on-no-match="fail" use-accumulators="#all"/>

  <xsl:template name="ed:page">
    <xsl:variable name="root" select="/*"/>
    <xsl:variable name="head-doc" select="($root[self::TEI or self::teiCorpus])[1]"/>
    <xsl:variable name="title" select="if ($head-doc) then ed:title($head-doc)
      else ed:string('document') || ' (' || local-name($root) || ')'"/>
    <html lang="{if ($head-doc) then ed:lang($head-doc) else ($root/@xml:lang, 'en')[1]}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="tei-edition"/>
        <link rel="icon" href="data:,"/>
        <title>{$title}</title>
        <style><xsl:value-of use-when="$ed:css-in-page" select="$ed:css"/></style>
      </head>
      <body>
        <a class="ed-skip" href="#ed-text">{ed:string('skip-to-text')}</a>
        <input type="radio" name="ed-view" id="ed-view-reading" class="ed-view-input"
          value="reading" aria-describedby="ed-view-reading-help">
          <xsl:if test="not($ed:diplomatic)"><xsl:attribute name="checked" select="'checked'"/></xsl:if>
        </input>
        <input type="radio" name="ed-view" id="ed-view-diplomatic" class="ed-view-input"
          value="diplomatic" aria-describedby="ed-view-diplomatic-help">
          <xsl:if test="$ed:diplomatic"><xsl:attribute name="checked" select="'checked'"/></xsl:if>
        </input>
        <div class="ed-page">
          <header class="ed-bar">
            <p class="ed-bar-title">
              <xsl:if test="$index-href != ''">
                <a href="{$index-href}" rel="index">{ed:string('edition-index')}</a>
                <xsl:text> · </xsl:text>
              </xsl:if>
              <!-- the document's other outputs and the build report, when given -->
              <xsl:for-each select="(['tei-file', $tei-href, 'alternate', 'application/tei+xml'],
                                     ['text-file', $text-href, 'alternate', 'text/plain'],
                                     ['build-report', $report-href, '', ''])[?2 != '']">
                <a href="{?2}">
                  <xsl:if test="?3 != ''"><xsl:attribute name="rel" select="?3"/></xsl:if>
                  <xsl:if test="?4 != ''"><xsl:attribute name="type" select="?4"/></xsl:if>
                  <xsl:text>{ed:string(?1)}</xsl:text>
                </a>
                <xsl:text> · </xsl:text>
              </xsl:for-each>
              <xsl:text>{($head-doc ! ed:publisher(.), 'tei-edition')[1]}</xsl:text>
            </p>
            <div class="ed-switch">
              <span class="ed-switch-legend" aria-hidden="true">{ed:string('view')}:</span>
              <label for="ed-view-reading">{ed:string('reading')}</label>
              <label for="ed-view-diplomatic">{ed:string('diplomatic')}</label>
              <span class="ed-sr" id="ed-view-reading-help">{ed:string('reading-help')}</span>
              <span class="ed-sr" id="ed-view-diplomatic-help">{ed:string('diplomatic-help')}</span>
            </div>
          </header>
          <main id="ed-main">
            <xsl:apply-templates select="$root" mode="ed:document"/>
          </main>
          <footer class="ed-footer">
            <p>{ed:string('edition-footer')} <code>{($root/@xml:id, tokenize(base-uri($root), '/')[last()], local-name($root))[normalize-space()][1]}</code>.</p>
          </footer>
        </div>
      </body>
    </html>
  </xsl:template>

  <!-- A teiCorpus: its own header, then each member document. -->
  <xsl:template match="teiCorpus" mode="ed:document">
    <article class="ed-corpus">
      <xsl:call-template name="ed:header-panel"/>
      <xsl:for-each select="TEI | teiCorpus">
        <xsl:apply-templates select="." mode="ed:document">
          <xsl:with-param name="level" select="2"/>
        </xsl:apply-templates>
      </xsl:for-each>
      <xsl:if test="empty(TEI | teiCorpus)">
        <div id="ed-text"/>
      </xsl:if>
    </article>
  </xsl:template>

  <xsl:template match="TEI" mode="ed:document">
    <xsl:param name="level" as="xs:integer" select="1"/>
    <xsl:variable name="facts" select="ed:header-facts(.)"/>
    <article class="ed-document" lang="{ed:lang(.)}">
      <xsl:call-template name="ed:header-panel">
        <xsl:with-param name="level" select="$level"/>
        <xsl:with-param name="facts" select="$facts"/>
      </xsl:call-template>
      <xsl:call-template name="ed:hands-legend"/>
      <section class="ed-text" aria-labelledby="{ed:section-id(., 'text-h')}">
        <xsl:if test="$level eq 1"><xsl:attribute name="id" select="'ed-text'"/></xsl:if>
        <h2 class="ed-sr" id="{ed:section-id(., 'text-h')}">{ed:string('contents-heading')}</h2>
        <xsl:call-template name="ed:guarded-children">
          <xsl:with-param name="nodes" select="text | sourceDoc | facsimile | standOff"/>
        </xsl:call-template>
      </section>
      <xsl:call-template name="ed:notes-section"/>
      <xsl:call-template name="ed:persons-section"/>
      <xsl:call-template name="ed:cite-section">
        <xsl:with-param name="facts" select="$facts"/>
      </xsl:call-template>
    </article>
  </xsl:template>

  <!-- Any other root (a surface, an ab, a P4 file upgraded without a TEI root …). -->
  <xsl:template match="*" mode="ed:document">
    <article class="ed-document">
      <header class="ed-doc-header">
        <h1 id="ed-title">{ed:string('document')} ({local-name()})</h1>
      </header>
      <section class="ed-text" id="ed-text" aria-label="{ed:string('contents-heading')}">
        <xsl:call-template name="ed:guarded-children">
          <xsl:with-param name="nodes" select="."/>
        </xsl:call-template>
      </section>
      <xsl:call-template name="ed:notes-section"/>
    </article>
  </xsl:template>

  <!-- Ids for sections of nested documents in a corpus stay unique: "ed-notes-h",
       "ed-notes-h-2" … -->
  <xsl:function name="ed:section-id" as="xs:string">
    <xsl:param name="doc" as="element()"/>
    <xsl:param name="name" as="xs:string"/>
    <xsl:variable name="n" select="count($doc/preceding::TEI) + count($doc/ancestor::TEI)"/>
    <xsl:sequence select="'ed-' || $name || (if ($n gt 0) then '-' || ($n + 1) else '')"/>
  </xsl:function>

  <!-- The header values both the header panel and the citation print are read once (by
       the TEI rule) and handed to both. -->
  <xsl:template name="ed:header-panel">
    <xsl:param name="level" as="xs:integer" select="1"/>
    <xsl:param name="facts" as="map(xs:string, item()*)" select="ed:header-facts(.)"/>
    <xsl:variable name="tei" select="."/>
    <xsl:variable name="date" select="$facts?date"/>
    <xsl:variable name="when" select="ed:date-when(.)"/>
    <xsl:variable name="type" select="ed:record-type(.)"/>
    <header class="ed-doc-header">
      <xsl:if test="$type or $date">
        <p class="ed-kicker">{string-join(($type, $date), ' · ')}</p>
      </xsl:if>
      <xsl:element name="h{$level}">
        <xsl:attribute name="class" select="'ed-title'"/>
        <xsl:if test="$level eq 1"><xsl:attribute name="id" select="'ed-title'"/></xsl:if>
        <xsl:sequence select="$facts?title"/>
      </xsl:element>
      <xsl:for-each select="ed:subtitle(.)"><p class="ed-subtitle">{.}</p></xsl:for-each>
      <dl class="ed-meta">
        <xsl:if test="$date">
          <div><dt>{ed:string('date')}</dt><dd>
            <xsl:choose>
              <xsl:when test="$when castable as xs:date or $when castable as xs:gYearMonth
                or $when castable as xs:gYear"><time datetime="{$when}">{$date}</time></xsl:when>
              <xsl:otherwise>{$date}</xsl:otherwise>
            </xsl:choose>
          </dd></div>
        </xsl:if>
        <xsl:for-each select="ed:authors(.)">
          <div><dt>{ed:string('author')}</dt><dd>{.}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="ed:repository(.)">
          <div><dt>{ed:string('archive')}</dt><dd>{.}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="$facts?citation">
          <div><dt>{ed:string('citation')}</dt><dd class="ed-citation">{.}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="$type">
          <div><dt>{ed:string('record-type')}</dt><dd>{.}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="ed:idno(., 'record')">
          <div><dt>{ed:string('record-id')}</dt><dd>{.}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="$facts?credits">
          <div><dt>{?resp}</dt><dd>{?names}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="ed:funders(.)">
          <div><dt>{ed:string('funder')}</dt><dd>{.}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="ed:original-language(.)">
          <div><dt>{ed:string('original-language')}</dt><dd>{.}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="$facts?publisher">
          <div><dt>{ed:string('publisher')}</dt><dd>{.}</dd></div>
        </xsl:for-each>
        <xsl:for-each select="ed:uploaded(.)">
          <div><dt>{ed:string('uploaded')}</dt><dd>{.}</dd></div>
        </xsl:for-each>
      </dl>
      <xsl:variable name="summary" select="ed:summary(.)"/>
      <xsl:if test="exists($summary)">
        <section class="ed-summary" aria-labelledby="{ed:section-id($tei, 'summary-h')}">
          <h2 id="{ed:section-id($tei, 'summary-h')}">{ed:string('summary')}</h2>
          <xsl:for-each select="$summary"><p>{.}</p></xsl:for-each>
        </section>
      </xsl:if>
    </header>
  </xsl:template>

  <!-- The hands legend: typed text, then one entry per declared hand. -->
  <xsl:template name="ed:hands-legend">
    <xsl:variable name="hands" select="ed:hand-notes(.)"/>
    <xsl:if test="exists($hands)">
      <section class="ed-hands" aria-labelledby="{ed:section-id(., 'hands-h')}">
        <h2 id="{ed:section-id(., 'hands-h')}">{ed:string('hands-heading')}</h2>
        <p>{ed:string('hands-intro')}</p>
        <ul>
          <li><span class="ed-swatch ed-typed">Abc</span> {ed:string('typed')}</li>
          <xsl:for-each select="$hands">
            <xsl:variable name="n" select="position()"/>
            <li><span class="ed-swatch ed-hand ed-hand-{($n - 1) mod 4 + 1}" data-siglum="H{$n}">Abc</span>
              <strong>H{$n}</strong> — {(normalize-space(.)[. ne ''], string(@xml:id))[1]}</li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="ed:notes-section">
    <xsl:variable name="notes" select="ed:endnotes(.)"/>
    <xsl:if test="exists($notes)">
      <section class="ed-notes" role="doc-endnotes" aria-labelledby="{ed:section-id(., 'notes-h')}">
        <h2 id="{ed:section-id(., 'notes-h')}">{ed:string('notes-heading')}</h2>
        <ol>
          <xsl:for-each select="$notes">
            <xsl:variable name="n" select="ed:note-number(.)"/>
            <li id="ed-note-{$n}" value="{$n}" role="doc-endnote">
              <xsl:for-each select="ed:note-kind(.)"><span class="ed-note-kind">{.}: </span></xsl:for-each>
              <xsl:apply-templates mode="ed:html"/>
              <xsl:text> </xsl:text>
              <a class="ed-backref" href="#ed-noteref-{$n}" role="doc-backlink"
                aria-label="{ed:string('back-to-text')} ({ed:string('note')} {$n})">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template name="ed:persons-section">
    <xsl:variable name="tei" select="."/>
    <xsl:variable name="persons" select="ed:persons(.)"/>
    <xsl:if test="exists($persons)">
      <!-- the first TEI element of the file: none before it (an ancestor or a preceding
           element), found without indexing the whole file by element name -->
      <xsl:variable name="first-document" select="empty($tei/(ancestor::TEI, preceding::TEI))"/>
      <section class="ed-persons" aria-labelledby="{ed:section-id(., 'persons-h')}">
        <h2 id="{ed:section-id(., 'persons-h')}">{ed:string('persons-heading')}</h2>
        <ul>
          <xsl:for-each select="$persons">
            <xsl:variable name="turns" select="if (@xml:id) then key('ed:turns-by-who', string(@xml:id), root(.))[ancestor::TEI[1] is $tei] else ()"/>
            <li>
              <xsl:if test="@xml:id and $first-document">
                <xsl:attribute name="id" select="'ed-person-' || @xml:id"/>
              </xsl:if>
              <span class="ed-person-name">{ed:person-name(.)}</span>
              <xsl:for-each select="@role">
                <xsl:text> </xsl:text><span class="ed-role">{($ed:strings('role-' || .), string(.))[1]}</span>
              </xsl:for-each>
              <xsl:if test="exists($turns)">
                <xsl:text> — {ed:string('speaks-in')} {count($turns)} {if (count($turns) eq 1) then lower-case(ed:string('turn')) else ed:string('turns')}: </xsl:text>
                <xsl:for-each select="$turns">
                  <xsl:if test="position() gt 1">, </xsl:if>
                  <xsl:choose>
                    <xsl:when test="@xml:id"><a href="#{@xml:id}">{ed:turn-number(.)}</a></xsl:when>
                    <xsl:otherwise>{ed:turn-number(.)}</xsl:otherwise>
                  </xsl:choose>
                </xsl:for-each>
              </xsl:if>
            </li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A turn's number: from its xml:id "turn-N" when it has one, else its position. -->
  <xsl:function name="ed:turn-number" as="xs:string">
    <xsl:param name="sp" as="element()"/>
    <xsl:variable name="n" select="substring-after($sp/@xml:id, 'turn-')"/>
    <xsl:sequence select="if ($n castable as xs:integer) then $n
      else string(count($sp/preceding::sp) + 1)"/>
  </xsl:function>

  <!-- "Cite this document": built from the header, plus the archive's own form if given. -->
  <xsl:template name="ed:cite-section">
    <xsl:param name="facts" as="map(xs:string, item()*)" select="ed:header-facts(.)"/>
    <xsl:variable name="credits" as="xs:string*">
      <xsl:for-each select="$facts?credits">
        <xsl:variable name="resp" select="if (position() eq 1) then ?resp
          else lower-case(substring(?resp, 1, 1)) || substring(?resp, 2)"/>
        <xsl:sequence select="$resp || ' ' || ?names"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="parts" as="xs:string*" select="
      ed:cite-opening-from($facts?title, $facts?date, $facts?citation),
      (if (exists($credits)) then string-join($credits, '; ') || '.' else ()),
      ($facts?publisher ! (. || '.')),
      (ed:idno(., 'URI'))"/>
    <section class="ed-cite" aria-labelledby="{ed:section-id(., 'cite-h')}">
      <h2 id="{ed:section-id(., 'cite-h')}">{ed:string('cite-heading')}</h2>
      <p class="ed-cite-text">{string-join($parts, ' ')}</p>
      <xsl:for-each select="ed:publication-citation(.)">
        <p class="ed-cite-archive"><span class="ed-cite-label">{ed:string('cite-archive-form')}:</span> {.}</p>
      </xsl:for-each>
      <xsl:variable name="rights" select="ed:rights(.)"/>
      <xsl:if test="exists($rights)">
        <h3>{ed:string('rights')}</h3>
        <xsl:for-each select="$rights"><p class="ed-rights">{.}</p></xsl:for-each>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- Render nodes one by one; with $ed:guarded, a stylesheet error in one of them is
       reported (with the module, line and TEI element) and the rest still renders. -->
  <xsl:template name="ed:guarded-children">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:choose>
      <!-- unguarded (the first run): the nodes in one go -->
      <xsl:when test="not($ed:guarded)">
        <xsl:apply-templates select="$nodes" mode="ed:html"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="$nodes">
          <xsl:choose>
            <!-- text between blocks: its rule cannot fail, so it needs no guard -->
            <xsl:when test="self::text()">
              <xsl:apply-templates select="." mode="ed:html"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:try>
                <xsl:apply-templates select="." mode="ed:html"/>
                <xsl:catch errors="*" xmlns:err="http://www.w3.org/2005/xqt-errors">
                  <xsl:call-template name="ed:report-caught">
                    <xsl:with-param name="code" select="$err:code"/>
                    <xsl:with-param name="description" select="$err:description"/>
                    <xsl:with-param name="module" select="$err:module"/>
                    <xsl:with-param name="line" select="$err:line-number"/>
                  </xsl:call-template>
                  <p class="ed-render-error">[{name()}: {ed:string('not-rendered')}]</p>
                </xsl:catch>
              </xsl:try>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
