/**
 * The limit on the total entry size of one PutEvents call. EventBridge raised it from 256 KB to
 * 1 MB on 2026-01-29 (the SDK's PutEvents documentation now says "less than 1MB"); pass
 * `maxRequestEntrySizeBytes: PUT_EVENTS_LEGACY_SIZE_LIMIT_BYTES` to hold code to the old limit.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
export const PUT_EVENTS_SIZE_LIMIT_BYTES = 1024 * 1024;
export const PUT_EVENTS_LEGACY_SIZE_LIMIT_BYTES = 256 * 1024;

export interface SizedEntry {
  Time?: unknown;
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: readonly string[];
}

const utf8Bytes = (text: string | undefined): number =>
  text === undefined ? 0 : Buffer.byteLength(text, 'utf8');

/**
 * An entry's size as AWS documents it ("Calculating PutEvents event entry size"): 14 bytes for
 * Time when present, plus the UTF-8 bytes of Source, DetailType, Detail and each Resources entry.
 * EventBusName and TraceHeader do not count.
 */
export const putEventsEntrySize = (entry: SizedEntry): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8Bytes(entry.Source) +
  utf8Bytes(entry.DetailType) +
  utf8Bytes(entry.Detail) +
  (entry.Resources ?? []).reduce((total, resource) => total + utf8Bytes(resource), 0);
