// Errors a user reads: one line, naming the account (when there is one) and the cause. Never a secret.

export class UserError extends Error {
  readonly account: string | undefined;
  constructor(message: string, account?: string) {
    super(account ? `account "${account}": ${message}` : message);
    this.name = 'UserError';
    this.account = account;
  }
}

/** One line for stderr or a UI banner, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.replace(/\s*\n\s*/g, ' ');
  return String(err);
}
