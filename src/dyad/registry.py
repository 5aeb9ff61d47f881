"""STUB (owned by the kb helper): actor registry."""


def records_from_mentions(mentions, document, kb):
    return []
