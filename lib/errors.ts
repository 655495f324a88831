/**
 * Base of every component's error class: a stable code, a message a person can act on,
 * optional context, and the cause attached.
 */
export class RuongSoError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly context: Record<string, unknown> | undefined;

  constructor(code: Code, message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = options.context;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, context: this.context };
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
