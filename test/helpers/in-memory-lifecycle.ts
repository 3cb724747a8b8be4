/**
 * In-memory stand-ins for the three domain ports, for unit tests of the lifecycle rules only.
 * Integration tests use the real adapters against the emulators and dynalite.
 */
import { CreateOutcomeUnknownError, LeaseLostError } from '../../shared/domain/errors.ts';
import type {
  ApiKeyGateway,
  CredentialVault,
  EventMark,
  Lease,
  LedgerEntry,
  Subaccount,
  SubaccountGateway,
  SubaccountStatus,
  TenantCredentials,
  TenantLedger,
  TenantRecord,
} from '../../shared/domain/ports.ts';
import { leaseTaken } from '../../shared/ledger/dynamodb-ledger.ts';

export interface InMemoryGateway extends SubaccountGateway {
  readonly accounts: Map<
    string,
    { sid: string; friendlyName: string; status: SubaccountStatus; authToken: string }
  >;
  calls: string[];
  /** The next create applies, then fails with an ambiguous error (lost answer). */
  loseNextCreateAnswer: boolean;
  /** The next create fails ambiguously without applying. */
  dropNextCreate: boolean;
}

const ambiguous = (friendlyName: string) =>
  new CreateOutcomeUnknownError(
    friendlyName,
    Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
  );

export const inMemoryGateway = (): InMemoryGateway => {
  let counter = 0;
  const accounts: InMemoryGateway['accounts'] = new Map();
  const view = (sid: string): Subaccount => {
    const account = accounts.get(sid)!;
    return { ...account, dateCreated: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)) };
  };
  const gateway: InMemoryGateway = {
    accounts,
    calls: [],
    loseNextCreateAnswer: false,
    dropNextCreate: false,
    create: async (friendlyName) => {
      gateway.calls.push('create');
      if (gateway.dropNextCreate) {
        gateway.dropNextCreate = false;
        throw ambiguous(friendlyName);
      }
      counter += 1;
      const sid = `AC${counter.toString(16).padStart(32, '0')}`;
      accounts.set(sid, {
        sid,
        friendlyName,
        status: 'active',
        authToken: `token${counter}`.padEnd(32, '0'),
      });
      if (gateway.loseNextCreateAnswer) {
        gateway.loseNextCreateAnswer = false;
        throw ambiguous(friendlyName);
      }
      return view(sid);
    },
    findByFriendlyName: async (friendlyName) => {
      gateway.calls.push('list');
      return [...accounts.values()].filter((a) => a.friendlyName === friendlyName).map((a) => view(a.sid));
    },
    fetch: async (sid) => {
      gateway.calls.push('fetch');
      return accounts.has(sid) ? view(sid) : undefined;
    },
    setStatus: async (sid, status) => {
      gateway.calls.push(`update:${status}`);
      const account = accounts.get(sid);
      if (account === undefined) throw Object.assign(new Error('not found'), { retryable: false });
      if (account.status !== 'closed') account.status = status;
      return view(sid);
    },
  };
  return gateway;
};

export interface InMemoryVault extends CredentialVault {
  readonly secrets: Map<string, { credentials: TenantCredentials; tags: TenantRecord }>;
  calls: string[];
}

export const inMemoryVault = (): InMemoryVault => {
  const secrets: InMemoryVault['secrets'] = new Map();
  const apply = (record: TenantRecord, mark: EventMark): TenantRecord => ({
    ...record,
    lifecycle: mark.lifecycle,
    lastEventId: mark.lastEventId,
    lastEventAt: mark.lastEventAt,
    accountSid: mark.accountSid ?? record.accountSid,
  });
  const vault: InMemoryVault = {
    secrets,
    calls: [],
    secretName: (tenantId) => `tenants/${tenantId}`,
    describe: async (tenantId) => {
      vault.calls.push('describe');
      return secrets.get(tenantId)?.tags;
    },
    create: async (credentials, mark) => {
      vault.calls.push('create');
      const base = { tenantId: credentials.tenantId, friendlyName: credentials.friendlyName, retired: false };
      secrets.set(credentials.tenantId, {
        credentials,
        tags: apply({ ...base, accountSid: '', lifecycle: 'active', lastEventId: '', lastEventAt: '' }, mark),
      });
    },
    replaceCredentials: async (credentials) => {
      vault.calls.push('put');
      secrets.get(credentials.tenantId)!.credentials = credentials;
    },
    mark: async (tenantId, mark) => {
      vault.calls.push('tag');
      const secret = secrets.get(tenantId)!;
      // As the Secrets Manager vault: a retired secret's tags are frozen.
      if (!secret.tags.retired) secret.tags = apply(secret.tags, mark);
    },
    retire: async (tenantId) => {
      vault.calls.push('delete');
      const secret = secrets.get(tenantId)!;
      secret.tags = { ...secret.tags, retired: true };
    },
    restore: async (tenantId) => {
      vault.calls.push('restore');
      const secret = secrets.get(tenantId)!;
      secret.tags = { ...secret.tags, retired: false };
    },
    readCredentials: async (tenantId) => {
      const secret = secrets.get(tenantId);
      return secret === undefined || secret.tags.retired ? undefined : secret.credentials;
    },
  };
  return vault;
};

