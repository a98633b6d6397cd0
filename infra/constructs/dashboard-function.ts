/**
 * The dashboard Lambda behind a function URL (IAM auth unless configured otherwise). It reads the State table with
 * GetItem and Query on the table and its rank indexes, and nothing else: no Scan, no writes.
 */
import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type FunctionUrl, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { STATE_TABLE } from '../../shared/contract/tables';
import { ServiceFunction } from './service-function';

export interface DashboardFunctionProps {
  readonly stateTable: ITable;
  readonly authType: 'AWS_IAM' | 'NONE';
  readonly logRetention: RetentionDays;
}

export class DashboardFunction extends Construct {
  readonly function: NodejsFunction;
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: DashboardFunctionProps) {
    super(scope, id);
    const service = new ServiceFunction(this, 'Service', {
      entry: 'services/dashboard/lambda.ts',
      description: 'repeated-failures dashboard',
      timeout: Duration.seconds(29),
      memorySize: 512,
      logRetention: props.logRetention,
      environment: { OSDC_RCA_STATE_TABLE: props.stateTable.tableName },
    });
    this.function = service.function;
    const tableArn = props.stateTable.tableArn;
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [
          tableArn,
          // Each index by name rather than `index/*`, so a future index is not readable by accident.
          ...STATE_TABLE.globalIndexes.map((index) => `${tableArn}/index/${index.indexName}`),
        ],
      }),
    );
    this.url = this.function.addFunctionUrl({
      authType: props.authType === 'NONE' ? FunctionUrlAuthType.NONE : FunctionUrlAuthType.AWS_IAM,
    });
  }
}
