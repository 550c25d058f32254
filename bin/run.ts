/**
 * The one image's entry point: `node --import tsx bin/run.ts <service>` starts a service;
 * `migrate` is the Kubernetes migration Job; `redrive` puts dead-lettered events back.
 */
import { serviceInfo } from '@storefront/contracts';
import { runRedriveCli } from '@storefront/kit';
import { mainFile, migrateAll, presentServices } from './platform.ts';

const [command, ...rest] = process.argv.slice(2);

function usage(): never {
  const names = presentServices()
    .map((s) => s.name)
    .join(', ');
  process.stderr.write(
    `usage: run.ts <service> | migrate [service...] | redrive --service <name> [...]\nservices: ${names}\n`,
  );
  process.exit(2);
}

if (!command) usage();

if (command === 'migrate') {
  const adminUrl = process.env.DATABASE_ADMIN_URL;
  if (!adminUrl) {
    process.stderr.write('DATABASE_ADMIN_URL: required (a role that may create roles and schemas)\n');
    process.exit(2);
  }
  await migrateAll({
    adminUrl,
    only: rest.length ? rest : undefined,
    passwordFor: (service) => {
      const key = `DB_PASSWORD_${service.toUpperCase().replaceAll('-', '_')}`;
      const value = process.env[key];
      if (!value) throw new Error(`${key}: required for the ${service} role`);
      return value;
    },
    log: (line) => process.stdout.write(`${line}\n`),
  });
} else if (command === 'redrive') {
  process.exitCode = await runRedriveCli(rest, process.env);
} else {
  if (!serviceInfo(command) || !presentServices().some((s) => s.name === command)) usage();
  await import(mainFile(command));
}
