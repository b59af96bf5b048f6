import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {buildImage} from '../helpers/docker-build.js';
import {busybox, lab, labDocker, runContainer} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

/** The image explorer in tmux at 80×24: from a container's detail, `i`, layers, marks, the toggle, back. */
describe('image explorer in a terminal (tmux 80×24)', () => {
	const docker = labDocker();
	const term = tmuxSession('image');

	beforeAll(async () => {
		if (!existsSync(cliPath)) execFileSync('npm', ['run', 'build'], {stdio: 'ignore'});
		buildImage(lab().dockerHost, 'ls-e2e/image:1', [`FROM ${busybox}`, 'RUN head -c 8388608 /dev/urandom > /big.bin', `RUN rm /big.bin && printf x > "/$(printf 'evil\\033]0;pwned\\007')"`, ''].join('\n'));
		await runContainer(docker, 'ls-e2e-image', 'sleep 3600', {image: 'ls-e2e/image:1'});
		term.start({DOCKER_HOST: lab().dockerHost}, `${process.execPath} ${cliPath} --container ls-e2e-image --interval 2`);
	});

	afterAll(async () => {
		term.kill();
		await docker
			.getContainer('ls-e2e-image')
			.remove({force: true})
			.catch(() => {});
	});

	it('opens from the container detail with i and shows the figures and the layers', async () => {
		await term.until('the drill-down', t => t.includes('Writable layer of ls-e2e-image'));
		term.send('Escape');
		await term.until('the detail', t => t.includes('Container ls-e2e-image') && t.includes('i image layers'));
		term.send('i');
		const text = await term.until('the image explorer', t => /Image ls-e2e\/image:1/.test(t) && /invisible 8\.\d MB/.test(t));
		expect(text).toMatch(/efficiency \d+\.\d% {2}wasted 8\.\d MB/);
		expect(text).toMatch(/Layer 0\/2 {2}its changes/);
		for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		expect(text.trimEnd().split('\n').length).toBeLessThanOrEqual(24);
	});

	it('steps through layers, marks the deletion, toggles the aggregated tree, escapes names', async () => {
		term.send(']');
		await term.until('layer 1', t => /Layer 1\/2/.test(t) && /A +8\.\d MB .* big\.bin/.test(t));
		term.send(']');
		let text = await term.until('layer 2', t => /Layer 2\/2/.test(t) && /D +8\.\d MB .* big\.bin/.test(t));
		expect(text).not.toContain('\u001B');
		expect(text).toMatch(/evil\S*pwned/);
		term.send('t');
		text = await term.until('the aggregated tree', t => /aggregated up to it/.test(t) && / bin\//.test(t));
		expect(text).toMatch(/D +8\.\d MB .* big\.bin/);
	});

	it('goes back to the detail with Esc', async () => {
		term.send('Escape');
		await term.until('the detail again', t => t.includes('Container ls-e2e-image'));
		term.send('q');
		await term.until('the exit', t => /exit=0/.test(t));
	});
});
