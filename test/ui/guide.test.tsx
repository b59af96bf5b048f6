import {describe, expect, it} from 'vitest';
import type {HandOver} from '../../source/ui/guide/guide-model.js';
import {Guide} from '../../source/ui/screens/guide.js';
import {keys, plain, renderAt, until} from '../helpers/render.js';
import {container, recordedFeed, recordedServices} from './guide-fixture.js';

function mount(services = recordedServices()) {
	const calls: {leave: number[]; handOver: Array<[HandOver, number]>} = {leave: [], handOver: []};
	const r = renderAt(<Guide feed={recordedFeed().getState()} services={services} width={80} height={23} onLeave={step => calls.leave.push(step)} onHandOver={(t, step) => calls.handOver.push([t, step])} />, {columns: 80, rows: 24});
	return {r, calls, services, frame: () => plain(r.lastFrame())};
}

describe('guide screen (recorded demo lab)', () => {
	it('walks 1 to 6 with progress, forward and back', async () => {
		const {r, frame} = mount();
		await until(() => frame().includes('Guide 1/6'));
		await r.press('l');
		await until(() => frame().includes('Guide 2/6') && frame().includes('Where the bytes live'));
		await r.press(keys.enter);
		await until(() => frame().includes('Guide 3/6'));
		await r.press('h');
		await until(() => frame().includes('Guide 2/6'));
		await r.press('\u001B[C');
		await r.press('\u001B[C');
		await until(() => frame().includes('Guide 4/6') && frame().includes('Copy-up in demo-copy-up'));
		for (const line of frame().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		await r.press('ll');
		await until(() => frame().includes('Guide 6/6') && frame().includes('Plan: '));
		r.unmount();
	});

	it('drills the top grower first, then searches for a copy-up and a whiteout', async () => {
		const {r, frame, services} = mount();
		await r.press('lll');
		await until(() => frame().includes('Whiteout in demo-whiteout'));
		expect(services.drilled[0]).toBe('demo-log-writer');
		r.unmount();
	});

	it('hands over to the view the step teaches, and leaves on Esc', async () => {
		const {r, frame, calls} = mount();
		await r.press('ll');
		await until(() => frame().includes('Guide 3/6'));
		await r.press('o');
		expect(calls.handOver[0]).toEqual([expect.objectContaining({screen: 'overview', sort: 'growth', select: `docker/${container('demo-log-writer').id}`}), 3]);
		await r.press(keys.escape);
		await until(() => calls.leave.length > 0);
		expect(calls.leave[0]).toBe(3);
		r.unmount();
	});

	it('says what is unavailable without console services', async () => {
		const calls: number[] = [];
		const r = renderAt(<Guide feed={recordedFeed().getState()} width={80} height={23} step={4} onLeave={s => calls.push(s)} onHandOver={() => {}} />, {columns: 80, rows: 24});
		await until(() => plain(r.lastFrame()).includes('Guide 4/6'));
		expect(plain(r.lastFrame())).toContain('without engine services');
		r.unmount();
	});
});
