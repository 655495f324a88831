import type { Command } from 'commander';

/** `ruongso broker provision`: a gateway's broker login for a production Mosquitto. */
export function register(program: Command): void {
  const broker = program.command('broker').description('files for a production Mosquitto: gateway logins and the ACL');
  broker
    .command('provision')
    .description(
      "register a gateway, issue its broker password (printed once), and rewrite Mosquitto's password and ACL files",
    )
    .requiredOption('--gateway <id>', 'gateway id (its broker username)')
    .option('--farm <id>', 'farm the gateway belongs to')
    .requiredOption('--passwd <file>', 'Mosquitto password_file to add the login to')
    .requiredOption('--acl <file>', 'Mosquitto acl_file to rewrite with every registered gateway')
    .option(
      '--cloud-user <names>',
      'comma-separated broker logins of the cloud instances (one per instance: the login is its client id)',
      'cloud',
    )
    .addHelpText(
      'after',
      `
Uses the cloud's registry (DATABASE_URL, or the SQLite file in DATA_DIR). Reload Mosquitto
afterwards (SIGHUP) so it reads the files again. Example:
  ruongso broker provision --gateway gw-dai-an-03 --farm farm-le-thi-hoa \\
    --passwd /etc/mosquitto/ruongso/passwd --acl /etc/mosquitto/ruongso/acl`,
    )
    .action(async (o: { gateway: string; farm?: string; passwd: string; acl: string; cloudUser: string }) => {
      const { loadConfig } = await import('../../cloud/config.js');
      const { createRegistry } = await import('../../cloud/registry/create-registry.js');
      const { provisionGateway } = await import('../../cloud/registry/provision.js');
      const { addMosquittoPassword, mosquittoAcl, writeFileAtomic } =
        await import('../../cloud/broker/mosquitto-files.js');
      const registry = createRegistry(loadConfig());
      await registry.init();
      try {
        const cred = await provisionGateway(registry, { id: o.gateway, farmId: o.farm ?? null }, 'cli');
        addMosquittoPassword(o.passwd, cred.username, cred.password);
        const ids = (await registry.listGateways({ limit: 100_000 })).map((g) => g.id);
        writeFileAtomic(
          o.acl,
          mosquittoAcl(ids, {
            cloud: o.cloudUser
              .split(',')
              .map((u) => u.trim())
              .filter(Boolean),
          }),
        );
        process.stdout.write(
          `gateway ${cred.gatewayId}: username ${cred.username}, password ${cred.password}\n` +
            `(shown once; ${o.passwd} and ${o.acl} updated for ${ids.length} gateways — reload Mosquitto)\n`,
        );
      } finally {
        await registry.close();
      }
    });
}
