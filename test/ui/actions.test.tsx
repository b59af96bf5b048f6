import {describe, expect, it} from 'vitest';
import {confirmationWord, needsTypedConfirmation} from '../../source/domain/prune-plan.js';
import {bindings} from '../../source/ui/keymap.js';
import {App} from '../../source/ui/app.js';
import {actionEntries} from '../../source/ui/model/action-entries.js';
import {bytes} from '../../source/ui/model/formatting.js';
import {ActionsScreen} from '../../source/ui/screens/actions.js';
import {keys, plain, renderAt, tick, until} from '../helpers/render.js';
import {actionsFixture, fixtureServices, replayMutations} from './actions-fixture.js';
import {fixture, fixtureFeed} from './fixture-feed.js';

const size = {columns: 80, rows: 24};
const entries = actionEntries(actionsFixture.suggestions, actionsFixture.snapshot);
const indexOf = (title: string) => entries.findIndex(e => e.title === title);

function mount(options: Parameters<typeof fixtureServices>[0] = {}) {
	const mutations = options.readOnly ? null : (options.mutations ?? replayMutations());
	const services = fixtureServices({...options, mutations});
	const log = {refreshes: 0, left: 0, quit: 0};
	const r = renderAt(<ActionsScreen services={services} snapshot={actionsFixture.snapshot} refresh={() => log.refreshes++} width={80} height={23} onLeave={() => log.left++} onQuit={() => log.quit++} />, size);
	const frame = () => plain(r.lastFrame());
	const open = async (title: string) => {
		await until(() => frame().includes('security first'));
		for (let i = 0; i < indexOf(title); i++) await r.press(keys.down);
		await r.press(keys.enter);
		await until(() => frame().includes(`Plan: ${entries[indexOf(title)]!.plan!.title}`));
	};
	return {...r, frame, open, log, mutations};
}

describe('actions screen (recorded suggestions, real domain plans)', () => {
	it('lists the ranked suggestions, redesigns with their concrete change', async () => {
		const r = mount();
		await until(() => r.frame().includes('security first'));
		for (const e of entries.slice(0, 5)) expect(r.frame()).toContain(e.title);
		const redesign = entries.findIndex(e => e.kind === 'redesign');
		for (let i = 0; i < redesign; i++) await r.press(keys.down);
		await until(() => r.frame().includes('→ log to stdout')); // the redesign at the cursor shows its change
		const text = r.frame();
		for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		r.unmount();
	});

	it('the joint image plan counts the layer its items share; unselecting one recomputes the estimate', async () => {
		const title = 'Remove unused images, dangling included';
		const joint = entries[indexOf(title)]!.plan!;
		const r = mount();
		await r.open(title);
		const estimate = () => /estimated reclaim (.+?) \(together\)/.exec(r.frame())?.[1];
		const all = estimate();
		expect(all).toBe(bytes(joint.totalBytes));
		// The recording's rebuild left a dangling image sharing a 1 MiB layer with the unused ls-ax/shared:1.
		const shared = joint.items.findIndex(i => i.name === 'ls-ax/shared:1');
		// A layer no image outside the plan holds (the busybox base is held by a running container's image).
		const sharedLayer = (i: number) => joint.items[i]!.layers!.find(l => !joint.heldLayers!.includes(l.chainId) && joint.items[shared]!.layers!.some(m => m.chainId === l.chainId));
		const partner = joint.items.findIndex((_, i) => i !== shared && sharedLayer(i));
		expect(partner).toBeGreaterThanOrEqual(0);
		expect(sharedLayer(partner)!.bytes).toBeGreaterThanOrEqual(1024 ** 2);
		for (let i = 0; i < partner; i++) await r.press(keys.down);
		await r.press(' ');
		const without = joint.totalBytes - joint.items[partner]!.bytes - sharedLayer(partner)!.bytes;
		await until(() => estimate() === bytes(without)).catch(() => {
			throw new Error(`expected ${bytes(without)}:\n${r.frame()}`);
		});
		await r.press(' ');
		await until(() => estimate() === all);
		r.unmount();
	});

	it('Esc cancels a small plan at the prompt: nothing executed', async () => {
		const r = mount();
		await r.open('Remove stopped containers');
		const plan = entries[indexOf('Remove stopped containers')]!.plan!;
		expect(needsTypedConfirmation(plan)).toBe(false);
		for (const item of plan.items) expect(r.frame()).toContain(item.name);
		await r.press(keys.enter);
		await until(() => r.frame().includes('Really remove'));
		await r.press(keys.escape);
		await until(() => r.frame().includes('cancelled: nothing was removed'));
		await tick(50);
		expect(r.mutations!.calls).toEqual([]);
		r.unmount();
	});

	it('a small plan is confirmed with y, runs, shows outcomes and measured bytes, refreshes the feed', async () => {
		const r = mount();
		await r.open('Remove stopped containers');
		await r.press('y');
		await until(() => r.frame().includes('Really remove'));
		await r.press('y');
		await until(() => r.frame().includes('Done:'));
		const recorded = actionsFixture.execution.result;
		expect(r.mutations!.calls).toHaveLength(1);
		expect(r.mutations!.calls[0]!.items.map(i => i.id).sort()).toEqual(recorded.outcomes.map(o => o.item.id).sort());
		const text = r.frame();
		expect(text).toContain(`${recorded.outcomes.length} removed, 0 skipped, 0 failed`);
		expect(text).toMatch(/estimated .* measured .* \(statfs before\/after\)/);
		expect(r.log.refreshes).toBe(1);
		r.unmount();
	});

	it('typed confirmation: a wrong text is rejected, the exact word runs the plan', async () => {
		const r = mount();
		await r.open('Remove unreferenced anonymous volumes');
		const plan = entries[indexOf('Remove unreferenced anonymous volumes')]!.plan!;
		expect(needsTypedConfirmation(plan)).toBe(true);
		const word = confirmationWord(plan);
		await r.press(keys.enter);
		await until(() => r.frame().includes(`Type "${word}"`));
		await r.press('y'); // not a confirmation here: just text
		await r.press(keys.enter);
		await until(() => r.frame().includes(`"y" does not match`));
		expect(r.mutations!.calls).toEqual([]);
		for (let i = 0; i < 3; i++) await r.press(keys.backspace);
		await r.press('delete 99');
		await r.press(keys.enter);
		await until(() => r.frame().includes(`"delete 99" does not match`));
		expect(r.mutations!.calls).toEqual([]);
		for (let i = 0; i < 9; i++) await r.press(keys.backspace);
		await r.press(word);
		await r.press(keys.enter);
		await until(() => r.frame().includes('Done:'));
		expect(r.mutations!.calls.map(p => p.items.map(i => i.id))).toEqual([plan.items.map(i => i.id)]);
		r.unmount();
	});

	it('Esc cancels a typed confirmation half-way', async () => {
		const r = mount();
		await r.open('Remove unreferenced anonymous volumes');
		await r.press(keys.enter);
		await r.press('dele');
		await r.press(keys.escape);
		await until(() => r.frame().includes('cancelled: nothing was removed'));
		expect(r.mutations!.calls).toEqual([]);
		r.unmount();
	});

	it('a named volume is removed only when picked individually (space), with typed confirmation', async () => {
		const r = mount();
		await r.open('Choose volumes one by one');
		const picker = entries[indexOf('Choose volumes one by one')]!.plan!;
		const named = picker.items.findIndex(i => i.named);
		expect(named).toBeGreaterThanOrEqual(0);
		expect(r.frame()).toContain('Selected 0 of');
		await r.press(keys.enter);
		await until(() => r.frame().includes('nothing selected'));
		for (let i = 0; i < named; i++) await r.press(keys.down);
		await r.press(' ');
		await until(() => r.frame().includes('Selected 1 of'));
		await r.press(keys.enter);
		await until(() => r.frame().includes('Type "delete 1"'));
		await r.press('delete 1');
		await r.press(keys.enter);
		await until(() => r.frame().includes('Done:'));
		expect(r.mutations!.calls).toHaveLength(1);
		expect(r.mutations!.calls[0]!.items).toEqual([{...picker.items[named]!, chosen: true}]);
		r.unmount();
	});

	it('read-only: plans and reclaim are shown, confirmation is disabled and nothing can be called', async () => {
		const r = mount({readOnly: '--read-only'});
		await r.open('Remove stopped containers');
		const plan = entries[indexOf('Remove stopped containers')]!.plan!;
		expect(r.frame()).toContain('read-only mode (--read-only): nothing can be removed; this is what would happen');
		expect(r.frame()).toContain(`of ${plan.items.length} · estimated reclaim`);
		await r.press('y');
		await until(() => r.frame().includes('Confirmation disabled'));
		await r.press('y');
		await r.press(keys.enter);
		await r.press(confirmationWord(plan));
		await r.press(keys.enter);
		await tick(50);
		expect(r.frame()).toContain('Confirmation disabled');
		expect(r.frame()).not.toContain('Done:');
		expect(r.frame()).not.toContain('Removing');
		await r.press(keys.escape);
		await until(() => r.frame().includes('cancelled'));
		r.unmount();
	});
});

