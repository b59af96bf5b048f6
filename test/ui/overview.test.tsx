import {afterEach, describe, expect, it} from 'vitest';
import {compareBy} from '../../source/domain/growth.js';
import {stringWidth} from '../../source/domain/text-width.js';
import {App} from '../../source/ui/app.js';
import {bindings, keyLabel} from '../../source/ui/keymap.js';
import {ledgerLabels} from '../../source/domain/ledger-labels.js';
import {keys, plain, renderAt, tick, until} from '../helpers/render.js';
import {containers, fixture, fixtureFeed, growthOf} from './fixture-feed.js';

const size = {columns: 80, rows: 24};
const now = fixture.refreshedAt + 2000;
let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanup) c();
	cleanup = [];
});

function mount(feed = fixtureFeed(), at = size, extra: Record<string, unknown> = {}) {
	const r = renderAt(<App feed={feed} size={at} now={now} {...extra} />, at);
	cleanup.push(() => r.unmount());
	return r;
}

/** Names in the order the table shows them (the first word of each table line, which are container names). */
function tableNames(frame: string): string[] {
	const lines = plain(frame).split('\n');
	const start = lines.findIndex(l => l.includes('NAME') && l.includes('STATE'));
	return lines
		.slice(start + 1)
		.map(l => /^[› ] (\S+)/.exec(l)?.[1])
		.filter((n): n is string => Boolean(n) && !n!.startsWith('?'));
}

const byGrowth = () =>
	containers()
		.map(c => ({name: c.name, writableBytes: c.writableBytes, logBytes: c.logBytes, growth: growthOf(c.id)}))
		.sort(compareBy('growth'));

describe('overview at 80×24 (recorded from the private dockerd)', () => {
	it('ranks the fastest-growing container first and follows the growth order', async () => {
		const {lastFrame} = mount();
		await tick();
		const expected = byGrowth().map(c => c.name);
		const shown = tableNames(lastFrame());
		expect(shown.length).toBeGreaterThan(0);
		expect(shown[0]).toBe(expected[0]);
		// names may be truncated with an ellipsis: compare prefixes
		for (const [i, name] of shown.entries()) expect(expected[i]!.startsWith(name.replace(/…$/, ''))).toBe(true);
		expect(growthOf(containers().find(c => c.name === expected[0])!.id)).toBeGreaterThan(0);
	});

	it('fits the terminal: 23 lines at most, none wider than 80 columns', async () => {
		const {lastFrame} = mount();
		await tick();
		const lines = plain(lastFrame()).split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
	});

	it('shows the engine, the filesystem, every ledger category and the remainder', async () => {
		const {lastFrame} = mount();
		await tick();
		const frame = plain(lastFrame());
		const engine = fixture.snapshot.engines[0]!;
		expect(frame).toContain(`docker ${engine.runtime.version}`);
		expect(frame).toContain('disk ');
		expect(frame).toContain('inodes');
		// deleted-but-open files (issue 14) show once /proc was scanned; this recording predates them
		for (const [key, label] of Object.entries(ledgerLabels)) if (key !== 'deletedOpen') expect(frame).toContain(label);
		expect(frame).toContain('Other files on this filesystem');
		expect(frame).toContain('refreshed 2s ago');
		expect(frame).toMatch(/eviction (in \S+|—|now)/);
	});

	it('marks stale data', async () => {
		const {lastFrame} = mount(fixtureFeed({refreshedAt: now - 60_000}));
		await tick();
		expect(plain(lastFrame())).toContain('STALE 60s ago');
	});

	it('shows progress and errors in the footer', async () => {
		const feed = fixtureFeed({progress: {phase: 'sizing', done: 3, total: 7}});
		const {lastFrame} = mount(feed);
		await tick();
		expect(plain(lastFrame())).toContain('sizing writable layers 3/7');
		feed.set({progress: null, error: 'cannot reach Docker at unix:///x.sock: connection refused. Is the daemon running?'});
		await tick();
		expect(plain(lastFrame())).toContain('cannot reach Docker');
	});
});

