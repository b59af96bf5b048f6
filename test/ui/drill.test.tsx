import {afterEach, describe, expect, it} from 'vitest';
import {bytes, count} from '../../source/domain/format.js';
import {explainClass} from '../../source/domain/classify.js';
import {stringWidth} from '../../source/domain/text-width.js';
import {buildRows} from '../../source/ui/model/rows.js';
import {DrillScreen} from '../../source/ui/screens/drill.js';
import {keys, plain, renderAt, until} from '../helpers/render.js';
import {drillFixture, hugeProgress, replayServices} from './drill-fixture.js';

const size = {columns: 80, rows: 24};
const record = drillFixture.container;
const snapshot = {takenAt: 0, engines: [{runtime: {id: 'docker', name: 'docker'}, containers: [record]}]} as never;
const row = buildRows(snapshot, {growth: new Map([[`docker/${record.id}`, 4096]]), history: new Map()}, 'growth')[0]!;
let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanup) c();
	cleanup = [];
});

function mount(services = replayServices().services, extra: {onLeave?: () => void; onGone?: () => void; goneMs?: number} = {}) {
	const element = (r: typeof row | undefined) => <DrillScreen row={r} services={services} width={size.columns} height={size.rows - 1} onLeave={extra.onLeave ?? (() => {})} onGone={extra.onGone ?? (() => {})} goneMs={extra.goneMs} />;
	const r = renderAt(element(row), size);
	cleanup.push(() => r.unmount());
	const frame = () => plain(r.lastFrame());
	return {
		...r,
		frame,
		vanish: () => r.rerender(element(undefined)),
		/** Moves the cursor down until the selected line matches. */
		select: async (re: RegExp) => {
			for (let i = 0; i < 30 && !re.test(selectedLine(frame()) ?? ''); i++) {
				const before = frame();
				r.stdin.write('j');
				await until(() => frame() !== before, 2000).catch(() => {});
			}
			expect(selectedLine(frame())).toMatch(re);
		},
		/** Presses a key and waits until the screen shows `text`. */
		pressUntil: async (key: string, text: string | RegExp) => {
			r.stdin.write(key);
			await until(() => (typeof text === 'string' ? frame().includes(text) : text.test(frame()))).catch(() => {
				throw new Error(`screen never showed ${text} after ${JSON.stringify(key)}:\n${frame()}`);
			});
		},
	};
}

const tree = drillFixture.walk();
const root = tree.dirs.get(tree.rootKey)!;
/** Table lines: mark, size, share, …, name last. */
const tableLines = (frame: string) => frame.split('\n').filter(l => /^[› ] [ACD ] +\S+ \S+ +\S*%/.test(l));
const names = (frame: string) => tableLines(frame).map(l => l.trim().split(/\s+/).at(-1)!);
const selectedLine = (frame: string) =>
	frame
		.split('\n')
		.find(l => l.startsWith('›'))
		?.trimEnd();

