"""Learned event coding: models trained on annotated real news that check and extend the rule coder.

`features` turns a parsed sentence (and a mention in it) into named features, `model` loads the shipped
weights and predicts with numpy, `coder` is the pipeline stage, `train` builds the models (`dyad train`).
"""
