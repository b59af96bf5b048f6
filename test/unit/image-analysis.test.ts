import {describe, expect, it} from 'vitest';
import {analyzeImage, type LayerEntry, type LayerInput} from '../../source/domain/image-analysis.js';
import {evaluateRules, parseHumanBytes, parseRule, resolveRules} from '../../source/domain/image-ci.js';

const dir = (path: string): LayerEntry => ({path, type: 'dir', bytes: 0});
const file = (path: string, bytes: number): LayerEntry => ({path, type: 'file', bytes});
const wh = (path: string): LayerEntry => ({path, type: 'whiteout', bytes: 0});
const layer = (entries: LayerEntry[], opaqueDirs: string[] = []): LayerInput => ({digest: 'sha256:x', createdBy: '', entries, opaqueDirs});

describe('analyzeImage (dive definitions, exact invisible bytes)', () => {
	it("counts a whiteout of a directory as the directory's subtree, of a file as 0", () => {
		const a = analyzeImage([layer([dir('/d'), file('/d/a', 100), file('/d/b', 50), file('/f', 10)]), layer([wh('/d'), wh('/f')])]);
		// /d: only a leaf in layer 1 (count 1, 150): not wasted; /f: 10 + 0.
		expect(a.wastedBytes).toBe(10);
		expect(a.efficiency).toBeCloseTo((100 + 50 + 150 + 0) / (100 + 50 + 150 + 10), 12);
		expect(a.invisibleBytes).toBe(160);
		expect(a.layers[1]!.removedBytes).toBe(160);
		expect(a.deleted.map(d => [d.path, d.hiddenBytes])).toEqual([
			['/d', 150],
			['/f', 10],
		]);
	});

	it('hides what an opaque directory covers (invisible), which dive ignores', () => {
		const a = analyzeImage([layer([dir('/d'), file('/d/old', 70)]), layer([dir('/d'), file('/d/new', 5)], ['/d'])]);
		expect(a.invisibleBytes).toBe(70);
		expect(a.wastedBytes).toBe(0);
		expect(a.efficiency).toBe(1);
		expect(a.layers[1]).toMatchObject({addedBytes: 5, removedBytes: 70});
		expect(a.deleted).toEqual([{layer: 1, path: '/d', hiddenBytes: 70, addedIn: 0}]);
	});

	it('attributes each hidden byte once across repeated overwrites and a final delete', () => {
		const a = analyzeImage([layer([file('/x', 10)]), layer([file('/x', 20)]), layer([file('/x', 30)]), layer([wh('/x')])]);
		expect(a.invisibleBytes).toBe(60);
		const attributed = a.overwritten.reduce((t, o) => t + o.hiddenBytes, 0) + a.deleted.reduce((t, d) => t + d.hiddenBytes, 0);
		expect(attributed).toBe(60);
		expect(a.inefficiencies).toEqual([{path: '/x', count: 4, cumulativeBytes: 60, invisibleBytes: 60}]);
		expect(a.wastedBytes).toBe(60);
		expect(a.userWastedPercent).toBe(60 / 50);
	});

	it('gives a directory deleted twice as one inefficiency, with the invisible bytes of its whole subtree', () => {
		const a = analyzeImage([layer([dir('/d'), file('/d/a', 100)]), layer([wh('/d')]), layer([dir('/d'), file('/d/b', 30)]), layer([wh('/d')])]);
		// Leaves: /d/a 100, /d (whiteout of 100), /d/b 30, /d (whiteout of 30).
		expect(a.efficiency).toBeCloseTo((100 + 30 + 30) / (100 + 100 + 30 + 30), 12);
		expect(a.wastedBytes).toBe(130);
		expect(a.userWastedPercent).toBe(130 / 30);
		expect(a.inefficiencies).toEqual([{path: '/d', count: 2, cumulativeBytes: 130, invisibleBytes: 130}]);
		expect(a.invisibleBytes).toBe(130);
		expect(a.visibleBytes).toBe(0);
	});

	it('a directory over a file hides the file; a file over a file counts once as visible', () => {
		const a = analyzeImage([layer([file('/x', 5), file('/y', 3)]), layer([dir('/x'), file('/x/z', 7), file('/y', 4)])]);
		expect(a.invisibleBytes).toBe(8);
		expect(a.visibleBytes).toBe(11);
		expect(a.inefficiencies).toEqual([{path: '/y', count: 2, cumulativeBytes: 7, invisibleBytes: 3}]);
		expect(a.overwritten.map(o => [o.path, o.hiddenBytes])).toEqual([
			['/x', 5],
			['/y', 3],
		]);
	});

	it("replacing a directory by a file hides the directory's files", () => {
		const a = analyzeImage([layer([dir('/d'), file('/d/a', 40)]), layer([file('/d', 1)])]);
		expect(a.invisibleBytes).toBe(40);
		expect(a.visibleBytes).toBe(1);
	});
});

describe('CI rules as dive reads them', () => {
	it('parses sizes as go-humanize does', () => {
		expect(parseHumanBytes('20MB')).toBe(20_000_000);
		expect(parseHumanBytes('20 MiB')).toBe(20 * 1024 * 1024);
		expect(parseHumanBytes('1,000')).toBe(1000);
		expect(parseHumanBytes('1.5k')).toBe(1500);
		expect(parseHumanBytes('lots')).toBeNull();
	});

	it('takes ratios 0..1, "disabled" and its synonyms, and refuses percentages with a hint', () => {
		expect(parseRule('lowestEfficiency', 0.9).threshold).toBe(0.9);
		for (const off of ['disabled', 'off', 'false', '', null]) expect(parseRule('highestUserWastedPercent', off).threshold).toBeNull();
		expect(() => parseRule('highestUserWastedPercent', '10')).toThrow(/invalid highestUserWastedPercent/);
		try {
			parseRule('highestUserWastedPercent', '10');
		} catch (error) {
			expect((error as {hint: string}).hint).toMatch(/0\.1/);
		}
	});

	it("merges file rules (both spellings) under flags, with dive's defaults", () => {
		const rules = resolveRules({'highest-wasted-bytes': '1KB', lowestEfficiency: 0.5}, {lowestEfficiency: '0.95'});
		expect(rules.map(r => [r.key, r.threshold])).toEqual([
			['lowestEfficiency', 0.95],
			['highestWastedBytes', 1000],
			['highestUserWastedPercent', 0.1],
			['highestInvisibleBytes', null],
		]);
		expect(() => resolveRules({lowestEfficency: 0.9}, {})).toThrow(/unknown rule/);
		const results = evaluateRules(rules, {efficiency: 0.95, wastedBytes: 1001, userWastedPercent: 0.1, invisibleBytes: 5});
		expect(results.map(r => r.status)).toEqual(['PASS', 'FAIL', 'PASS', 'SKIP']);
	});
});
