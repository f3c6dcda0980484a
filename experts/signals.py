"""Signals that let later apps react to expert decisions without experts importing them.

The dependency runs annotation -> experts, so experts cannot call annotation's services; the
annotation app connects to these instead (see annotation/receivers.py).
"""

from django.dispatch import Signal

# Sent inside the transaction that suspends or revokes an approval, or suspends an account.
# Arguments: user_id, and domain_id (None when every domain is affected).
work_withdrawn = Signal()
