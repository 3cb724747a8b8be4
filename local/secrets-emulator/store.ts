import { looksLikeArn, withoutSuffix } from './arn.ts';
import { ResourceNotFoundError } from './errors.ts';
import type { SecretRecord } from './model.ts';

/** All secrets, keyed by name, in creation order (the order ListSecrets falls back on). */
export class SecretStore {
  readonly #secrets = new Map<string, SecretRecord>();
  #changed = false;

  constructor(secrets: readonly SecretRecord[] = []) {
    for (const secret of secrets) this.#secrets.set(secret.name, secret);
  }

  all(): SecretRecord[] {
    return [...this.#secrets.values()];
  }

  byName(name: string): SecretRecord | undefined {
    return this.#secrets.get(name);
  }

  /** By name, full ARN, or partial ARN (without the random suffix), as AWS accepts a SecretId. */
  find(secretId: string): SecretRecord | undefined {
    if (!looksLikeArn(secretId)) return this.#secrets.get(secretId);
    return (
      this.all().find((secret) => secret.arn === secretId) ??
      this.all().find((secret) => withoutSuffix(secret.arn) === secretId)
    );
  }

  resolve(secretId: string): SecretRecord {
    const secret = this.find(secretId);
    if (!secret) throw new ResourceNotFoundError();
    return secret;
  }

  add(secret: SecretRecord): void {
    this.#secrets.set(secret.name, secret);
    this.touch();
  }

  remove(secret: SecretRecord): void {
    this.#secrets.delete(secret.name);
    this.touch();
  }

  /** Drops secrets whose recovery window has passed: from then on they are simply gone. */
  purgeExpired(now: Date): void {
    for (const secret of this.all()) {
      if (secret.deletionDate && secret.deletionDate.getTime() <= now.getTime()) this.remove(secret);
    }
  }

  /** Records that state changed, so it gets persisted once the call is answered. */
  touch(): void {
    this.#changed = true;
  }

  takeChanged(): boolean {
    const changed = this.#changed;
    this.#changed = false;
    return changed;
  }
}
