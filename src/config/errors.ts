/**
 * Errors a user causes (bad flag, bad config file). The CLI prints their message on one line
 * and exits 2 — never a stack trace. Everything else is a defect and keeps its stack.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  readonly details: readonly string[];
  constructor(message: string, details: readonly string[] = [], options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }
}

export class UsageError extends UserError {
  override readonly name = 'UsageError';
}

export class ConfigError extends UserError {
  override readonly name = 'ConfigError';
}

/** The target could not be brought up or reached (no Docker engine, hub down). Exit code 4. */
export class EnvironmentUnavailableError extends UserError {
  override readonly name = 'EnvironmentUnavailableError';
}
