// `npm run fleet [-- --services N]`: simulates one platform per environment and N services
// (default 10) in one account and region, prints the report, and exits 1 when a check of the
// joined fleet fails. See docs/fleet.md.
import { formatReport } from './report';
import { simulateFleet } from './simulation';

function servicesArgument(argv: string[]): number {
  const index = argv.findIndex((a) => a === '--services' || a.startsWith('--services='));
  if (index < 0) return 10;
  const raw = argv[index].includes('=') ? argv[index].split('=')[1] : argv[index + 1];
  // fleetServices rejects what is not a whole number of at least 1, naming the option.
  return raw === undefined || raw.trim() === '' ? NaN : Number(raw);
}

const started = Date.now();
try {
  const result = simulateFleet({ services: servicesArgument(process.argv.slice(2)) });
  console.log(formatReport(result));
  console.log(`(simulated in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  process.exitCode = result.checks.every((c) => c.ok) ? 0 : 1;
} catch (e) {
  console.error(`npm run fleet: ${(e as Error).message}`);
  process.exitCode = 2;
}
