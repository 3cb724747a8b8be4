// Placeholder until the reconcile function lands.
export const handler = async (): Promise<void> => {};
