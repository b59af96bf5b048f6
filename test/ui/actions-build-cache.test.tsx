import {describe, expect, it} from 'vitest';
import {buildCachePlan} from '../../source/domain/cleanup-candidates.js';
import {actionEntries} from '../../source/ui/model/action-entries.js';
import {ActionsScreen} from '../../source/ui/screens/actions.js';
import {shortId} from '../../source/ui/screens/plan-view.js';
import {keys, plain, renderAt, until} from '../helpers/render.js';
import {actionsFixture, fixtureServices, replayMutations} from './actions-fixture.js';

/** The build-cache choice in the actions screen, on the recorded lab snapshot (real BuildKit records). */
const {snapshot} = actionsFixture;
const docker = snapshot.engines.find(e => e.usage.buildCache)!;
const expected = (filter: Parameters<typeof buildCachePlan>[2]) => buildCachePlan(docker, snapshot.takenAt, filter);
const cacheRow = actionEntries(actionsFixture.suggestions, snapshot).findIndex(e => e.buildCache);

function mount() {
	const mutations = replayMutations();
	const r = renderAt(<ActionsScreen services={fixtureServices({mutations})} snapshot={snapshot} refresh={() => {}} width={80} height={23} onLeave={() => {}} onQuit={() => {}} />, {columns: 80, rows: 24});
	const frame = () => plain(r.lastFrame());
	const choose = async (text: string) => {
		await r.press('c');
		await until(() => frame().includes('Build cache to prune'));
		await r.press(text);
		await r.press(keys.enter);
	};
	return {...r, frame, choose, mutations};
}

describe('actions screen: build-cache prune choice (recorded records)', () => {
	it('the recording holds a build-cache plan to choose from', () => {
		expect(cacheRow).toBeGreaterThanOrEqual(0);
		expect(expected({}).items.length).toBeGreaterThan(1);
	});

	it('c + an age lists only records unused for longer, with their last use; y removes exactly those', async () => {
		const r = mount();
		await until(() => r.frame().includes('security first'));
		expect(r.frame()).toContain('c build cache');
		await r.choose('5s');
		const plan = expected({olderThanMs: 5000});
		expect(plan.items.length).toBeGreaterThan(0);
		expect(plan.items.length).toBeLessThan(expected({}).items.length);
		await until(() => r.frame().includes('build cache: unused for more than 5s'));
		expect(r.frame()).toContain(`Prune build cache: unused for more than 5s  (${plan.items.length} item`);
		expect(r.frame()).toContain(`${plan.items.length} of ${expected({}).items.length} unused record(s)`);
		await r.press(keys.enter); // the cursor was moved to the build-cache row
		await until(() => r.frame().includes('Plan: Prune build cache: unused for more than 5s'));
		const text = r.frame();
		expect(text).toContain('LAST USED');
		for (const item of plan.items) {
			const line = text.split('\n').find(l => l.includes(shortId(item.id)))!;
			expect(line).toContain(`${Math.round((snapshot.takenAt - item.lastUsedAt!) / 1000)}s ago`);
		}
		for (const l of text.split('\n')) expect(l.length).toBeLessThanOrEqual(80);
		await r.press('y');
		await until(() => r.frame().includes('Really remove'));
		await r.press('y');
		await until(() => r.frame().includes('Done:'));
		expect(r.mutations.calls.map(p => p.items.map(i => i.id))).toEqual([plan.items.map(i => i.id)]);
		r.unmount();
	});

	it('c from the build-cache plan goes back to the prompt', async () => {
		const r = mount();
		await until(() => r.frame().includes('security first'));
		for (let i = 0; i < cacheRow; i++) await r.press(keys.down);
		await r.press(keys.enter);
		await until(() => r.frame().includes('Plan: Prune build cache'));
		expect(r.frame()).toContain('c other build-cache choice');
		await r.press('c');
		await until(() => r.frame().includes('Build cache to prune'));
		await r.press('7d');
		await r.press(keys.enter);
		await until(() => r.frame().includes('Prune build cache: unused for more than 7d  (0 items)'));
		r.unmount();
	});

	it('keep an amount: the least recently used records until the cache fits', async () => {
		const r = mount();
		await until(() => r.frame().includes('security first'));
		await r.choose('keep 100B');
		const plan = expected({keepBytes: 100});
		await until(() => r.frame().includes(`Prune build cache: keep 100 B  (${plan.items.length} item`));
		await r.press(keys.enter);
		await until(() => r.frame().includes('Plan: Prune build cache: keep 100 B'));
		for (const item of plan.items) expect(r.frame()).toContain(shortId(item.id));
		r.unmount();
	});

	it('a bad value stays in the prompt with a hint; Esc keeps the current choice; all goes back', async () => {
		const r = mount();
		await until(() => r.frame().includes('security first'));
		await r.choose('yesterday');
		await until(() => r.frame().includes('"yesterday" is not an age or an amount'));
		expect(r.frame()).toContain('try all, 24h, 7d or keep 5GB');
		await r.press(keys.escape);
		await until(() => !r.frame().includes('Build cache to prune'));
		expect(r.frame()).toContain(`Prune build cache  (${expected({}).items.length} items)`);
		await r.choose('30d');
		await until(() => r.frame().includes('Prune build cache: unused for more than 30d  (0 items)'));
		await r.press(keys.enter);
		await until(() => r.frame().includes('nothing matches this choice: c changes it'));
		await r.choose('all');
		await until(() => r.frame().includes(`Prune build cache  (${expected({}).items.length} items)`));
		expect(r.mutations.calls).toEqual([]);
		r.unmount();
	});
});
