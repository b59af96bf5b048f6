#!/usr/bin/env node
// Times the drill-down tree walker (dist/source/adapters/fs/tree-walk.js, then toDrillTree) against GNU `du -s`
// on a generated tree of about 1,000,000 files, warm cache, median of RUNS runs each, with the
// peak RSS of each process (/usr/bin/time -f %M). Build first: npm run build.
// --cold: the page cache dropped (sync; echo 3 > /proc/sys/vm/drop_caches, as root) before every
// timed run, du's and the walker's alike. --workers auto,2,4,8: the walker with each number of `find`
// processes (TreeWalkOptions.workers; auto: the walker's own choice), alternated in every round.
// Usage: node bench/walk.mjs [--runs N] [--dir /tmp/ls-bench-walk] [--cold] [--workers N[,M…]]
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, linkSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs';
import {loadavg} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const arg = (name, fallback) => {
	const i = process.argv.indexOf(name);
	return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('--runs', 3));
const cold = process.argv.includes('--cold');
const workerCounts = arg('--workers', '')
	.split(',')
	.filter(Boolean)
	.map(v => (v === 'auto' ? undefined : Number(v)));
const variants = workerCounts.length > 0 ? workerCounts : [undefined];
const root = arg('--dir', '/tmp/ls-bench-walk');
const tree = join(root, 'tree');
const marker = join(root, '.complete-v1');
const walker = fileURLToPath(new URL('../dist/source/adapters/fs/tree-walk.js', import.meta.url));
const drill = fileURLToPath(new URL('../dist/source/services/drill.js', import.meta.url));

