"""STUB (owned by the kb helper): mentions resolved to actors."""


def resolve_mentions(parsed, document, kb):
    return []