describe('keys', () => {
	it('moves with j/k and arrows, cycles the sort with s', async () => {
		const r = mount();
		await tick();
		const first = tableNames(r.lastFrame())[0]!;
		await r.press('j');
		await r.press(keys.down);
		await r.press('k');
		const selected = /^› (\S+)/m.exec(plain(r.lastFrame()))?.[1];
		expect(selected).toBe(tableNames(r.lastFrame())[1]);
		expect(selected).not.toBe(first);
		await r.press('s');
		expect(plain(r.lastFrame())).toContain('WRITABLE↓');
		const bySize = [...containers()].sort((a, b) => (b.writableBytes ?? -1) - (a.writableBytes ?? -1)).map(c => c.name);
		expect(bySize[0]!.startsWith(tableNames(r.lastFrame())[0]!.replace(/…$/, ''))).toBe(true);
		await r.press('s');
		expect(plain(r.lastFrame())).toContain('LOGS↓');
		await r.press('s');
		expect(plain(r.lastFrame())).toContain('NAME↑');
		expect(tableNames(r.lastFrame())).toEqual([...tableNames(r.lastFrame())].sort());
	});

	it('opens the detail panel with Enter and goes back with Esc and Backspace', async () => {
		const r = mount();
		await tick();
		const top = byGrowth()[0]!;
		const record = containers().find(c => c.name === top.name)!;
		await r.press(keys.enter);
		let frame = plain(r.lastFrame());
		expect(frame).toContain(`Container ${top.name}`);
		expect(frame).toContain(record.id.slice(0, 12));
		expect(frame).toContain('log path');
		expect(frame).toContain(record.logPath!.slice(0, 30));
		await r.press(keys.escape);
		await tick(60);
		expect(plain(r.lastFrame())).toContain('Where the bytes live');
		await r.press(keys.enter);
		await r.press(keys.backspace);
		frame = plain(r.lastFrame());
		expect(frame).toContain('Where the bytes live');
	});

	it('shows every binding of the keymap in the help overlay', async () => {
		const r = mount();
		await tick();
		await r.press('?');
		const frame = plain(r.lastFrame());
		for (const b of bindings) {
			expect(frame).toContain(keyLabel(b));
			expect(frame).toContain(b.help);
		}
		// All of it on one 80×24 screen: nothing scrolls off, nothing wider than the terminal.
		expect(frame.split('\n').length).toBeLessThanOrEqual(size.rows - 1);
		for (const line of frame.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(size.columns);
		await r.press('?');
		expect(plain(r.lastFrame())).toContain('Where the bytes live');
	});

	it('asks the feed for a refresh with r and quits with q', async () => {
		const feed = fixtureFeed();
		let quit = 0;
		const r = mount(feed, size, {onQuit: () => quit++});
		await tick();
		await r.press('r');
		expect(feed.refreshes).toBe(1);
		await r.press('q');
		await until(() => quit === 1);
		expect(quit).toBe(1);
	});

	it('pages with PgDn/PgUp', async () => {
		const r = mount(fixtureFeed(), {columns: 80, rows: 20});
		await tick();
		const count = containers().length;
		await r.press(keys.pageDown);
		await r.press(keys.pageDown);
		expect(plain(r.lastFrame())).toContain(`${count}/${count}`);
		await r.press(keys.pageUp);
		await r.press(keys.pageUp);
		expect(plain(r.lastFrame())).toContain(`1/${count}`);
	});
});

describe('untrusted text', () => {
	it('escapes control characters from labels and truncates long names by width', async () => {
		const r = mount();
		await tick();
		// Move to the container with the hostile labels, then open it.
		const target = containers().find(c => c.name.startsWith('ls-fx-a-very-long'))!;
		for (let i = 0; i < containers().length; i++) {
			if (/^› ls-fx-a-very/m.test(plain(r.lastFrame()))) break;
			await r.press('j');
		}
		const table = plain(r.lastFrame());
		expect(table).toMatch(/ls-fx-a-very\S*…/);
		await r.press(keys.enter);
		const raw = r.lastFrame();
		expect(raw).not.toContain('\u0007');
		expect(plain(raw)).not.toContain('\u001B');
		expect(plain(raw)).toContain('red\\e[31m text\\x07 bell');
		expect(plain(raw)).toContain('漢字');
		for (const line of plain(raw).split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
		expect(target.labels['evil.label']).toContain('\u001B');
	});
});

describe('terminal size', () => {
	it('shows a too-small message and recovers on resize', async () => {
		const feed = fixtureFeed();
		const r = renderAt(<App feed={feed} size={{columns: 50, rows: 12}} now={now} />, {columns: 50, rows: 12});
		cleanup.push(() => r.unmount());
		await tick();
		expect(plain(r.lastFrame())).toContain('terminal too small');
		r.rerender(<App feed={feed} size={size} now={now} />);
		await tick();
		expect(plain(r.lastFrame())).toContain('Where the bytes live');
	});

	it('uses the extra rows of a taller terminal for containers', async () => {
		const r = mount(fixtureFeed(), {columns: 120, rows: 40});
		await tick();
		expect(tableNames(r.lastFrame()).length).toBe(containers().length);
	});

	it('adds an engine column when more than one engine is listed', async () => {
		const docker = fixture.snapshot.engines[0]!;
		const second = {...docker, runtime: {...docker.runtime, id: 'docker-2', name: 'docker-b'}};
		const r = mount(fixtureFeed({snapshot: {...fixture.snapshot, engines: [docker, second]}}), {columns: 120, rows: 40});
		await tick();
		expect(plain(r.lastFrame())).toContain('ENGINE');
	});
});

describe('batched input', () => {
	it('handles several keys arriving in one chunk', async () => {
		const r = mount();
		await tick();
		await r.press('jj\r');
		const frame = plain(r.lastFrame());
		expect(frame).toContain('Container ');
		expect(frame).toContain('log path');
	});
});
