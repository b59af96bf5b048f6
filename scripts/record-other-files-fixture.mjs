#!/usr/bin/env node
// Records the "Other files" breakdown the console screen shows into
// test/fixtures/other-files.json, for the UI tests: a constructed node tree (journald,
// /var/log with rotated archives, pod logs, a kubelet emptyDir named by the seeded CRI
// pod's real uid, core dumps, a package cache, /tmp, an unclassified directory) walked
// by the real walker and classed by the real rules, with the lab engines' ledger.
// Build first (npm run build), seed the lab (layerscope lab seed), then:
//   eval "$(node dist/cli.js lab env --dir DIR)" && node scripts/record-other-files-fixture.mjs
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {WalkPool} from '../dist/source/adapters/fs/walk-pool.js';
import {connectEngines} from '../dist/source/services/engines.js';
import {otherFilesBreakdown} from '../dist/source/services/other-files.js';

for (const name of ['DOCKER_HOST', 'CONTAINER_RUNTIME_ENDPOINT']) {
	if (!(process.env[name] ?? '').startsWith('unix:///tmp/')) throw new Error(`set ${name} to a private lab socket under /tmp`);
}
const {sources} = await connectEngines({runtime: 'auto', timeout: 30});
const pool = new WalkPool();
const engines = await Promise.all(sources.map(source => source.scan({pool, diskUsageTimeoutMs: 120_000})));
const pod = engines.flatMap(e => e.containers).find(c => c.pod)?.pod;
if (!pod) throw new Error('no CRI pod: run `layerscope lab seed` first');

const host = mkdtempSync(join(tmpdir(), 'ls-other-rec-'));
const put = (rel, bytes) => {
	mkdirSync(dirname(join(host, rel)), {recursive: true});
	writeFileSync(join(host, rel), Buffer.alloc(bytes, 7));
};
put('var/log/journal/abc/system.journal', 3 << 20);
put('var/log/syslog', 200 << 10);
put('var/log/syslog.1', 120 << 10);
put('var/log/syslog.2.gz', 40 << 10);
put('var/log/pods/ns_p_uid/c/0.log', 96 << 10);
put(`var/lib/kubelet/pods/${pod.uid}/volumes/kubernetes.io~empty-dir/cache/blob`, 5 << 20);
put('var/lib/systemd/coredump/core.app.1234', 2 << 20);
put('var/cache/apt/archives/pkg.deb', 700 << 10);
put('tmp/scratch', 300 << 10);
put('opt/vendor/lib/blob', 1 << 20);
const breakdowns = await otherFilesBreakdown(engines, {root: host, hostRoot: host});
rmSync(host, {recursive: true, force: true});
await pool.close();
for (const s of sources) s.close();

const fixture = {
	recordedAt: new Date().toISOString(),
	note: 'Recorded by scripts/record-other-files-fixture.mjs (real walker and rules, lab engines); read by test/ui (other files screen).',
	snapshot: {takenAt: Date.now(), engines},
	breakdowns,
	pod,
};
writeFileSync(new URL('../test/fixtures/other-files.json', import.meta.url), JSON.stringify(fixture, null, '\t') + '\n');
process.stdout.write(`recorded ${breakdowns.length} breakdown(s), ${breakdowns[0]?.entries.length ?? 0} entries\n`);
