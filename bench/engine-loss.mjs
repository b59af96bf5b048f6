#!/usr/bin/env node
// Engine loss shown in the header: a private dockerd (the product's lab code) under a
// console in tmux at 80×24 with `--interval 2`; the dockerd is stopped and the pane is
// polled every 50 ms until the header's first line says STALE. Each round also runs the
// polling-only console (LAYERSCOPE_EVENTS=0, the behaviour before events) as the reference.
// Usage: npm run build && node bench/engine-loss.mjs [rounds]
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {dist, repoRoot, requireBuild} from './lib/lab.mjs';

requireBuild();
const rounds = Number(process.argv[2] ?? 3);
const interval = 2;
const {startDockerd, stopDockerd} = await import(dist('source/adapters/lab/docker-lab.js'));
const {labPaths} = await import(dist('source/adapters/lab/lab-paths.js'));
const dir = mkdtempSync(join(tmpdir(), 'ls-bench-loss-'));
const paths = labPaths(dir);
const socket = `ls-bench-loss-${process.pid}`;
const tmux = (...args) => execFileSync('/usr/bin/tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function until(probe, timeoutMs) {
	const end = Date.now() + timeoutMs;
	while (Date.now() < end) {
		const text = tmux('capture-pane', '-p', '-t', 'loss');
		if (probe(text)) return true;
		await sleep(50);
	}
	return false;
}

async function once(events) {
	await startDockerd(paths);
	tmux(
		'new-session',
		'-d',
		'-s',
		'loss',
		'-x',
		'80',
		'-y',
		'24',
		'-e',
		`DOCKER_HOST=unix://${paths.docker.socket}`,
		'-e',
		`LAYERSCOPE_EVENTS=${events ? 1 : 0}`,
		`${process.execPath} ${join(repoRoot, 'dist/cli.js')} --runtime docker --interval ${interval}; sleep 600`,
	);
	try {
		if (!(await until(text => /refreshed \d+s ago/.test(text.split('\n')[0]), 60_000))) throw new Error('no first frame');
		await sleep(1000 + Math.random() * interval * 1000); // a random phase against the sampling timer
		const stopped = performance.now();
		await stopDockerd(paths);
		const stale = await until(text => text.split('\n')[0].includes('STALE'), 60_000);
		return stale ? (performance.now() - stopped) / 1000 : Infinity;
	} finally {
		tmux('kill-server');
	}
}

const seconds = {events: [], polling: []};
try {
	for (let i = 0; i < rounds; i++) {
		for (const events of i % 2 ? [false, true] : [true, false]) seconds[events ? 'events' : 'polling'].push(await once(events));
	}
} finally {
	await stopDockerd(paths).catch(() => {});
	rmSync(dir, {recursive: true, force: true});
}
const median = list => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const result = {
	interval,
	seconds: {events: median(seconds.events), polling: median(seconds.polling)},
	samples: seconds,
	target: {events: 2},
	pass: median(seconds.events) <= 2,
	loadavg: (await import('node:os')).loadavg(),
};
console.log(`engine stopped to STALE in the header (--interval ${interval}), median of ${rounds}: with events ${result.seconds.events.toFixed(2)} s, polling only ${result.seconds.polling.toFixed(2)} s (target ≤ 2 s)`);
mkdirSync(join(repoRoot, 'bench/out'), {recursive: true});
writeFileSync(join(repoRoot, `bench/out/engine-loss-${Date.now()}.json`), JSON.stringify(result, null, 2));
