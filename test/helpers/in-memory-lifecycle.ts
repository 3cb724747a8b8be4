/**
 * In-memory stand-ins for the two domain ports, for unit tests of the lifecycle rules only.
 * Integration tests use the real adapters against the emulators.
 */
import type {
  CredentialVault,
  EventMark,
  Subaccount,
  SubaccountGateway,
  SubaccountStatus,
  TenantCredentials,
  TenantRecord,
} from '../../shared/domain/ports.ts';

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

const ambiguous = () => Object.assign(new Error('socket hang up'), { ambiguous: true, retryable: true });

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
        throw ambiguous();
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
        throw ambiguous();
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
      if (secret.tags.retired) throw new Error('marked for deletion');
      secret.tags = apply(secret.tags, mark);
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
