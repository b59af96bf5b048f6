import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {lab, labDocker, runContainer} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

/**
 * README's failure table (When things go wrong), row 12, the error half: an uncaught error in any screen, or outside React
 * (a timer, a rejected promise), leaves the terminal as it was: main screen, cursor shown, no
 * frame left behind; one line on stderr, the stack only with --debug; exit 2. The faults come
 * from the test-only LAYERSCOPE_FAULT hook (source/ui/fault.ts); the CLI runs in a real pty (tmux).
 */
const box = 'ls-crash-box';
// Cursor show/hide and other CSI sequences restore the terminal; they are not lines of text.
const csi = /\x1b\[[0-9;?]*[A-Za-z]/g;
const textLines = (text: string) =>
	text
		.replace(csi, '')
		.split('\n')
		.filter(l => l.trim() !== '');

interface Scenario {
	fault: string;
	/** What the one stderr line names. */
	where: string;
	args?: string[];
	size?: {columns: number; rows: number};
	/** Keys that open the screen once the overview lists the test container. */
	keys?: string[];
}

const scenarios: Scenario[] = [
	{fault: 'screen:overview', where: 'overview screen'},
	{fault: 'screen:detail', where: 'detail screen', keys: ['Home', 'Enter']},
	{fault: 'screen:help', where: 'help screen', keys: ['?']},
	{fault: 'screen:actions', where: 'actions screen', keys: ['a']},
	{fault: 'screen:drill', where: 'drill screen', args: ['--container', box]},
	{fault: 'screen:guide', where: 'guide screen', args: ['guide']},
	{fault: 'screen:too-small', where: 'too-small screen', size: {columns: 50, rows: 12}},
	{fault: 'timer', where: 'timer'},
	{fault: 'rejection', where: 'rejection'},
];

let run = 0;
/** Runs the CLI with a fault in tmux until it exits; returns the pane, the terminal flags and stderr. */
async function crash(scenario: Scenario, options: {debug?: boolean; stderrToPane?: boolean} = {}) {
	const name = `crash${run++}`;
	const term = tmuxSession(name, scenario.size);
	const errFile = join(tmpdir(), `ls-crash-${process.pid}-${name}.err`);
	const args = [...(scenario.args ?? []), '--runtime', 'docker', '--interval', '1', ...(options.debug ? ['--debug'] : [])];
	try {
		term.start({DOCKER_HOST: lab().dockerHost, LAYERSCOPE_FAULT: scenario.fault}, `${process.execPath} ${cliPath} ${args.join(' ')}${options.stderrToPane ? '' : ` 2>${errFile}`}`);
		if (scenario.keys) {
			await term.until('the overview listing the test container', text => text.includes(box) && !/exit=\d/.test(text));
			for (const key of scenario.keys) term.send(key);
		}
		const pane = await term.until('the CLI to exit', text => /exit=\d+/.test(text));
		const flag = (f: string) => execFileSync('/usr/bin/tmux', ['-L', `ls-${name}-${process.pid}`, 'display-message', '-p', '-t', name, `#{${f}}`], {encoding: 'utf8'}).trim();
		const result = {pane, alternate: flag('alternate_on'), cursor: flag('cursor_flag'), stderr: options.stderrToPane ? '' : readFileSync(errFile, 'utf8')};
		return result;
	} finally {
		term.kill();
		rmSync(errFile, {force: true});
	}
}

describe('an uncaught error in any screen, or outside React (tmux 80×24)', () => {
	beforeAll(async () => {
		if (!existsSync(cliPath)) execFileSync('npm', ['run', 'build'], {stdio: 'ignore'});
		await runContainer(labDocker(), box, 'sleep 3600');
	});
	afterAll(async () => {
		await labDocker()
			.getContainer(box)
			.remove({force: true})
			.catch(() => {});
	});

	for (const scenario of scenarios) {
		it(`${scenario.fault}: terminal restored, one line on stderr, no stack, exit 2`, async () => {
			const {pane, alternate, cursor, stderr} = await crash(scenario);
			expect(alternate).toBe('0');
			expect(cursor).toBe('1');
			// Nothing of the console is left on the main screen: only the shell's exit line.
			expect(textLines(pane)).toEqual(['exit=2']);
			const lines = textLines(stderr);
			expect(lines).toHaveLength(1);
			expect(lines[0]).toMatch(new RegExp(`^layerscope: injected fault \\(${scenario.where};`));
			expect(stderr).not.toMatch(/^\s+at /m);
		});
	}

	for (const scenario of [scenarios[1]!, scenarios[7]!]) {
		it(`${scenario.fault} with --debug: the stack follows the line`, async () => {
			const {alternate, cursor, stderr} = await crash(scenario, {debug: true});
			expect(alternate).toBe('0');
			expect(cursor).toBe('1');
			const lines = textLines(stderr);
			expect(lines[0]).toMatch(new RegExp(`^layerscope: injected fault \\(${scenario.where};`));
			expect(lines[1]).toMatch(/^InjectedFault: injected fault/);
			expect(lines.slice(2).length).toBeGreaterThan(0);
			for (const line of lines.slice(2)) expect(line).toMatch(/^\s+at /);
		});
	}

	it('what the operator sees: the one line, then the shell', async () => {
		const {pane, alternate} = await crash(scenarios[0]!, {stderrToPane: true});
		expect(alternate).toBe('0');
		const lines = textLines(pane);
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^layerscope: injected fault \(overview screen;/);
		expect(lines[1]).toBe('exit=2');
	});
});
