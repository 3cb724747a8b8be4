/**
 * shared/twilio/client.ts (Accounts, Keys, Balance) over the official `twilio` npm library instead
 * of undici, so the cold-start benchmark can compare the two in otherwise identical bundles:
 * bench/bundle.ts puts this module in place of client.ts when it bundles the real handler, so
 * everything else (the composition, configuration, middleware, the parent-credentials cache it
 * reads through) is the handler's own code. Same export and signature as client.ts.
 *
 * Benchmark-only: it covers the happy path and maps Twilio's REST errors to the product's error
 * classes, but has none of the client's retry policy, timeouts, deadlines or ambiguous-create
 * handling; of the options it reads only `credentials` and `baseUrl`.
 * https://www.twilio.com/docs/libraries/reference/twilio-node
 */
import twilio from 'twilio';
import type LibraryRequestClient from 'twilio/lib/base/RequestClient.js';
// Types only from client.ts: this module stands in for it, so a value import would load itself.
import type { TwilioAccountsClientOptions } from '../../shared/twilio/client.ts';
import { apiErrorFromAnswer } from '../../shared/twilio/errors.ts';
import { DEFAULT_RETRY_POLICY } from '../../shared/twilio/retry-policy.ts';
import type {
  TwilioAccount,
  TwilioAccountsClient,
  TwilioCredentials,
  TwilioKey,
  TwilioOperation,
} from '../../shared/twilio/types.ts';
import { DEFAULT_TWILIO_BASE_URL, validateTwilioBaseUrl } from '../../shared/twilio/wire.ts';

const TWILIO_API_ORIGIN = 'https://api.twilio.com';

type LibraryClient = ReturnType<typeof twilio>;
type AccountInstance = Awaited<ReturnType<LibraryClient['api']['v2010']['accounts']['create']>>;
type AccountContext = ReturnType<LibraryClient['api']['v2010']['accounts']>;
type KeyPage = Awaited<ReturnType<AccountContext['keys']['page']>>;

/**
 * The library always builds https://api.twilio.com URLs; a custom httpClient is its documented
 * extension point, and here sends them to `origin` instead (the local emulator in the benchmark).
 */
class RedirectingRequestClient extends twilio.RequestClient {
  readonly #origin: string;

  constructor(origin: string) {
    super({ keepAlive: true });
    this.#origin = origin;
  }

  override request<TData>(opts: LibraryRequestClient.RequestOptions<TData>) {
    const uri = opts.uri.startsWith(TWILIO_API_ORIGIN)
      ? `${this.#origin}${opts.uri.slice(TWILIO_API_ORIGIN.length)}`
      : opts.uri;
    return super.request<TData>({ ...opts, uri });
  }
}

const toAccount = (instance: AccountInstance): TwilioAccount => ({
  sid: instance.sid,
  authToken: instance.authToken,
  friendlyName: instance.friendlyName,
  ownerAccountSid: instance.ownerAccountSid,
  status: instance.status,
  type: instance.type,
  dateCreated: instance.dateCreated,
  dateUpdated: instance.dateUpdated,
  uri: instance.uri,
  subresourceUris: instance.subresourceUris,
});

const toKey = (
  instance: Pick<TwilioKey, 'sid' | 'dateCreated' | 'dateUpdated'> & { friendlyName: string | null },
): TwilioKey => ({
  sid: instance.sid,
  friendlyName: instance.friendlyName ?? '',
  dateCreated: instance.dateCreated,
  dateUpdated: instance.dateUpdated,
});

/**
 * Twilio's REST errors become the product's classes, by the client's own rules (the code decides,
 * then the status), so the gateway and the processor decide on them as they do on the client's.
 */
const mapError = (operation: TwilioOperation, error: unknown): unknown => {
  if (!(error instanceof twilio.RestException)) return error;
  const body = JSON.stringify({ code: error.code, message: error.message, more_info: error.moreInfo });
  return apiErrorFromAnswer(
    { operation, status: error.status, headers: {}, body },
    DEFAULT_RETRY_POLICY,
    Date.now(),
  );
};