interface LedgerItem {
  entry: LedgerEntry;
  lease?: { owner: string; expiresAt: number };
}

export interface InMemoryLedger extends TenantLedger {
  readonly items: Map<string, LedgerItem>;
  calls: string[];
}

/** The same conditions as the DynamoDB adapter's expressions, on a Map. */
export const inMemoryLedger = (): InMemoryLedger => {
  const items: InMemoryLedger['items'] = new Map();
  const holds = (lease: Lease): LedgerItem | undefined => {
    const item = items.get(lease.tenantId);
    return item?.lease?.owner === lease.owner && item.entry.version === lease.version ? item : undefined;
  };
  const ledger: InMemoryLedger = {
    items,
    calls: [],
    acquire: async (tenantId, owner, expiresAt, now, intent) => {
      ledger.calls.push('acquire');
      const item = items.get(tenantId) ?? { entry: { tenantId, version: 0 } };
      if (item.lease !== undefined && item.lease.expiresAt >= now && item.lease.owner !== owner) {
        return { acquired: false, heldUntil: item.lease.expiresAt };
      }
      const found = item.entry;
      const foundOwner = item.lease?.owner;
      item.lease = { owner, expiresAt };
      if (intent !== undefined && found.createIntent === undefined) {
        item.entry = { ...found, createIntent: intent };
      }
      items.set(tenantId, item);
      return leaseTaken(found, { tenantId, owner, version: found.version, expiresAt }, intent, foundOwner);
    },
    recordCreateIntent: async (lease, intent) => {
      ledger.calls.push('intent');
      const item = holds(lease);
      if (item === undefined) throw new LeaseLostError(lease.tenantId, 'recording the create intent');
      item.entry = { ...item.entry, createIntent: intent };
    },
    commit: async (lease, state) => {
      ledger.calls.push('commit');
      const item = holds(lease);
      if (item === undefined) throw new LeaseLostError(lease.tenantId, 'the commit');
      item.entry = { tenantId: lease.tenantId, version: lease.version + 1, state };
      item.lease = undefined;
    },
    release: async (lease, dropIntent) => {
      ledger.calls.push('release');
      const item = items.get(lease.tenantId);
      if (item?.lease?.owner !== lease.owner) return;
      const recorded = item.entry.createIntent;
      if (dropIntent !== undefined) {
        if (recorded?.eventId !== dropIntent.eventId || recorded.startedAt !== dropIntent.startedAt) return;
        const { createIntent: _dropped, ...rest } = item.entry;
        item.entry = rest;
      }
      item.lease = undefined;
    },
    read: async (tenantId) => items.get(tenantId)?.entry,
    adopt: async (tenantId, state) => {
      const item = items.get(tenantId);
      if (item?.entry.state !== undefined) return false;
      items.set(tenantId, { ...item, entry: { tenantId, version: item?.entry.version ?? 0, state } });
      return true;
    },
  };
  return ledger;
};

export interface InMemoryKeys extends ApiKeyGateway {
  /** Live keys by SID, with the account they belong to and their one-time secret. */
  readonly keys: Map<string, { accountSid: string; friendlyName: string; secret: string }>;
  calls: string[];
  /** The next create applies, then fails with an ambiguous error (its answer, and secret, lost). */
  loseNextCreateAnswer: boolean;
}

export const inMemoryKeys = (): InMemoryKeys => {
  let counter = 0;
  const keys: InMemoryKeys['keys'] = new Map();
  const gateway: InMemoryKeys = {
    keys,
    calls: [],
    loseNextCreateAnswer: false,
    createKey: async (accountSid, friendlyName) => {
      gateway.calls.push('key-create');
      counter += 1;
      const sid = `SK${counter.toString(16).padStart(32, '0')}`;
      const secret = `keysecret${counter}`.padEnd(32, 'x');
      keys.set(sid, { accountSid, friendlyName, secret });
      if (gateway.loseNextCreateAnswer) {
        gateway.loseNextCreateAnswer = false;
        throw new CreateOutcomeUnknownError(friendlyName, new Error('socket hang up'));
      }
      return { sid, friendlyName, secret, dateCreated: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)) };
    },
    findKeys: async (accountSid, friendlyName) => {
      gateway.calls.push('key-list');
      return [...keys]
        .filter(([, key]) => key.accountSid === accountSid && key.friendlyName === friendlyName)
        .map(([sid, key]) => ({ sid, friendlyName: key.friendlyName, dateCreated: new Date(0) }));
    },
    deleteKey: async (_accountSid, keySid) => {
      gateway.calls.push('key-delete');
      keys.delete(keySid);
    },
    keyWorks: async (accountSid, keySid, keySecret) =>
      keys.get(keySid)?.accountSid === accountSid && keys.get(keySid)?.secret === keySecret,
  };
  return gateway;
};
