// Preloaded into each `strata` process that bench/cli.ts times: writes the process's peak RSS
// (VmHWM, KB) to $STRATA_BENCH_RSS_FILE when it exits. Not getrusage's maxRSS: Linux carries it
// over from the forked parent across exec, so a child of a 700 MB benchmark reported 700 MB.
const { readFileSync, writeFileSync } = require('node:fs');
const file = process.env.STRATA_BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    writeFileSync(file, hwm ? hwm[1] : String(process.resourceUsage().maxRSS));
  });
