import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {stringWidth} from '../../source/domain/text-width.js';
import {App} from '../../source/ui/app.js';
import {keys, plain, renderAt, tick} from '../helpers/render.js';
import {type Fixture, fixtureFeed} from './fixture-feed.js';

/** Two pods of one deployment in a long namespace, three containers each: recorded by scripts/record-cri-fixture.mjs. */
const cri: Fixture = JSON.parse(readFileSync(new URL('../fixtures/console-cri.json', import.meta.url), 'utf8'));
const records = cri.snapshot.engines[0]!.containers;
const feed = () => fixtureFeed({snapshot: cri.snapshot, refreshedAt: cri.refreshedAt, intervalMs: cri.intervalMs, growth: new Map(cri.growth), logGrowth: new Map(cri.logGrowth ?? []), history: new Map(cri.history)});

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanup) c();
	cleanup = [];
});

function mount(size: {columns: number; rows: number}) {
	const r = renderAt(<App feed={feed()} size={size} now={cri.refreshedAt + 2000} />, size);
	cleanup.push(() => r.unmount());
	return r;
}

/** The one recorded container whose name starts the cell and whose pod's replica suffix ends it. */
const recordOf = (cell: string) => {
	const found = records.filter(c => cell.startsWith(`${c.name} `) && cell.endsWith(c.pod!.name.slice(-5)));
	return found.length === 1 ? found[0] : undefined;
};

/** The NAME cells of the table, as shown. */
function nameCells(frame: string): string[] {
	const lines = plain(frame).split('\n');
	const header = lines.findIndex(l => l.includes('NAME') && l.includes('STATE'));
	const width = lines[header]!.indexOf('STATE') - 2;
	return lines
		.slice(header + 1)
		.filter(l => /^[› ] \S/.test(l))
		.map(l => l.slice(2, 2 + width).trimEnd());
}

describe('a Kubernetes node at 80 columns (recorded CRI data)', () => {
	it('the recording has several containers per pod and a long namespace/pod name', () => {
		expect(records).toHaveLength(6);
		expect(new Set(records.map(c => c.pod!.name)).size).toBe(2);
		for (const c of records) expect(`${c.pod!.namespace}/${c.pod!.name}`.length).toBeGreaterThan(60);
	});

	it('every row stays distinguishable: the container name first, the pod cut from the middle', async () => {
		const r = mount({columns: 80, rows: 24});
		await tick();
		const cells = nameCells(r.lastFrame()!);
		expect(cells).toHaveLength(6);
		expect(new Set(cells).size).toBe(6);
		for (const cell of cells) {
			// The container's name first, whole; the pod's distinguishing end (the replica suffix) survives; the cut is in the middle.
			expect(recordOf(cell), cell).toBeDefined();
			expect(cell).toContain('…');
		}
		for (const line of plain(r.lastFrame()!).split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
	});

	it('the detail view shows the container, and its pod cut only in the middle', async () => {
		const r = mount({columns: 80, rows: 24});
		await tick();
		await r.press(keys.enter);
		await tick();
		const frame = plain(r.lastFrame()!);
		const shown = records.find(c => frame.includes(`id            ${c.id.slice(0, 12)}`))!;
		expect(frame).toContain(`name          ${shown.name}\n`);
		expect(shown).toBeDefined();
		// The pod line is cut from the middle when it must be: the namespace starts it, the replica suffix ends it.
		const pod = frame
			.split('\n')
			.find(l => l.startsWith('pod '))!
			.trimEnd();
		expect(pod).toMatch(new RegExp(`^pod +${shown.pod!.namespace.slice(0, 20)}.*….*${shown.pod!.name.slice(-15)}$`));
	});

	it('with more room (160 columns) more of the pod shows, still cut only in the middle', async () => {
		const r = mount({columns: 160, rows: 30});
		await tick();
		for (const cell of nameCells(r.lastFrame()!)) {
			const record = recordOf(cell)!;
			expect(cell.startsWith(`${record.name} ${record.pod!.namespace.slice(0, 20)}`), cell).toBe(true);
			expect(cell.endsWith(record.pod!.name.slice(-12)), cell).toBe(true);
		}
	});
});
