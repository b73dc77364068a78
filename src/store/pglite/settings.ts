/**
 * Settings of the embedded store that a caller needs before PGlite is loaded: kept apart from
 * adapter.ts, whose import loads PGlite (≈ 30 ms), which a command on PostgreSQL never needs.
 */

/**
 * PostgreSQL's shared buffers for a CLI command's store. PostgreSQL clears all of them when it
 * starts, so they are memory every process pays for at once: PGlite's 128 MB made a `strata list`
 * a process of 355 MB; 32 MB made it 250 MB, and the 10,000-component install, upgrade, stage +
 * apply and update measured the same within noise at 32, 64 and 128 MB; 16 MB took the install
 * and upgrade of the 10,000-component package from 252–266 to 236–246 MB at the same CPU time
 * (three alternating rounds). A server (`strata serve`) keeps PGlite's 128 MB: a Web API page of
 * 5,000 records from a 1,000,000-row table read 0.09 s with them and 0.16 s with 32 MB (decision
 * 55); a command given a large file takes LARGE_FILE_SHARED_BUFFERS.
 */
export const COMMAND_SHARED_BUFFERS = '16MB';

/**
 * A read command's shared buffers (`list`, `components`, `layers`, `history`, `env list`): PGlite
 * clears them as it starts, on V8's baseline compiler, and a read of the 10,000-component
 * environment takes the same time with 4 MB as with 16 (its pages come from the operating
 * system's cache either way). PGlite's start, in one process, 505–645 → 427–582 ms, and 12 MB
 * less (decision 60).
 */
export const READ_SHARED_BUFFERS = '4MB';

/**
 * A heavy command's shared buffers (a command given a large package or data file, cli/weight.ts).
 * `strata serve` keeps PGlite's 128 MB (decision 55). With V8's heap kept in check (decision 61),
 * PGlite's shared memory was what set the 105,001-component import's peak: 32 MB took the install
 * from 696–792 to 594–666 MB and the upgrade from 693–755 to 601–622 MB, in the same time (six
 * alternating rounds: install 7.1–7.6 against 7.9–8.2 s, upgrade 8.1–9.0 against 8.1–8.7 s);
 * loading 400,000 records from a 110 MB CSV file took 8.2–8.6 s against 8.5–9.1 s.
 */
export const LARGE_FILE_SHARED_BUFFERS = '32MB';
