/**
 * The currency table: every runtime, base-image distribution and engine line the kit can put in
 * a generated repo, with its end of life and where that date comes from. It is pure data (no
 * constructs, no projen): the blueprints, the workflows' default Node.js, the engine defaults
 * and the generated docs read their versions from here, and `hardened-service doctor` checks a
 * repo's runtimes against it.
 *
 * Update it when a line gets a new release or an end-of-life date is announced; the unit tests
 * check that every default points at a line that is supported for at least a year.
 *
 * This module is internal (not exported from the package's index).
 */

/** What a product is, for the report. */
export type CurrencyKind = 'runtime' | 'distribution' | 'engine';

/** One release line (a major, or major.minor) of a product. */
export interface CurrencyLine {
  /** Product key: `nodejs`, `python`, `debian`, `postgresql`, `redis`, `valkey`. */
  readonly product: string;
  readonly kind: CurrencyKind;
  /** Name for people, e.g. `Node.js 24`. */
  readonly name: string;
  /** The release line: `24`, `3.11`, `12`, `16`, `7.1`. A version belongs to it when it is the line or starts with `<line>.`. */
  readonly line: string;
  /** Other names of the line (a Debian codename). */
  readonly aliases?: readonly string[];
  /** The newest release of the line the kit pins, when the kit pins one (base image tags). */
  readonly release?: string;
  /**
   * Last day of security fixes (YYYY-MM-DD), or undefined when none is announced. For engines
   * it is the earlier of the upstream end of life and the managed service's end of standard
   * support.
   */
  readonly endOfLife?: string;
  /** Where the date comes from. */
  readonly source: string;
  /** Anything a reader needs beside the date. */
  readonly note?: string;
}

const NODE_SCHEDULE = 'https://github.com/nodejs/Release#release-schedule';
const PYTHON_VERSIONS = 'https://devguide.python.org/versions/';
const DEBIAN_LTS = 'https://wiki.debian.org/LTS';
const POSTGRES_VERSIONING = 'https://www.postgresql.org/support/versioning/';
const RDS_CALENDAR = 'https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html';
const ELASTICACHE_EOL = 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html';

/** The table. */
export const CURRENCY_TABLE: readonly CurrencyLine[] = [
  { product: 'nodejs', kind: 'runtime', name: 'Node.js 20', line: '20', release: '20.20.2', endOfLife: '2026-04-30', source: NODE_SCHEDULE },
  { product: 'nodejs', kind: 'runtime', name: 'Node.js 22', line: '22', endOfLife: '2027-04-30', source: NODE_SCHEDULE, note: 'maintenance LTS' },
  { product: 'nodejs', kind: 'runtime', name: 'Node.js 24', line: '24', release: '24.22.3', endOfLife: '2028-04-30', source: NODE_SCHEDULE, note: 'active LTS' },
  { product: 'python', kind: 'runtime', name: 'Python 3.11', line: '3.11', release: '3.11.16', endOfLife: '2027-10-31', source: PYTHON_VERSIONS, note: 'security fixes only' },
  { product: 'python', kind: 'runtime', name: 'Python 3.12', line: '3.12', endOfLife: '2028-10-31', source: PYTHON_VERSIONS },
  { product: 'python', kind: 'runtime', name: 'Python 3.13', line: '3.13', endOfLife: '2029-10-31', source: PYTHON_VERSIONS },
  { product: 'debian', kind: 'distribution', name: 'Debian 11 (bullseye)', line: '11', aliases: ['bullseye'], endOfLife: '2026-08-31', source: DEBIAN_LTS, note: 'LTS end' },
  {
    product: 'debian',
    kind: 'distribution',
    name: 'Debian 12 (bookworm)',
    line: '12',
    aliases: ['bookworm'],
    endOfLife: '2028-06-30',
    source: DEBIAN_LTS,
    note: 'security team support ended 2026-06-10; Debian LTS until this date',
  },
  { product: 'debian', kind: 'distribution', name: 'Debian 13 (trixie)', line: '13', aliases: ['trixie'], endOfLife: '2030-06-30', source: DEBIAN_LTS, note: 'LTS end' },
  { product: 'postgresql', kind: 'engine', name: 'PostgreSQL 14', line: '14', endOfLife: '2026-11-12', source: POSTGRES_VERSIONING, note: `RDS standard support until 2027-02-28 (${RDS_CALENDAR})` },
  { product: 'postgresql', kind: 'engine', name: 'PostgreSQL 15', line: '15', endOfLife: '2027-11-11', source: POSTGRES_VERSIONING, note: `RDS standard support until 2028-02-29 (${RDS_CALENDAR})` },
  { product: 'postgresql', kind: 'engine', name: 'PostgreSQL 16', line: '16', endOfLife: '2028-11-09', source: POSTGRES_VERSIONING, note: `RDS standard support until 2029-02-28 (${RDS_CALENDAR})` },
  { product: 'postgresql', kind: 'engine', name: 'PostgreSQL 17', line: '17', endOfLife: '2029-11-08', source: POSTGRES_VERSIONING, note: `RDS standard support until 2030-02-28 (${RDS_CALENDAR})` },
  {
    product: 'redis',
    kind: 'engine',
    name: 'ElastiCache Redis OSS 7.1',
    line: '7.1',
    source: ELASTICACHE_EOL,
    note: 'the last Redis OSS line ElastiCache offers; no end of life announced (4 and 5 left standard support on 2026-01-31)',
  },
  { product: 'valkey', kind: 'engine', name: 'ElastiCache Valkey 8.0', line: '8.0', source: ELASTICACHE_EOL, note: 'no end of life announced' },
];

