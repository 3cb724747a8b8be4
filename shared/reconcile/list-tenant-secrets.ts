/**
 * Every tenant secret under the prefix, including those scheduled for deletion (retired tenants),
 * page after page. The name filter is a prefix match on the server; the client re-checks it so a
 * sibling prefix (`tenants-old/...`) can never slip in.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ListSecrets.html
 */
import {
  ListSecretsCommand,
  type ListSecretsCommandOutput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretsManagerCallError } from '../secrets/errors.ts';
import { toTenantSecretSnapshot } from './tenant-secret-snapshot.ts';
import type { TenantSecretSnapshot, UnmanagedSecret } from './types.ts';

/** ListSecrets' largest page. */
const LIST_PAGE_SIZE = 100;

export interface TenantSecretListing {
  readonly secrets: TenantSecretSnapshot[];
  readonly unmanaged: UnmanagedSecret[];
}

export const listTenantSecrets = async (
  client: SecretsManagerClient,
  prefix: string,
): Promise<TenantSecretListing> => {
  const namePrefix = `${prefix}/`;
  const listing: TenantSecretListing = { secrets: [], unmanaged: [] };
  let nextToken: string | undefined;
  do {
    let page: ListSecretsCommandOutput;
    try {
      page = await client.send(
        new ListSecretsCommand({
          Filters: [{ Key: 'name', Values: [namePrefix] }],
          IncludePlannedDeletion: true,
          MaxResults: LIST_PAGE_SIZE,
          NextToken: nextToken,
        }),
      );
    } catch (error) {
      throw new SecretsManagerCallError('ListSecrets', namePrefix, error);
    }
    for (const entry of page.SecretList ?? []) {
      if (!entry.Name?.startsWith(namePrefix)) continue;
      const snapshot = toTenantSecretSnapshot(entry);
      if ('secret' in snapshot) listing.secrets.push(snapshot.secret);
      else listing.unmanaged.push(snapshot.unmanaged);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return listing;
};
