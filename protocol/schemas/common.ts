import { z } from 'zod';
import { ID_PATTERN } from '../topics.js';

/** An id that is safe as a topic level. */
export const Id = z.string().regex(ID_PATTERN, 'use 1–64 of a-z, 0-9, "-" or "_", starting with a letter or digit');

/** Milliseconds since the Unix epoch, set by the producer (edge clocks are NTP/GPS synced). */
export const Timestamp = z
  .number()
  .int('timestamp must be whole milliseconds since 1970-01-01')
  .min(1_000_000_000_000, 'timestamp must be milliseconds since 1970-01-01 (got seconds?)')
  .max(32_503_680_000_000, 'timestamp is after year 3000');

/** A boot of a gateway: random per process start; seq restarts at 0 with it. */
export const BootId = z
  .string()
  .min(4)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'bootId: letters, digits, "-" or "_"');

export const Seq = z.number().int().nonnegative();
