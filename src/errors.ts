/** Bad input from the user: printed as one line, exit code 2, nothing written. */
export class UsageError extends Error {}

/** The user stopped at a prompt: nothing was written. */
export class Cancelled extends Error {}
