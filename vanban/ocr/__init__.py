"""ocr stage: PDFs and images in, a :class:`vanban.model.Document` with boxes and confidences out.

Contract used by the rest of vanban (owned by this folder):
- ``OcrOptions(jobs=1, seal_removal=True, deskew=True, orientation=True, force_ocr=False, ...)``
- ``ocr_file(path, options) -> Document`` (raises :class:`vanban.errors.InputFileError` subclasses)
- ``ocr_inputs(paths, options) -> (list[Document], list[VanbanError])``: files and folders, every
  readable input processed even when others fail
- ``render_documents(docs, fmt) -> str`` for fmt in text | json | hocr
"""
