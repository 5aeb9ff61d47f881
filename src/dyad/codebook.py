"""STUB (owned by the lead): the codebook."""


def load_codebook():
    return {}
