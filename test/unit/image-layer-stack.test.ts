import {describe, expect, it} from 'vitest';
import {analyzeImage, columnsOf, type LayerEntry, type LayerInput, nodeColumns} from '../../source/domain/image-analysis.js';
import {LayerStack, nameTextOf} from '../../source/domain/image-layer-stack.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('LayerStack: a trie keyed by name bytes', () => {
	it('finds a text path and the same path given as name bytes alike', () => {
		const t = new LayerStack(4);
		const etc = t.child(0, bytes('etc'), 0, 3);
		const conf = t.child(etc, bytes('/etc/conf'), 5, 9);
		expect(t.node('/etc/conf')).toBe(conf);
		expect(t.node('etc//conf/.')).toBe(conf);
		expect(t.node('/')).toBe(0);
		expect(t.node('')).toBe(0);
		expect(t.pathOf(conf)).toBe('/etc/conf');
		expect([...t.rawPathOf(conf)]).toEqual([...bytes('/etc/conf')]);
	});

	it('keeps names that are not UTF-8 apart from their text, and shows them one char per byte', () => {
		const t = new LayerStack(4);
		const raw = Uint8Array.from([0x62, 0xff, 0xfe, 0x1b]);
		const id = t.child(0, raw, 0, raw.length);
		expect(t.pathOf(id)).toBe('/b\u00ff\u00fe\u001b');
		// The text of those bytes, written as UTF-8, is another name.
		expect(t.node('/b\u00ff\u00fe\u001b')).not.toBe(id);
		expect(t.child(0, raw, 0, raw.length)).toBe(id);
		expect(nameTextOf(bytes('é'))).toBe('é');
		expect(nameTextOf(Uint8Array.from([0xe9]))).toBe('\u00e9');
		expect(nameTextOf(new Uint8Array(200_000).fill(0x61))).toBe('a'.repeat(200_000));
	});

	it('grows past its capacity and still finds every node', () => {
		const t = new LayerStack(2);
		const ids = Array.from({length: 5000}, (_, i) => t.node(`/d${i % 7}/f${i}`));
		expect(new Set(ids).size).toBe(5000);
		for (let i = 0; i < 5000; i += 37) expect(t.node(`/d${i % 7}/f${i}`)).toBe(ids[i]);
		expect(t.pathOf(ids[4999]!)).toBe('/d1/f4999');
	});
});

describe('analyzeImage on the listing trie', () => {
	const layers: LayerEntry[][] = [
		[
			{path: '/d', type: 'dir', bytes: 0},
			{path: '/d/a', type: 'file', bytes: 100},
			{path: '/d/b', type: 'file', bytes: 50},
			{path: '/x', type: 'file', bytes: 7},
		],
		[
			{path: '/d', type: 'whiteout', bytes: 0},
			{path: '/x', type: 'file', bytes: 9},
			{path: '/e', type: 'dir', bytes: 0},
		],
		[
			{path: '/e', type: 'dir', bytes: 0},
			{path: '/e/n', type: 'file', bytes: 3},
			{path: '/x', type: 'dir', bytes: 0},
		],
	];

	it('gives what it gives from paths', () => {
		const fromPaths = analyzeImage(layers.map((entries, i): LayerInput => ({digest: `l${i}`, createdBy: '', entries, opaqueDirs: i === 2 ? ['/e'] : []})));
		// The same entries read into one trie as a listing does, as bytes.
		const t = new LayerStack(2);
		const inputs = layers.map((entries, i): LayerInput => {
			const c = columnsOf(entries);
			const nodes = Int32Array.from(entries, e => {
				const raw = bytes(e.path);
				let id = 0;
				let from = 1;
				for (let j = 1; j <= raw.length; j++) {
					if (j < raw.length && raw[j] !== 0x2f) continue;
					id = t.child(id, raw, from, j);
					from = j + 1;
				}
				return id;
			});
			const columns = nodeColumns(t, nodes, c.types, c.bytes);
			return {digest: `l${i}`, createdBy: '', entries, columns, opaqueDirs: i === 2 ? ['/e'] : [], opaqueNodes: i === 2 ? [t.node('/e')] : []};
		});
		expect(inputs[1]!.columns!.paths).toEqual(['/d', '/x', '/e']);
		const fromTrie = analyzeImage(inputs);
		expect(fromTrie).toEqual(fromPaths);
		expect(fromTrie.deleted.map(d => d.path)).toEqual(['/d']);
		// A trie is stacked once: a second analysis builds its own from the paths.
		expect(analyzeImage(inputs)).toEqual(fromPaths);
	});
});
