import { z } from 'zod';
import { MonthString } from '../months.js';
import { AdoptionRow } from '../rollup.js';

export const Lang = z.enum(['vi', 'en']).default('vi');

export const AdoptionQuery = z.object({
  unit: z.string().min(1).max(100).optional().describe('administrative unit id; default: every unit you may see'),
  from: MonthString.optional().describe('first month, YYYY-MM (Vietnam time); default 11 months before `to`'),
  to: MonthString.optional().describe('last month, YYYY-MM; default the current month'),
});

export const ExportQuery = AdoptionQuery.extend({ lang: Lang });

export const UnitOut = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  level: z.string(),
  name: z.string(),
});

export const AdoptionResponse = z.object({
  from: z.string(),
  to: z.string(),
  units: z.array(UnitOut).describe('the units reported, parents before children'),
  rows: z.array(AdoptionRow).describe('one per unit per month, each the roll-up of its whole subtree'),
});

export const MonthlyParams = z.object({ unit: z.string().min(1).max(100), month: MonthString });
export const MonthlyQuery = z.object({ lang: Lang });
