<?xml version="1.0" encoding="UTF-8"?>
<!--
  Parameters shared by the HTML and text editions.
  Each parameter is typed; ed:values lists the accepted values where the set is closed
  (the Python side reads these declarations to check -p NAME=VALUE before a run).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:ed="urn:tei-edition:xslt"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!--* Editorial view: "reading" (deletions hidden, regularised and corrected forms) or
        "diplomatic" (deletions, original and glued forms as the source has them). *-->
  <xsl:param name="view" as="xs:string" select="'reading'"
    ed:values="reading diplomatic"
    ed:doc="Editorial view: reading or diplomatic."/>

  <xsl:variable name="ed:diplomatic" as="xs:boolean" select="$view eq 'diplomatic'"/>

  <!-- Internal, set by pipeline.render: whether each block of the text is rendered inside
       xsl:try, so that a stylesheet error in one block is reported and the rest still
       renders. A guard makes Saxon hold back each block's output until the block is done,
       which costs about 6 % of an HTML page; so a document is rendered without guards
       first, and only a run that fails is repeated with them. The output is the same. -->
  <xsl:param name="ed:guarded" as="xs:boolean" select="false()"/>

  <!-- Stops the run with a coded error when a parameter is out of range. -->
  <xsl:template name="ed:check-params">
    <xsl:if test="not($view = ('reading', 'diplomatic'))">
      <xsl:sequence select="error(QName('urn:tei-edition:xslt', 'ed:bad-param'),
        'view must be reading or diplomatic, not ' || $view)"/>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
