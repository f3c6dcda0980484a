"""Signals of the annotation app, for apps that depend on it (leaderboards).

Sent inside the transaction that makes the change; receivers must not fail it.
"""

from django.dispatch import Signal

# A judgment that may have fed a published fit left the accepted set: a later review round
# rejected or returned it, or its author changed it after acceptance. Argument: judgment_ids.
judgments_reversed = Signal()
