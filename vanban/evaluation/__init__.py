"""Dataset runners of ``vanban evaluate``: each reads an evaluation data set, runs a stage (or
the pipeline) over it and scores the output with that stage's own metric.

- :mod:`vanban.evaluation.ocr`: CER of vanban vs raw Tesseract (metric: ``vanban.ocr.evaluate``)
- :mod:`vanban.evaluation.restore`: syllable accuracy of diacritic restoration
  (metric: ``vanban.normalize.evaluate``)
- :mod:`vanban.evaluation.extract`: per-field scores of plan records against gold records
  (metric: ``vanban.extract.evaluate``)

The runners sit above the pipeline (layer 7 of docs/architecture.md), so a stage never imports
the pipeline to measure itself. Data paths default to :mod:`vanban.settings`.
"""
