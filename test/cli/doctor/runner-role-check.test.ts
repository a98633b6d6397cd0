/**
 * The runner-role check against a local IAM that evaluates the role's policies, as the RunnerPodRole construct
 * synthesizes them, for the actions and `dynamodb:LeadingKeys` the doctor sends (docs/security.md, attack 6).
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnerRoleCheck } from '../../../services/cli/doctor/check-runner-role';
import { runChecks } from '../../../services/cli/doctor/run-checks';
import { LOCAL_AWS } from '../../../services/local/standins/aws/dynamodb-local';
import { type LocalIam, startLocalIam } from '../../../services/local/standins/aws/iam-server';
import {
  deployedRunnerPolicies,
  QUEUE_URL,
  roleArn as role,
  RESULTS_TABLE_NAME as TABLE,
  withGetItemCondition,
} from '../../support/runner-role-policies';

const PROBE = '0'.repeat(64);

describe('Check: runner role, simulated by IAM', () => {
  let iam: LocalIam;
  let client: IAMClient;
  const deployed = deployedRunnerPolicies();
  beforeAll(async () => {
    iam = await startLocalIam({
      roles: {
        [role('Deployed')]: deployed,
        [role('NoLeadingKeys')]: withGetItemCondition(deployed, undefined),
        [role('WrongPrefix')]: withGetItemCondition(deployed, {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['report#*'] },
        }),
        [role('Reader')]: [
          ...deployed,
          { name: 'ReadQueue', document: { Statement: { Effect: 'Allow', Action: 'sqs:*', Resource: '*' } } },
        ],
      },
    });
    client = new IAMClient({ ...LOCAL_AWS, endpoint: iam.endpoint, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await iam.stop();
  });
  const check = (roleArn: string) =>
    runChecks([
      runnerRoleCheck({ iam: async () => client, roleArn, queueUrl: QUEUE_URL, resultsTable: TABLE }),
    ]).then(([result]) => result);

  it('passes the role as the construct deploys it: send a report, read result items only', async () => {
    const result = await check(role('Deployed'));

    expect(result).toMatchObject({
      name: 'runner role',
      verdict: 'ok',
      detail: `${role('Deployed')}: sqs:SendMessage, and dynamodb:GetItem on result# keys only`,
    });
  });

  it("asks IAM about GetItem with each kind of the analyzer's keys as dynamodb:LeadingKeys", async () => {
    await check(role('Deployed'));

    const probed = iam
      .simulations()
      .filter((simulation) => simulation.policySourceArn === role('Deployed'))
      .flatMap((simulation) => Object.entries(simulation.context).map(([key, entry]) => ({ key, ...entry })));
    expect(probed).toEqual(
      expect.arrayContaining([
        { key: 'dynamodb:LeadingKeys', type: 'stringList', values: [`result#${PROBE}`] },
        { key: 'dynamodb:LeadingKeys', type: 'stringList', values: [`report#${PROBE}`] },
        { key: 'dynamodb:LeadingKeys', type: 'stringList', values: ['bind#1#build'] },
        {
          key: 'dynamodb:LeadingKeys',
          type: 'stringList',
          values: [expect.stringMatching(/^cache#[^#]+#pytorch\/pytorch#sig0123456789#repo$/)],
        },
      ]),
    );
  });

  it('fails a role whose GetItem lacks the LeadingKeys condition, naming the readable keys and the fix', async () => {
    const result = await check(role('NoLeadingKeys'));

    expect(result?.name).toBe('runner role');
    expect(result?.verdict).toBe('fail');
    expect(result?.detail).toBe(
      `${role('NoLeadingKeys')} may dynamodb:GetItem report#…, bind#…, cache#… items: its dynamodb:LeadingKeys are ` +
        "not held to result#*, so any runner pod can read every repository's reports, bindings and cached analyses",
    );
    expect(result?.fix).toContain('add the LeadingKeys condition');
    expect(result?.fix).toContain('ForAllValues:StringLike dynamodb:LeadingKeys = result#*');
    expect(result?.fix).toContain('docs/security.md');
  });

  it('fails a role whose condition admits other keys but not result keys: pods could not read their results', async () => {
    const result = await check(role('WrongPrefix'));

    expect(result).toMatchObject({
      verdict: 'fail',
      detail: `${role('WrongPrefix')} may not dynamodb:GetItem result#… items: runner pods cannot read their results`,
    });
  });

  it('fails a role that may also receive reports, before looking at keys', async () => {
    const result = await check(role('Reader'));

    expect(result?.detail).toBe(
      `${role('Reader')} may also sqs:ReceiveMessage, sqs:DeleteMessage, sqs:PurgeQueue: runner pods run untrusted code and must not`,
    );
  });

  it("fails with IAM's reason for a role that does not exist", async () => {
    const result = await check(role('Missing'));

    expect(result?.verdict).toBe('fail');
    expect(result?.detail).toMatch(
      new RegExp(
        `^IAM SimulatePrincipalPolicy on ${role('Missing')}: NoSuchEntity(Exception)?: .*cannot be found`,
      ),
    );
  });
});
