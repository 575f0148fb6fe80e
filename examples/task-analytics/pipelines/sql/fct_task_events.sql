-- Step fct_task_events of pipeline task_analytics: one row per task event, enriched with the
-- task it belongs to. Events of tasks missing from the tasks export are dropped by the join.
select
  e.event_id,
  e.task_id,
  t.project_id,
  e.actor_id,
  t.assignee_id,
  cast(e.occurred_at as date) as event_date,
  e.event_type,
  e.occurred_at,
  t.priority,
  t.story_points,
  cast(date_diff('minute', t.created_at, e.occurred_at) / 60.0 as decimal(10,2)) as hours_since_created
from {{ source('task_events') }} as e
join {{ source('tasks') }} as t on t.task_id = e.task_id
