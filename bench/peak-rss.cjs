// Preloaded into each `strata` process that bench/cli.ts times: writes the process's peak RSS
// (KB, as getrusage reports it) to $STRATA_BENCH_RSS_FILE when it exits.
const { writeFileSync } = require('node:fs');
const file = process.env.STRATA_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
