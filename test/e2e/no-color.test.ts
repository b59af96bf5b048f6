import {afterAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {lab} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

/** SGR parameters that set a colour (foreground, background, bright, 256 and true colour); 39 and 49 (default colour, which tmux writes on every line) are not one. */
const colourEscape = /\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

describe('NO_COLOR in the console (tmux 80×24)', () => {
	const sessions: Array<ReturnType<typeof tmuxSession>> = [];
	afterAll(() => {
		for (const s of sessions) s.kill();
	});

	async function overview(name: string, env: Record<string, string>): Promise<string> {
		const term = tmuxSession(name);
		sessions.push(term);
		term.start({DOCKER_HOST: lab().dockerHost, ...env}, `${process.execPath} ${cliPath} --runtime docker --interval 1`);
		await term.until('the overview with its ledger', text => text.includes('Where the bytes live') && !text.includes('connecting'), 60_000);
		// Help: an overlay with coloured keys; then back, so the cursor row (inverse) is on screen too.
		term.send('?');
		await term.until('the help overlay', text => text.includes('this help'));
		const help = term.styled();
		term.send('q');
		return help;
	}

	it('writes colour without it, none with NO_COLOR=1, and keeps bold', async () => {
		const coloured = await overview('colour', {});
		expect(coloured).toMatch(colourEscape); // the check can see colour when there is some
		const plain = await overview('no-colour', {NO_COLOR: '1'});
		expect(plain).not.toMatch(colourEscape);
		expect(plain).toMatch(/\x1b\[[0-9;]*1[;m]/); // bold stays (the help title)
	});
});
