import { IAMClient, NoSuchEntityException, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AWS } from '../../services/local/standins/aws/dynamodb-local';
import type { NamedPolicy } from '../../services/local/standins/aws/evaluate-policies';
import { type LocalIam, startLocalIam } from '../../services/local/standins/aws/iam-server';

const ROLE = 'arn:aws:iam::111122223333:role/Reader';
const TABLE = 'arn:aws:dynamodb:us-east-1:111122223333:table/Results';
const OTHER_TABLE = 'arn:aws:dynamodb:us-east-1:111122223333:table/State';

/** Reads `result#` keys of one table, and never `result#secret*` ones (a Deny beside the Allow). */
const policies: NamedPolicy[] = [
  {
    name: 'Reader',
    document: {
      Statement: [
        {
          Effect: 'Allow',
          Action: 'dynamodb:Get*',
          Resource: TABLE,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['result#*'] } },
        },
        {
          Effect: 'Deny',
          Action: 'dynamodb:GetItem',
          Resource: '*',
          Condition: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['result#secret*'] } },
        },
      ],
    },
  },
];

describe('Stand-in: local IAM SimulatePrincipalPolicy', () => {
  let iam: LocalIam;
  let client: IAMClient;
  beforeAll(async () => {
    iam = await startLocalIam({ roles: { [ROLE]: policies } });
    client = new IAMClient({ ...LOCAL_AWS, endpoint: iam.endpoint, maxAttempts: 1 });
  });
  afterAll(async () => {
    client.destroy();
    await iam.stop();
  });

  async function decide(action: string, resource: string, leadingKeys?: string[]) {
    const { EvaluationResults = [] } = await client.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: ROLE,
        ActionNames: [action],
        ResourceArns: [resource],
        ...(leadingKeys
          ? {
              ContextEntries: [
                {
                  ContextKeyName: 'dynamodb:LeadingKeys',
                  ContextKeyType: 'stringList',
                  ContextKeyValues: leadingKeys,
                },
              ],
            }
          : {}),
      }),
    );
    return EvaluationResults[0];
  }

  it('allows a key the condition admits, through an action wildcard', async () => {
    const result = await decide('dynamodb:GetItem', TABLE, ['result#abc']);

    expect(result).toMatchObject({
      EvalActionName: 'dynamodb:GetItem',
      EvalResourceName: TABLE,
      EvalDecision: 'allowed',
      MatchedStatements: [{ SourcePolicyId: 'Reader', SourcePolicyType: 'role' }],
    });
  });

  it('denies implicitly a key the condition does not admit, and any key if one of several is not admitted', async () => {
    expect((await decide('dynamodb:GetItem', TABLE, ['report#abc']))?.EvalDecision).toBe('implicitDeny');
    expect((await decide('dynamodb:GetItem', TABLE, ['result#a', 'cache#b']))?.EvalDecision).toBe(
      'implicitDeny',
    );
  });

  it('allows under ForAllValues when the request carries no value for the key, naming the missing key', async () => {
    const result = await decide('dynamodb:GetItem', TABLE);

    expect(result?.EvalDecision).toBe('allowed');
    expect(result?.MissingContextValues).toEqual(['dynamodb:LeadingKeys']);
  });

  it('lets an explicit Deny win over the Allow', async () => {
    expect((await decide('dynamodb:GetItem', TABLE, ['result#secret1']))?.EvalDecision).toBe('explicitDeny');
  });

  it('denies another resource and an action no statement names', async () => {
    expect((await decide('dynamodb:GetItem', OTHER_TABLE, ['result#abc']))?.EvalDecision).toBe(
      'implicitDeny',
    );
    expect((await decide('dynamodb:PutItem', TABLE, ['result#abc']))?.EvalDecision).toBe('implicitDeny');
  });

  it('records the context entries as the SDK sent them', async () => {
    await decide('dynamodb:GetItem', TABLE, ['result#recorded']);

    expect(iam.simulations().at(-1)).toEqual({
      policySourceArn: ROLE,
      actions: ['dynamodb:GetItem'],
      resources: [TABLE],
      context: { 'dynamodb:LeadingKeys': { type: 'stringList', values: ['result#recorded'] } },
    });
  });

  it("answers an unknown role with IAM's NoSuchEntity", async () => {
    const unknown = client.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: 'arn:aws:iam::111122223333:role/Nobody',
        ActionNames: ['sqs:SendMessage'],
      }),
    );

    await expect(unknown).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('refuses to start with a condition operator it does not evaluate', async () => {
    const numeric: NamedPolicy = {
      name: 'Numeric',
      document: {
        Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { NumericLessThan: {} } },
      },
    };

    await expect(startLocalIam({ roles: { [ROLE]: [numeric] } })).rejects.toThrow(
      'policy Numeric: condition operator NumericLessThan is not evaluated locally',
    );
  });
});
