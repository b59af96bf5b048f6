import {execFileSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {labSeed, labUnseed} from '../../source/adapters/lab/seed.js';
import {bytes} from '../../source/domain/format.js';
import {cliPath} from '../helpers/cli.js';
import {lab, labDocker, waitFor as poll} from '../helpers/lab.js';

/** `layerscope guide` in tmux at 80×24 on the seeded private lab: steps 1 to 6 show the seeded facts. */
const socket = `ls-guide-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('/usr/bin/tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', 'guide');
/** Polls with the screen in the error, so a timeout shows what the operator would have seen. */
const waitFor = <T>(what: string, probe: () => Promise<T | undefined | false>, ms?: number) => poll(what, probe, ms, screen);
const press = (...keys: string[]) => tmux('send-keys', '-t', 'guide', ...keys);
const lines = (text: string) => text.split('\n');

/** Size of a file in an image, as the engine's own container sees it. */
async function imageFileSize(image: string, path: string): Promise<number> {
	const docker = labDocker();
	const container = await docker.createContainer({Image: image, Cmd: ['stat', '-c', '%s', path], HostConfig: {NetworkMode: 'none'}});
	try {
		await container.start();
		await container.wait();
		const log = (await container.logs({stdout: true})) as Buffer;
		// Docker multiplexes the stream: an 8-byte header per frame.
		return Number(log.subarray(8).toString('utf8').trim());
	} finally {
		await container.remove({force: true});
	}
}

describe('layerscope guide on the seeded lab (tmux 80×24)', () => {
	let lowerBytes = 0;

	beforeAll(async () => {
		if (!existsSync(cliPath)) execFileSync('npm', ['run', 'build'], {stdio: 'ignore'});
		// A fresh scenario: a lab seeded earlier holds a log writer that may have reached its cap and stopped growing.
		await labSeed(lab().dir, {reset: true, log: line => process.stderr.write(`[seed] ${line}\n`)});
		lowerBytes = await imageFileSize('demo/model-server:1', '/srv/model/weights.bin');
		const env = ['-e', `DOCKER_HOST=${lab().dockerHost}`, '-e', `CONTAINER_RUNTIME_ENDPOINT=${lab().criEndpoint}`];
		tmux('new-session', '-d', '-s', 'guide', '-x', '80', '-y', '24', ...env, `${process.execPath} ${cliPath} guide --interval 1 --read-only; echo "exit=$?"; sleep 600`);
	}, 600_000);

	afterAll(async () => {
		try {
			tmux('kill-server');
		} catch {}
		// The scenario keeps growing: leave the shared lab as other test files expect it.
		await labUnseed(lab().dir);
	}, 120_000);

	it('step 1: the filesystem and its eviction threshold', async () => {
		// Each engine's first snapshot arrives on its own: wait for dockerd's filesystem, not just the first one to answer.
		const text = await waitFor(
			'step 1 with the docker root',
			async () => {
				const now = screen();
				return now.includes('Guide 1/6') && /eviction when available </.test(now) && now.includes(`${lab().dir}/docker/root`) ? now : undefined;
			},
			60_000,
		);
		expect(text).toContain(`${lab().dir}/docker/root`);
		expect(text).toMatch(/(imagefs|nodefs)\.available \d+%/);
		for (const line of lines(text)) expect(line.length).toBeLessThanOrEqual(80);
	});

	it('step 2: the ledger with what each category means', async () => {
		press('l');
		const text = await waitFor('step 2', async () => (screen().includes('Guide 2/6') ? screen() : undefined), 10_000);
		for (const label of ['Live writable layers', 'Stopped containers', 'Container logs', 'Dangling images', 'Build cache', 'Volumes']) expect(text).toContain(label);
	});

	it('step 3: the growing log writer is ranked first, with its virtual and writable size', async () => {
		press('l');
		const text = await waitFor(
			'the log writer ranked first',
			async () => {
				const now = screen();
				const first = lines(now).find(l => /^.1 /.test(l));
				return now.includes('Guide 3/6') && first?.includes('demo-log-writer') && /\+\d/.test(first) ? now : undefined;
			},
			90_000,
		);
		expect(text).toMatch(/SIZE .* \(virtual .*\)/);
		expect(text).toMatch(/= writable .* \+ image layerscope\.local\/busybox/);
	});

	it('step 4: the copy-up path and its lower size, and the whiteout', async () => {
		press('l');
		// The focus is the top grower of step 3; it is re-drilled (never shown stale) when the ranking changes.
		const text = await waitFor(
			'copy-up and whiteout found',
			async () => {
				const now = screen();
				return now.includes('Guide 4/6') && now.includes('Whiteout in') && now.includes('demo-log-writer') ? now : undefined;
			},
			120_000,
		);
		expect(text).toContain('demo-log-writer');
		expect(text).toMatch(/A \/var\/log\/app/);
		expect(text).toContain('Copy-up in demo-copy-up');
		const copyLine = lines(text).find(l => l.includes('C /srv/model/weights.bin'));
		expect(copyLine).toContain(`lower file ${bytes(lowerBytes)}`);
		expect(text).toContain('Whiteout in demo-whiteout');
		expect(text).toMatch(/D \/srv\/model\/weights\.bin .*image still holds/);
		// The chown -R at demo-chown's start: every file of its image's tree copied up for its owner alone.
		expect(text).toContain('Copied up for metadata alone in demo-chown:');
		expect(text).toMatch(/3,000 files, [\d.]+ MB: ownership \(to 1000:1000\) changed on 3,000/);
	});

	it('step 5: suggests the log redesign', async () => {
		press('l');
		// The focus container's own redesigns come first once its drill-down is done; until then the advice may list others first.
		// In a lab that holds every earlier test's containers and images, the advice (drills, image history) can take minutes.
		const text = await waitFor('advice', async () => (screen().includes('Guide 5/6') && screen().includes('Logs written inside the container (demo-log-writer)') ? screen() : undefined), 280_000);
		const at = lines(text).findIndex(l => l.includes('Logs written inside the container (demo-log-writer)'));
		expect(at).toBeGreaterThan(0);
		expect(lines(text)[at + 1]).toContain('log to stdout');
	}, 300_000);

	it('step 6: a real plan, and nothing executed in read-only mode', async () => {
		press('l');
		const text = await waitFor('the plan', async () => (screen().includes('Guide 6/6') && screen().includes('Plan: ') ? screen() : undefined), 30_000);
		expect(text).toContain('READ-ONLY');
		expect(text).toMatch(/Plan: .* — \d+ item\(s\), .* in total/);
		// Still all there: the guide never executes anything.
		const names = (await labDocker().listContainers({all: true})).flatMap(c => c.Names);
		expect(names).toContain('/demo-stopped-job');
	});

	it('walks back, hands over to the overview, and quits cleanly', async () => {
		press('h');
		await waitFor('step 5 again', async () => screen().includes('Guide 5/6'), 10_000);
		press('Escape');
		await waitFor('the overview', async () => screen().includes('Where the bytes live') && !screen().includes('Guide '), 10_000);
		press('q');
		await waitFor('the CLI to exit', async () => screen().includes('exit=0'), 10_000);
	});
});
