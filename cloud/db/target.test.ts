import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { databaseTarget, describeTarget, targetKey } from './target.js';

describe('choosing the database from DATABASE_URL', () => {
  it('takes the SQLite file in DATA_DIR when DATABASE_URL is unset', () => {
    expect(databaseTarget({ DATA_DIR: '/var/lib/ruongso' })).toEqual({
      dialect: 'sqlite',
      file: path.join('/var/lib/ruongso', 'ruongso.sqlite'),
    });
  });

  it('reads sqlite:///absolute and sqlite:relative paths', () => {
    expect(databaseTarget({ DATABASE_URL: 'sqlite:///srv/r%C3%BAong.sqlite', DATA_DIR: 'x' })).toEqual({
      dialect: 'sqlite',
      file: '/srv/rúong.sqlite',
    });
    expect(databaseTarget({ DATABASE_URL: 'sqlite:data/r.sqlite', DATA_DIR: 'x' })).toEqual({
      dialect: 'sqlite',
      file: 'data/r.sqlite',
    });
  });

  it('reads a PostgreSQL URL, its ?schema= and a schema given by the caller first', () => {
    const url = 'postgresql://app:secret@db.example:5432/ruongso?schema=tenant_a&sslmode=require';
    expect(databaseTarget({ DATABASE_URL: url, DATA_DIR: 'x' })).toEqual({
      dialect: 'postgres',
      url: 'postgresql://app:secret@db.example:5432/ruongso?sslmode=require',
      schema: 'tenant_a',
    });
    expect(databaseTarget({ DATABASE_URL: url, DATA_DIR: 'x' }, { pgSchema: 'test_1' })).toMatchObject({
      schema: 'test_1',
    });
    expect(databaseTarget({ DATABASE_URL: 'postgres://h/db', DATA_DIR: 'x' })).toMatchObject({ schema: 'public' });
  });

  it('refuses a schema that is not a plain identifier and a URL of another kind', () => {
    expect(() => databaseTarget({ DATABASE_URL: 'postgres://h/db?schema=a;drop', DATA_DIR: 'x' })).toThrow(/schema/);
    expect(() => databaseTarget({ DATABASE_URL: 'mysql://h/db', DATA_DIR: 'x' })).toThrow(/DATABASE_URL/);
  });

  it('describes a target without its password, and never shares an in-memory database', () => {
    const pgT = databaseTarget({ DATABASE_URL: 'postgres://app:secret@db:5432/r', DATA_DIR: 'x' });
    expect(describeTarget(pgT)).toBe('PostgreSQL db:5432/r');
    expect(describeTarget(pgT)).not.toContain('secret');
    expect(targetKey({ dialect: 'sqlite', file: ':memory:' })).toBeUndefined();
    expect(targetKey({ dialect: 'sqlite', file: 'a/../b.sqlite' })).toBe(
      targetKey({ dialect: 'sqlite', file: 'b.sqlite' }),
    );
  });
});

describe('the SQLite file', () => {
  it('is named in target.ts only: every production module takes it from defaultSqliteFile', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const named: string[] = [];
    for (const top of ['cloud', 'cli', 'lib', 'edge']) {
      const dir = path.join(root, top);
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
        if (!/\.tsx?$/.test(f) || /\.(test|bench)\.tsx?$/.test(f) || f.includes('node_modules')) continue;
        if (fs.readFileSync(path.join(dir, f), 'utf8').includes("'ruongso.sqlite'")) named.push(`${top}/${f}`);
      }
    }
    expect(named).toEqual(['cloud/db/target.ts']);
  });
});
