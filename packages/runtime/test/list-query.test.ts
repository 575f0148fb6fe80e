// The visibility queries behind listRuns: one clause per filter, values quoted.
import { describe, expect, it } from 'vitest';
import { type ListRunsFilter, listQuery } from '../src/client/list-runs.js';

describe('listQuery', () => {
  it.each<[ListRunsFilter, string]>([
    [{}, "WorkflowType = 'pipelineRun'"],
    [{ pipeline: 'shop' }, "WorkflowType = 'pipelineRun' AND PipectlPipeline = 'shop'"],
    [
      { project: 'shop', pipeline: 'shop_marts' },
      "WorkflowType = 'pipelineRun' AND PipectlProject = 'shop' AND PipectlPipeline = 'shop_marts'",
    ],
    [
      { status: 'awaiting_approval', awaitingApproval: true },
      "WorkflowType = 'pipelineRun' AND PipectlStatus = 'awaiting_approval' AND AwaitingApproval = true",
    ],
    [{ pipeline: "o'brien" }, "WorkflowType = 'pipelineRun' AND PipectlPipeline = 'o\\'brien'"],
  ])('%j → %s', (filter, query) => {
    expect(listQuery(filter)).toBe(query);
  });
});
