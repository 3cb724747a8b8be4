/** The four Accounts operations the client performs; retry rules and errors are keyed on them. */
export type TwilioOperation = 'create' | 'fetch' | 'list' | 'update';
