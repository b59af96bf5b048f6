#!/usr/bin/env node
// Key press to new frame with 500 containers listed, through Ink's real (throttled)
// render path into an in-memory 120×40 "TTY". Data: the recorded fixture, with its
// containers cloned to 500 under distinct names and sizes.
// By default Ink, React and the screens come from dist/console.cjs, the bundle the console
// runs (with its build-time patches); `--modules` loads them from dist/source and
// node_modules instead.
// Usage: npm run build && node bench/render.mjs [containers] [presses] [--modules]
import {EventEmitter} from 'node:events';
import {readFileSync} from 'node:fs';

process.env.NODE_ENV ??= 'production';
const args = process.argv.slice(2).filter(a => !a.startsWith('--'));
const modules = process.argv.includes('--modules');
const count = Number(args[0] ?? 500);
const presses = Number(args[1] ?? 200);
const bundle = modules ? null : (await import('../dist/source/cli/console-bundle.js')).loadConsoleBundle();
if (!modules && !bundle) throw new Error('dist/console.cjs is missing or older than dist/source: run `npm run build` (or pass --modules)');
const {render} = bundle ? bundle.ui : await import('ink');
const React = bundle ? {createElement: bundle.ui.createElement} : await import('react');
const {App} = bundle ? bundle.ui : await import('../dist/source/ui/app.js');
console.log(`render path: ${bundle ? 'dist/console.cjs (what the console runs)' : 'dist/source + node_modules (--modules)'}`);

const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/console-docker.json', import.meta.url), 'utf8'));
const engine = fixture.snapshot.engines[0];
const growth = new Map();
const history = new Map();
const containers = Array.from({length: count}, (_, i) => {
	const base = engine.containers[i % engine.containers.length];
	const id = `${String(i).padStart(8, '0')}${base.id.slice(8)}`;
	const at = fixture.refreshedAt;
	growth.set(`docker/${id}`, (i * 7919) % 101 === 0 ? 0 : ((i * 7919) % 1000) * 100);
	history.set(
		`docker/${id}`,
		Array.from({length: 12}, (_, k) => ({at: at - (11 - k) * 5000, bytes: (i * 1000 + k * ((i * 31) % 97)) * 1024})),
	);
	return {...base, id, name: `${base.name}-${i}`, writableBytes: (base.writableBytes ?? 0) + i * 4096};
});
const state = {
	snapshot: {takenAt: fixture.refreshedAt, engines: [{...engine, containers}]},
	progress: null,
	refreshedAt: Date.now(),
	intervalMs: 5000,
	error: null,
	thresholds: {nodefsAvailable: {kind: 'percent', value: 10}, imagefsAvailable: {kind: 'percent', value: 15}, nodefsInodesFree: {kind: 'percent', value: 5}, source: 'kubelet-defaults'},
	notices: [],
	growth,
	history,
};
const feed = {getState: () => state, subscribe: () => () => {}, refresh: () => {}};

class Stdout extends EventEmitter {
	isTTY = true;
	columns = 120;
	rows = 40;
	onWrite = () => {};
	write = () => (this.onWrite(), true);
}
class Stdin extends EventEmitter {
	isTTY = true;
	data = null;
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
	read = () => {
		const d = this.data;
		this.data = null;
		return d;
	};
	press(data) {
		this.data = data;
		this.emit('readable');
	}
}
const stdout = new Stdout();
const stdin = new Stdin();
const t0 = performance.now();
const instance = render(React.createElement(App, {feed}), {stdout, stdin, stderr: stdout, exitOnCtrlC: false, patchConsole: false});
await new Promise(r => setTimeout(r, 200));
console.log(`first render of ${count} containers: ${(performance.now() - t0).toFixed(0)} ms (including layout warm-up)`);

const sequence = ['j', 'j', 'j', '\u001B[6~', 'k', '\u001B[5~', 's', 'j', '\r', '\u001B', '?', '\u001B'];
const times = [];
const byKey = new Map();
const frameByKey = new Map();
const cpu0 = process.cpuUsage();
for (let i = 0; i < presses; i++) {
	const key = sequence[i % sequence.length];
	const keyCpu = process.cpuUsage();
	const frame = new Promise(resolve => (stdout.onWrite = resolve));
	const start = performance.now();
	stdin.press(key);
	const timeout = new Promise(resolve => setTimeout(() => resolve('none'), 1000));
	if ((await Promise.race([frame, timeout])) !== 'none') {
		times.push(performance.now() - start);
		frameByKey.set(key, [...(frameByKey.get(key) ?? []), times.at(-1)]);
	}
	stdout.onWrite = () => {};
	await new Promise(r => setTimeout(r, 50)); // slower than Ink's 30 fps throttle, like a person
	const used = process.cpuUsage(keyCpu);
	byKey.set(key, [...(byKey.get(key) ?? []), (used.user + used.system) / 1000]);
}
const cpu = process.cpuUsage(cpu0);
instance.unmount();
console.log(`CPU per key press (load-independent): ${((cpu.user + cpu.system) / 1000 / presses).toFixed(1)} ms`);
const label = key => JSON.stringify(key).replace('\\u001b', 'ESC');
console.log(`CPU per key press by key (median, ms, includes the 50 ms pause): ${[...byKey].map(([key, list]) => `${label(key)} ${[...list].sort((a, b) => a - b)[list.length >> 1].toFixed(1)}`).join(', ')}`);
console.log(
	`key press to new frame by key (median / max, ms): ${[...frameByKey]
		.map(([key, list]) => {
			const s = [...list].sort((a, b) => a - b);
			return `${label(key)} ${s[s.length >> 1].toFixed(1)}/${s.at(-1).toFixed(1)}`;
		})
		.join(', ')}`,
);
const sorted = times.sort((a, b) => a - b);
const p = q => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
console.log(`key press to new frame, ${count} containers, ${times.length}/${presses} presses drew a frame: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, max ${p(1)} ms (targets: CPU per key ≤ 8 ms, p95 ≤ 16 ms)`);
process.exit(0);
