<?xml version="1.0" encoding="UTF-8"?>
<!--
  tei-edition: the corpus index, a listing page like the archive's own.

  Input: one s:summaries element holding a s:document summary record per document (see
  pipeline/render/summary.py). Output: an HTML page listing the documents by date (date,
  linked title, summary), then a persons index linking every participant to the documents
  and the turns where they speak.
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

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"
    include-content-type="no"/>

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
    <xsl:variable name="count" select="count(s:document)"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="tei-edition"/>
        <link rel="icon" href="data:,"/>
        <title>{$title}</title>
        <style>{$ed:css}</style>
      </head>
      <body>
        <a class="ed-skip" href="#ed-main">{ed:string('skip-to-text')}</a>
        <div class="ed-page">
          <header class="ed-bar"><p class="ed-bar-title">tei-edition</p></header>
          <main id="ed-main" class="ed-index">
            <h1 class="ed-title">{$title}</h1>
            <p class="ed-index-count">{if ($count eq 0) then '0 of 0' else '1 - ' || $count || ' of ' || $count}</p>
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
            <xsl:call-template name="ed:person-index"/>
          </main>
        </div>
      </body>
    </html>
  </xsl:template>

  <!-- Every participant, with the documents and turns where they speak. The same person id
       in several documents is one entry, under the fullest form of the name. -->
  <xsl:template name="ed:person-index">
    <xsl:variable name="persons" select="s:document/s:person[@id ne '']"/>
    <xsl:if test="exists($persons)">
      <section class="ed-person-index" aria-labelledby="ed-persons-h">
        <h2 id="ed-persons-h">{ed:string('index-persons')}</h2>
        <dl>
          <xsl:for-each-group select="$persons" group-by="@id">
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
