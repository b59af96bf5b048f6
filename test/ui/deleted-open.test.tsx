import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {stringWidth} from '../../source/domain/text-width.js';
import {App} from '../../source/ui/app.js';
import {bindings, Command} from '../../source/ui/keymap.js';
import type {ConsoleFeed, FeedState} from '../../source/services/console-feed.js';
import {defaultThresholds} from '../../source/domain/eviction.js';
import {bytes} from '../../source/ui/model/formatting.js';
import {plain, renderAt, tick, until} from '../helpers/render.js';
import type {Fixture} from './fixture-feed.js';

/** Recorded by scripts/record-deleted-open-fixture.mjs: the lab dockerd plus the real /proc scan. */
const fixture: Fixture = JSON.parse(readFileSync(new URL('../fixtures/deleted-open-docker.json', import.meta.url), 'utf8'));
const size = {columns: 80, rows: 24};
const now = fixture.refreshedAt + 2000;

function feed(): ConsoleFeed {
	const state: FeedState = {
		snapshot: fixture.snapshot,
		progress: null,
		refreshedAt: fixture.refreshedAt,
		intervalMs: fixture.intervalMs,
		error: null,
		thresholds: defaultThresholds,
		notices: [],
		growth: new Map(fixture.growth),
		logGrowth: new Map(fixture.logGrowth ?? []),
		history: new Map(fixture.history),
	};
	return {getState: () => state, subscribe: () => () => {}, refresh: () => {}};
}

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanup) c();
	cleanup = [];
});

function mount() {
	const r = renderAt(<App feed={feed()} size={size} now={now} />, size);
	cleanup.push(() => r.unmount());
	return r;
}

const files = fixture.snapshot.engines.flatMap(e => e.deletedOpen ?? []);
const hostFile = files.find(f => !f.holder.container)!;
const total = bytes(files.reduce((t, f) => t + f.allocatedBytes, 0));
const app = files.find(f => f.holder.container?.name === 'ls-fxd-app')!;

describe('deleted-but-open files in the console (recorded from the lab dockerd and /proc)', () => {
	it('has a ledger row, and the d key is in the keymap and the help', async () => {
		expect(bindings.find(b => b.command === Command.DeletedOpen)?.keys).toEqual(['d']);
		const {lastFrame} = mount();
		await tick();
		const frame = plain(lastFrame());
		expect(frame).toMatch(new RegExp(`Deleted, still open \\(d\\)\\s+${total}\\s+3 `));
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
	});

	it('lists the files by holder, container (with engine) or host process, with hostile names escaped', async () => {
		const {lastFrame, press} = mount();
		await tick();
		await press('d');
		await until(() => lastFrame().includes('HOLDER / FILE'));
		const frame = lastFrame();
		const text = plain(frame);
		expect(text).toContain(`Deleted, still open: 3 file(s), ${total}`);
		expect(text).toMatch(new RegExp(`ls-fxd-app \\(docker\\)\\s+${bytes(app.allocatedBytes)}`));
		expect(text).toContain('/var/log/app.log.1');
		expect(text).toContain(`pid ${hostFile.pid} sleep`);
		expect(text).toContain('ls-fxd-hostile (docker)');
		expect(text).toContain('/tmp/evil\\e[2J\\nname.log');
		expect(frame).not.toContain('\x1b[2J');
		for (const line of text.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
	});

	it('shows the bytes a container holds in its detail', async () => {
		const {lastFrame, press} = mount();
		await tick();
		const frame0 = plain(lastFrame());
		const rows = frame0.split('\n');
		const start = rows.findIndex(l => l.includes('NAME') && l.includes('STATE'));
		const at = rows.slice(start + 1).findIndex(l => l.includes('ls-fxd-app'));
		for (let i = 0; i < at; i++) await press('j');
		await press('\r');
		await until(() => lastFrame().includes('held deleted'));
		expect(plain(lastFrame())).toMatch(new RegExp(`held deleted\\s+${bytes(app.allocatedBytes)} in deleted files still open`));
	});
});
