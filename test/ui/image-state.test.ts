import {describe, expect, it} from 'vitest';
import {Command, commandFor} from '../../source/ui/keymap.js';
import {buildImageTree, imageTreeRows} from '../../source/ui/model/image-tree.js';
import {uiReducer, initialUiState} from '../../source/ui/state/console-state.js';
import {imageIntents} from '../../source/ui/state/image-keys.js';
import {imageReducer, initialImageState, type ImageAction, type ImageIntent} from '../../source/ui/state/image-state.js';
import {readFileSync} from 'node:fs';
import {actionEntries} from '../../source/ui/model/action-entries.js';
import {imageOf} from '../../source/ui/screens/actions.js';
import {actionsIntent} from '../../source/ui/state/actions-keys.js';
import {imageFixture} from './image-fixture.js';

const rows = [
	{path: '/opt', dir: true},
	{path: '/srv', dir: true},
	{path: '/big.bin', dir: false},
];
const act = (intent: ImageIntent, extra: Partial<ImageAction> = {}): ImageAction => ({intent, rows, page: 2, layers: 6, ...extra});

describe('image explorer state (no rendering)', () => {
	it('moves the cursor, scrolls, and enters and leaves directories keeping the cursor per directory', () => {
		let s = imageReducer(initialImageState, act({type: 'move', delta: 1}));
		expect(s.cursors['/']).toBe(1);
		s = imageReducer(s, act({type: 'move', delta: Infinity}));
		expect(s.cursors['/']).toBe(2);
		expect(s.top).toBe(1);
		s = imageReducer(s, act({type: 'move', delta: -Infinity}));
		s = imageReducer(s, act({type: 'move', delta: 1}));
		s = imageReducer(s, act({type: 'open'}));
		expect(s.dir).toBe('/srv');
		s = imageReducer(s, act({type: 'back'}, {rows: []}));
		expect(s.dir).toBe('/');
		expect(s.cursors['/']).toBe(1);
		s = imageReducer(s, act({type: 'move', delta: 1}));
		expect(imageReducer(s, act({type: 'open'}))).toBe(s); // a file: nothing to open
		expect(imageReducer(s, act({type: 'back'})).left).toBe(true);
	});

	it('steps through layers within bounds and toggles changes / aggregated', () => {
		let s = imageReducer(initialImageState, act({type: 'layer', delta: -1}));
		expect(s.layer).toBe(0);
		for (let i = 0; i < 9; i++) s = imageReducer(s, act({type: 'layer', delta: 1}));
		expect(s.layer).toBe(5);
		expect(imageReducer(s, act({type: 'scope'})).scope).toBe('aggregated');
		expect(imageReducer(imageReducer(s, act({type: 'scope'})), act({type: 'scope'})).scope).toBe('changes');
		expect(imageReducer(s, act({type: 'reload'})).generation).toBe(1);
	});

	it('takes the directory the view fell back to', () => {
		const s = imageReducer({...initialImageState, dir: '/gone'}, act({type: 'open'}, {dir: '/'}));
		expect(s.dir).toBe('/opt');
	});

	it('reads keys from the keymap, chunks included', () => {
		expect(commandFor('i', {})).toBe(Command.Image);
		expect(imageIntents(']]t', {})).toEqual([{type: 'layer', delta: 1}, {type: 'layer', delta: 1}, {type: 'scope'}]);
		expect(imageIntents('[', {})).toEqual([{type: 'layer', delta: -1}]);
		expect(imageIntents('g', {})).toEqual([{type: 'move', delta: -Infinity}]);
		expect(imageIntents('', {escape: true})).toEqual([{type: 'back'}]);
		expect(imageIntents('j\r', {})).toEqual([{type: 'move', delta: 1}, {type: 'open'}]);
	});

	it('opens from a container detail (i) and returns there; from the actions screen and returns there', () => {
		const detail = {...initialUiState, screen: 'detail' as const, under: 'detail' as const, selected: 'docker/x'};
		const opened = uiReducer(detail, {type: 'command', command: Command.Image, keys: ['docker/x'], page: 10});
		expect(opened).toMatchObject({screen: 'image', image: null, imageFrom: 'detail'});
		expect(uiReducer(opened, {type: 'command', command: Command.Back, keys: [], page: 10}).screen).toBe('detail');
		const help = uiReducer(opened, {type: 'command', command: Command.Help, keys: [], page: 10});
		expect(help).toMatchObject({screen: 'help', under: 'image'});
		expect(uiReducer(help, {type: 'command', command: Command.Back, keys: [], page: 10}).screen).toBe('image');
		const fromActions = uiReducer({...initialUiState, screen: 'actions', under: 'actions'}, {type: 'screen', screen: 'image', image: 'app:1', from: 'actions'});
		expect(fromActions).toMatchObject({screen: 'image', image: 'app:1'});
		expect(uiReducer(fromActions, {type: 'command', command: Command.Back, keys: [], page: 10}).screen).toBe('actions');
		// i on the overview does nothing
		expect(uiReducer(initialUiState, {type: 'command', command: Command.Image, keys: [], page: 10}).screen).toBe('overview');
	});
});

