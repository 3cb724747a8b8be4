// Placeholder until the lifecycle handler lands.
export const handler = async (): Promise<{ batchItemFailures: never[] }> => ({ batchItemFailures: [] });