describe('the console with services (App)', () => {
	const mountApp = (services: ReturnType<typeof fixtureServices>) => {
		const feed = fixtureFeed();
		const r = renderAt(<App feed={feed} size={size} now={fixture.refreshedAt} services={services} />, size);
		return {...r, feed, frame: () => plain(r.lastFrame())};
	};

	it('read-only: the banner, with what turned it on, is on every screen and the layout still fits 80×24', async () => {
		const r = mountApp(fixtureServices({readOnly: 'LAYERSCOPE_READ_ONLY'}));
		const seen: string[] = [];
		const visit = async (key: string, probe: string) => {
			await r.press(key);
			await until(() => r.frame().includes(probe)).catch(() => {
				throw new Error(`no "${probe}" after ${JSON.stringify(key)}:\n${r.frame()}`);
			});
			seen.push(r.frame());
		};
		await until(() => r.frame().includes('Where the bytes live'));
		seen.push(r.frame());
		await visit('?', 'this help');
		// Every key still on the one screen left under the banner.
		for (const b of bindings) expect(seen.at(-1)).toContain(b.help);
		await visit(keys.escape, 'Where the bytes live');
		await visit(keys.enter, 'Esc back');
		await visit(keys.escape, 'Where the bytes live');
		await visit('a', 'security first');
		await visit(keys.down, '›REDESIGN');
		await visit(keys.up, '›CLEANUP');
		await visit(keys.enter, 'Plan: ');
		await visit('y', 'Confirmation disabled');
		for (const frame of seen) {
			const lines = frame.split('\n');
			expect(lines[0]).toContain('READ-ONLY');
			expect(lines[0]).toContain('LAYERSCOPE_READ_ONLY');
			expect(lines.length).toBeLessThanOrEqual(23);
			for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
		}
		r.unmount();
	});

	it('without read-only there is no banner; a opens the actions and Esc returns to the overview', async () => {
		const r = mountApp(fixtureServices());
		await until(() => r.frame().includes('Where the bytes live'));
		expect(r.frame()).not.toContain('READ-ONLY');
		await r.press('a');
		await until(() => r.frame().includes('security first'));
		await r.press(keys.escape);
		await until(() => r.frame().includes('Where the bytes live'));
		r.unmount();
	});
});
