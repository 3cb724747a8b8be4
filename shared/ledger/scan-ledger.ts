/**
 * Every tenant ledger item, page after page, for the drift check (the tenant-events function
 * never scans: it reads and writes one item per record).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { LedgerEntry } from '../domain/ports.ts';
import { parseLedgerItem } from './dynamodb-ledger.ts';
import { LedgerCallError } from './errors.ts';

export const scanLedger = async (client: DynamoDBClient, tableName: string): Promise<LedgerEntry[]> => {
  const entries: LedgerEntry[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    let page: ScanCommandOutput;
    try {
      page = await client.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
    } catch (error) {
      throw new LedgerCallError('Scan', '*', error);
    }
    for (const item of page.Items ?? []) entries.push(parseLedgerItem(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return entries;
};
