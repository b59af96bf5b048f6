import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {startPod, type TestPod} from '../helpers/cri-pod.js';
import {lab} from '../helpers/lab.js';
import {tmuxSession} from '../helpers/tmux.js';

// Issue 4: the console shows CRI data the same way as Docker's, every engine together.
describe('console with Docker and containerd together (tmux 80×24)', () => {
	let pod: TestPod;
	const term = tmuxSession('cri');

	beforeAll(async () => {
		pod = await startPod(lab().criEndpoint, 'cri-grower', 'i=0; while [ $i -lt 600 ]; do dd if=/dev/zero bs=256k count=1 2>/dev/null >> /grow; i=$((i+1)); sleep 0.5; done; sleep 3600', 't'); // short namespace: the name column is narrow
		term.start({DOCKER_HOST: lab().dockerHost, CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint}, `${process.execPath} ${cliPath} --interval 1`);
	});
	afterAll(async () => {
		term.kill();
		await pod?.remove();
	});

	it('lists the pod container with an engine column, growing, and quits cleanly', async () => {
		const screen = await term.until('the growing pod container in the table with its engine', text => text.split('\n').some(l => l.includes('containerd') && l.includes(pod.pod.name.slice(0, 6)) && /\+\d/.test(l)), 90_000);
		expect(screen).toMatch(/NAME\s+ENGINE\s+STATE/);
		for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		term.send('q');
		await term.until('a clean exit', text => text.includes('exit=0'), 15_000);
	});
});
