import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {engineOnlyWords} from '../../source/domain/engine-words.js';
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

// Issue 20: a containerd-only node with a kubelet config, as an operator sees it.
describe('guide and console on containerd alone (tmux 80×24): CRI and kubelet words only', () => {
	let pod: TestPod;
	const term = tmuxSession('cri-words');
	const config = join(mkdtempSync(join(tmpdir(), 'ls-cri-words-')), 'kubelet.yaml');

	beforeAll(async () => {
		writeFileSync(config, 'kind: KubeletConfiguration\nimageGCHighThresholdPercent: 70\nimageGCLowThresholdPercent: 60\n');
		pod = await startPod(lab().criEndpoint, 'words', 'mkdir -p /var/log/app; i=0; while [ $i -lt 400 ]; do dd if=/dev/zero bs=64k count=1 2>/dev/null >> /var/log/app/app.log; i=$((i+1)); sleep 0.5; done; sleep 3600', 't');
		term.start({CONTAINER_RUNTIME_ENDPOINT: lab().criEndpoint}, `${process.execPath} ${cliPath} guide --runtime cri --read-only --interval 1 --kubelet-config ${config}`);
	});
	afterAll(async () => {
		term.kill();
		await pod?.remove();
	});

	it('steps 1–6 never show a Docker-only word, and name the image GC, crictl stats and the kubelet settings', async () => {
		const seen: string[] = [];
		seen.push(await term.until('step 1 with the image GC line', text => text.includes('Guide 1/6') && text.includes('kubelet image GC at 70% used'), 90_000));
		for (let step = 2; step <= 6; step++) {
			term.send('l');
			// Steps 3 to 6 wait for growth, drills and advice: the step is done once its pending lines are gone.
			seen.push(await term.until(`step ${step}`, text => text.includes(`Guide ${step}/6`) && !/measuring:|walking writable|reading image history|computing the cleanup/.test(text), 180_000));
		}
		for (const [i, text] of seen.entries()) {
			expect(
				engineOnlyWords.docker.filter(w => text.includes(w)),
				`step ${i + 1}:\n${text}`,
			).toEqual([]);
			for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		}
		expect(seen[0]).toMatch(/image GC comes first|eviction comes first/);
		expect(seen[2]).toContain('crictl stats for');
		expect(seen[2]).toContain('DISK ');
	});

	it('the overview header says when image GC and eviction come; P groups the pod with its total', async () => {
		term.send('Escape');
		const overview = await term.until('the overview with the image GC in the header', text => /image GC (in \S+|now|—), eviction/.test(text) && text.includes('P pods:off'), 30_000);
		expect(overview).toContain('eviction');
		term.send('P');
		const grouped = await term.until('the pod grouped, with its total and sizing', text => text.includes('pod total') && text.includes('ephemeral-storage req') && text.includes('P pods:on'), 30_000);
		for (const line of grouped.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
		expect(grouped).toMatch(new RegExp(`▾ .*${pod.pod.name.slice(-6)}`));
		term.send('q');
		await term.until('a clean exit', text => text.includes('exit=0'), 15_000);
	});
});
