"""vanban: scanned Vietnamese provincial directives to structured, queryable plan records.

Stages, in pipeline order: :mod:`vanban.ocr`, :mod:`vanban.normalize`, :mod:`vanban.extract`,
:mod:`vanban.corpus`; :mod:`vanban.pipeline` chains them; :mod:`vanban.model` holds the data
that flows between them.
"""

__version__ = "0.1.0"
