import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cliPath} from '../helpers/cli.js';
import {buildImage} from '../helpers/docker-build.js';
import {CriClient} from '../../source/adapters/cri/cri-client.js';
import {busybox, lab, labDocker, runContainer} from '../helpers/lab.js';
import {dockerRecordingProxy, grpcRecordingProxy, readOnlyCriMethod, type DockerProxy, type GrpcProxy} from '../helpers/recording-proxy.js';
import {tmuxSession} from '../helpers/tmux.js';

/**
 * Issue 7: the real console, --read-only, in tmux at 80×24, behind recording proxies.
 * Every screen is visited and every confirmation typed; only reads may reach the engines.
 */
/** Pacing between keys (not an assertion): lets the console read them as separate presses. */
const pause = () => new Promise(resolve => setTimeout(resolve, 300));

describe('read-only console behind recording proxies (tmux 80×24)', () => {
	const docker = labDocker();
	const term = tmuxSession('ro-console');
	let dockerProxy: DockerProxy;
	let criProxy: GrpcProxy;
	let stateHome: string;

	const inventory = async () => {
		// Read directly from the engines, not through the proxies.
		const cri = CriClient.connect(lab().criEndpoint);
		try {
			return {
				containers: (await docker.listContainers({all: true})).map(c => `${c.Id} ${c.State}`).sort(),
				images: (await docker.listImages({all: true})).map(i => i.Id).sort(),
				volumes: ((await docker.listVolumes()).Volumes ?? []).map(v => v.Name).sort(),
				criContainers: (await cri.listContainers()).map(c => `${c.id} ${c.state}`).sort(),
				criPods: (await cri.listPodSandboxes()).map(p => `${p.id} ${p.state}`).sort(),
				criImages: (await cri.listImages()).map(i => i.id).sort(),
			};
		} finally {
			cri.close();
		}
	};
	let before: Awaited<ReturnType<typeof inventory>>;

	beforeAll(async () => {
		if (!existsSync(cliPath)) execFileSync('npm', ['run', 'build'], {stdio: 'ignore'});
		// Something to prune: stopped containers, a dangling image, an unused image, a named volume.
		await runContainer(docker, 'ls-ro-e2e-stopped-1', 'dd if=/dev/zero of=/x bs=1k count=200 2>/dev/null', {wait: true});
		await runContainer(docker, 'ls-ro-e2e-stopped-2', 'true', {wait: true});
		buildImage(lab().dockerHost, 'ls-ro-e2e/img:1', `FROM ${busybox}\nRUN echo one > /one\n`);
		buildImage(lab().dockerHost, 'ls-ro-e2e/img:1', `FROM ${busybox}\nRUN echo two > /two\n`);
		await docker.createVolume({Name: 'ls-ro-e2e-named'});
		const dir = mkdtempSync(join(tmpdir(), 'ls-ro-e2e-'));
		stateHome = mkdtempSync(join(tmpdir(), 'ls-ro-e2e-state-'));
		dockerProxy = await dockerRecordingProxy(lab().dockerHost.replace('unix://', ''), join(dir, 'docker.sock'));
		criProxy = await grpcRecordingProxy(lab().criEndpoint.replace('unix://', ''), join(dir, 'cri.sock'));
		before = await inventory();
		term.start({DOCKER_HOST: `unix://${dockerProxy.socket}`, CONTAINER_RUNTIME_ENDPOINT: `unix://${criProxy.socket}`, XDG_STATE_HOME: stateHome}, `${process.execPath} ${cliPath} --read-only --interval 1`);
	});

	afterAll(async () => {
		term.kill();
		await dockerProxy?.close();
		await criProxy?.close();
		for (const name of ['ls-ro-e2e-stopped-1', 'ls-ro-e2e-stopped-2'])
			await docker
				.getContainer(name)
				.remove({force: true})
				.catch(() => {});
		await docker
			.getVolume('ls-ro-e2e-named')
			.remove()
			.catch(() => {});
	});

	it('visits every screen, types every confirmation, and nothing but reads reaches the engines', async () => {
		await term.until('the overview', t => t.includes('Where the bytes live'), 90_000);
		term.send('r');
		term.send('?');
		await term.until('the help', t => t.includes('this help'));
		term.send('Escape');
		await term.until('the overview', t => t.includes('Where the bytes live'));
		await pause();
		term.send('Enter');
		await term.until('the detail or drill-down', t => !t.includes('Where the bytes live') && t.includes('READ-ONLY'));
		term.send('Escape');
		await term.until('the overview', t => t.includes('Where the bytes live'));
		await pause();
		term.send('a');
		await term.until('the suggestions', t => t.includes('security first'), 120_000);
		await term.cursorTo(/Remove stopped containers/);
		term.send('Enter');
		const plan = await term.until('the stopped-containers plan', t => t.includes('Plan: Remove stopped containers'));
		expect(plan).toContain('ls-ro-e2e-stopped-1');
		expect(plan).toContain('read-only mode (--read-only): nothing can be removed; this is what would happen');
		const count = Number(/Selected (\d+) of/.exec(plan)![1]);
		// Try every way to confirm: y, Enter, the typed word. Keys are paced: an Escape followed
		// at once by another key reads as Alt+key in any terminal.
		const tryConfirm = async (word: string) => {
			term.send('y');
			await term.until('confirmation disabled', t => t.includes('Confirmation disabled') || t.includes('nothing selected'));
			for (const key of ['Enter', word, 'Enter', 'y']) {
				term.send(key, {literal: key === word});
				await pause();
			}
			expect(term.screen()).not.toMatch(/Removing|Done:/);
			term.send('Escape');
			await term.until('the plan again', t => t.includes('cancelled: nothing was removed') || t.includes('nothing selected'));
			await pause();
			term.send('Escape');
			await term.until('the suggestions again', t => t.includes('security first'));
		};
		await tryConfirm(`delete ${count}`);

		// Every other cleanup plan and the one-by-one volume picker (named volume picked).
		for (const title of [/Remove dangling images/, /Remove unused images/, /Choose volumes one by one/]) {
			term.send('Home');
			await pause();
			await term.cursorTo(title);
			term.send('Enter');
			await term.until('a plan', t => t.includes('Plan: '));
			if (/Choose volumes/.test(String(title))) {
				await term.cursorTo(/ls-ro-e2e-named/);
				term.send('Space');
				await term.until('the named volume picked', t => /Selected 1 of/.test(t));
			}
			const selected = Number(/Selected (\d+) of/.exec(term.screen())![1]);
			await tryConfirm(`delete ${selected}`);
		}
		await pause();
		term.send('Escape');
		await term.until('the overview', t => t.includes('Where the bytes live'));
		await pause();
		term.send('q');
		await term.until('the CLI to exit', t => t.includes('exit=0'));

		// The banner was on every screen the console drew.
		const drawn = term.captures.filter(c => !c.includes('exit=0') && c.trim() !== '');
		expect(drawn.length).toBeGreaterThan(10);
		for (const capture of drawn) expect(capture.split('\n')[0]).toContain('READ-ONLY');
		// Only reads reached dockerd; only read-only CRI methods (if any) reached containerd.
		expect(dockerProxy.requests.length).toBeGreaterThan(10);
		expect(dockerProxy.requests.filter(line => !/^(GET|HEAD) /.test(line))).toEqual([]);
		expect(criProxy.methods.length).toBeGreaterThan(0); // the console reads CRI too (auto mode)
		expect(criProxy.methods.filter(m => !readOnlyCriMethod.test(m))).toEqual([]);
		// Nothing changed, and no state file was written.
		expect(await inventory()).toEqual(before);
		expect(readdirSync(stateHome)).toEqual([]);
	});
});
