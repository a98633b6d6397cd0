import type { EvaluationResult } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import {
  judgeRunnerRole,
  RUNNER_ALLOWED,
  RUNNER_FORBIDDEN,
  runnerResourceArns,
} from '../../../services/cli/doctor/check-runner-role';

const ROLE = 'arn:aws:iam::111122223333:role/OsdcRca-RunnerPods';

/** What SimulatePrincipalPolicy answers: one result per action, `allowed` or `implicitDeny`. */
function simulation(allowed: readonly string[]): EvaluationResult[] {
  return [...RUNNER_ALLOWED, ...RUNNER_FORBIDDEN].map((action) => ({
    EvalActionName: action,
    EvalResourceName: '*',
    EvalDecision: allowed.includes(action) ? 'allowed' : 'implicitDeny',
  }));
}

describe('judgeRunnerRole', () => {
  it('passes a role that may send a report and read one result, nothing else', () => {
    expect(judgeRunnerRole(ROLE, simulation(['sqs:SendMessage', 'dynamodb:GetItem']))).toMatchObject({
      verdict: 'ok',
      detail: `${ROLE}: sqs:SendMessage and dynamodb:GetItem only`,
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