function generate() {
	rmSync(root, {recursive: true, force: true});
	mkdirSync(tree, {recursive: true});
	const started = Date.now();
	const content = Buffer.alloc(4096, 'x');
	let files = 0;
	// 50 x 50 x 50 directories, 8 names each: ~1M files, ~128k directories.
	for (let a = 0; a < 50; a++) {
		for (let b = 0; b < 50; b++) {
			for (let c = 0; c < 50; c++) {
				const dir = join(tree, `a${a}`, `b${b}`, `c${c}`);
				mkdirSync(dir, {recursive: true});
				for (let f = 0; f < 8; f++) {
					const path = join(dir, `file-${f}.dat`);
					files++;
					if (files % 997 === 0) symlinkSync(`file-${(f + 1) % 8}.dat`, path);
					else if (files % 1009 === 0 && f > 0) linkSync(join(dir, 'file-0.dat'), path);
					else writeFileSync(path, content.subarray(0, (files * 37) % 4096));
				}
			}
		}
		process.stderr.write(`\rgenerating ${files} files`);
	}
	writeFileSync(join(tree, 'sparse.img'), '');
	truncateSync(join(tree, 'sparse.img'), 10 * 1024 ** 3);
	symlinkSync('loop', join(tree, 'loop'));
	symlinkSync('/', join(tree, 'rootlink'));
	writeFileSync(marker, String(files));
	process.stderr.write(`\rgenerated ${files} files in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** The page cache dropped (root only): the next read of the tree comes from the disk. */
function dropCaches() {
	execFileSync('sync');
	writeFileSync('/proc/sys/vm/drop_caches', '3');
}

/** Wall seconds, peak RSS (KiB) and CPU seconds (with its children, e.g. the finds) of one command. */
function measure(cmd, args) {
	const started = process.hrtime.bigint();
	const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], {encoding: 'utf8', maxBuffer: 64 << 20});
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
	const [rssKiB, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
	return {seconds, rssKiB, cpu: user + sys, stdout: r.stdout};
}

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

if (!existsSync(walker)) throw new Error('dist/ is missing: run `npm run build` first');
if (!existsSync(marker)) generate();
const child = join(root, 'walk-child.mjs');
writeFileSync(
	child,
	// The walk, then the display model the console keeps (toDrillTree): the process's peak RSS covers both.
	[
		`const {walkTree} = await import(${JSON.stringify(walker)});`,
		`const {toDrillTree} = await import(${JSON.stringify(drill)});`,
		'const started = performance.now();',
		'const t = await walkTree(process.argv[2], process.argv[3] ? {workers: Number(process.argv[3])} : {});',
		'const walked = performance.now();',
		'const totals = t.totals;',
		"const tree = toDrillTree('bench', t);",
		'const modelMs = performance.now() - walked;',
		'process.stdout.write(JSON.stringify({apparent: totals.apparentBytes, allocated: totals.allocatedBytes, inodes: totals.inodes, dirs: tree.dirs.size, walkMs: walked - started, modelMs}));',
		'',
	].join('\n'),
);

if (!cold) measure('du', ['-s', tree]); // warm the cache
const loadBefore = loadavg()[0];
const du = [];
const walks = new Map(variants.map(v => [v, []]));
let result;
for (let i = 0; i < runs; i++) {
	if (cold) dropCaches();
	du.push(measure('du', ['-s', tree]));
	// Rotated every round, so no variant always runs right after du.
	for (let k = 0; k < variants.length; k++) {
		const v = variants[(k + i) % variants.length];
		if (cold) dropCaches();
		const w = measure(process.execPath, v === undefined ? [child, tree] : [child, tree, String(v)]);
		result = JSON.parse(w.stdout);
		walks.get(v).push(w);
	}
}
const walk = walks.get(variants[0]);
const loadAfter = loadavg()[0];
const duBlocks = Number(execFileSync('du', ['-s', '-B1', tree], {encoding: 'utf8'}).split('\t')[0]);
const duS = median(du.map(r => r.seconds));
const walkS = median(walk.map(r => r.seconds));
const walkRss = Math.max(...walk.map(r => r.rssKiB)) / 1024;
console.log(`tree: ${tree} (${result.inodes} inodes, ${result.dirs} directories)`);
console.log(`du -s:      median ${duS.toFixed(2)} s of [${du.map(r => r.seconds.toFixed(2)).join(', ')}], peak RSS ${(Math.max(...du.map(r => r.rssKiB)) / 1024).toFixed(0)} MB`);
console.log(`tree walk:  median ${walkS.toFixed(2)} s of [${walk.map(r => r.seconds.toFixed(2)).join(', ')}], peak RSS ${walkRss.toFixed(0)} MB`);
console.log(`ratio:      ${(walkS / duS).toFixed(2)}x du -s${cold ? ' (cold cache)' : ''}; RSS target <= 300 MB`);
if (variants.length > 1 || variants[0] !== undefined)
	for (const [v, list] of walks) {
		const s = median(list.map(r => r.seconds));
		console.log(
			`  ${v ?? 'auto'} finds: median ${s.toFixed(2)} s of [${list.map(r => r.seconds.toFixed(2)).join(', ')}] = ${(s / duS).toFixed(2)}x du -s, CPU ${median(list.map(r => r.cpu)).toFixed(2)} s, peak RSS ${(Math.max(...list.map(r => r.rssKiB)) / 1024).toFixed(0)} MB`,
		);
	}
console.log(
	`in process: walk ${(median(walk.map(r => JSON.parse(r.stdout).walkMs)) / 1000).toFixed(2)} s, display model ${(median(walk.map(r => JSON.parse(r.stdout).modelMs)) / 1000).toFixed(2)} s (medians; the tree walk time above includes both and Node start-up)`,
);
console.log(`cpu:        du ${median(du.map(r => r.cpu)).toFixed(2)} s, tree walk ${median(walk.map(r => r.cpu)).toFixed(2)} s (medians, user+sys, finds included)`);
console.log(`load:       ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (1-min loadavg, ${(await import('node:os')).availableParallelism()} CPUs)`);
console.log(`allocated:  walker ${result.allocated} bytes, du -B1 ${duBlocks} bytes`);
