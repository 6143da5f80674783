<?xml version="1.0" encoding="UTF-8"?>
<!--
  Coded diagnostics. Every warning the stylesheets give goes through ed:warn, as an
  xsl:message holding one ed:diagnostic element: a stable code, a severity, the XPath of the
  TEI node involved (the Python side turns it into a file line) and a message.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  xmlns:err="http://www.w3.org/2005/xqt-errors"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Elements outside the teiHeader, by expanded name: the unknown-element rule warns once
       per name, at the first occurrence, and says how many there are. -->
  <xsl:key name="ed:elements-by-name" match="*"
    use="if (ancestor::teiHeader) then () else ed:expanded-name(.)"/>

  <xsl:function name="ed:expanded-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="'Q{' || namespace-uri($e) || '}' || local-name($e)"/>
  </xsl:function>

  <!-- The name to show in a message: the prefixed name as written. -->
  <xsl:function name="ed:display-name" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if (namespace-uri($e) eq 'http://www.tei-c.org/ns/1.0') then local-name($e)
      else if (prefix-from-QName(node-name($e))) then name($e)
      else 'Q{' || namespace-uri($e) || '}' || local-name($e)"/>
  </xsl:function>

  <xsl:template name="ed:warn">
    <xsl:param name="code" as="xs:string" required="yes"/>
    <xsl:param name="message" as="xs:string" required="yes"/>
    <xsl:param name="node" as="node()" select="."/>
    <xsl:param name="severity" as="xs:string" select="'warning'"/>
    <xsl:message><ed:diagnostic code="{$code}" severity="{$severity}"
      path="{path($node)}">{$message}</ed:diagnostic></xsl:message>
  </xsl:template>

  <!-- The single "unknown element" warning: once per element name in a document. -->
  <xsl:template name="ed:warn-unknown">
    <xsl:variable name="same" select="key('ed:elements-by-name', ed:expanded-name(.))"/>
    <xsl:if test=". is $same[1]">
      <xsl:call-template name="ed:warn">
        <xsl:with-param name="code" select="'render-unknown-element'"/>
        <xsl:with-param name="message" select="'&lt;' || ed:display-name(.) || '&gt; is not'
          || ' an element this edition renders; its text is shown as plain text ('
          || count($same) || (if (count($same) eq 1) then ' occurrence)' else ' occurrences)')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- A stylesheet error caught while rendering one block: reported with the stylesheet's
       module and line and the TEI element, and the rest of the document still renders. -->
  <xsl:template name="ed:report-caught">
    <xsl:param name="code" as="xs:QName?"/>
    <xsl:param name="description" as="xs:string?"/>
    <xsl:param name="module" as="xs:string?"/>
    <xsl:param name="line" as="xs:integer?"/>
    <xsl:call-template name="ed:warn">
      <xsl:with-param name="code" select="'render-stylesheet-error'"/>
      <xsl:with-param name="severity" select="'error'"/>
      <xsl:with-param name="message" select="'stylesheet error ' || string($code) || ' in '
        || replace(string($module), '^.*/xslt/', 'xslt/') || ':' || string($line)
        || ' while rendering &lt;' || name(.) || '&gt;: ' || $description"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
