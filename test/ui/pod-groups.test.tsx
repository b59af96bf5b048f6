/**
 * Pods as the unit (issue 20), at 80×24 from recorded CRI data: P groups a pod's containers
 * under the pod, whose total (writable layers + logs + emptyDir) sits next to the
 * ephemeral-storage requests/limits that fit it; P again ungroups.
 */
import {readFileSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {sizeEphemeral, type PodStorage} from '../../source/domain/pod-ephemeral-advice.js';
import {bytes} from '../../source/domain/format.js';
import {stringWidth} from '../../source/domain/text-width.js';
import {App} from '../../source/ui/app.js';
import {keymap} from '../../source/ui/keymap.js';
import {fixtureServices} from './actions-fixture.js';
import {plain, renderAt, tick, until} from '../helpers/render.js';
import {type Fixture, fixtureFeed} from './fixture-feed.js';

/** Two pods of one deployment, three containers each, one pod with a 3 MiB emptyDir: scripts/record-cri-fixture.mjs. */
const cri: Fixture & {podStorage: Array<{engine: string; pods: PodStorage[]}>} = JSON.parse(readFileSync(new URL('../fixtures/console-cri.json', import.meta.url), 'utf8'));
const records = cri.snapshot.engines[0]!.containers;
const feed = () => fixtureFeed({snapshot: cri.snapshot, refreshedAt: cri.refreshedAt, intervalMs: cri.intervalMs, growth: new Map(cri.growth), logGrowth: new Map(cri.logGrowth ?? []), history: new Map(cri.history)});
const size = {columns: 80, rows: 24};

let cleanup: Array<() => void> = [];
afterEach(() => {
	for (const c of cleanup) c();
	cleanup = [];
});

function mount() {
	const services = {...fixtureServices(), podStorage: () => cri.podStorage};
	const r = renderAt(<App feed={feed()} size={size} now={cri.refreshedAt + 2000} services={services} />, size);
	cleanup.push(() => r.unmount());
	return r;
}

const lines = (frame: string) => plain(frame).split('\n');

describe('pods as the unit at 80×24 (recorded CRI data)', () => {
	it('P is bound once, in the console, and its help fits a half line', () => {
		const bound = keymap.filter(b => b.keys.includes('P'));
		expect(bound).toHaveLength(1);
		expect(bound[0]!.help.length).toBeLessThanOrEqual(27);
	});

	it('the recording has an emptyDir in one pod', () => {
		const pods = cri.podStorage[0]!.pods;
		expect(pods).toHaveLength(2);
		expect(pods.some(p => p.emptyDirBytes >= 3 * 1024 * 1024)).toBe(true);
	});

	it("P groups each pod's containers under the pod, with the pod total next to its ephemeral-storage sizing", async () => {
		const r = mount();
		await tick();
		expect(plain(r.lastFrame()!)).toContain('P pods:off');
		await r.press('P');
		await until(() => plain(r.lastFrame()!).includes('pod total'));
		let frame = plain(r.lastFrame()!);
		expect(frame).toContain('P pods:on');
		for (const line of lines(r.lastFrame()!)) expect(stringWidth(line)).toBeLessThanOrEqual(80);
		expect(lines(r.lastFrame()!).length).toBeLessThanOrEqual(24);
		// Walk down to see every row of both pods (the table scrolls).
		const seen = new Set(lines(r.lastFrame()!));
		for (let i = 0; i < 12; i++) {
			await r.press('j');
			await tick();
			for (const l of lines(r.lastFrame()!)) seen.add(l);
		}
		frame = [...seen].join('\n');
		for (const p of cri.podStorage[0]!.pods) {
			const sizing = sizeEphemeral(p.totalBytes);
			// The pod row: namespace/pod cut from the middle (the replica suffix survives) and its container count.
			expect(frame).toMatch(new RegExp(`▾ ${p.pod.namespace.slice(0, 12)}.*….*${p.pod.name.slice(-10)} \\(3\\)`));
			// Its storage row: the same total as the pod's advice, emptyDir included, next to the sizing.
			expect(frame).toContain(`pod total ${bytes(p.totalBytes)} (emptyDir ${bytes(p.emptyDirBytes)}) → ephemeral-storage req ${sizing.request}, lim ${sizing.limit}`);
		}
		// Each container shows under its pod by its own name, indented.
		const rowsOf = (name: string) => [...seen].filter(l => new RegExp(`^[› ]   ${name} `).test(l));
		for (const name of new Set(records.map(c => c.name))) expect(rowsOf(name).length, name).toBeGreaterThanOrEqual(1);
	});

	it("a pod's rows open nothing; its container opens its detail; P again ungroups", async () => {
		const r = mount();
		await tick();
		await r.press('P');
		await until(() => plain(r.lastFrame()!).includes('pod total'));
		// The cursor stays on the container it was on; up to the first pod's own row.
		for (let i = 0; i < 3; i++) await r.press('k');
		await tick();
		expect(lines(r.lastFrame()!).find(l => l.startsWith('›'))).toMatch(/^› ▾ /);
		await r.press('\r');
		await tick();
		expect(plain(r.lastFrame()!)).toContain('pod total');
		await r.press('j');
		await r.press('j');
		await tick();
		await r.press('\r');
		await until(() => plain(r.lastFrame()!).includes('id            '));
		const frame = plain(r.lastFrame()!);
		expect(records.some(c => frame.includes(`name          ${c.name}\n`))).toBe(true);
		await r.press('\u001B');
		await until(() => plain(r.lastFrame()!).includes('pod total'));
		await r.press('P');
		await until(() => !plain(r.lastFrame()!).includes('pod total'));
		expect(plain(r.lastFrame()!)).toContain('P pods:off');
	});
});

/** The lab's Podman demo: a pod (infra container + one container) and a grower outside it: scripts/record-podman-fixture.mjs. */
const podman: Fixture = JSON.parse(readFileSync(new URL('../fixtures/console-podman.json', import.meta.url), 'utf8'));

describe('Podman pods as the unit at 80×24 (recorded Podman data)', () => {
	it('P groups the pod with its infra container, a total without kubelet sizing; the container outside stays a row of its own', async () => {
		const engine = podman.snapshot.engines[0]!;
		const members = engine.containers.filter(c => c.pod);
		expect(members.some(c => c.infra)).toBe(true);
		const feedOf = () => fixtureFeed({snapshot: podman.snapshot, refreshedAt: podman.refreshedAt, intervalMs: podman.intervalMs, growth: new Map(podman.growth), logGrowth: new Map(podman.logGrowth ?? []), history: new Map(podman.history)});
		const r = renderAt(<App feed={feedOf()} size={size} now={podman.refreshedAt + 2000} services={fixtureServices()} />, size);
		cleanup.push(() => r.unmount());
		await tick();
		expect(plain(r.lastFrame()!)).toContain('P pods:off');
		await r.press('P');
		await until(() => plain(r.lastFrame()!).includes('pod total'));
		const frame = plain(r.lastFrame()!);
		for (const line of lines(r.lastFrame()!)) expect(stringWidth(line)).toBeLessThanOrEqual(80);
		const total = members.reduce((t, c) => t + (c.writableBytes ?? 0) + c.logBytes, 0);
		expect(frame).toMatch(new RegExp(`▾ ${members[0]!.pod!.name} \\(${members.length}\\)`));
		expect(frame).toContain(`pod total ${bytes(total)} (writable layers + logs, infra container included)`);
		expect(frame).not.toContain('ephemeral-storage');
		expect(frame).toMatch(/^[› ] demo-podman-grower /m);
		for (const c of members) expect(frame).toMatch(new RegExp(`^[› ]   ${c.name} `, 'm'));
	});
});
