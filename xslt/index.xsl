<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-edition: the corpus index, listing pages like the archive's own.

  Input: one s:summaries element holding a s:document summary record per document (see
  pipeline/render/summary.py). Output: an HTML page listing the documents by date (date,
  linked title, summary) and a persons index linking every participant to the documents
  and the turns where they speak.

  With part='all' (the default) one page holds both. A corpus build splits them into
  pages of bounded size instead: part='documents' renders one page of the listing
  (index.html, index-2.html...), part='persons' one page of the persons index
  (persons.html, persons-2.html...), with page links between them. The build decides which
  documents and persons go on which page, ranking the persons with s:person/@rank.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xmlns:s="urn:tei-edition:summary"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:include href="common/strings.xsl"/>
  <xsl:include href="html/assets.xsl"/>

  <!--* The page title. *-->
  <xsl:param name="title" as="xs:string" select="'Documents'"
    ed:doc="Title of the listing page."/>

  <!--* What the page holds: all (listing and persons index), documents or persons. *-->
  <xsl:param name="part" as="xs:string" select="'all'"
    ed:values="all documents persons"
    ed:doc="What the page holds: all, documents (a listing page) or persons (a persons index page)."/>

  <!--* This page's number and the number of pages of its part. *-->
  <xsl:param name="page" as="xs:integer" select="1" ed:doc="This page's number (from 1)."/>
  <xsl:param name="pages" as="xs:integer" select="1" ed:doc="The number of pages of this part."/>

  <!--* Where this page's documents start in the whole listing, and how many there are
        (0: the documents given). *-->
  <xsl:param name="first" as="xs:integer" select="1"
    ed:doc="Position of this page's first document in the whole listing."/>
  <xsl:param name="total" as="xs:integer" select="0"
    ed:doc="Number of documents in the whole listing (0: the documents given)."/>

  <!--* Whether the edition has a persons index to link to from a listing page. *-->
  <xsl:param name="persons-pages" as="xs:integer" select="0"
    ed:doc="Number of persons index pages (a listing page links to the first)."/>

  <!-- URI attributes are written as they are (browsers take non-ASCII characters in
       them as UTF-8, which this page is in): percent-encoding each one costs about 4 % of a
       page's transformation. -->
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
    include-content-type="no" escape-uri-attributes="no"/>

  <xsl:mode on-no-match="fail"/>
  <xsl:mode name="ed:index" on-no-match="fail"/>

  <!--* A document's turns by speaker: the key holds the document id and the person id, so
        that a lookup costs the same however many documents the person speaks in. *-->
  <xsl:key name="ed:turns-by-document-person" match="s:turn"
    use="let $doc := string(../@id)
         return tokenize(normalize-space(@who), ' ') ! ($doc || ' ' || replace(., '^#', ''))"/>

  <xsl:template match="/">
    <xsl:apply-templates select="s:summaries" mode="ed:index"/>
  </xsl:template>

  <xsl:template match="s:summaries" mode="ed:index">
    <xsl:if test="not($part = ('all', 'documents', 'persons')) or $page lt 1 or $pages lt $page">
      <xsl:sequence select="error(QName('urn:tei-edition:xslt', 'ed:bad-param'),
        'part must be all, documents or persons, and page between 1 and pages')"/>
    </xsl:if>
    <xsl:variable name="count" select="count(s:document)"/>
    <xsl:variable name="of" select="if ($total gt 0) then $total else $count"/>
    <xsl:variable name="heading" select="if ($part eq 'persons')
      then $title || ': ' || lower-case(ed:string('index-persons')) else $title"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="tei-edition"/>
        <link rel="icon" href="data:,"/>
        <title>{$heading}{if ($pages gt 1) then ' (' || ed:string('index-page') || ' '
          || $page || '/' || $pages || ')' else ()}</title>
        <style>{$ed:css}</style>
      </head>
      <body>
        <a class="ed-skip" href="#ed-main">{ed:string('skip-to-text')}</a>
        <div class="ed-page">
          <header class="ed-bar"><p class="ed-bar-title">tei-edition</p></header>
          <main id="ed-main" class="ed-index">
            <h1 class="ed-title">
              <xsl:if test="$part eq 'persons'"><xsl:attribute name="id" select="'ed-persons-h'"/></xsl:if>
              <xsl:sequence select="$heading"/>
            </h1>
            <xsl:if test="$part eq 'documents' and $persons-pages gt 0">
              <p class="ed-index-switch"><a href="{ed:page-href('persons', 1)}">{ed:string('index-persons')}</a></p>
            </xsl:if>
            <xsl:if test="$part eq 'persons'">
              <p class="ed-index-switch"><a href="{ed:page-href('documents', 1)}">{ed:string('documents')}</a></p>
            </xsl:if>
            <xsl:if test="$part ne 'persons'">
              <p class="ed-index-count">{if ($count eq 0) then '0 of 0' else $first || ' - ' || ($first + $count - 1) || ' of ' || $of}</p>
              <xsl:call-template name="ed:pager"/>
              <xsl:for-each select="s:document">
                <xsl:sort select="(s:date/@when, '9999')[1]"/>
                <xsl:sort select="string(s:title)"/>
                <article class="ed-hit" id="doc-{@id}">
                  <xsl:for-each select="s:date">
                    <p class="ed-hit-date">
                      <xsl:choose>
                        <xsl:when test="@when"><time datetime="{@when}">{.}</time></xsl:when>
                        <xsl:otherwise>{.}</xsl:otherwise>
                      </xsl:choose>
                    </p>
                  </xsl:for-each>
                  <h2><a href="{@href}">{s:title}</a></h2>
                  <p>{(s:summary, ed:string('index-summary-none'))[1]}</p>
                </article>
              </xsl:for-each>
            </xsl:if>
            <xsl:if test="$part ne 'documents'">
              <xsl:call-template name="ed:person-index"/>
            </xsl:if>
            <xsl:if test="$part ne 'all'">
              <xsl:call-template name="ed:pager"/>
            </xsl:if>
          </main>
        </div>
      </body>
    </html>
  </xsl:template>

  <!-- The file name of page $n of a part: index.html, index-2.html, persons.html... -->
  <xsl:function name="ed:page-href" as="xs:string">
    <xsl:param name="part" as="xs:string"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="(if ($part eq 'persons') then 'persons' else 'index')
      || (if ($n gt 1) then '-' || $n else '') || '.html'"/>
  </xsl:function>

  <!-- Links to the other pages of this part (nothing when there is one page). -->
  <xsl:template name="ed:pager">
    <xsl:if test="$pages gt 1">
      <nav class="ed-pager" aria-label="{ed:string('index-pages')}">
        <xsl:if test="$page gt 1">
          <a rel="prev" href="{ed:page-href($part, $page - 1)}">{ed:string('index-previous')}</a>
        </xsl:if>
        <xsl:for-each select="1 to $pages">
          <xsl:choose>
            <xsl:when test=". eq $page"><span aria-current="page">{.}</span></xsl:when>
            <xsl:otherwise><a href="{ed:page-href($part, .)}">{.}</a></xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
        <xsl:if test="$page lt $pages">
          <a rel="next" href="{ed:page-href($part, $page + 1)}">{ed:string('index-next')}</a>
        </xsl:if>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- Every participant, with the documents and turns where they speak. The same person id
       in several documents is one entry, under the fullest form of the name. -->
  <xsl:template name="ed:person-index">
    <xsl:variable name="persons" select="s:document/s:person[@id ne '']"/>
    <xsl:if test="exists($persons)">
      <section class="ed-person-index" aria-labelledby="ed-persons-h">
        <!-- a persons page is headed by its title already -->
        <xsl:if test="$part ne 'persons'">
          <h2 id="ed-persons-h">{ed:string('index-persons')}</h2>
        </xsl:if>
        <dl>
          <xsl:for-each-group select="$persons" group-by="@id">
            <xsl:sort select="(current-group()/@rank ! xs:integer(.))[1]"/>
            <xsl:sort select="lower-case((current-group()/string())[1])"/>
            <xsl:variable name="name" select="(for $n in current-group() return string($n))
              => sort((), function($n) { - string-length($n) }) => head()"/>
            <dt id="person-{current-grouping-key()}">{$name}</dt>
            <xsl:for-each select="current-group()">
              <xsl:variable name="doc" select=".."/>
              <xsl:variable name="turns"
                select="key('ed:turns-by-document-person', string($doc/@id) || ' ' || string(@id))"/>
              <dd>
                <a href="{$doc/@href}">{$doc/s:title}</a>
                <xsl:for-each select="$doc/s:date"> ({.})</xsl:for-each>
                <xsl:if test="exists($turns)">
                  <xsl:text> — {count($turns)} {if (count($turns) eq 1) then lower-case(ed:string('turn')) else ed:string('turns')}: </xsl:text>
                  <xsl:for-each select="$turns">
                    <xsl:if test="position() gt 1">, </xsl:if>
                    <xsl:choose>
                      <xsl:when test="@id"><a href="{$doc/@href}#{@id}">{replace(@id, '^turn-', '')}</a></xsl:when>
                      <xsl:otherwise>{position()}</xsl:otherwise>
                    </xsl:choose>
                  </xsl:for-each>
                </xsl:if>
              </dd>
            </xsl:for-each>
          </xsl:for-each-group>
        </dl>
      </section>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
