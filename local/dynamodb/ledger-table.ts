import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LEDGER_TABLE_DEFINITION } from '../../shared/ledger/table-definition.ts';
import { LocalDynamoDbStartError } from './errors.ts';

const POLL_MS = 5;
const MAX_POLLS = 200;

/**
 * Creates the tenant ledger table from the definition the CDK stack deploys, with the real SDK,
 * and waits for it to be ACTIVE: a new table is CREATING first, and item calls against it fail
 * with ResourceNotFoundException until then.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html
 */
export const createLedgerTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: LEDGER_TABLE_DEFINITION.KeySchema.map((key) => ({ ...key })),
      AttributeDefinitions: LEDGER_TABLE_DEFINITION.AttributeDefinitions.map((attribute) => ({
        ...attribute,
      })),
      BillingMode: LEDGER_TABLE_DEFINITION.BillingMode,
    }),
  );
  for (let poll = 0; poll < MAX_POLLS; poll += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new LocalDynamoDbStartError(`table ${tableName} did not become ACTIVE`);
};