/**
 * The lines the kit uses by default, by role. Changing one here changes every new repo (and
 * every existing repo that does not set the option named in `DEFAULT_OPTIONS`).
 */
export const DEFAULT_LINES = {
  /** node-api's image and every workflow job's Node.js. */
  node: 'nodejs 24',
  /** python-api's image (the HEDIS optimizer runs on 3.11). */
  python: 'python 3.11',
  /** The Debian release of both blueprints' slim images. */
  debian: 'debian 12',
  /** RDS and the local compose PostgreSQL. */
  postgres: 'postgresql 16',
  /** ElastiCache and the local compose Redis. */
  redis: 'redis 7.1',
} as const;

/** The table line of `product` that `version` belongs to (`24.22.3` -> Node.js 24, `bookworm` -> Debian 12). */
export function findLine(product: string, version: string): CurrencyLine | undefined {
  return CURRENCY_TABLE.find(
    (l) => l.product === product && (version === l.line || version.startsWith(`${l.line}.`) || (l.aliases ?? []).includes(version)),
  );
}

/** A default line, by role. */
export function defaultLine(role: keyof typeof DEFAULT_LINES): CurrencyLine {
  const [product, line] = DEFAULT_LINES[role].split(' ');
  const found = CURRENCY_TABLE.find((l) => l.product === product && l.line === line);
  if (!found) throw new Error(`DEFAULT_LINES.${role} "${DEFAULT_LINES[role]}" is not in CURRENCY_TABLE`);
  return found;
}

/** The pinned release of a default line (for image tags). */
export function defaultRelease(role: 'node' | 'python'): string {
  const line = defaultLine(role);
  if (!line.release) throw new Error(`${line.name} has no pinned release in CURRENCY_TABLE`);
  return line.release;
}

/** The Debian codename of the default distribution (`bookworm`). */
export function defaultDebianCodename(): string {
  return defaultLine('debian').aliases![0];
}

/** One product line a repo runs, and the option that chooses it. */
export interface RuntimeUse {
  /** What it is in the repo, e.g. `Node.js of the image`. */
  readonly item: string;
  readonly product: string;
  /** The version as the repo has it (`24.22.3`, `bookworm`, `16`). */
  readonly version: string;
  /** The `.projenrc.ts` option that changes it, or what to do when no option does. */
  readonly option: string;
}

/**
 * The runtimes an image reference carries, when it is an official `node` or `python` image
 * (any registry or mirror prefix): the language runtime from the tag's version and the Debian
 * release from its codename. Other images yield nothing.
 */
export function imageRuntimes(image: string, option: string): RuntimeUse[] {
  const match = /(?:^|\/)(node|python):([0-9][0-9.]*)(?:-([a-z0-9-]+))?(?:@sha256:[0-9a-f]+)?$/.exec(image);
  if (!match) return [];
  const [, repo, version, variant = ''] = match;
  const uses: RuntimeUse[] = [{ item: `${repo === 'node' ? 'Node.js' : 'Python'} of the image`, product: repo === 'node' ? 'nodejs' : 'python', version, option }];
  const codename = variant.split('-').find((part) => CURRENCY_TABLE.some((l) => l.product === 'debian' && (l.aliases ?? []).includes(part)));
  if (codename) uses.push({ item: 'Debian of the image', product: 'debian', version: codename, option });
  return uses;
}

/** How a line stands on a day. */
export type CurrencyState = 'end-of-life' | 'ending-soon' | 'supported' | 'no-date' | 'unknown';

/** One runtime of a repo, judged. */
export interface CurrencyFinding extends RuntimeUse {
  readonly state: CurrencyState;
  /** The table line, when the table knows the version. */
  readonly name?: string;
  readonly endOfLife?: string;
  /** Days from `today` to the end of life (negative once past). */
  readonly daysLeft?: number;
  readonly source?: string;
}

/** Days of warning before an end of life. */
export const END_OF_LIFE_WARNING_DAYS = 90;

/** Judges each use on `today` (YYYY-MM-DD): past its end of life, within `warningDays` of it, or fine. */
export function assessCurrency(uses: readonly RuntimeUse[], today: string, warningDays: number = END_OF_LIFE_WARNING_DAYS): CurrencyFinding[] {
  return uses.map((use) => {
    const line = findLine(use.product, use.version);
    if (!line) return { ...use, state: 'unknown' };
    const known = { ...use, name: line.name, source: line.source };
    if (!line.endOfLife) return { ...known, state: 'no-date' };
    const daysLeft = Math.round((Date.parse(line.endOfLife) - Date.parse(today)) / 86_400_000);
    const state: CurrencyState = daysLeft < 0 ? 'end-of-life' : daysLeft <= warningDays ? 'ending-soon' : 'supported';
    return { ...known, state, endOfLife: line.endOfLife, daysLeft };
  });
}

/** Where a generated repo lists its runtimes (a managed file), for `hardened-service doctor`. */
export const RUNTIMES_FILE = '.hardened-service/runtimes.json';

/** The content of `RUNTIMES_FILE`. */
export interface RuntimesManifest {
  /** The kit, as `name@version`, that wrote the file. */
  readonly kit: string;
  readonly runtimes: RuntimeUse[];
}
