"""extract stage: a Document (or text) in, a :class:`vanban.model.PlanRecord` out.

Contract used by the rest of vanban (owned by this folder):
- ``extract_record(doc_or_text) -> PlanRecord``
- ``render_markdown(record) -> str``
"""
