/**
 * The dashboard on Lambda behind a function URL (IAM-authenticated by default). Configuration and the DynamoDB
 * client are created once per cold start.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { handle } from 'hono/aws-lambda';
import { createDashboardApp } from './app';
import { readDashboardConfig } from './read-dashboard-config';

const logger = new Logger({ serviceName: 'osdc-rca-dashboard' });
const config = readDashboardConfig();
const app = createDashboardApp({
  client: new DynamoDBClient({}),
  tableName: config.stateTable,
  onError: (error, request) => logger.error('Request failed', { path: new URL(request.url).pathname, error }),
});

export const handler = handle(app);
