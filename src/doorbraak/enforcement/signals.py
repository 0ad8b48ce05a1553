"""Events other apps may listen to (sent after the transaction commits)."""

from django.dispatch import Signal

action_planned = Signal()  # action
findings_recorded = Signal()  # action
decision_issued = Signal()  # decision
