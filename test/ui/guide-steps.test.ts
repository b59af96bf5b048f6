import {describe, expect, it} from 'vitest';
import {bytes} from '../../source/domain/format.js';
import {guideStepCount} from '../../source/ui/guide/guide-model.js';
import {findMechanisms, focusContainer, keyOf, stickyFocus, topGrower} from '../../source/ui/guide/guide-pick.js';
import {guideSteps} from '../../source/ui/guide/guide-steps.js';
import {heaviestChain} from '../../source/ui/guide/step-drill.js';
import {examplePlan} from '../../source/ui/guide/step-prune.js';
import {layoutStep} from '../../source/ui/guide/guide-layout.js';
import {container, guideFixture, guideInput, recordedDrills, tree} from './guide-fixture.js';

const text = (step: {figures: Array<{text: string}>}) => step.figures.map(f => f.text).join('\n');
const engine = () => guideFixture.snapshot.engines[0]!;

describe('guide steps on the recorded demo lab', () => {
	it('has six numbered steps, each with figures and an explanation', () => {
		const steps = guideSteps(guideInput());
		expect(steps).toHaveLength(guideStepCount);
		steps.forEach((s, i) => {
			expect(s.number).toBe(i + 1);
			expect(s.figures.length).toBeGreaterThan(0);
			expect(s.explain.join(' ').length).toBeGreaterThan(80);
		});
	});

	it('step 1 shows the filesystem as recorded and where eviction starts', () => {
		const fs = engine().filesystem!;
		const step = guideSteps(guideInput())[0]!;
		expect(text(step)).toContain(fs.path);
		expect(text(step)).toContain(`${bytes(fs.availableBytes)} available`);
		expect(text(step)).toMatch(/eviction when available < .*(imagefs|nodefs)\.available/);
	});

	it('step 2 lists every ledger category with its meaning', () => {
		const step = guideSteps(guideInput())[1]!;
		for (const label of ['Live writable layers', 'Stopped containers', 'Container logs', 'Images in use', 'Unused images', 'Dangling images', 'Build cache', 'Volumes', 'Other files']) {
			expect(text(step)).toContain(label);
		}
	});

	it('step 3 ranks the growing log writer first and splits its virtual size', () => {
		const input = guideInput();
		const grower = topGrower(input.snapshot, input.growth)!;
		expect(grower.name).toBe('demo-log-writer');
		const step = guideSteps(input)[2]!;
		const rows = step.figures.map(f => f.text).filter(t => /^.\d /.test(t));
		expect(rows[0]).toContain('demo-log-writer');
		const image = engine().images.find(i => i.id === grower.imageId)!;
		expect(text(step)).toContain(`SIZE ${bytes(grower.writableBytes)} (virtual ${bytes(grower.writableBytes! + image.virtualBytes)})`);
		expect(step.handOver).toMatchObject({screen: 'overview', sort: 'growth', select: `docker/${grower.id}`});
	});

	it('step 3 says when growth is not measured yet', () => {
		const step = guideSteps(guideInput({growth: new Map()}))[2]!;
		expect(text(step)).toContain('growth needs two samples');
		expect(step.pending).toBe(true);
	});

	it('step 4 names the copy-up path with its lower size, and the whiteout', () => {
		const step = guideSteps(guideInput())[3]!;
		const copy = recordedDrills().copyUp!;
		expect(copy.record.name).toBe('demo-copy-up');
		expect(copy.change.path).toBe('/srv/model/weights.bin');
		expect(text(step)).toContain('Copy-up in demo-copy-up');
		expect(text(step)).toMatch(new RegExp(`C /srv/model/weights\\.bin .* lower file ${bytes(copy.change.lowerBytes)}`));
		expect(text(step)).toContain('Whiteout in demo-whiteout');
		expect(text(step)).toMatch(/D \/srv\/model\/weights\.bin/);
		expect(text(step)).toContain('A /var/log/app/access.log');
		expect(step.handOver).toMatchObject({screen: 'detail', select: `docker/${container('demo-log-writer').id}`});
	});

	it('step 4 says plainly when the node has no copy-up or whiteout', () => {
		const only = recordedDrills();
		const step = guideSteps(guideInput({drills: {status: 'done', value: {...only, copyUp: null, whiteout: null}}}))[3]!;
		expect(text(step)).toContain('No copy-up on this node');
		expect(text(step)).toContain('No whiteout on this node');
		expect(text(step)).toContain('It would look like');
	});

	it('step 5 puts the log redesign of the top grower first', () => {
		const step = guideSteps(guideInput())[4]!;
		const lines = step.figures.map(f => f.text);
		expect(lines[1]).toMatch(/^REDESIGN .*Logs written inside the container \(demo-log-writer\)/);
		expect(lines[2]).toContain('log to stdout');
		expect(text(step)).toMatch(/CLEANUP/);
	});

	it('step 6 shows a real plan with items and total, and says nothing is executed', () => {
		const input = guideInput();
		const plan = examplePlan(input)!;
		const step = guideSteps(input)[5]!;
		expect(text(step)).toContain('READ-ONLY');
		expect(text(step)).toContain(`${plan.items.length} item(s), ${bytes(plan.totalBytes)} in total`);
		for (const item of plan.items.slice(0, 6)) expect(text(step)).toContain(item.id.replace(/^sha256:/, '').slice(0, 12));
	});

	it('the drill chain follows the largest entries down to a file', () => {
		const chain = heaviestChain(tree(container('demo-log-writer').id));
		expect(chain.map(c => c.path)).toEqual(['/var', '/var/log', '/var/log/app', '/var/log/app/access.log']);
		expect(chain.map(c => c.mark)).toEqual(['C', 'C', 'A', 'A']);
	});

	it('focuses on the largest layer while growth is unknown', () => {
		const input = guideInput();
		expect(focusContainer(input.snapshot, new Map())?.name).toBe('demo-idle-big');
		expect(findMechanisms([]).copyUp).toBeNull();
	});

	it('every step fits 80×23', () => {
		for (const step of guideSteps(guideInput())) {
			const page = layoutStep(step, 80, 23);
			expect(page.figures.length + page.explain.length + (page.explain.length ? 1 : 0)).toBeLessThanOrEqual(20);
			for (const l of [...page.figures.map(f => f.text), ...page.explain]) expect(l.length).toBeLessThanOrEqual(80);
		}
	});

	it('keeps its focus while it grows: another container takes over only at twice the growth, or when the focus stops', () => {
		const input = guideInput();
		const a = container('demo-log-writer');
		const b = container('demo-idle-big');
		const growth = (ga: number | null, gb: number | null) =>
			new Map([
				[keyOf(a), ga],
				[keyOf(b), gb],
			]);
		expect(stickyFocus(null, input.snapshot, growth(100, 150))?.name).toBe('demo-idle-big');
		// The two take turns at the top: the focus stays.
		expect(stickyFocus(keyOf(a), input.snapshot, growth(100, 150))?.name).toBe('demo-log-writer');
		expect(stickyFocus(keyOf(a), input.snapshot, growth(100, 199))?.name).toBe('demo-log-writer');
		expect(stickyFocus(keyOf(a), input.snapshot, growth(100, 200))?.name).toBe('demo-idle-big');
		expect(stickyFocus(keyOf(a), input.snapshot, growth(0, 10))?.name).toBe('demo-idle-big');
		expect(stickyFocus('docker:gone', input.snapshot, growth(100, 150))?.name).toBe('demo-idle-big');
	});

	it('scrolls long figures: every line reachable, markers above and below, nothing over 80 columns', () => {
		const step = {number: 5, title: 't', figures: Array.from({length: 40}, (_, i) => ({text: `line ${i}`, tone: 'plain' as const})), explain: ['why'], handOver: null};
		const top = layoutStep(step, 80, 23);
		expect(top.scroll).toBe(0);
		expect(top.figures.at(-1)!.text).toMatch(/^… \d+ more line\(s\) · ↓ j PgDn space$/);
		const seen = new Set<string>();
		for (let at = 0; at <= top.maxScroll; at += top.page) for (const f of layoutStep(step, 80, 23, at).figures) seen.add(f.text);
		for (const f of layoutStep(step, 80, 23, top.maxScroll).figures) seen.add(f.text);
		for (let i = 0; i < 40; i++) expect(seen.has(`line ${i}`)).toBe(true);
		const end = layoutStep(step, 80, 23, 1e6);
		expect(end.scroll).toBe(top.maxScroll);
		expect(end.figures[0]!.text).toMatch(/^↑ \d+ line\(s\) above/);
		expect(end.figures.at(-1)!.text).toBe('line 39');
		expect(end.figures.length).toBe(top.figures.length);
	});
});
