// npm start: set up and run the demo (Worker + demo site + widget) on http://127.0.0.1:${PORT:-8787}.
import { buildWidget, ensureDevVars, prepareDatabase, startWrangler } from './local.mjs';

const port = Number(process.env.PORT ?? 8787);
ensureDevVars();
console.log('Applying D1 migrations and seeding the demo tenant (pk_demo)...');
prepareDatabase({ port });
console.log('Building the widget...');
buildWidget();
const server = await startWrangler({ port });
console.log(`\nvoice-buddy demo: ${server.url}/   admin console: ${server.url}/admin   (Ctrl+C to stop)\n`);
const shutdown = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
server.child.on('exit', (code) => process.exit(code ?? 0));
