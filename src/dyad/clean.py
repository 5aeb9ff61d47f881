"""STUB (owned by the infra helper): boilerplate removal and segmentation."""
from .records import Document, Segment


def segment(document: Document) -> list[Segment]:
    out, pos = [], 0
    for para in document.text.split("\n"):
        if para.strip():
            out.append(Segment(pos, pos + len(para), "body"))
        pos += len(para) + 1
    return out