describe.sequential('drill-down at 80×24 (recorded from the private dockerd)', () => {
	it('lists the layer root by allocated size with share, bar, counts, mark and class', async () => {
		const r = mount();
		await until(() => r.frame().includes('walked on the host'));
		const frame = r.frame();
		const expected = [...root.entries].sort((a, b) => b.allocatedBytes - a.allocatedBytes).map(e => (e.type === 'dir' ? e.display + '/' : e.display));
		expect(names(frame)).toEqual(expected.slice(0, names(frame).length));
		const top = root.entries.find(e => e.display + '/' === expected[0])!;
		const first = tableLines(frame)[0]!;
		expect(first).toContain(bytes(top.allocatedBytes));
		expect(first).toContain(`${Math.round((100 * top.allocatedBytes) / root.allocatedBytes)}%`);
		expect(first).toMatch(/█+░*/);
		expect(first).toContain(` ${top.mark} `);
		expect(frame).toContain('sizes: allocated');
		expect(frame).toContain(`A ${tree.totals.marks.A} C ${tree.totals.marks.C} D ${tree.totals.marks.D}`);
		for (const line of frame.split('\n')) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
	});

	it('shows a summary panel with the bytes per class of the container', async () => {
		const r = mount();
		await until(() => r.frame().includes('walked on the host'));
		const frame = r.frame();
		for (const c of tree.classes) expect(frame).toMatch(new RegExp(`${c.class} +${bytes(c.bytes).replace('.', '\\.')}`));
		const copyUp = tree.classes.find(c => c.class === 'copy-up')!;
		expect(frame).toContain(`+${bytes(copyUp.lowerBytes)} lower`);
	});

	it('shows the heaviest path, its class and its cost without a key press', async () => {
		const r = mount();
		await until(() => r.frame().includes('walked on the host'));
		const copy = tree.changes.find(c => c.class === 'copy-up')!;
		expect(r.frame()).toMatch(
			new RegExp(
				`heaviest ${copy.path.replace('.', '\\.')} +${bytes(copy.bytes + 0)
					.split(' ')[0]!
					.replace('.', '\\.')}`,
			),
		);
		expect(r.frame()).toContain('C copy-up');
	});

	it('goes in with Enter and → and out with Backspace, ← and h; out of the root leaves', async () => {
		let left = 0;
		const r = mount(undefined, {onLeave: () => left++});
		await until(() => r.frame().includes('walked on the host'));
		const largest = [...root.entries].sort((a, b) => b.allocatedBytes - a.allocatedBytes)[0]!;
		const second = [...root.entries].sort((a, b) => b.allocatedBytes - a.allocatedBytes)[1]!;
		const sub = tree.dirs.get(largest.dirKey!)!;
		await r.pressUntil(keys.enter, new RegExp(`^${sub.display} +sizes`, 'm'));
		expect(names(r.frame())).toEqual(sub.entries.map(e => e.display));
		await r.pressUntil(keys.backspace, /^\/ +sizes/m);
		await r.pressUntil('j', new RegExp(`^› .* ${second.display}/`, 'm'));
		await r.pressUntil('\u001B[C', new RegExp(`^${tree.dirs.get(second.dirKey!)!.display} +sizes`, 'm'));
		await r.pressUntil('\u001B[D', /^\/ +sizes/m);
		// the cursor came back to the entry we went into
		expect(selectedLine(r.frame())).toContain(`${second.display}/`);
		await r.pressUntil('l', new RegExp(`^${tree.dirs.get(second.dirKey!)!.display} +sizes`, 'm'));
		await r.pressUntil('h', /^\/ +sizes/m);
		r.stdin.write(keys.escape);
		await until(() => left === 1);
	});

	it('toggles apparent and allocated sizes with b', async () => {
		const r = mount();
		await until(() => r.frame().includes('walked on the host'));
		await r.pressUntil('b', 'sizes: apparent');
		const expected = [...root.entries].sort((a, b) => b.apparentBytes - a.apparentBytes || (a.display < b.display ? -1 : 1)).map(e => (e.type === 'dir' ? e.display + '/' : e.display));
		expect(names(r.frame())).toEqual(expected.slice(0, names(r.frame()).length));
		const top = root.entries.find(e => e.display + '/' === expected[0] || e.display === expected[0])!;
		expect(tableLines(r.frame())[0]).toContain(bytes(top.apparentBytes));
		await r.pressUntil('b', 'sizes: allocated');
	});

	it('explains the selected entry: copy-up with the lower size, whiteout with the lower bytes, a class line', async () => {
		const r = mount();
		await until(() => r.frame().includes('walked on the host'));
		const copy = tree.changes.find(c => c.class === 'copy-up')!;
		await r.pressUntil(keys.enter, new RegExp(`^${copy.path.slice(0, copy.path.lastIndexOf('/'))} +sizes`, 'm'));
		expect(r.frame()).toContain(`copy-up: the whole lower file (${bytes(copy.lowerBytes)}) was copied into the writable layer`);
		await r.pressUntil(keys.backspace, /^\/ +sizes/m);
		// the whiteouts live in /opt/app
		const white = tree.changes.filter(c => c.kind === 'D').sort((a, b) => b.lowerBytes! - a.lowerBytes!)[0]!;
		await r.select(/ opt\/$/);
		await r.pressUntil(keys.enter, /^\/opt +sizes/m);
		await r.pressUntil(keys.enter, /^\/opt\/app +sizes/m);
		await r.select(/plugins$/);
		expect(r.frame().replace(/\n {2}/g, ' ')).toContain(`whiteout: deleted from the image, but the lower layers still hold ${bytes(white.lowerBytes)} on disk`);
		await r.pressUntil('h', /^\/opt +sizes/m);
		await r.pressUntil('h', /^\/ +sizes/m);
		await r.pressUntil('g', /^› .* srv\//m);
		await r.pressUntil('j', /^› .* var\//m);
		expect(r.frame()).toContain(`database: ${explainClass('database').slice(0, 30)}`);
	});

	it('renders hostile names escaped and stays navigable', async () => {
		const r = mount();
		await until(() => r.frame().includes('walked on the host'));
		await r.select(/ w\/$/);
		await r.pressUntil(keys.enter, /^\/w +sizes/m);
		const raw = r.lastFrame();
		expect(plain(raw)).toContain('title\\e]0;pwned\\x07');
		expect(plain(raw)).toContain('bad\\xff\\xfename');
		expect(plain(raw)).toContain('dir\\e[31m/');
		expect(plain(raw)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
		expect(raw).not.toContain('\u0007');
		expect(raw).not.toContain('\u001B]');
		await r.select(/dir\\e\[31m\/$/);
		await r.pressUntil(keys.enter, /^\/w\/dir\\e\[31m +sizes/m);
		expect(names(r.frame())).toEqual(['inner']);
		for (const line of r.frame().split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
	});
});

describe('the walk', () => {
	it('shows progress and the finished top-level directories while it runs, then the tree', async () => {
		const replay = replayServices({hold: true});
		const r = mount(replay.services);
		const progress = drillFixture.progress();
		await until(() => r.frame().includes(`${progress.entries} entries`));
		expect(names(r.frame()).length).toBe(progress.topLevel.length);
		replay.state.release();
		await until(() => r.frame().includes('walked on the host'));
	});

	it('shows each entry count the walker reports, over a directory with 100,000 entries', async () => {
		const replay = replayServices({hold: true, progress: null});
		const r = mount(replay.services);
		await until(() => replay.state.calls === 1 && r.frame().includes('walking the writable layer…'));
		const status = () =>
			r
				.frame()
				.split('\n')
				.find(l => l.includes('walking…')) ?? '';
		const shown: string[] = [];
		for (const progress of hugeProgress.progress) {
			replay.state.report(progress);
			const line = `walking… ${count(progress.entries)} entries, ${count(progress.dirsDone)} dirs so far`;
			await until(() => status().includes(line)).catch(() => {
				throw new Error(`the status line never showed "${line}":\n${r.frame()}`);
			});
			if (shown.at(-1) !== line) shown.push(line);
		}
		// The counts seen in tmux before (61.4k) and the total, as the operator reads them.
		expect(shown).toContain('walking… 61.4k entries, 2 dirs so far');
		expect(shown.at(-1)).toBe(`walking… ${count(hugeProgress.entries)} entries, 2 dirs so far`);
		expect(shown.length).toBeGreaterThanOrEqual(20);
		replay.state.release();
		await until(() => r.frame().includes('walked on the host'));
	});

	it('cancels the walk when the view is left (unmounted)', async () => {
		const replay = replayServices({hold: true});
		const r = mount(replay.services);
		await until(() => r.frame().includes('walking…'));
		r.unmount();
		expect(replay.state.aborted).toBe(1);
	});

	it('walks again with r', async () => {
		const replay = replayServices();
		const r = mount(replay.services);
		await until(() => r.frame().includes('walked on the host'));
		r.stdin.write('r');
		await until(() => replay.state.calls === 2);
	});

	it('labels the engine fallback approximate', async () => {
		const r = mount(replayServices({tree: drillFixture.engine}).services);
		await until(() => r.frame().includes('approximate (engine changes + archive stats)'));
	});

	it('counts and shows unreadable directories', async () => {
		const unprivileged = drillFixture.unprivileged();
		const r = mount(replayServices({tree: drillFixture.unprivileged}).services);
		await until(() => r.frame().includes(`${unprivileged.totals.errors.denied} unreadable`));
		await r.pressUntil(keys.enter, /^\/w +sizes/m);
		expect(r.frame()).toMatch(/unreadable! +locked\//);
		await r.select(/locked\/$/);
		expect(r.frame()).toContain('unreadable directory');
		await r.pressUntil(keys.enter, 'could not be listed (permission denied)');
	});

	it('shows an error in one line and retries with r', async () => {
		const replay = replayServices({fail: new Error('walk of /x failed: EIO: i/o error\n    at stack')});
		const r = mount(replay.services);
		await until(() => r.frame().includes('cannot read the writable layer: walk of /x failed: EIO: i/o error'));
		expect(r.frame()).not.toContain('at stack');
		r.stdin.write('r');
		await until(() => replay.state.calls === 2);
	});
});

describe('a container that disappears', () => {
	it('shows a message and goes back to the list when it vanishes from the snapshot', async () => {
		let gone = 0;
		const replay = replayServices({hold: true});
		const r = mount(replay.services, {onGone: () => gone++, goneMs: 50});
		await until(() => r.frame().includes('walking…'));
		r.vanish();
		await until(() => r.frame().includes('The container ls-fx-drill is gone'));
		expect(replay.state.aborted).toBe(1);
		await until(() => gone === 1);
	});

	it('does the same when the walk fails with not-found', async () => {
		let gone = 0;
		const error = Object.assign(new Error('walk of /x/diff failed: ENOENT: no such file or directory'), {code: 'ENOENT'});
		const r = mount(replayServices({fail: error}).services, {onGone: () => gone++, goneMs: 60_000});
		await until(() => r.frame().includes('is gone'));
		r.stdin.write('x'); // any key goes back at once
		await until(() => gone === 1);
	});
});
