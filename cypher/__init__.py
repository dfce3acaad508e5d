"""Cypher statements, one named query per ``-- name: <name>`` block in ``*.cypher`` files.

Loaded by :mod:`graph.queries`; this package only ships the files.
"""
