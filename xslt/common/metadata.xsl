<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the editions read from a teiHeader: title, date, archive and structured citation,
  credits, funder, rights, summary, record type, hands and persons. Every function takes the
  document's TEI element, so a teiCorpus renders each member with its own header.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Pointers are followed to persons and hands only: the key indexes just those, so that
       building it scans the document for two element names rather than testing every
       element for an xml:id. -->
  <xsl:key name="ed:persons-and-hands-by-id" match="person[@xml:id] | handNote[@xml:id]"
    use="string(@xml:id)"/>
  <xsl:key name="ed:turns-by-who" match="sp[@who]"
    use="tokenize(@who) ! (if (starts-with(., '#')) then substring(., 2) else .)"/>

  <!-- The person or hand a local pointer (#id) points at, if it is in the same document:
       the first element with that id, when it is a person or a handNote (an element of
       another kind with the same id earlier in the document hides a later person or hand).
       Callers take the kind they want ([self::person], [self::handNote]). -->
  <xsl:function name="ed:target" as="element()?">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="p" select="normalize-space($pointer)"/>
    <xsl:variable name="id" select="if (starts-with($p, '#')) then substring($p, 2) else $p"/>
    <xsl:variable name="found" select="if ($id eq '' or contains($id, ' ')) then ()
      else key('ed:persons-and-hands-by-id', $id, root($context))[1]"/>
    <xsl:sequence select="$found[empty((ancestor::*, preceding::*)[@xml:id = $id])]"/>
  </xsl:function>

  <xsl:function name="ed:header" as="element(teiHeader)?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/teiHeader"/>
  </xsl:function>

  <xsl:function name="ed:title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="titles" select="$tei/teiHeader/fileDesc/titleStmt/title"/>
    <xsl:variable name="title" select="($titles[@type = 'main'], $titles[not(@type = 'sub')],
      $titles)[1]"/>
    <xsl:sequence select="(normalize-space($title)[. ne ''], ed:string('no-title'))[1]"/>
  </xsl:function>

  <xsl:function name="ed:subtitle" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="normalize-space(($tei/teiHeader/fileDesc/titleStmt/title[@type = 'sub'])[1])[. ne '']"/>
  </xsl:function>

  <!-- The date of the document as printed, or its ISO form. -->
  <xsl:function name="ed:date-text" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="date" select="($tei/teiHeader/profileDesc/creation//date,
      $tei/teiHeader/profileDesc/correspDesc/correspAction[@type = 'sent']//date)[1]"/>
    <xsl:sequence select="(normalize-space($date)[. ne ''],
      ($date/(@when, @notBefore, @from))[1]/string())[1]"/>
  </xsl:function>

  <!-- The ISO date used for sorting: @when of the creation date (or the sent date). -->
  <xsl:function name="ed:date-when" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="date" select="($tei/teiHeader/profileDesc/creation//date,
      $tei/teiHeader/profileDesc/correspDesc/correspAction[@type = 'sent']//date)[1]"/>
    <xsl:sequence select="($date/(@when, @notBefore, @from))[1]/string()"/>
  </xsl:function>

  <xsl:function name="ed:lang" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="($tei/@xml:lang,
      $tei/teiHeader/profileDesc/langUsage/language[1]/@ident, 'en')[1] ! string()"/>
  </xsl:function>

  <xsl:function name="ed:repository" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="id" select="($tei/teiHeader/fileDesc/sourceDesc/msDesc/msIdentifier)[1]"/>
    <xsl:sequence select="string-join(($id/institution, $id/repository) ! normalize-space(.)[. ne ''], ', ')[. ne '']"/>
  </xsl:function>

  <!-- The abbreviation a historian writes before each kind of archival number. -->
  <xsl:variable name="ed:idno-prefixes" static="yes" as="map(xs:string, xs:string)" select="map {
    'fond': 'f.', 'opis': 'op.', 'delo': 'd.', 'papka': 'p.', 'file': 'file',
    'collection': 'coll.', 'series': 'ser.', 'folder': 'folder', 'box': 'box',
    'volume': 'vol.', 'signature': ''
  }"/>

  <!-- The archival citation as a historian writes it ("RGANI, f. 52, op. 1, d. 596,
       ll. 110–123"), built from msIdentifier and locus; the verbatim bibl otherwise. -->
  <xsl:function name="ed:citation" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="source" select="$tei/teiHeader/fileDesc/sourceDesc"/>
    <xsl:variable name="ms" select="($source/msDesc[msIdentifier/(repository, idno)])[1]"/>
    <xsl:choose>
      <xsl:when test="exists($ms)">
        <xsl:variable name="id" select="$ms/msIdentifier"/>
        <xsl:variable name="soviet" select="exists($id/idno[@type = ('fond', 'opis', 'delo')])"/>
        <xsl:variable name="parts" as="xs:string*">
          <xsl:sequence select="($id/institution, $id/repository) ! normalize-space(.)[. ne '']"/>
          <xsl:for-each select="$id/idno[normalize-space()]">
            <xsl:variable name="prefix" select="($ed:idno-prefixes(string(@type)), '')[1]"/>
            <xsl:sequence select="normalize-space(string-join(($prefix, normalize-space(.)), ' '))"/>
          </xsl:for-each>
          <xsl:sequence select="ed:locus(($ms/msContents//locus)[1], $soviet)"/>
        </xsl:variable>
        <xsl:sequence select="string-join($parts, ', ')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="ed:verbatim-citation($tei)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="ed:locus" as="xs:string?">
    <xsl:param name="locus" as="element(locus)?"/>
    <xsl:param name="soviet" as="xs:boolean"/>
    <xsl:choose>
      <xsl:when test="empty($locus)"/>
      <xsl:when test="$soviet and $locus/@from">
        <xsl:variable name="range" select="exists($locus/@to) and $locus/@to ne $locus/@from"/>
        <xsl:sequence select="(if ($range) then 'll. ' else 'l. ') || $locus/@from
          || (if ($range) then '–' || $locus/@to else '')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="replace(normalize-space($locus), '(\d)\s*[-‐‑]\s*(\d)', '$1–$2')[. ne '']"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The start of a citation: “Title,” date, archival citation (the document's
       ed:header-facts). -->
  <xsl:function name="ed:cite-opening-from" as="xs:string">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="date" as="xs:string?"/>
    <xsl:param name="citation" as="xs:string?"/>
    <xsl:variable name="rest" select="string-join(($date, $citation), ', ')"/>
    <xsl:sequence select="if ($rest) then '“' || $title || ',” ' || $rest || '.'
      else '“' || $title || '.”'"/>
  </xsl:function>

  <!-- What both a document's header panel (or title block) and its citation print, read
       once: title, date, archival citation, credits and publisher. -->
  <xsl:function name="ed:header-facts" as="map(xs:string, item()*)">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="map {
      'title': ed:title($tei),
      'date': ed:date-text($tei),
      'citation': ed:citation($tei),
      'credits': ed:credits($tei),
      'publisher': ed:publisher($tei) }"/>
  </xsl:function>

  <xsl:function name="ed:verbatim-citation" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="source" select="$tei/teiHeader/fileDesc/sourceDesc"/>
    <!-- the converter's placeholder for "no citation" is not a citation -->
    <xsl:sequence select="normalize-space(($source/bibl[@type = 'citation'],
      $source/bibl[not(@type = 'publication')])[1])[not(. = ('', 'No archival citation given'))]"/>
  </xsl:function>

  <xsl:function name="ed:publication-citation" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="normalize-space(($tei/teiHeader/fileDesc/sourceDesc/bibl[@type = 'publication'])[1])[. ne '']"/>
  </xsl:function>

  <!-- Credits: (label, names) pairs from respStmt, e.g. ("Contributed by", "Sergey Radchenko"). -->
  <xsl:function name="ed:credits" as="map(xs:string, xs:string)*">
    <xsl:param name="tei" as="element()"/>
    <xsl:for-each select="$tei/teiHeader/fileDesc/titleStmt/respStmt[resp]">
      <xsl:sequence select="map {
        'resp': normalize-space(resp[1]),
        'names': string-join((persName, name, orgName) ! normalize-space(.), ', ') }"/>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="ed:authors" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/teiHeader/fileDesc/titleStmt/author ! normalize-space(.)[. ne '']"/>
  </xsl:function>

  <xsl:function name="ed:funders" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/teiHeader/fileDesc/titleStmt/funder ! normalize-space(.)[. ne '']"/>
  </xsl:function>

  <xsl:function name="ed:publisher" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="normalize-space(($tei/teiHeader/fileDesc/publicationStmt/(publisher, distributor, authority))[1])[. ne '']"/>
  </xsl:function>

  <xsl:function name="ed:rights" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="availability" select="$tei/teiHeader/fileDesc/publicationStmt/availability"/>
    <xsl:sequence select="($availability/licence, $availability/p)[normalize-space()] ! normalize-space(.)"/>
  </xsl:function>

  <xsl:function name="ed:summary" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="abstract" select="$tei/teiHeader/profileDesc/abstract"/>
    <xsl:sequence select="(if ($abstract/p) then $abstract/p else $abstract)[normalize-space()] ! normalize-space(.)"/>
  </xsl:function>

  <xsl:function name="ed:record-type" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="normalize-space(($tei/teiHeader/profileDesc/textClass/keywords/term[@type = 'genre'])[1])[. ne '']"/>
  </xsl:function>

  <xsl:function name="ed:idno" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="normalize-space(($tei/teiHeader/fileDesc/publicationStmt/idno[@type = $type])[1])[. ne '']"/>
  </xsl:function>

  <!-- When the archive published the document ("Original Uploaded Date"). -->
  <xsl:function name="ed:uploaded" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="date" select="($tei/teiHeader/fileDesc/publicationStmt/date[@type = 'uploaded'])[1]"/>
    <xsl:sequence select="(normalize-space($date)[. ne ''], $date/@when/string())[1]"/>
  </xsl:function>

  <!-- The language of the original, when the edition is a translation. -->
  <xsl:function name="ed:original-language" as="xs:string?">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="language" select="($tei/teiHeader/profileDesc/langUsage/language[@usage = '0'])[1]"/>
    <xsl:sequence select="(normalize-space($language)[. ne ''], $language/@ident/string())[1]"/>
  </xsl:function>

  <xsl:function name="ed:hand-notes" as="element(handNote)*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/teiHeader/profileDesc/handNotes/handNote"/>
  </xsl:function>

  <!-- The position of a hand in its handNotes list (1, 2 …), 0 when it is not declared. -->
  <xsl:function name="ed:hand-number" as="xs:integer">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="note" select="ed:target($context, $pointer)[self::handNote]"/>
    <xsl:sequence select="if ($note) then count($note/preceding-sibling::handNote) + 1 else 0"/>
  </xsl:function>

  <!-- "hand 1: Unidentified hand, pencil" or the bare pointer when the hand is undeclared. -->
  <xsl:function name="ed:hand-label" as="xs:string">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="note" select="ed:target($context, $pointer)[self::handNote]"/>
    <xsl:sequence select="if ($note) then normalize-space($note)[. ne ''] ! ('hand '
        || ed:hand-number($context, $pointer) || ': ' || .)
      else if (normalize-space($pointer)) then replace(normalize-space($pointer), '^#', '')
      else ed:string('unknown-hand')"/>
  </xsl:function>

  <xsl:function name="ed:persons" as="element(person)*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei/teiHeader/profileDesc/particDesc//person"/>
  </xsl:function>

  <xsl:function name="ed:person-name" as="xs:string">
    <xsl:param name="person" as="element()"/>
    <xsl:sequence select="(normalize-space(($person/persName, $person/name)[1])[. ne ''],
      string($person/@xml:id))[1]"/>
  </xsl:function>

  <!-- The speaker label as printed, without trailing punctuation, upper-cased, with a colon. -->
  <xsl:function name="ed:upper-label" as="xs:string">
    <xsl:param name="label" as="xs:string"/>
    <xsl:sequence select="upper-case(replace(normalize-space($label), '[\s.:,;]+$', '')) || ':'"/>
  </xsl:function>

  <!-- The phrase for a note's @place: "bottom of the page", "in the left margin" … -->
  <xsl:function name="ed:place-phrase" as="xs:string?">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="place" select="tokenize(normalize-space($note/@place), ' ')[1]"/>
    <xsl:variable name="phrase" select="if ($place) then ($ed:strings('place-' || $place), $place)[1] else ()"/>
    <xsl:sequence select="if ($place = ('bottom', 'top', 'foot') and $note/@n)
      then replace($phrase, 'the page$', 'page ' || $note/@n) else $phrase"/>
  </xsl:function>

</xsl:stylesheet>
