import {describe, expect, it} from 'vitest';
import {Command, commandFor, commandIn, commandsIn, keyLabel, keymap, planScopes, splitKeys, treeScopes} from '../../source/ui/keymap.js';
import {overviewLayout, tableColumns} from '../../source/ui/model/layout.js';
import {sparkline} from '../../source/ui/model/sparkline.js';
import {initialUiState, uiReducer, type UiState} from '../../source/ui/state/console-state.js';

const keys = Array.from({length: 20}, (_, i) => `docker/${i}`);
const run = (state: UiState, ...commands: Command[]) => commands.reduce((s, command) => uiReducer(s, {type: 'command', command, keys, page: 5}), state);

describe('console state', () => {
	it('moves, pages and clamps', () => {
		let s = run(initialUiState, Command.Down, Command.Down);
		expect(s.cursor).toBe(2);
		s = run(s, Command.PageDown, Command.PageDown);
		expect(s.cursor).toBe(12);
		expect(s.top).toBe(8);
		s = run(s, Command.Bottom, Command.Down);
		expect(s.cursor).toBe(19);
		s = run(s, Command.Top, Command.Up);
		expect(s.cursor).toBe(0);
		expect(s.top).toBe(0);
	});

	it('follows the selected container when the list re-sorts', () => {
		const s = run(initialUiState, Command.Down, Command.Down);
		expect(s.selected).toBe('docker/2');
		const reordered = [...keys].reverse();
		const synced = uiReducer(s, {type: 'sync', keys: reordered, page: 5});
		expect(synced.cursor).toBe(17);
		expect(synced.selected).toBe('docker/2');
		expect(synced.top).toBeLessThanOrEqual(17);
		expect(synced.top + 5).toBeGreaterThan(17);
	});

	it('stays on the first row while the operator has not chosen one, whatever comes first after a re-rank', () => {
		// The first sync selects the first row; growth measured later re-ranks it far down: the cursor stays at the top.
		const first = uiReducer(initialUiState, {type: 'sync', keys, page: 5});
		expect(first.selected).toBe('docker/0');
		const reranked = uiReducer(first, {type: 'sync', keys: [...keys].reverse(), page: 5});
		expect(reranked).toMatchObject({cursor: 0, top: 0, selected: 'docker/19'});
		// Once the operator moves, the cursor follows that container.
		const moved = run(reranked, Command.Down);
		expect(moved.selected).toBe('docker/1');
		expect(uiReducer(moved, {type: 'sync', keys: [...keys].reverse(), page: 5})).toMatchObject({cursor: 18, selected: 'docker/1'});
	});

	it('keeps the position when the selected container vanishes', () => {
		const s = run(initialUiState, Command.Down, Command.Down, Command.Down);
		const synced = uiReducer(s, {type: 'sync', keys: keys.filter(k => k !== 'docker/3'), page: 5});
		expect(synced.cursor).toBe(3);
		expect(synced.selected).toBe('docker/4');
	});

	it('opens details, returns from help to where it was, and quits from anywhere', () => {
		let s = run(initialUiState, Command.Down, Command.Open);
		expect(s.screen).toBe('detail');
		s = run(s, Command.Help);
		expect(s.screen).toBe('help');
		s = run(s, Command.Down);
		expect(s.screen).toBe('help');
		s = run(s, Command.Back);
		expect(s.screen).toBe('detail');
		s = run(s, Command.Back);
		expect(s.screen).toBe('overview');
		expect(run(s, Command.Help, Command.Quit).quit).toBe(true);
		expect(uiReducer(initialUiState, {type: 'command', command: Command.Open, keys: [], page: 5}).screen).toBe('overview');
	});

	it('cycles the sort', () => {
		expect(run(initialUiState, Command.Sort).sort).toBe('writable');
		expect(run(initialUiState, Command.Sort, Command.Sort, Command.Sort, Command.Sort).sort).toBe('growth');
	});
});

describe('keymap', () => {
	it('maps keys to commands', () => {
		expect(commandFor('j', {})).toBe(Command.Down);
		expect(commandFor('', {downArrow: true})).toBe(Command.Down);
		expect(commandFor('', {pageDown: true})).toBe(Command.PageDown);
		expect(commandFor('', {return: true})).toBe(Command.Open);
		expect(commandFor('', {escape: true})).toBe(Command.Back);
		expect(commandFor('c', {ctrl: true})).toBe(Command.Quit);
		expect(commandFor('x', {})).toBeUndefined();
	});

	it('is data only: every entry is plain keys, a scope, a label and a command', () => {
		for (const b of keymap) {
			expect(Object.keys(b).sort()).toEqual(['command', 'help', 'keys', 'scope']);
			for (const k of b.keys) expect(typeof k).toBe('string');
		}
		// No key is bound twice in one scope.
		const seen = new Set<string>();
		for (const b of keymap)
			for (const k of b.keys) {
				expect(seen.has(`${b.scope} ${k}`), `${b.scope} ${k}`).toBe(false);
				seen.add(`${b.scope} ${k}`);
			}
	});

	it('scopes decide: g opens the guide from the list, and is the first row in a tree or a plan', () => {
		expect(commandFor('g', {})).toBe(Command.Guide);
		expect(commandIn(treeScopes, 'g', {})).toBe(Command.Top);
		expect(commandIn(planScopes, 'g', {})).toBe(Command.Top);
		expect(commandIn(treeScopes, 'b', {})).toBe(Command.SizeMode);
		expect(commandFor('b', {})).toBeUndefined();
		expect(commandIn(['guide'], '', {escape: true, meta: true})).toBe('leave');
		expect(commandIn(['prompt'], '\x7f', {backspace: true})).toBe('erase');
	});

	it('labels come from the keys', () => {
		const label = (command: Command) => keyLabel(keymap.find(b => b.command === command && b.help !== '')!);
		expect([label(Command.Up), label(Command.Open), label(Command.Back), label(Command.Quit), label(Command.Toggle)]).toEqual(['↑ k', 'Enter → l', 'Esc ⌫ ← h', 'q ^C', 'space']);
	});

	it('one function splits fast typing', () => {
		expect(splitKeys('jj\r', {}).map(k => [k.input, Boolean(k.key.return)])).toEqual([
			['j', false],
			['j', false],
			['\r', true],
		]);
		expect(splitKeys('\x1b[A', {})).toHaveLength(1);
		expect(commandsIn(['global', 'list'], 'jjx\r', {})).toEqual([Command.Down, Command.Down, Command.Open]);
	});
});

describe('layout', () => {
	it('keeps at least 5 table rows at 80×24 and shrinks the ledger first', () => {
		expect(overviewLayout(24)).toEqual({ledger: 'full', ledgerLines: 10, tableRows: 8});
		expect(overviewLayout(18).ledger).toBe('compact');
		expect(overviewLayout(15).ledger).toBe('hidden');
	});

	it('fills the width exactly', () => {
		for (const width of [60, 80, 100, 160]) {
			for (const engines of [1, 2]) {
				const cols = tableColumns(width, engines);
				expect(cols.reduce((t, c) => t + c.width + 1, 1)).toBeLessThanOrEqual(width);
			}
		}
	});

	it('draws sparklines of a fixed width', () => {
		expect(sparkline([1, 2, 3, 4], 6)).toBe('  ▁▃▆█');
		expect(sparkline([5, 5], 3)).toBe(' ▁▁');
		expect(sparkline([], 2)).toBe('  ');
	});
});
