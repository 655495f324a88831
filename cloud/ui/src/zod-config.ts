import { z } from 'zod';

// The server's CSP allows no eval. Zod probes for it (new Function) when a schema is built, so
// this module is imported first by main.tsx, before any module that builds a schema.
z.config({ jitless: true });
