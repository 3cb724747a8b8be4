/** The emulator's state. Values are kept as they travel: SecretBinary stays base64. */

export interface Tag {
  Key: string;
  Value: string;
}

export interface SecretValue {
  secretString?: string | undefined;
  /** Base64, as the JSON protocol carries blobs. */
  secretBinary?: string | undefined;
}

export interface SecretVersion extends SecretValue {
  versionId: string;
  /** Staging labels; a version without any is deprecated and may be dropped. */
  stages: string[];
  createdDate: Date;
}

export interface SecretRecord {
  arn: string;
  name: string;
  description?: string | undefined;
  kmsKeyId?: string | undefined;
  tags: Tag[];
  /** Oldest first. */
  versions: SecretVersion[];
  createdDate: Date;
  lastChangedDate: Date;
  /** AWS records access per day, not per call. */
  lastAccessedDate?: Date | undefined;
  /** When DeleteSecret was called; set only while the secret is scheduled for deletion. */
  deletedDate?: Date | undefined;
  /** When the scheduled deletion takes effect. */
  deletionDate?: Date | undefined;
}

export const CURRENT = 'AWSCURRENT';
export const PREVIOUS = 'AWSPREVIOUS';
