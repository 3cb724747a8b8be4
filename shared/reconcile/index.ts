/** Public API of the drift check. */
export { findDrift } from './find-drift.ts';
export { listSubaccounts } from './list-subaccounts.ts';
export { listTenantSecrets, type TenantSecretListing } from './list-tenant-secrets.ts';
export { type ReconcileDependencies, type ReconcileReport, runReconcile } from './run-reconcile.ts';
export { type SecretMetadata, toTenantSecretSnapshot } from './tenant-secret-snapshot.ts';
export * from './types.ts';
