/**
 * Static credentials for the loopback stand-ins. They only have to be well-formed: the SDK signs
 * every request with them (SigV4) and the stand-ins read the region from that signature, but
 * nothing ever validates them.
 */
export const LOCAL_AWS_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIALOCALSTANDIN0000',
  secretAccessKey: 'local-stand-in-secret-access-key',
});

export const DEFAULT_LOCAL_REGION = 'us-east-1';