const call = async <T>(operation: TwilioOperation, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    throw mapError(operation, error);
  }
};

const libraryClientFor = (credentials: TwilioCredentials, httpClient: twilio.RequestClient): LibraryClient =>
  'authToken' in credentials
    ? twilio(credentials.accountSid, credentials.authToken, { httpClient })
    : twilio(credentials.apiKeySid, credentials.apiKeySecret, {
        accountSid: credentials.accountSid,
        httpClient,
      });

export const createTwilioAccountsClient = ({
  credentials,
  baseUrl = DEFAULT_TWILIO_BASE_URL,
}: TwilioAccountsClientOptions): TwilioAccountsClient => {
  // Where requests go: https://api.twilio.com unless pointed at the emulator.
  const httpClient = new RedirectingRequestClient(validateTwilioBaseUrl(baseUrl, 'baseUrl'));
  // One library client per credentials object: a rotated token (a new object) gets a new client.
  let cached: { credentials: TwilioCredentials; client: LibraryClient } | undefined;
  const accounts = async () => {
    const current = await credentials.current();
    if (cached?.credentials !== current)
      cached = { credentials: current, client: libraryClientFor(current, httpClient) };
    return cached.client.api.v2010.accounts;
  };
  const account = async (sid: string): Promise<AccountContext> => (await accounts())(sid);

  return {
    createSubaccount: (input = {}) =>
      call('create', async () =>
        toAccount(
          await (await accounts()).create(
            input.friendlyName === undefined ? {} : { friendlyName: input.friendlyName },
          ),
        ),
      ),
    fetchAccount: (sid) => call('fetch', async () => toAccount(await (await accounts())(sid).fetch())),
    updateAccount: (sid, input) =>
      call('update', async () => toAccount(await (await accounts())(sid).update({ ...input }))),
    listAccounts: (input = {}) => ({
      async *[Symbol.asyncIterator]() {
        type Page = Awaited<ReturnType<Awaited<ReturnType<typeof accounts>>['page']>>;
        let page: Page | undefined = await call('list', async () => (await accounts()).page({ ...input }));
        while (page !== undefined) {
          yield* page.instances.map(toAccount);
          const current: Page = page;
          page = await call('list', async () => (await current.nextPage()) as Page | undefined);
        }
      },
    }),
    // The library mounts the Keys create as `newKeys` (keys-openapi.json: mountName new_keys).
    createKey: (accountSid, input = {}) =>
      call('key-create', async () => {
        const created = await (await account(accountSid)).newKeys.create(
          input.friendlyName === undefined ? {} : { friendlyName: input.friendlyName },
        );
        return { ...toKey(created), secret: created.secret };
      }),
    listKeys: (accountSid, input = {}) => ({
      async *[Symbol.asyncIterator]() {
        let page: KeyPage | undefined = await call('key-list', async () =>
          (await account(accountSid)).keys.page(
            input.pageSize === undefined ? {} : { pageSize: input.pageSize },
          ),
        );
        while (page !== undefined) {
          yield* page.instances.map(toKey);
          const current: KeyPage = page;
          page = await call('key-list', async () => (await current.nextPage()) as KeyPage | undefined);
        }
      },
    }),
    fetchKey: (accountSid, keySid) =>
      call('key-fetch', async () => toKey(await (await account(accountSid)).keys(keySid).fetch())),
    deleteKey: (accountSid, keySid) =>
      call('key-delete', async () => {
        await (await account(accountSid)).keys(keySid).remove();
      }),
    // Given credentials (a key to probe) get a library client of their own for this one read.
    fetchBalance: (accountSid, input = {}) =>
      call('balance', async () => {
        const accountsApi =
          input.credentials === undefined
            ? await accounts()
            : libraryClientFor(input.credentials, httpClient).api.v2010.accounts;
        const balance = await accountsApi(accountSid).balance.fetch();
        return {
          accountSid: balance.accountSid,
          balance: balance.balance ?? undefined,
          currency: balance.currency ?? undefined,
        };
      }),
  };
};
