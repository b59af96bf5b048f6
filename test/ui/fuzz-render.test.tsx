import {afterEach, describe, expect, it} from 'vitest';
import {isUnsafeCodePoint} from '../../source/domain/sanitize.js';
import type {ContainerRecord, NodeSnapshot} from '../../source/domain/types.js';
import {App} from '../../source/ui/app.js';
import {buildRows} from '../../source/ui/model/rows.js';
import {renderAt, tick, until} from '../helpers/render.js';
import {fixture, fixtureFeed} from './fixture-feed.js';

/**
 * README's failure table (When things go wrong), row 9, the fuzz sweep: at least 10,000 generated hostile strings, put where
 * the engine's data goes (container names, images, labels, log and layer paths, pod names,
 * the engine's name, version and endpoint, the filesystem path) in the snapshot recorded from
 * the private dockerd, rendered through the real console (App: overview and detail screens).
 * No raw control byte, escape sequence other than Ink's own colours, bidi override or lone
 * surrogate may appear in any frame. test/unit/sanitize.test.ts fuzzes the sanitiser alone.
 */

let seed = 9;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const hostile = [
	'\x1b]0;pwned\x07',
	'\x1b]2;title\x1b\\',
	'\x1b[2J',
	'\x1b[31m',
	'\x1b[?1049l',
	'\x1bc',
	'\x9b31m',
	'\x9d0;x\x9c',
	'\x90q\x9c',
	'\r\n',
	'\n',
	'\r',
	'\t',
	'\b',
	'\x00',
	'\x07',
	'\x7f',
	'\u202e',
	'\u2066',
	'\u200f',
	'\u061c',
	'\u2028',
	'\ufeff',
	'\ufff9',
	'\ud800',
	'\udc00',
	'\\',
	'\\e',
	'漢字',
	'👩‍👩‍👧',
	'e\u0301',
];

/** One generated string: hostile sequences, raw C0/C1, any BMP or astral code point, mis-decoded bytes. */
function fuzzString(): string {
	const len = 1 + Math.floor(rand() * 16);
	let s = '';
	for (let i = 0; i < len; i++) {
		const r = rand();
		if (r < 0.35) s += pick(hostile);
		else if (r < 0.5) s += String.fromCharCode(Math.floor(rand() * 0x20) + (rand() < 0.5 ? 0 : 0x80));
		else if (r < 0.65) s += String.fromCharCode(0x20 + Math.floor(rand() * 0x5f));
		else if (r < 0.8) s += String.fromCharCode(Math.floor(rand() * 0x10000));
		else if (r < 0.9) s += String.fromCodePoint(0x10000 + Math.floor(rand() * 0xfffff));
		// invalid UTF-8 read as latin1 (what a mis-decoded name looks like): C1 bytes and all
		else s += Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x82, 0x9b, 0xff].map(b => (rand() < 0.5 ? b : Math.floor(rand() * 256)))).toString('latin1');
	}
	return s;
}

let generated = 0;
const fuzz = () => {
	generated++;
	return fuzzString();
};

/** Every code point a terminal could act on, after removing the SGR colour sequences Ink writes itself. */
function rawControls(frame: string): string[] {
	const text = frame.replace(/\x1b\[[0-9;]*m/g, '');
	const found: string[] = [];
	for (const ch of text) {
		const cp = ch.codePointAt(0)!;
		if (cp !== 0x0a && isUnsafeCodePoint(cp)) found.push(`U+${cp.toString(16).padStart(4, '0')}`);
	}
	return found;
}

const base = fixture.snapshot.engines[0]!.containers[0]!;
function fuzzedContainer(n: number): ContainerRecord {
	const id = n.toString(16).padStart(64, 'f');
	return {
		...base,
		id,
		name: fuzz(),
		image: fuzz(),
		labels: {[fuzz()]: fuzz(), 'evil.value': fuzz()},
		logPath: fuzz(),
		upperDir: fuzz(),
		...(n % 3 === 0 ? {pod: {namespace: fuzz(), name: fuzz(), uid: id}} : {}),
	} as ContainerRecord;
}

function fuzzedSnapshot(containers: ContainerRecord[]): NodeSnapshot {
	const engine = fixture.snapshot.engines[0]!;
	return {
		...fixture.snapshot,
		engines: [
			{
				...engine,
				runtime: {...engine.runtime, name: fuzz(), version: fuzz(), endpoint: fuzz()},
				filesystem: engine.filesystem && {...engine.filesystem, path: fuzz()},
				containers,
			},
		],
	};
}

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanup) c();
	cleanup = [];
});

function mount(snapshot: NodeSnapshot, size: {columns: number; rows: number}, initial?: Record<string, unknown>) {
	const feed = fixtureFeed({snapshot, growth: new Map(), history: new Map()});
	const r = renderAt(<App feed={feed} size={size} now={fixture.refreshedAt + 2000} {...(initial ? {initial} : {})} />, size);
	cleanup.push(() => r.unmount());
	return r;
}

describe('fuzzed engine strings rendered by the console (recorded snapshot, 10,000+ strings)', () => {
	it('the check itself finds raw controls', () => {
		expect(rawControls('a\x1b]0;t\x07b\u202e\ud800\x9b')).toEqual(['U+001b', 'U+0007', 'U+202e', 'U+d800', 'U+009b']);
		expect(rawControls('\x1b[31mred\x1b[0m\nok')).toEqual([]);
	});

	it('overview: 10,000 fuzzed containers, 200 a frame, no raw control byte in any frame', async () => {
		const batch = 200;
		const size = {columns: 120, rows: batch + 40};
		let rowsShown = 0;
		for (let n = 0; n < 10_000; n += batch) {
			const containers = Array.from({length: batch}, (_, i) => fuzzedContainer(n + i));
			const r = mount(fuzzedSnapshot(containers), size);
			await until(() => r.lastFrame().includes('STATE'));
			const frame = r.lastFrame();
			expect(rawControls(frame), `batch at ${n}`).toEqual([]);
			// The hostile bytes did reach the screen, escaped.
			expect(frame).toMatch(/\\(e|x[0-9a-f]{2}|u\{[0-9a-f]+\})/);
			// Every fuzzed container has its table line (state column), so every name was rendered.
			rowsShown += frame.split('\n').filter(l => / running /.test(l)).length;
			r.unmount();
		}
		expect(rowsShown).toBeGreaterThanOrEqual(10_000);
	}, 300_000);

	it('detail: every field of 300 fuzzed containers, no raw control byte', async () => {
		const size = {columns: 80, rows: 24};
		for (let n = 0; n < 300; n++) {
			const container = fuzzedContainer(100_000 + n);
			const snapshot = fuzzedSnapshot([container]);
			const key = buildRows(snapshot, {growth: new Map(), history: new Map()} as never, 'growth')[0]!.key;
			const r = mount(snapshot, size, {screen: 'detail', under: 'detail', selected: key});
			await until(() => r.lastFrame().includes('log path'));
			await tick(0);
			expect(rawControls(r.lastFrame()), `container ${n}`).toEqual([]);
			r.unmount();
		}
	}, 300_000);

	it('generated at least 10,000 strings', () => {
		expect(generated).toBeGreaterThanOrEqual(10_000);
	});
});
