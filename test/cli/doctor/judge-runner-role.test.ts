import type { EvaluationResult } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { runnerResourceArns } from '../../../services/cli/doctor/check-runner-role';
import {
  judgeRunnerRole,
  LEADING_KEY_PROBES,
  RUNNER_ALLOWED,
  RUNNER_FORBIDDEN,
  type RunnerRoleSimulation,
} from '../../../services/cli/doctor/judge-runner-role';

const ROLE = 'arn:aws:iam::111122223333:role/OsdcRca-RunnerPods';

/**
 * What SimulatePrincipalPolicy answers: one result per action, `allowed` or `implicitDeny`, and for GetItem with
 * each probe key as `dynamodb:LeadingKeys`, `allowed` for the kinds of key given.
 */
function simulation(
  allowed: readonly string[],
  readableKinds: readonly string[] = ['result'],
): RunnerRoleSimulation {
  const decide = (yes: boolean) => (yes ? 'allowed' : 'implicitDeny');
  const actions: EvaluationResult[] = [...RUNNER_ALLOWED, ...RUNNER_FORBIDDEN].map((action) => ({
    EvalActionName: action,
    EvalResourceName: '*',
    EvalDecision: decide(allowed.includes(action)),
  }));
  const keys = LEADING_KEY_PROBES.map((probe) => ({
    probe,
    decision: decide(readableKinds.includes(probe.kind)),
  }));
  return { actions, keys };
}

describe('judgeRunnerRole', () => {
  it('passes a role that may send a report and read result items, nothing else', () => {
    expect(judgeRunnerRole(ROLE, simulation(['sqs:SendMessage', 'dynamodb:GetItem']))).toMatchObject({
      verdict: 'ok',
      detail: `${ROLE}: sqs:SendMessage, and dynamodb:GetItem on result# keys only`,
    });
  });

  it('fails a role that may also receive reports or call the model', () => {
    const outcome = judgeRunnerRole(
      ROLE,
      simulation(['sqs:SendMessage', 'dynamodb:GetItem', 'sqs:ReceiveMessage', 'bedrock:InvokeModel']),
    );

    expect(outcome.verdict).toBe('fail');
    expect(outcome.detail).toBe(
      `${ROLE} may also sqs:ReceiveMessage, bedrock:InvokeModel: runner pods run untrusted code and must not`,
    );
  });

  it('fails a role that may not send reports', () => {
    expect(judgeRunnerRole(ROLE, simulation(['dynamodb:GetItem'])).detail).toBe(
      `${ROLE} may not sqs:SendMessage: runner pods cannot report failures`,
    );
  });

  it('fails a role that may read cache items, naming the key and the LeadingKeys fix', () => {
    const outcome = judgeRunnerRole(
      ROLE,
      simulation(['sqs:SendMessage', 'dynamodb:GetItem'], ['result', 'cache']),
    );

    expect(outcome.verdict).toBe('fail');
    expect(outcome.detail).toMatch(
      new RegExp(`^${ROLE} may dynamodb:GetItem cache#… items: its dynamodb:LeadingKeys`),
    );
    expect(outcome.fix).toMatch(/^add the LeadingKeys condition .* see docs\/security\.md, attack 6$/);
  });

  it('fails a role that may not read result items', () => {
    expect(judgeRunnerRole(ROLE, simulation(['sqs:SendMessage', 'dynamodb:GetItem'], [])).detail).toBe(
      `${ROLE} may not dynamodb:GetItem result#… items: runner pods cannot read their results`,
    );
  });
});

describe('runnerResourceArns', () => {
  it('derives the queue and table ARNs from a standard queue URL', () => {
    expect(
      runnerResourceArns(
        'https://sqs.eu-west-1.amazonaws.com/111122223333/OsdcRca-Reports',
        'OsdcRca-Results',
      ),
    ).toEqual({
      queueArn: 'arn:aws:sqs:eu-west-1:111122223333:OsdcRca-Reports',
      tableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/OsdcRca-Results',
    });
  });
});
