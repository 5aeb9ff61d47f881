"""Actors: the knowledge of states, organisations, groups and people, and the resolution of text to them.

In: phrases or parsed sentences (with a date). Out: `ActorRef`/`Mention` records (dyad.records).
"""