describe('i on the actions screen', () => {
	it('asks for the image explorer on an image finding, names that image, and ignores other rows', () => {
		expect(actionsIntent('list', 'i', {})).toEqual([{type: 'image'}]);
		expect(actionsIntent('plan', 'i', {})).toEqual([]);
		const guide = JSON.parse(readFileSync(new URL('../fixtures/guide-lab.json', import.meta.url), 'utf8'));
		const suggestions = JSON.stringify(guide).includes('"suggestions"') ? findSuggestions(guide) : [];
		const entries = actionEntries(suggestions, null);
		const image = entries.find(e => e.title.startsWith('Image build:'))!;
		expect(imageOf(image)).toBe(image.subject);
		expect(image.subject).toBeTruthy();
		expect(imageOf(entries.find(e => e.kind === 'cleanup'))).toBeNull();
		expect(imageOf(undefined)).toBeNull();
	});
});

function findSuggestions(value: unknown): never[] {
	if (Array.isArray(value)) {
		for (const v of value) {
			const found = findSuggestions(v);
			if (found.length) return found;
		}
		return [];
	}
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		if (Array.isArray(record.suggestions) && record.suggestions.some(s => String((s as {title?: string}).title).startsWith('Image build:'))) return record.suggestions as never[];
		for (const v of Object.values(record)) {
			const found = findSuggestions(v);
			if (found.length) return found;
		}
	}
	return [];
}

describe('image layer trees from the recording', () => {
	const layers = imageFixture.layers;
	const find = (cmd: RegExp) => layers.findIndex(l => cmd.test(l.createdBy));

	it("marks a layer's own changes A, M and D, with du-style directory sizes", () => {
		const overwrite = find(/head -c 100000/);
		const tree = buildImageTree(layers, overwrite, 'changes');
		const opt = imageTreeRows(tree, '/opt/app');
		expect(opt.find(r => r.name === 'lib.so')).toMatchObject({mark: 'M', bytes: 100000});
		expect(opt.find(r => r.name === 'VERSION')).toMatchObject({mark: 'M', bytes: 3});
		expect(imageTreeRows(tree, '/').find(r => r.name === 'opt')!.bytes).toBe(100003);
		const rm = find(/rm \/srv\/big.bin/);
		const deleted = buildImageTree(layers, rm, 'changes');
		expect(imageTreeRows(deleted, '/srv').find(r => r.name === 'big.bin')).toMatchObject({mark: 'D', bytes: 3145728});
		expect(deleted.marks.D).toBe(2);
	});

	it("aggregates the filesystem up to a layer, with that layer's changes marked and deleted paths kept as D", () => {
		const rm = find(/rm \/srv\/big.bin/);
		const tree = buildImageTree(layers, rm, 'aggregated');
		const root = imageTreeRows(tree, '/');
		expect(root.find(r => r.name === 'bin')).toMatchObject({mark: null});
		expect(imageTreeRows(tree, '/app').find(r => r.name === '.env')).toMatchObject({mark: 'D'});
		expect(imageTreeRows(tree, '/opt/app').find(r => r.name === 'lib.so')).toMatchObject({mark: null, bytes: 100000});
		// Escape sequences in names arrive sanitised.
		for (const row of imageTreeRows(tree, '/w')) expect(row.name).not.toMatch(/[\u001B\u0007]/);
	});
});
