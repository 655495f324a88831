import type { Command } from 'commander';

const collect = (v: string, prev: string[] = []) => [...prev, v];

async function withRegistry<T>(
  fn: (reg: import('../../cloud/registry/registry.js').Registry) => Promise<T>,
): Promise<T> {
  const { loadConfig } = await import('../../cloud/config.js');
  const { createRegistry } = await import('../../cloud/registry/create-registry.js');
  // the registry alone: no admin password needed to manage accounts from the server's shell
  const reg = createRegistry(loadConfig(process.env));
  await reg.init();
  try {
    return await fn(reg);
  } finally {
    await reg.close();
  }
}

/** `ruongso admin …`: onboarding and accounts on the registry of DATABASE_URL / DATA_DIR. */
export function register(program: Command): void {
  const admin = program
    .command('admin')
    .description('set up a district: administrative units, cooperatives, farms, users (on DATABASE_URL or DATA_DIR)');

  admin
    .command('load <file>')
    .description(
      "load a whole district from one YAML or JSON file: checked as a whole, written all-or-nothing; new users' passwords are printed once",
    )
    .option('--dry-run', 'check the file only')
    .action(async (file: string, o: { dryRun?: boolean }) => {
      const { loadDistrictFile, formatIssues } = await import('../../cloud/onboarding/admin-tasks.js');
      const { OnboardingError } = await import('../../cloud/onboarding/onboarding.js');
      await withRegistry(async (reg) => {
        try {
          const { result, passwords } = await loadDistrictFile(reg, file, o);
          if (!result) {
            process.stdout.write(`${file}: ok (nothing written)\n`);
            return;
          }
          process.stdout.write(
            `${file}: ${result.units} units, ${result.cooperatives} cooperatives, ${result.farms} farms, ${result.gateways} gateways; users created ${result.usersCreated.length}, updated ${result.usersUpdated.length}\n`,
          );
          for (const [u, pw] of Object.entries(passwords)) process.stdout.write(`  ${u.padEnd(20)} password: ${pw}\n`);
          // nothing re-publishes a stored config when a gateway connects: only the API route and PUT config publish
          for (const c of result.configs)
            process.stdout.write(
              `  ${c.gatewayId.padEnd(20)} config v${c.version} stored, not yet published: save it in the web app (PUT /api/v1/gateways/:id/config) to send it\n`,
            );
        } catch (err) {
          if (err instanceof OnboardingError) process.stderr.write(`${formatIssues(err)}\n`);
          throw err;
        }
      });
    });

  const user = admin.command('user').description('add, deactivate or reactivate one user');
  user
    .command('add <username>')
    .description('create a user with a role and scopes; prints the generated password once')
    .requiredOption('--name <name>', 'name shown in the app')
    .requiredOption('--role <role>', 'farmer | technician | officer | admin')
    .option('--phone <phone>', 'phone number (0912…, +84 912…)')
    .option('--farm <id>', 'a farm of a farmer (repeat for several)', collect)
    .option('--commune <id>', 'an administrative unit an officer reports on (repeat)', collect)
    .option('--cooperative <id>', 'the cooperative of a technician')
    .action(
      async (
        username: string,
        o: {
          name: string;
          role: 'farmer' | 'technician' | 'officer' | 'admin';
          phone?: string;
          farm?: string[];
          commune?: string[];
          cooperative?: string;
        },
      ) => {
        const { addUser } = await import('../../cloud/onboarding/admin-tasks.js');
        await withRegistry(async (reg) => {
          const r = await addUser(reg, {
            username,
            name: o.name,
            role: o.role,
            ...(o.phone ? { phone: o.phone } : {}),
            farms: o.farm ?? [],
            communes: o.commune ?? [],
            ...(o.cooperative ? { cooperative: o.cooperative } : {}),
          });
          process.stdout.write(`user ${username} (id ${r.id}) created — password: ${r.password}\n`);
        });
      },
    );
  for (const [name, active] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    user
      .command(`${name} <username>`)
      .description(
        active ? 'let a deactivated user log in again' : 'stop a user at once: no login, every session ended',
      )
      .action(async (username: string) => {
        const { setActive } = await import('../../cloud/onboarding/admin-tasks.js');
        await withRegistry(async (reg) => {
          await setActive(reg, username, active);
          process.stdout.write(`user ${username} ${active ? 'activated' : 'deactivated'}\n`);
        });
      });
  }
  for (const kind of ['unit', 'cooperative', 'farm'] as const) {
    const cmd = admin.command(kind).description(`deactivate or reactivate one ${kind} (audited)`);
    for (const [name, active] of [
      ['deactivate', false],
      ['activate', true],
    ] as const) {
      cmd.command(`${name} <id>`).action(async (id: string) => {
        const { setEntityActive } = await import('../../cloud/onboarding/admin-tasks.js');
        await withRegistry(async (reg) => {
          await setEntityActive(reg, kind, id, active);
          process.stdout.write(`${kind} ${id} ${active ? 'activated' : 'deactivated'}\n`);
        });
      });
    }
  }
  admin
    .command('users')
    .description('list users with role, scopes and state')
    .action(async () => {
      await withRegistry(async (reg) => {
        for (const u of await reg.listUsers()) {
          process.stdout.write(
            `${String(u.id).padStart(4)} ${u.username.padEnd(16)} ${u.role.padEnd(10)} ${u.disabled ? 'inactive' : 'active  '} farms=${u.farmIds.join(',') || '-'} units=${u.communes.join(',') || '-'} coop=${u.cooperativeId ?? '-'}\n`,
          );
        }
      });
    });
}
