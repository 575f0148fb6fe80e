// A project's name in everything it has on Temporal: run ids, scheduled run ids, the default task
// queue, and the worker identity other workers read it back from.
import { describe, expect, it } from 'vitest';
import { resolveTemporalSettings } from '../src/client/connect.js';
import { runIdFor, scheduledRunIdFor, taskQueueFor } from '../src/client/run-id.js';
import { projectOfIdentity, workerIdentity } from '../src/client/task-queue-workers.js';

describe('names that carry the project', () => {
  it('derives run ids, scheduled run ids and the task queue from the project name', () => {
    expect(runIdFor('shop', 'shop_marts', '2026-11-22')).toBe('pipectl-shop-shop_marts-2026-11-22');
    expect(runIdFor('shop', 'shop_marts', '2026-11-22', 2)).toBe('pipectl-shop-shop_marts-2026-11-22-r2');
    expect(scheduledRunIdFor('shop', 'shop_marts')).toBe('pipectl-shop-shop_marts-scheduled');
    expect(taskQueueFor('task-analytics')).toBe('pipectl-task-analytics');
    expect(() => runIdFor('shop', 'shop_marts', '22.11.2026')).toThrow('logical date must be YYYY-MM-DD');
  });

  it.each([
    [{}, { name: 'shop' }, {}, 'pipectl-shop'],
    [{}, { name: 'shop', taskQueue: 'shared' }, {}, 'shared'],
    [{}, { name: 'shop', taskQueue: 'shared' }, { PIPECTL_TASK_QUEUE: 'from-env' }, 'from-env'],
    [{ taskQueue: 'flag' }, { name: 'shop' }, { PIPECTL_TASK_QUEUE: 'from-env' }, 'flag'],
    [{}, {}, {}, 'pipectl'],
  ])('task queue from flags %j, project %j, env %j: %s', (explicit, project, env, taskQueue) => {
    expect(resolveTemporalSettings(explicit, project, env).taskQueue).toBe(taskQueue);
  });

  it('reads the project back from a pipectl worker identity, and nothing from other identities', () => {
    const identity = workerIdentity('my shop (eu)', 4242, 'build-01');
    expect(identity).toBe('4242@build-01 (pipectl project my shop (eu))');
    expect(projectOfIdentity(identity)).toBe('my shop (eu)');
    expect(projectOfIdentity('4242@build-01')).toBeNull();
  });
});
