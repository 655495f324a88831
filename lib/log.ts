import { pino, type Logger } from 'pino';

/** One root logger; modules take a child: `log.child({ mod: 'poller' })`. */
export const log: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
  base: { app: 'ruongso' },
  redact: {
    paths: ['password', '*.password', 'token', '*.token', 'secret', '*.secret', 'authorization', '*.authorization'],
    censor: '[redacted]',
  },
});

export type { Logger };
