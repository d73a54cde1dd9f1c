"""Group-buy background work (team expiry): each task safe to run twice."""

from celery import shared_task

# The module, not its names: services enqueue these tasks, so they import this module first.
from groupbuy import services


@shared_task(name="groupbuy.tasks.expire_team")
def expire_team(team_id: int) -> str | None:
    """At a team's deadline (the sweeper is the guarantee)."""
    return services.team_expire(team_id=team_id)


@shared_task(name="groupbuy.tasks.sweep_teams")
def sweep_teams() -> int:
    """Every minute: settle forming teams past their deadline."""
    return services.teams_expire_due()
