import {describe, expect, it} from 'vitest';
import {count} from '../../source/domain/format.js';
import type {DrillProgress} from '../../source/domain/drill-model.js';
import {DrillHeader} from '../../source/ui/components/drill-header.js';
import {otherFileClasses} from '../../source/domain/other-files.js';
import type {NodeSnapshot} from '../../source/domain/types.js';
import type {OtherFilesBreakdown} from '../../source/services/other-files.js';
import {App} from '../../source/ui/app.js';
import {OtherFilesScreen} from '../../source/ui/screens/other-files.js';
import {keys, plain, renderAt, until} from '../helpers/render.js';
import recorded from '../fixtures/other-files.json' with {type: 'json'};
import {fixtureServices} from './actions-fixture.js';
import {drillFixture, hugeProgress} from './drill-fixture.js';
import {fixture, fixtureFeed} from './fixture-feed.js';

/** The breakdown recorded by scripts/record-other-files-fixture.mjs (real walker, rules and lab engines). */
const breakdowns = recorded.breakdowns as unknown as OtherFilesBreakdown[];
const snapshot = recorded.snapshot as unknown as NodeSnapshot;
const size = {columns: 80, rows: 24};
const services = {otherFiles: async () => breakdowns};

function mount() {
	const log = {left: 0};
	const r = renderAt(<OtherFilesScreen services={services} snapshot={snapshot} width={80} height={23} onLeave={() => log.left++} />, size);
	return {...r, log, frame: () => plain(r.lastFrame())};
}

describe('other files screen (recorded breakdown)', () => {
	it('shows the classes largest first, with the residual against statfs first on its line', async () => {
		const r = mount();
		await until(() => r.frame().includes('residual'));
		const text = r.frame();
		expect(text.split('\n')[1]).toMatch(/^residual /);
		for (const cls of ['kubelet-emptydir', 'journald', 'core-dumps', 'package-cache', 'tmp', 'rotated-logs', 'unclassified'] as const) expect(text).toContain(otherFileClasses[cls].label);
		for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		r.unmount();
	});

	it('opens a class into its paths, names the pod of an emptyDir, and goes back with the drill keys', async () => {
		const r = mount();
		const at = async (probe: () => boolean) =>
			until(probe).catch(() => {
				throw new Error(`not met:\n${r.frame()}`);
			});
		await until(() => r.frame().includes('residual'));
		// The emptyDir class is the largest in the recording: the first row.
		expect(r.frame()).toMatch(/›▸emptyDir/);
		await r.press(keys.enter);
		await at(() => r.frame().includes('kubernetes.io~empty-dir/cache'));
		expect(r.frame()).toContain(`pod ${recorded.pod.namespace}/${recorded.pod.name}`);
		await r.press('l'); // a directory without subdirectories: stays
		await r.press('h');
		await at(() => r.frame().includes('›▸emptyDir'));
		await r.press('jj'); // typed faster than a frame
		await at(() => /›▸core dumps/.test(r.frame()));
		await r.press(keys.escape);
		await until(() => r.log.left === 1);
		r.unmount();
	});
});

/** Recorded progress of real drill-down walks, reported to the screen one by one while the walk is held. */
function heldWalk() {
	const state = {aborted: 0, report: (_p: DrillProgress) => {}, release: () => {}};
	const otherFiles = (_snapshot: unknown, {signal, onProgress}: {signal?: AbortSignal; onProgress?: (p: DrillProgress & {bytes: number; current: string; root: string}) => void}) =>
		new Promise<OtherFilesBreakdown[]>(resolve => {
			state.report = p => onProgress?.({...p, bytes: p.totals.allocatedBytes, current: '/usr/share/doc', root: '/'});
			state.release = () => resolve(breakdowns);
			signal?.addEventListener('abort', () => state.aborted++);
		});
	return {state, services: {otherFiles} as unknown as typeof services};
}

describe('the walk shows the drill-down walker progress, as the drill does', () => {
	it('the drill status line for each report, the finished top-level directories in the drill table, the drill keys', async () => {
		const held = heldWalk();
		const log = {left: 0};
		const r = renderAt(<OtherFilesScreen services={held.services} snapshot={snapshot} width={80} height={23} onLeave={() => log.left++} />, size);
		const frame = () => plain(r.lastFrame());
		await until(() => frame().includes('walking the filesystem…'));
		expect(frame()).toContain('walking… top-level directories appear as they finish');
		const status = () => frame().split('\n')[1] ?? '';
		for (const progress of hugeProgress.progress.filter((_, i) => i % 10 === 0)) {
			held.state.report(progress);
			const line = `walking… ${count(progress.entries)} entries, ${count(progress.dirsDone)} dirs so far`;
			await until(() => status().startsWith(line)).catch(() => {
				throw new Error(`the status line never showed "${line}":\n${frame()}`);
			});
		}
		// The same progress, on the drill's own header: the same status line.
		const progress = drillFixture.progress();
		held.state.report(progress);
		const header = renderAt(<DrillHeader name="x" growth={null} tree={null} progress={progress} heaviest={null} path="/" mode="allocated" width={200} />, {columns: 200, rows: 8});
		const drillLine = plain(header.lastFrame()).split('\n')[1]!.split(' · ')[0]!;
		header.unmount();
		await until(() => status().startsWith(drillLine));
		// The finished top-level directories, in the drill's table, moved through with the drill's keys.
		const listed = progress.topLevel.length;
		expect(listed).toBeGreaterThan(1);
		await until(() => frame().includes(`1/${listed}`));
		await r.press('j');
		await until(() => frame().includes(`2/${listed}`));
		expect(frame()).toMatch(/Enter\/→ in {2}⌫\/←\/h out {2}r rewalk {2}\? help {2}q quit/);
		// Esc stops the walk and leaves.
		await r.press(keys.escape);
		await until(() => log.left === 1);
		r.unmount();
		expect(held.state.aborted).toBe(1);
	});
});

describe('the console: f opens the breakdown', () => {
	it('from the overview, and Esc returns', async () => {
		const feed = fixtureFeed();
		const r = renderAt(<App feed={feed} size={size} now={fixture.refreshedAt} services={{...fixtureServices(), ...services}} />, size);
		const frame = () => plain(r.lastFrame());
		await until(() => frame().includes('Other files on this filesystem (f)'));
		await r.press('f');
		await until(() => frame().includes('Other files: the rest of the filesystem, classed') && frame().includes('residual'));
		await r.press(keys.escape);
		await until(() => frame().includes('Where the bytes live'));
		r.unmount();
	});
});
