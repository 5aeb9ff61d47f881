"""STUB (owned by the quotes/facts helper)."""


def extract_quotes(parsed, mentions, document):
    return []
