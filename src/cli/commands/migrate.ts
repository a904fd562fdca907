import type { CommandModule } from '../context.js';
import { databaseOption, loadConfig } from '../context.js';

/** `dub-bridge migrate`: opens the SQLite file, applies pending migrations, says what it did. */
export const migrateCommand: CommandModule = (program, ctx) => {
  program
    .command('migrate')
    .description('apply pending database migrations (npm start does this too) and exit')
    .option(...databaseOption)
    .action(async (options: { database?: string }) => {
      const config = await loadConfig(ctx, options.database);
      const { migrateDatabase } = await import('../database.js');
      const { path, created, before, after } = migrateDatabase(config);
      const applied = after.applied.filter((tag) => !before.applied.includes(tag));
      if (created) ctx.out.line(`created ${path}`);
      if (applied.length > 0) {
        ctx.out.line(`applied ${applied.length} migration${applied.length === 1 ? '' : 's'} to ${path}: ${applied.join(', ')}`);
      } else {
        ctx.out.line(
          `${path} is up to date (${after.applied.length} migration${after.applied.length === 1 ? '' : 's'}, latest ${after.applied.at(-1) ?? 'none'})`,
        );
      }
      ctx.setExitCode(0);
    });
};
