"""tei-edition: transcribed archival documents to TEI P5, validated and rendered."""

__version__ = "0.1.0"
